/**
 * Wrong JavaScript types never crash with a `TypeError`: a caller in JavaScript, or one whose values are
 * built at run time, gets a `PolicyValidationError` naming the field (rule `INPUT_TYPE`, or the field's own
 * check). For every path that writes a trust or resource policy, and the constructs around them, fast-check
 * (fixed seed, printed on failure) replaces one value anywhere in a valid input with a value of another
 * type, or removes it, and the outcome must be a success or a `PolicyValidationError`.
 */
import fc from 'fast-check';
import { type Construct, Construct as ConstructBase } from 'constructs';
import { CiPolicy, EcrDockerPushPolicy, EcsServiceDeploymentPolicy, TerraformRemoteStateS3Policy, TerragruntPolicy } from '../../modules/ci-policies';
import { policyDocument, PolicyValidationError } from '../../modules/core';
import { DelegatedRoleCreationPolicy, EXAMPLE_CORP_PIPELINE } from '../../modules/delegated-role-creation';
import { DeployGroup, JetsDeployGroup } from '../../modules/deploy-group';
import { githubActionsOidcProvider, InstanceProfile, OidcProvider, Role, trustPolicy } from '../../modules/iam-role';
import * as library from '../../modules';
import { BucketPolicy, bucketPolicy, exampleCorpBoundary, PermissionsBoundary, ServiceControlPolicy } from '../../modules/policy-types';
import { StateAccessRole, StatePermissionsPolicy } from '../../modules/state-access';
import { GitHubTerraformRoles } from '../../modules/terraform-ci';
import { recordFigure } from '../support/figures';
import { synth } from '../support/synth';

const SEED = 20261207;
const RUNS = 1000;
const ACCOUNT = '111111111111';
const UUID = '1f2e3d4c-5b6a-4978-8877-665544332211';

/** Values of every JSON type and a few JavaScript ones, to put where another type is expected. */
const WRONG: readonly unknown[] = [undefined, null, 0, 12, Number.NaN, true, false, '', 'x', '*', [], ['x'], [1], [null], {}, { x: 1 }, [[]], [{}]];

/** Every path to a value inside `value` (object keys and list indexes), the root excluded. */
function paths(value: unknown, prefix: (string | number)[] = [], depth = 0): (string | number)[][] {
  if (depth > 5 || value === null || typeof value !== 'object') return [];
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k], depth + 1)]);
}

/** A deep copy of `value` with the value at `path` replaced by `replacement` (removed when undefined). */
function replaced(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(value)) as Record<string | number, unknown>;
  let at: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (replacement === undefined && !Array.isArray(at)) delete at[last];
  else at[last] = replacement;
  return copy;
}

/** Runs `fn`; a thrown error other than a PolicyValidationError fails the property, with the input. */
function noCrash(fn: () => unknown): boolean {
  try {
    fn();
  } catch (e) {
    if (e instanceof PolicyValidationError) return true;
    throw e;
  }
  return true;
}

const ENTRY_POINTS: [string, unknown, (props: never) => unknown][] = [
  [
    'trustPolicy, principals',
    {
      account: ACCOUNT,
      services: ['lambda.amazonaws.com'],
      serviceSourceAccount: ACCOUNT,
      accounts: [ACCOUNT],
      roles: [`arn:aws:iam::${ACCOUNT}:role/deployer`],
      oidc: [{ providerArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/gitlab.com`, audience: 'https://gitlab.com', subjects: ['project_path:g/p:*'] }],
      partition: 'aws',
      acknowledge: [{ rule: 'CROSS_ACCOUNT', reason: 'r' }, 'SERVICE_PRINCIPAL_UNSCOPED'],
    },
    (props) => trustPolicy(props),
  ],
  [
    'trustPolicy, GitHub, GitLab and CircleCI presets',
    {
      account: ACCOUNT,
      githubActions: [
        { owner: 'my-org', repository: 'infra', ownerId: '1', repositoryId: '2', branches: ['main'], pullRequests: true, jobWorkflowRefs: ['my-org/w/.github/workflows/d.yml@refs/heads/main'] },
      ],
      gitlab: [{ projectPath: 'g/p', branches: ['main'], protectedRefsOnly: true, projectId: '3' }],
      circleci: [{ organizationId: UUID, projectIds: [UUID] }],
    },
    (props) => trustPolicy(props),
  ],
  [
    'trustPolicy, Bitbucket, Buildkite and HCP Terraform presets',
    {
      account: ACCOUNT,
      bitbucketPipelines: [{ workspace: 'ws', workspaceUuid: UUID, repositoryUuid: UUID, deploymentEnvironmentUuids: [UUID] }],
      buildkite: [{ organization: 'acme', pipelines: ['deploy'], branches: ['main'] }],
      terraformCloud: [{ organization: 'acme', project: 'p', workspaces: ['net'], runPhases: ['plan'] }],
    },
    (props) => trustPolicy(props),
  ],
  [
    'Role, principals',
    {
      name: 'r',
      path: '/ci/',
      account: ACCOUNT,
      trustPolicy: { githubActions: [{ owner: 'o', repository: 'r', branches: ['main'] }] },
      trustPolicyAcknowledge: [{ rule: 'CROSS_ACCOUNT', reason: 'r' }],
      inlinePolicies: [{ name: 'p', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] }, acknowledge: ['WILDCARD_RESOURCE'] }],
      managedPolicyArns: [`arn:aws:iam::${ACCOUNT}:policy/p`],
      awsManagedPolicies: [{ name: 'ReadOnlyAccess', path: '/' }, 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess'],
      maxManagedPolicies: 10,
      overflowToManagedPolicies: true,
      permissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/b`,
      maxSessionDuration: 3600,
      tags: { team: 'ci' },
      partition: 'aws',
      outputPrefix: 'x_',
    },
    (props) => synth((s: Construct) => new Role(s, 'role', props)),
  ],
  [
    'Role, a document',
    {
      name: 'r',
      account: ACCOUNT,
      trustPolicy: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole'], Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:root`] }, Condition: { StringEquals: { 'aws:PrincipalOrgID': ['o-a1b2c3d4e5'] } } }],
      },
    },
    (props) => synth((s: Construct) => new Role(s, 'role', props)),
  ],
  [
    'StateAccessRole',
    {
      name: 'state',
      account: ACCOUNT,
      trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }] },
      trustPolicyAcknowledge: ['SERVICE_PRINCIPAL_UNSCOPED'],
      stateBucketArn: 'arn:aws:s3:::state',
      lockTableArn: `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/locks`,
      canApply: [{ key: 'k', workspaceKeyPrefix: 'p', workspaces: ['dev'], allowDefaultWorkspace: false }],
      canPlan: [{ key: 'j' }],
      useLockfile: true,
    },
    (props) => synth((s: Construct) => new StateAccessRole(s, 'state', props)),
  ],
  [
    'BucketPolicy',
    {
      bucket: 'site-assets',
      account: ACCOUNT,
      document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: ['arn:aws:s3:::site-assets/*'] }] },
      acknowledge: [{ rule: 'ANY_PRINCIPAL', reason: 'the public site' }],
    },
    (props) => synth((s: Construct) => new BucketPolicy(s, 'site', props)),
  ],
  [
    'bucketPolicy (props form)',
    { statements: [{ principals: [{ type: 'AWS', identifiers: [ACCOUNT] }], actions: ['s3:GetObject'], resources: ['arn:aws:s3:::lake/*'] }] },
    (props) => bucketPolicy(props, 'lake', { context: 'bucketPolicy', account: ACCOUNT }),
  ],
  ['OidcProvider', { ...githubActionsOidcProvider(), thumbprints: ['a'.repeat(40)], tags: { a: 'b' } }, (props) => synth((s: Construct) => new OidcProvider(s, 'github', props))],
  [
    'GitHubTerraformRoles',
    {
      name: 'infra',
      account: ACCOUNT,
      repository: { owner: 'my-org', repository: 'infra' },
      apply: { environments: ['production'], branches: ['main'] },
      plan: { pullRequests: true, branches: ['main'] },
      state: { stateBucketArn: 'arn:aws:s3:::state' },
      configurations: [{ key: 'infra/terraform.tfstate' }],
      planPermissions: { awsManagedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] },
      applyPermissions: { managedPolicyArns: [`arn:aws:iam::${ACCOUNT}:policy/deploy`] },
      tags: { a: 'b' },
    },
    (props) => synth((s: Construct) => new GitHubTerraformRoles(s, 'infra', props)),
  ],
];

let cases = 0;
afterAll(() => recordFigure('inputs of the wrong type tried (never a TypeError)', cases));

describe.each(ENTRY_POINTS)('%s', (_name, valid, build) => {
  it('takes the valid input', () => {
    expect(() => build(valid as never)).not.toThrow();
  });

  it('props of the wrong type: a named error', () => {
    for (const props of [undefined, null, 'x', 3, []]) {
      expect(() => noCrash(() => build(props as never))).not.toThrow();
      expect(() => build(props as never)).toThrow(PolicyValidationError);
    }
  });

  it(`any one value replaced by another type, or removed: success or a named error, never a TypeError (${RUNS} runs, seed ${SEED})`, () => {
    const all = paths(valid);
    fc.assert(
      fc.property(fc.constantFrom(...all), fc.constantFrom(...WRONG), (path, value) => {
        cases++;
        return noCrash(() => build(replaced(valid, path, value) as never));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

/*
 * Plain-JavaScript misuse of every exported construct's props, field by field: a value that is not a list
 * where a list goes (one item alone, a string, a number, an object), a wrong primitive, an object or a list
 * where a string goes, and a field the construct does not take. Each must fail with an `INPUT_TYPE`
 * finding on that field (never a TypeError, never a finding of another rule that hides the real mistake),
 * and an unknown field near a known one must be named as the likely slip.
 */

const ECR = `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/web`;
const READ_DOCUMENT = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] };
const GITHUB_TRUST = { githubActions: [{ owner: 'o', repository: 'r', branches: ['main'] }] };

/** A role to pass where a role is taken, in the stack being built. */
const roleIn = (s: Construct) => new Role(s, 'target', { name: 'target', account: ACCOUNT, trustPolicy: { services: ['ec2.amazonaws.com'] } });

/** Each exported construct: a valid props object for a stack, and how to build the construct with props. */
const CONSTRUCTS: [string, (s: Construct) => Record<string, unknown>, (s: Construct, props: never) => unknown][] = [
  [
    'CiPolicy',
    (s) => ({ name: 'p', path: '/ci/', description: 'd', createResources: true, attachToRoles: [roleIn(s)], attachToUsers: ['u'], attachToGroups: ['g'], maxPolicies: 1, outputPrefix: 'p_' }),
    (s, props) =>
      new CiPolicy(s, 'ci', props, {
        defaultName: 'p',
        description: 'd',
        fields: {},
        document: () => policyDocument({ statements: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }] }),
      }),
  ],
  [
    'EcrDockerPushPolicy',
    (s) => ({
      repositoryArns: [ECR],
      name: 'ecr',
      path: '/ci/',
      description: 'd',
      createResources: true,
      attachToRoles: [roleIn(s)],
      attachToUsers: ['u'],
      attachToGroups: ['g'],
      maxPolicies: 2,
      outputPrefix: 'ecr_',
    }),
    (s, props) => new EcrDockerPushPolicy(s, 'ecr', props),
  ],
  [
    'EcsServiceDeploymentPolicy',
    () => ({
      serviceArns: [`arn:aws:ecs:eu-west-1:${ACCOUNT}:service/main/web`],
      taskDefinitionFamilies: ['web'],
      passRoleArns: [`arn:aws:iam::${ACCOUNT}:role/web-task`],
      clusterArn: `arn:aws:ecs:eu-west-1:${ACCOUNT}:cluster/main`,
      attachToRoles: ['ci'],
    }),
    (s, props) => new EcsServiceDeploymentPolicy(s, 'ecs', props),
  ],
  [
    'TerragruntPolicy',
    () => ({ stateBucketArns: ['arn:aws:s3:::state'], lockTableArns: [`arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/locks`], allowBootstrap: true, allowAccountAlias: true }),
    (s, props) => new TerragruntPolicy(s, 'tg', props),
  ],
  [
    'TerraformRemoteStateS3Policy',
    () => ({
      stateBucketArn: 'arn:aws:s3:::state',
      lockTableArn: `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/locks`,
      canApply: [{ key: 'k', workspaces: ['dev'] }],
      canRead: [{ key: 'j' }],
      useLockfile: true,
      allowFullBucketList: false,
    }),
    (s, props) => new TerraformRemoteStateS3Policy(s, 'state', props),
  ],
  ['DelegatedRoleCreationPolicy', (s) => ({ ...EXAMPLE_CORP_PIPELINE, attachToRoles: [roleIn(s)] }), (s, props) => new DelegatedRoleCreationPolicy(s, 'delegated', props)],
  [
    'DeployGroup',
    () => ({
      name: 'deployers',
      path: '/',
      inlinePolicies: [{ name: 'p', document: READ_DOCUMENT, acknowledge: [] }],
      managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      overflowToManagedPolicies: false,
      users: ['ana', { name: 'bo', path: '/' }],
      outputPrefix: 'g_',
    }),
    (s, props) => new DeployGroup(s, 'group', props),
  ],
  [
    'JetsDeployGroup',
    () => ({
      prefix: 'my-app',
      passRoleToServices: ['lambda.amazonaws.com'],
      name: 'Jets',
      path: '/',
      policyName: 'JetsPolicy',
      users: ['ana'],
      managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      overflowToManagedPolicies: false,
      outputPrefix: 'j_',
    }),
    (s, props) => new JetsDeployGroup(s, 'jets', props),
  ],
  [
    'Role',
    (s) => ({
      name: 'r',
      path: '/ci/',
      account: ACCOUNT,
      trustPolicy: GITHUB_TRUST,
      trustPolicyAcknowledge: [],
      dependsOn: [new OidcProvider(s, 'github', githubActionsOidcProvider()).provider],
      inlinePolicies: [{ name: 'p', document: READ_DOCUMENT }],
      managedPolicyArns: [`arn:aws:iam::${ACCOUNT}:policy/p`],
      awsManagedPolicies: ['arn:aws:iam::aws:policy/job-function/ViewOnlyAccess'],
      maxManagedPolicies: 10,
      overflowToManagedPolicies: true,
      permissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/b`,
      maxSessionDuration: 3600,
      tags: { team: 'ci' },
      partition: 'aws',
      outputPrefix: 'x_',
    }),
    (s, props) => new Role(s, 'role', props),
  ],
  ['InstanceProfile', (s) => ({ name: 'web', role: roleIn(s), path: '/', tags: { a: 'b' }, outputPrefix: 'ip_' }), (s, props) => new InstanceProfile(s, 'profile', props)],
  ['OidcProvider', () => ({ ...githubActionsOidcProvider(), thumbprints: ['a'.repeat(40)], tags: { a: 'b' } }), (s, props) => new OidcProvider(s, 'oidc', props)],
  [
    'ServiceControlPolicy',
    () => ({
      name: 'deny-leaving',
      description: 'd',
      document: { statements: [{ effect: 'Deny', actions: ['organizations:LeaveOrganization'], resources: ['*'] }] },
      targets: ['r-ab12'],
      acknowledge: [],
      sizeLimit: 5120,
      maxPoliciesPerTarget: 10,
      attachedOutsideStack: 1,
      outputPrefix: 'scp_',
    }),
    (s, props) => new ServiceControlPolicy(s, 'scp', props),
  ],
  [
    'PermissionsBoundary',
    () => ({ name: 'boundary', path: '/', description: 'd', document: exampleCorpBoundary(), acknowledge: ['WILDCARD_RESOURCE'], outputPrefix: 'b_' }),
    (s, props) => new PermissionsBoundary(s, 'boundary', props),
  ],
  [
    'BucketPolicy',
    () => ({
      bucket: 'site-assets',
      account: ACCOUNT,
      partition: 'aws',
      document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: ['arn:aws:s3:::site-assets/*'] }] },
      acknowledge: [{ rule: 'ANY_PRINCIPAL', reason: 'the public site' }],
    }),
    (s, props) => new BucketPolicy(s, 'site', props),
  ],
  [
    'StatePermissionsPolicy',
    () => ({ stateBucketArn: 'arn:aws:s3:::state', canPlan: [{ key: 'k' }], role: 'ci', name: 'state', path: '/', description: 'd', maxPolicySize: 10240, listNewWorkspaces: true }),
    (s, props) => new StatePermissionsPolicy(s, 'permissions', props),
  ],
  [
    'StateAccessRole',
    () => ({
      name: 'state',
      account: ACCOUNT,
      trustPolicy: { accounts: [ACCOUNT] },
      stateBucketArn: 'arn:aws:s3:::state',
      canApply: [{ key: 'k' }],
      managedPolicyArns: [`arn:aws:iam::${ACCOUNT}:policy/p`],
      tags: { a: 'b' },
      outputPrefix: 's_',
    }),
    (s, props) => new StateAccessRole(s, 'state', props),
  ],
  [
    'GitHubTerraformRoles',
    (s) => ({
      name: 'infra',
      account: ACCOUNT,
      repository: { owner: 'my-org', repository: 'infra' },
      apply: { environments: ['production'] },
      plan: { pullRequests: true },
      state: { stateBucketArn: 'arn:aws:s3:::state' },
      configurations: [{ key: 'infra/terraform.tfstate' }],
      planPermissions: { awsManagedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] },
      applyPermissions: { managedPolicyArns: [`arn:aws:iam::${ACCOUNT}:policy/deploy`] },
      oidcProvider: new OidcProvider(s, 'github', githubActionsOidcProvider()),
      tags: { a: 'b' },
      outputPrefix: 'tf_',
    }),
    (s, props) => new GitHubTerraformRoles(s, 'infra', props),
  ],
];

/** Whether `value` is a construct (it has a construct node). */
const isConstruct = (value: unknown) => typeof value === 'object' && value !== null && 'node' in value;

/** Misuses of a field whose valid value is `valid`, as plain JavaScript allows them. */
function misuses(valid: unknown): [string, unknown][] {
  if (Array.isArray(valid)) {
    const one: [string, unknown][] = valid.length > 0 && !Array.isArray(valid[0]) ? [['its first item alone, not in a list', valid[0]]] : [];
    return [...one, ['a string for a list', 'x'], ['a number for a list', 5], ['an object for a list', { x: 1 }]];
  }
  if (typeof valid === 'string')
    return [
      ['a number for a string', 5],
      ['a boolean for a string', true],
      ['an object for a string', { x: 1 }],
      ['a list for a string', ['x']],
    ];
  if (typeof valid === 'boolean')
    return [
      ['a string for a boolean', 'no'],
      ['a number for a boolean', 1],
    ];
  if (typeof valid === 'number')
    return [
      ['a string for a number', '5'],
      ['a boolean for a number', true],
    ];
  if (isConstruct(valid))
    return [
      ['a number for a construct', 5],
      ['another object for a construct', { x: 1 }],
      ['a list for a construct', []],
    ];
  return [
    ['a number for an object', 5],
    ['a list for an object', []],
    ['a string for an object', 'x'],
  ];
}

/** The findings of the PolicyValidationError `build` throws; a TypeError (any other error) fails the test. */
function findingsOf(build: () => unknown): { message: string; findings: readonly { field: string; code?: string; fix: string }[] } {
  try {
    build();
  } catch (e) {
    if (e instanceof PolicyValidationError) return { message: e.message, findings: e.findings };
    throw e;
  }
  throw new Error('expected a PolicyValidationError, and the construct was built');
}

/** Whether a finding is about `field` or something inside it. */
const about = (field: string) => (f: { field: string }) => f.field === field || f.field.startsWith(`${field}.`) || f.field.startsWith(`${field}[`);

let misuseCases = 0;
afterAll(() => recordFigure('plain-JavaScript misuses of construct props tried (each an INPUT_TYPE error)', misuseCases));

describe("plain-JavaScript misuse of every exported construct's props: an [INPUT_TYPE] error naming the field, never a TypeError", () => {
  it('covers every construct the package exports', () => {
    const exported = Object.entries(library)
      .filter(([, value]) => typeof value === 'function' && (value as { prototype?: unknown }).prototype instanceof ConstructBase)
      .map(([name]) => name)
      .sort();
    expect(exported).toEqual(CONSTRUCTS.map(([name]) => name).sort());
  });

  describe.each(CONSTRUCTS)('%s', (_name, validIn, build) => {
    it('takes the valid props', () => {
      expect(() => synth((s) => build(s, validIn(s) as never))).not.toThrow();
    });

    it('every field given a value of another type: an INPUT_TYPE finding on that field', () => {
      const fields = Object.keys(synthProps(validIn));
      for (const field of fields) {
        for (const [misuse, value] of misuses(synthProps(validIn)[field])) {
          misuseCases++;
          const { message, findings } = findingsOf(() => synth((s) => build(s, { ...validIn(s), [field]: value } as never)));
          expect({ field, misuse, inputType: findings.some((f) => f.code === 'INPUT_TYPE' && about(field)(f)), tagged: message.includes('[INPUT_TYPE]') }).toEqual({
            field,
            misuse,
            inputType: true,
            tagged: true,
          });
        }
      }
    });

    it('a misspelt field (a known one with a letter more): an INPUT_TYPE finding suggesting the known one', () => {
      for (const field of Object.keys(synthProps(validIn))) {
        misuseCases++;
        const slip = `${field}s`;
        const { findings } = findingsOf(() => synth((s) => build(s, { ...validIn(s), [slip]: 'x' } as never)));
        const finding = findings.find((f) => f.field === slip);
        expect({ slip, code: finding?.code, suggests: finding?.fix.startsWith(`did you mean ${field}?`) }).toEqual({ slip, code: 'INPUT_TYPE', suggests: true });
      }
    });

    it(`any unknown field name (fast-check, seed ${SEED}): an INPUT_TYPE finding naming it`, () => {
      const known = new Set(Object.keys(synthProps(validIn)));
      fc.assert(
        fc.property(
          fc.stringMatching(/^[a-zA-Z_$][a-zA-Z0-9_$]{0,15}$/).filter((k) => !known.has(k) && !(k in Object.prototype)),
          fc.constantFrom<unknown>('x', 0, true, ['x'], { x: 1 }),
          (key, value) => {
            misuseCases++;
            const { findings } = findingsOf(() => synth((s) => build(s, { ...validIn(s), [key]: value } as never)));
            return findings.some((f) => f.field === key && f.code === 'INPUT_TYPE');
          },
        ),
        { seed: SEED, numRuns: 25 },
      );
    });
  });
});

/** The valid props of a construct, built in a stack of their own (to read their fields and values). */
function synthProps(validIn: (s: Construct) => Record<string, unknown>): Record<string, unknown> {
  let props: Record<string, unknown> = {};
  synth((s) => {
    props = validIn(s);
  });
  return props;
}
