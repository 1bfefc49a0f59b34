/**
 * The generated Terraform module `terraform-modules/delegated-role-creation-policy/` against
 * `delegatedRoleCreationPolicy`: the committed folder is exactly the generator's output, and the real
 * terraform CLI (no provider, offline) renders the same JSON, byte for byte, for the seed's Example Corp
 * values and for random valid configurations, in one `terraform init` and one `terraform apply`; and it
 * rejects at plan time, with the validation message of the broken rule, the bad inputs the TypeScript rejects.
 *
 * Random paths hold no `<`, `>` or `&`: terraform's `jsonencode` writes them as `\u003c`, `\u003e`, `\u0026`.
 */
import fc from 'fast-check';
import { join } from 'path';
import { delegatedRoleCreationPolicy, type DelegatedRoleCreationProps, EXAMPLE_CORP_PIPELINE } from '../../../modules/delegated-role-creation/delegated-role-creation';
import {
  DELEGATED_ROLE_CREATION_POLICY_MODULE_DIR,
  DELEGATED_ROLE_CREATION_POLICY_VARIABLES,
  delegatedRoleCreationPolicyModuleFiles,
} from '../../../modules/delegated-role-creation/terraform-delegated-role-creation-policy';
import { requireTool, TERRAFORM_INSTALL } from '../../support/aws-lab/tools';
import { expectCommittedFolder, expectRejectedAtPlan, ModuleCallRoot } from '../../support/terraform-cli';
import { AWS_MANAGED_POLICIES_AS_OF } from '../../../modules/core';
import { AWS_MANAGED_POLICY_PATHS_AND_NAMES } from '../../../modules/core/iam-data';

jest.setTimeout(300_000);

const ROOT = join(__dirname, '..', '..', '..');
const RANDOM_CONFIGURATIONS = 80;
const SEED = 20261201;
const DIR = DELEGATED_ROLE_CREATION_POLICY_MODULE_DIR;

describe('generated folder terraform-modules/delegated-role-creation-policy', () => {
  const files = delegatedRoleCreationPolicyModuleFiles();

  it('is what `npm run modules` writes (run it after changing modules/delegated-role-creation/terraform-delegated-role-creation-policy.ts)', () => {
    expectCommittedFolder(ROOT, DIR, files);
  });

  it('is the same bytes on every run, and needs no provider and no backend', () => {
    expect(delegatedRoleCreationPolicyModuleFiles()).toEqual(files);
    const versions = JSON.parse(files[`${DIR}/versions.tf.json`]);
    expect(Object.keys(versions.terraform)).toEqual(['required_version']);
    for (const text of Object.values(files)) expect(text).not.toMatch(/"(provider|resource|data|backend|required_providers)"\s*:/);
  });
});

const ARGUMENTS: [keyof DelegatedRoleCreationProps, string][] = [
  ['account', 'account'],
  ['rolePath', 'role_path'],
  ['policyPath', 'policy_path'],
  ['instanceProfilePath', 'instance_profile_path'],
  ['permissionsBoundaryArn', 'permissions_boundary_arn'],
  ['passedToServices', 'passed_to_services'],
  ['serviceLinkedRoleServices', 'service_linked_role_services'],
];

/** The module's arguments for `props`: snake_case, unset values left out. */
function moduleArguments(props: DelegatedRoleCreationProps): Record<string, unknown> {
  return Object.fromEntries(ARGUMENTS.filter(([prop]) => props[prop] !== undefined).map(([prop, name]) => [name, props[prop]]));
}

/** The policy `delegatedRoleCreationPolicy` renders, or undefined when it rejects the input. */
function expected(props: DelegatedRoleCreationProps): string | undefined {
  try {
    return JSON.stringify(delegatedRoleCreationPolicy(props));
  } catch {
    return undefined;
  }
}

// Printable ASCII without <, >, &, wildcards or "/" (the separator), and a few names IAM users write.
const SEGMENT_CHARS = 'abcXYZ019_-.+=,@:~!#$%()[]{}|"\\\''.split('');
const segment = fc.oneof(
  fc.constantFrom('application-roles', 'ci', 'team-a', 'Apps', 'aws-service-role-not'),
  fc.array(fc.constantFrom(...SEGMENT_CHARS), { minLength: 1, maxLength: 8 }).map((c) => c.join('')),
);
const path = fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => `/${parts.join('/')}/`);
const principal = fc.oneof(
  fc.constantFrom('ec2.amazonaws.com', 'lambda.amazonaws.com', 'autoscaling.amazonaws.com', 'ecs-tasks.amazonaws.com', 'elasticloadbalancing.amazonaws.com'),
  fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?(\.[a-z0-9]{1,6})?$/).map((name) => `${name}.amazonaws.com`),
);
const services = fc.uniqueArray(principal, { minLength: 1, maxLength: 4 });
const configuration: fc.Arbitrary<DelegatedRoleCreationProps> = fc
  .record({
    account: fc.stringMatching(/^[0-9]{12}$/),
    rolePath: path,
    policyPath: fc.option(path, { nil: undefined }),
    instanceProfilePath: fc.option(path, { nil: undefined }),
    awsManagedBoundary: fc.boolean(),
    // A boundary AWS manages is one AWS offers (the others are refused, by both): any of the current ones.
    awsBoundary: fc.constantFrom(...AWS_MANAGED_POLICY_PATHS_AND_NAMES),
    boundaryPath: fc.option(path, { nil: undefined }),
    boundaryName: fc.stringMatching(/^[A-Za-z0-9+=,.@_-]{1,20}$/),
    passedToServices: services,
    serviceLinkedRoleServices: fc.option(services, { nil: undefined }),
  })
  .map(({ awsManagedBoundary, awsBoundary, boundaryPath, boundaryName, ...rest }) => {
    const props: DelegatedRoleCreationProps = {
      ...rest,
      permissionsBoundaryArn: awsManagedBoundary ? `arn:aws:iam::aws:policy${awsBoundary}` : `arn:aws:iam::${rest.account}:policy${boundaryPath ?? '/'}${boundaryName}`,
    };
    return Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined)) as unknown as DelegatedRoleCreationProps;
  });

describe('terraform-modules/delegated-role-creation-policy with the terraform CLI', () => {
  const samples = fc.sample(
    configuration.filter((props) => expected(props) !== undefined),
    { seed: SEED, numRuns: RANDOM_CONFIGURATIONS },
  );
  const configs: Record<string, DelegatedRoleCreationProps> = {
    'example-corp': EXAMPLE_CORP_PIPELINE,
    'example-corp-defaults': {
      account: '111111111111',
      rolePath: '/application-roles/',
      permissionsBoundaryArn: EXAMPLE_CORP_PIPELINE.permissionsBoundaryArn,
      passedToServices: ['ec2.amazonaws.com'],
    },
    ...Object.fromEntries(samples.map((props, i) => [`c${i}`, props])),
  };

  let root: ModuleCallRoot;
  const started = Date.now();

  beforeAll(async () => {
    root = new ModuleCallRoot(
      requireTool('terraform', TERRAFORM_INSTALL),
      join(ROOT, DIR),
      ModuleCallRoot.arguments(
        [],
        ARGUMENTS.map(([, name]) => name),
      ),
    );
    await root.init();
  });

  afterAll(() => {
    root?.remove();
    if (root !== undefined)
      process.stdout.write(
        `delegated-role-creation-policy: ${Object.keys(configs).length} configurations compared, bad inputs planned, in ${root.runs} terraform runs, ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
  });

  it(`renders the same JSON as delegatedRoleCreationPolicy for the seed's values and ${RANDOM_CONFIGURATIONS} random configurations (seed ${SEED})`, async () => {
    const policies = await root.policies(Object.fromEntries(Object.entries(configs).map(([n, p]) => [n, moduleArguments(p)])));
    expect(Object.keys(policies).sort()).toEqual(Object.keys(configs).sort());
    for (const [name, props] of Object.entries(configs)) expect({ name, props, json: policies[name] }).toEqual({ name, props, json: expected(props) });
  });

  it('rejects at plan time, each with the message of the rule it breaks, the bad inputs delegatedRoleCreationPolicy rejects', async () => {
    const messages = (name: string) => DELEGATED_ROLE_CREATION_POLICY_VARIABLES.find((v) => v.name === name)!.validations.map((v) => v.error_message);
    const good = configs['example-corp-defaults'];
    const [account] = messages('account');
    const [rolePathShape, rolePathWildcard, rolePathRoot, rolePathServiceLinked] = messages('role_path');
    const [policyPathShape] = messages('policy_path');
    const [notPolicy, otherPartition, boundaryWildcard, boundaryName, boundaryPath, otherAccount] = messages('permissions_boundary_arn');
    const [noService, notService, twice] = messages('passed_to_services');
    const [, slrNotService] = messages('service_linked_role_services');
    const boundary = (arn: string) => ({ ...good, permissionsBoundaryArn: arn });
    const cases: Record<string, [DelegatedRoleCreationProps, string]> = {
      short_account: [{ ...good, account: '12345' }, account],
      role_path_no_slash: [{ ...good, rolePath: 'application-roles' }, rolePathShape],
      role_path_wildcard: [{ ...good, rolePath: '/app*/' }, rolePathWildcard],
      role_path_root: [{ ...good, rolePath: '/' }, rolePathRoot],
      role_path_service_linked: [{ ...good, rolePath: '/aws-service-role/x/' }, rolePathServiceLinked],
      policy_path_no_slash: [{ ...good, policyPath: 'policies/' }, policyPathShape],
      boundary_not_policy: [boundary('arn:aws:iam::111111111111:role/PermissionsBoundary'), notPolicy],
      boundary_other_partition: [boundary('arn:aws-cn:iam::111111111111:policy/PermissionsBoundary'), otherPartition],
      boundary_wildcard: [boundary('arn:aws:iam::111111111111:policy/Permissions*'), boundaryWildcard],
      boundary_bad_name: [boundary('arn:aws:iam::111111111111:policy/Permissions#Boundary'), boundaryName],
      boundary_bad_path: [boundary('arn:aws:iam::111111111111:policy/team one/PermissionsBoundary'), boundaryPath],
      boundary_long_path: [boundary(`arn:aws:iam::111111111111:policy/${'p'.repeat(511)}/PermissionsBoundary`), boundaryPath],
      boundary_other_account: [boundary('arn:aws:iam::222222222222:policy/PermissionsBoundary'), otherAccount],
      boundary_aws_misspelt: [boundary('arn:aws:iam::aws:policy/PowerUserAcess'), "permissions_boundary_arn: arn:aws:iam::aws:policy/PowerUserAcess is not one of AWS's managed policies as of"],
      boundary_aws_wrong_path: [
        boundary('arn:aws:iam::aws:policy/service-role/AmazonSSMManagedInstanceCore'),
        "is not one of AWS's managed policies as of " + AWS_MANAGED_POLICIES_AS_OF.updated + ': AWS offers it as arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore.',
      ],
      no_service: [{ ...good, passedToServices: [] }, noService],
      wildcard_service: [{ ...good, passedToServices: ['ec2.*'] }, notService],
      service_twice: [{ ...good, passedToServices: ['ec2.amazonaws.com', 'ec2.amazonaws.com'] }, twice],
      slr_not_service: [{ ...good, serviceLinkedRoleServices: ['Autoscaling'] }, slrNotService],
    };
    for (const [name, [props]] of Object.entries(cases)) expect({ name, rejectedByTypeScript: expected(props) === undefined }).toEqual({ name, rejectedByTypeScript: true });
    // permissions_boundary_arn's last rule reads var.account, and terraform skips the rules that read a
    // variable which failed its own validation, in every instance of the call: so the bad account is
    // planned on its own (a caller sees the account error first, the boundary's once it is fixed).
    const plan = (names: string[]) => expectRejectedAtPlan(root, Object.fromEntries(names.map((name) => [name, [moduleArguments(cases[name][0]), cases[name][1]] as const])));
    await plan(['short_account']);
    await plan(Object.keys(cases).filter((name) => name !== 'short_account'));
  });

  it('was given enough distinct configurations, with and without the optional inputs', () => {
    expect(samples).toHaveLength(RANDOM_CONFIGURATIONS);
    expect(new Set(samples.map((p) => JSON.stringify(p))).size).toBe(RANDOM_CONFIGURATIONS);
    expect(samples.filter((p) => p.serviceLinkedRoleServices === undefined).length).toBeGreaterThan(10);
    expect(samples.filter((p) => (p.serviceLinkedRoleServices?.length ?? 0) > 1).length).toBeGreaterThan(10);
    expect(samples.filter((p) => p.policyPath === undefined).length).toBeGreaterThan(5);
    expect(samples.filter((p) => p.passedToServices.length === 1).length).toBeGreaterThan(5);
    expect(samples.filter((p) => p.permissionsBoundaryArn.startsWith('arn:aws:iam::aws:')).length).toBeGreaterThan(10);
  });
});
