/**
 * `terraform-modules/iam-role/`: the committed folder is the generator's output; its blocks are the AWS
 * provider's as @cdktf/provider-aws knows them (`terraform validate` needs the provider, which the tests
 * cannot download: see test/support/provider-schema.ts) and mirror what `Role` and `InstanceProfile`
 * synthesize; and its variables' validation blocks, which need no provider, accept and reject under the
 * real terraform CLI what the constructs accept and reject.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { InstanceProfile, MAX_SESSION_DURATION_RANGE, DEFAULT_MANAGED_POLICIES_PER_ROLE, Role } from '../../../modules/iam-role';
import { TRUST_POLICY_VARIABLES } from '../../../modules/iam-role/terraform-trust-policy';
import { IAM_ROLE_MODULE_DIR, IAM_ROLE_VARIABLES, iamRoleModuleFiles, TRUST_ATTRIBUTES } from '../../../modules/iam-role/terraform-iam-role';
import { requireTool, TERRAFORM_INSTALL } from '../../support/aws-lab/tools';
import { mirrorFindings, moduleSchemaFindings } from '../../support/provider-schema';
import { synth } from '../../support/synth';
import { expectCommittedFolder, expectRejectedAtPlan, ModuleCallRoot, withAwsManagedPolicies, writeHclFile } from '../../support/terraform-cli';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..', '..');
const DIR = IAM_ROLE_MODULE_DIR;
const files = iamRoleModuleFiles();
const read = (name: string) => JSON.parse(files[`${DIR}/${name}`]);

describe('generated folder terraform-modules/iam-role', () => {
  it('is what `npm run modules` writes, the same bytes on every run', () => {
    expectCommittedFolder(ROOT, DIR, files);
    expect(iamRoleModuleFiles()).toEqual(files);
  });

  it('asks for a provider version range, never a pin, and configures no provider or backend', () => {
    const { terraform } = read('versions.tf.json');
    expect(terraform.required_providers.aws.version).toMatch(/^>= /);
    for (const text of Object.values(files)) expect(text).not.toMatch(/"(provider|backend)"\s*:/);
  });

  it("uses only arguments and attributes of the AWS provider's schema, and calls ../trust-policy with its variables", () => {
    expect(moduleSchemaFindings(files, DIR, ROOT)).toEqual([]);
  });

  it("keys inline policies and attachments by the caller's names (for_each over maps), never by position", () => {
    const { resource } = read('main.tf.json');
    expect(resource.aws_iam_role_policy.inline.for_each).toBe('${var.inline_policies}');
    expect(resource.aws_iam_role_policy_attachment.managed.for_each).toBe('${var.managed_policy_arns}');
    const variables = read('variables.tf.json').variable;
    expect([variables.inline_policies.type, variables.managed_policy_arns.type]).toEqual(['map(string)', 'map(string)']);
    expect(JSON.stringify(resource)).not.toContain('count.index');
  });

  it("takes trust as ../trust-policy's variables, each with its default, and passes each on; the role's account and acknowledgements to it too", () => {
    const trustType = read('variables.tf.json').variable.trust.type as string;
    const main = read('main.tf.json');
    const call = main.module.trust_policy;
    expect(call.source).toBe('../trust-policy');
    expect(TRUST_POLICY_VARIABLES.map((v) => v.name).filter((n) => !TRUST_ATTRIBUTES.some((v) => v.name === n))).toEqual(['account']);
    for (const v of TRUST_ATTRIBUTES) {
      expect(trustType).toContain(`${v.name} = optional(${v.type}${v.default === undefined || v.default === null ? '' : `, ${JSON.stringify(v.default)}`})`);
      if (v.name !== 'acknowledge') expect(call[v.name]).toBe(`\${var.trust.${v.name}}`);
    }
    expect(call.account).toBe('${var.account}');
    expect(call.acknowledge).toBe('${try(concat(var.trust.acknowledge, var.trust_policy_acknowledge), var.trust.acknowledge)}');
    // A trust policy as JSON text reaches the role through ../policy-admission.
    expect(main.module.trust_policy_admission).toEqual({
      count: '${var.trust_policy == null ? 0 : 1}',
      source: '../policy-admission',
      policy: '${var.trust_policy}',
      account: '${var.account}',
      acknowledge: '${var.trust_policy_acknowledge}',
    });
    expect(main.locals.trust_policy).toBe('${var.trust != null ? module.trust_policy[0].json : module.trust_policy_admission[0].json}');
  });

  it('creates what Role and InstanceProfile create, with every argument they write (and the description aws_iam_role takes)', () => {
    const out = synth((s) => {
      const policy = new IamPolicy(s, 'p', { name: 'p', policy: '{}' });
      const role = new Role(s, 'role', {
        name: 'ci-web',
        path: '/ci/',
        trustPolicy: { services: ['ec2.amazonaws.com'] },
        maxSessionDuration: 7200,
        permissionsBoundary: 'arn:aws:iam::123456123456:policy/boundary',
        tags: { team: 'platform' },
        inlinePolicies: [{ name: 'read', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::a/*' }] } }],
        managedPolicyArns: [policy.arn],
        outputPrefix: '',
      });
      new InstanceProfile(s, 'profile', { name: 'ci-web', path: '/ci/', role, tags: { team: 'platform' }, outputPrefix: '' });
    });
    const { aws_iam_policy: _policy, ...construct } = out.resource;
    expect(mirrorFindings(construct as never, read('main.tf.json').resource, { aws_iam_role: ['description'] })).toEqual([]);
    expect(Object.keys(read('outputs.tf.json').output)).toEqual(expect.arrayContaining(Object.keys(out.output!)));
  });
});

/** A module of the role module's variables alone (and a `json` output for the runner): they need no provider. */
function variablesOnlyModule(): string {
  const dir = mkdtempSync(join(tmpdir(), 'iam-role-variables-'));
  writeHclFile(dir, files, `${DIR}/variables.tf.json`);
  withAwsManagedPolicies(dir);
  writeFileSync(join(dir, 'outputs.tf.json'), JSON.stringify({ output: { json: { value: 'planned' } } }));
  return dir;
}

const message = (name: string, index = 0) => IAM_ROLE_VARIABLES.find((v) => v.name === name)!.validations[index].error_message;
const POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::a/*"}]}';
const EC2 = { services: ['ec2.amazonaws.com'] };

describe("terraform-modules/iam-role's variables with the terraform CLI", () => {
  let module: string;
  let root: ModuleCallRoot;

  beforeAll(async () => {
    module = variablesOnlyModule();
    root = new ModuleCallRoot(
      requireTool('terraform', TERRAFORM_INSTALL),
      module,
      ModuleCallRoot.arguments(
        ['name'],
        IAM_ROLE_VARIABLES.map((v) => v.name).filter((n) => n !== 'name'),
      ),
    );
    await root.init();
  });

  afterAll(() => {
    root?.remove();
    if (module !== undefined) rmSync(module, { recursive: true, force: true });
  });

  it('accepts what Role and InstanceProfile accept', async () => {
    const padded = POLICY.replace(/,/g, ',\n    ');
    const output = await root.plan({
      minimal: { name: 'ci-web', trust: EC2 },
      everything: {
        name: 'ci+web=a,b.c@d_e-f',
        path: '/ci/web/',
        description: 'Runs CI for web: tab\tand é',
        trust_policy: POLICY.replace('"Action":"s3:GetObject","Resource":"arn:aws:s3:::a/*"', '"Action":"sts:AssumeRole","Principal":{"Service":"ec2.amazonaws.com"}'),
        max_session_duration: MAX_SESSION_DURATION_RANGE.max,
        permissions_boundary: 'arn:aws:iam::123456123456:policy/boundaries/ci',
        tags: { team: 'platform' },
        inline_policies: { read: POLICY, padded },
        managed_policy_arns: { readonly: 'arn:aws:iam::aws:policy/ReadOnlyAccess', config: 'arn:aws-cn:iam::aws:policy/service-role/AWS_ConfigRole' },
        instance_profile: { name: 'ci-web', path: '/ci/' },
        account: '123456123456',
        trust_policy_acknowledge: ['SERVICE_PRINCIPAL_UNSCOPED', { rule: 'CROSS_ACCOUNT', reason: 'the tooling account deploys here' }],
      },
      // The minified JSON fits the role's 10,240 characters; the text as written does not.
      white_space: { name: 'ci', trust: EC2, inline_policies: { big: `${' '.repeat(11_000)}${POLICY}` } },
      quota_raised: {
        name: 'ci',
        trust: EC2,
        max_managed_policies: 11,
        managed_policy_arns: Object.fromEntries([...Array(11).keys()].map((i) => [`p${i}`, `arn:aws:iam::123456123456:policy/p${i}`])),
      },
    });
    expect(output).not.toMatch(/Error/);
    expect(output).toContain('planned');
  });

  it('rejects what Role and InstanceProfile reject, each with the message of its rule', async () => {
    const base = { name: 'ci-web', trust: EC2 };
    const cases: Record<string, [Record<string, unknown>, string]> = {
      bad_name: [{ ...base, name: 'ci web' }, message('name')],
      long_name: [{ ...base, name: 'r'.repeat(65) }, message('name')],
      bad_path: [{ ...base, path: 'ci' }, message('path')],
      long_description: [{ ...base, description: 'd'.repeat(1001) }, message('description')],
      description_character: [{ ...base, description: 'ü is fine, ✓ is not' }, message('description')],
      both_trusts: [{ ...base, trust_policy: POLICY }, message('trust_policy')],
      no_trust: [{ name: 'ci-web' }, message('trust_policy')],
      trust_not_json: [{ name: 'ci-web', trust_policy: '{"Version":' }, message('trust_policy', 1)],
      trust_too_large: [{ name: 'ci-web', trust_policy: POLICY.replace('s3:GetObject', `s3:${'G'.repeat(2_000)}`) }, message('trust_policy', 3)],
      session_too_short: [{ ...base, max_session_duration: 3599 }, message('max_session_duration')],
      session_fraction: [{ ...base, max_session_duration: 3600.5 }, message('max_session_duration')],
      boundary_role: [{ ...base, permissions_boundary: 'arn:aws:iam::123456123456:role/boundary' }, message('permissions_boundary')],
      inline_bad_name: [{ ...base, inline_policies: { 'read all': POLICY } }, message('inline_policies')],
      inline_not_json: [{ ...base, inline_policies: { read: 'Statement' } }, message('inline_policies', 1)],
      inline_character: [{ ...base, inline_policies: { read: POLICY.replace('a/*', 'ā/*') } }, message('inline_policies', 2)],
      inline_too_large: [
        { ...base, inline_policies: { a: POLICY.replace('s3:GetObject', `s3:${'G'.repeat(5_200)}`), b: POLICY.replace('s3:GetObject', `s3:${'G'.repeat(5_200)}`) } },
        message('inline_policies', 3),
      ],
      managed_not_arn: [{ ...base, managed_policy_arns: { a: 'ReadOnlyAccess' } }, message('managed_policy_arns')],
      managed_misspelt: [
        { ...base, managed_policy_arns: { a: 'arn:aws:iam::aws:policy/ReadOnlyAcess' } },
        "managed_policy_arns: arn:aws:iam::aws:policy/ReadOnlyAcess is not one of AWS's managed policies as of",
      ],
      managed_wrong_path: [
        { ...base, managed_policy_arns: { ssm: 'arn:aws:iam::aws:policy/service-role/AmazonSSMManagedInstanceCore' } },
        'AWS offers it as arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore.',
      ],
      boundary_deprecated: [
        { ...base, permissions_boundary: 'arn:aws-us-gov:iam::aws:policy/service-role/AWSConfigRole' },
        "permissions_boundary: arn:aws-us-gov:iam::aws:policy/service-role/AWSConfigRole is not one of AWS's managed policies as of",
      ],
      managed_twice: [{ ...base, managed_policy_arns: { a: 'arn:aws:iam::aws:policy/ReadOnlyAccess', b: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } }, message('managed_policy_arns', 2)],
      profile_bad_name: [{ ...base, instance_profile: { name: 'ci/web' } }, message('instance_profile')],
      profile_bad_path: [{ ...base, instance_profile: { name: 'ci-web', path: '/ci' } }, message('instance_profile', 1)],
      short_account: [{ ...base, account: '12345' }, message('account')],
      reason_rule_by_name: [{ ...base, trust_policy_acknowledge: ['WILDCARD_ACTION', 'ANY_PRINCIPAL'] }, 'trust_policy_acknowledge[1]: ANY_PRINCIPAL decides who may get in'],
      blank_reason: [{ ...base, trust_policy_acknowledge: [{ rule: 'CROSS_ACCOUNT', reason: '  ' }] }, 'trust_policy_acknowledge[0].reason: a reason is a non-empty text'],
    };
    await expectRejectedAtPlan(root, Object.fromEntries(Object.entries(cases).map(([name, [config, text]]) => [name, [config, text] as const])));
    // The quota rule reads managed_policy_arns, and terraform skips a variable's rules, in every instance,
    // when a variable they read failed its own: so it is planned on its own.
    const eleven = Object.fromEntries([...Array(DEFAULT_MANAGED_POLICIES_PER_ROLE + 1).keys()].map((i) => [`p${i}`, `arn:aws:iam::123456123456:policy/p${i}`]));
    await expectRejectedAtPlan(root, { over_quota: [{ ...base, managed_policy_arns: eleven }, message('max_managed_policies')] });
  });

  it("reports a bad trust at the caller's trust argument, as trust.<attribute>, every attribute's problem in the same plan", async () => {
    const output = (await root.plan({ two_problems: { name: 'ci-web', trust: { services: ['ec2'], github_actions: [{ owner: 'my org', repository: 'infra' }] } } })).replace(/\s+/g, ' ');
    expect(output).toContain('trust.services: a service principal is the service name followed by .amazonaws.com');
    expect(output).toContain('trust.github_actions[0].owner: not a GitHub user or organization name');
    expect(output).toContain('trust.github_actions[0]: says no branch, tag, environment or pull request');
    expect(output.split('Error: Invalid value for variable').length - 1).toBe(3);
    // Each is reported at the root's call of the module (main.tf.json, the runner's root), never inside a module.
    expect(output.split('Error: Invalid value for variable on main.tf.json line 1, in module.p:').length - 1).toBe(3);
  });

  it('the constructs reject the same inputs (a sample: one per rule the constructs share)', () => {
    const fails = (build: Parameters<typeof synth>[0]) => expect(() => synth(build)).toThrow();
    fails((s) => new Role(s, 'r', { name: 'ci web', trustPolicy: EC2 }));
    fails((s) => new Role(s, 'r', { name: 'ci', path: 'ci', trustPolicy: EC2 }));
    fails((s) => new Role(s, 'r', { name: 'ci', trustPolicy: '{"Version":' }));
    fails((s) => new Role(s, 'r', { name: 'ci', trustPolicy: EC2, maxSessionDuration: 3600.5 }));
    fails((s) => new Role(s, 'r', { name: 'ci', trustPolicy: EC2, permissionsBoundary: 'arn:aws:iam::123456123456:role/boundary' }));
    fails((s) => new Role(s, 'r', { name: 'ci', trustPolicy: EC2, awsManagedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/ReadOnlyAccess'] }));
    fails((s) => new Role(s, 'r', { name: 'ci', trustPolicy: EC2, managedPolicyArns: [...Array(11).keys()].map((i) => `arn:aws:iam::123456123456:policy/p${i}`) }));
    fails((s) => new InstanceProfile(s, 'p', { name: 'ci/web', role: 'ci' }));
    fails((s) => new Role(s, 'r', { name: 'ci', trustPolicy: EC2, awsManagedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAcess'] }));
    fails((s) => new Role(s, 'r', { name: 'ci', trustPolicy: EC2, awsManagedPolicies: ['arn:aws:iam::aws:policy/service-role/AmazonSSMManagedInstanceCore'] }));
    fails((s) => new Role(s, 'r', { name: 'ci', trustPolicy: EC2, permissionsBoundary: 'arn:aws-us-gov:iam::aws:policy/service-role/AWSConfigRole' }));
  });
});
