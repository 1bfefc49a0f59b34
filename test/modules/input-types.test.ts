/**
 * Wrong JavaScript types never crash with a `TypeError`: a caller in JavaScript, or one whose values are
 * built at run time, gets a `PolicyValidationError` naming the field (rule `INPUT_TYPE`, or the field's own
 * check). For every path that writes a trust or resource policy, and the constructs around them, fast-check
 * (fixed seed, printed on failure) replaces one value anywhere in a valid input with a value of another
 * type, or removes it, and the outcome must be a success or a `PolicyValidationError`.
 */
import fc from 'fast-check';
import type { Construct } from 'constructs';
import { PolicyValidationError } from '../../modules/core';
import { githubActionsOidcProvider, OidcProvider, Role, trustPolicy } from '../../modules/iam-role';
import { BucketPolicy, bucketPolicy } from '../../modules/policy-types';
import { StateAccessRole } from '../../modules/state-access';
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
      githubActions: [{ owner: 'my-org', repository: 'infra', ownerId: '1', repositoryId: '2', branches: ['main'], pullRequests: true, jobWorkflowRefs: ['my-org/w/.github/workflows/d.yml@refs/heads/main'] }],
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
      awsManagedPolicies: [{ name: 'ReadOnlyAccess', path: '/' }, 'arn:aws:iam::aws:policy/ViewOnlyAccess'],
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
