/**
 * `terraform-modules/jets-deploy-group/`: the committed folder is the generator's output; its blocks are the
 * AWS provider's as @cdktf/provider-aws knows them (`terraform validate` needs the provider, which the tests
 * cannot download: see test/support/provider-schema.ts) and mirror what `JetsDeployGroup` synthesizes; its
 * variables' validation blocks, which need no provider, accept and reject under the real terraform CLI
 * what the construct accepts and rejects; and its policy is ../jets-deploy-policy's, which that module's
 * differential test proves equal to `jetsDeployPolicy`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { JetsDeployGroup, type JetsDeployGroupProps } from '../../../modules/deploy-group/jets-deploy-group';
import { JETS_DEPLOY_GROUP_MODULE_DIR, JETS_DEPLOY_GROUP_VARIABLES, jetsDeployGroupModuleFiles } from '../../../modules/deploy-group/terraform-jets-deploy-group';
import { JETS_DEPLOY_POLICY_VARIABLES } from '../../../modules/deploy-group/terraform-jets-deploy-policy';
import { requireTool, TERRAFORM_INSTALL } from '../../support/aws-lab/tools';
import { mirrorFindings, moduleSchemaFindings } from '../../support/provider-schema';
import { synth } from '../../support/synth';
import { expectCommittedFolder, expectRejectedAtPlan, ModuleCallRoot, withAwsManagedPolicies, writeHclFile } from '../../support/terraform-cli';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..', '..');
const DIR = JETS_DEPLOY_GROUP_MODULE_DIR;
const files = jetsDeployGroupModuleFiles();
const read = (name: string) => JSON.parse(files[`${DIR}/${name}`]);

describe('generated folder terraform-modules/jets-deploy-group', () => {
  it('is what `npm run modules` writes, the same bytes on every run', () => {
    expectCommittedFolder(ROOT, DIR, files);
    expect(jetsDeployGroupModuleFiles()).toEqual(files);
  });

  it('asks for a provider version range, never a pin, and configures no provider or backend', () => {
    expect(read('versions.tf.json').terraform.required_providers.aws.version).toMatch(/^>= /);
    for (const text of Object.values(files)) expect(text).not.toMatch(/"(provider|backend)"\s*:/);
  });

  it("uses only arguments and attributes of the AWS provider's schema, and calls ../jets-deploy-policy with its variables", () => {
    expect(moduleSchemaFindings(files, DIR, ROOT)).toEqual([]);
    const { source, ...args } = read('main.tf.json').module.jets_deploy_policy;
    expect(source).toBe('../jets-deploy-policy');
    expect(args).toEqual(Object.fromEntries(JETS_DEPLOY_POLICY_VARIABLES.map((v) => [v.name, `\${var.${v.name}}`])));
    const variables = read('variables.tf.json').variable;
    for (const v of JETS_DEPLOY_POLICY_VARIABLES) expect([v.name, variables[v.name].type, variables[v.name].default]).toEqual([v.name, v.type, v.default]);
  });

  it("puts the policy inline on the group, and keys users by name and attachments by the caller's names", () => {
    const { resource } = read('main.tf.json');
    expect(resource.aws_iam_group_policy.jets.policy).toBe('${module.jets_deploy_policy.json}');
    expect(resource.aws_iam_user.users.for_each).toBe('${local.users}');
    expect(resource.aws_iam_user_group_membership.users.for_each).toBe('${local.users}');
    expect(resource.aws_iam_group_policy_attachment.managed.for_each).toBe('${var.managed_policy_arns}');
    expect(read('main.tf.json').locals.users).toBe('${{ for u in coalesce(var.users, []) : u.name => u }}');
  });

  it("creates what JetsDeployGroup creates, with every argument it writes, and the seed's defaults", () => {
    const props: JetsDeployGroupProps = {
      prefix: 'my-cool-prefix',
      path: '/deploy/',
      users: ['tung', { name: 'ana', path: '/people/' }],
      managedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AWS_ConfigRole'],
      outputPrefix: '',
    };
    const out = synth((s) => new JetsDeployGroup(s, 'jets', props));
    expect(mirrorFindings(out.resource as never, read('main.tf.json').resource)).toEqual([]);
    expect(Object.keys(read('outputs.tf.json').output)).toEqual(expect.arrayContaining(Object.keys(out.output!)));
    const defaults = synth((s) => new JetsDeployGroup(s, 'jets', { prefix: 'p' })).resource;
    const variables = read('variables.tf.json').variable;
    expect([variables.name.default, variables.policy_name.default]).toEqual([Object.values(defaults.aws_iam_group)[0].name, Object.values(defaults.aws_iam_group_policy)[0].name]);
  });
});

/** Whether JetsDeployGroup refuses `props` at synth. */
function rejected(props: JetsDeployGroupProps): boolean {
  try {
    synth((s) => new JetsDeployGroup(s, 'jets', props));
    return false;
  } catch {
    return true;
  }
}

const message = (name: string, index = 0) => JETS_DEPLOY_GROUP_VARIABLES.find((v) => v.name === name)!.validations[index].error_message;

describe("terraform-modules/jets-deploy-group's variables with the terraform CLI", () => {
  let module: string;
  let root: ModuleCallRoot;

  beforeAll(async () => {
    // The variables alone (and a json output for the runner): they need no provider.
    module = mkdtempSync(join(tmpdir(), 'jets-deploy-group-variables-'));
    writeHclFile(module, files, `${DIR}/variables.tf.json`);
    withAwsManagedPolicies(module);
    writeFileSync(join(module, 'outputs.tf.json'), JSON.stringify({ output: { json: { value: 'planned' } } }));
    root = new ModuleCallRoot(
      requireTool('terraform', TERRAFORM_INSTALL),
      module,
      ModuleCallRoot.arguments(
        ['prefix'],
        JETS_DEPLOY_GROUP_VARIABLES.map((v) => v.name).filter((n) => n !== 'prefix'),
      ),
    );
    await root.init();
  });

  afterAll(() => {
    root?.remove();
    if (module !== undefined) rmSync(module, { recursive: true, force: true });
  });

  it('accepts what JetsDeployGroup accepts', async () => {
    const output = await root.plan({
      seed: { prefix: 'my-cool-prefix' },
      everything: {
        prefix: 'demo',
        name: 'Jets+Deploy=a,b.c@d_e-f',
        path: '/deploy/',
        policy_name: 'JetsPolicy',
        users: [{ name: 'tung' }, { name: 'ana', path: '/people/' }],
        managed_policy_arns: { config: 'arn:aws:iam::aws:policy/service-role/AWS_ConfigRole', own: 'arn:aws-cn:iam::123456123456:policy/team/read' },
      },
    });
    expect(output).not.toMatch(/Error/);
    expect(output).toContain('planned');
  });

  it('rejects what JetsDeployGroup rejects, each with the message of its rule', async () => {
    const base = { prefix: 'my-cool-prefix' };
    const cases: Record<string, [Record<string, unknown>, string, JetsDeployGroupProps]> = {
      bad_name: [{ ...base, name: 'Jets Group' }, message('name'), { ...base, name: 'Jets Group' }],
      bad_path: [{ ...base, path: 'deploy' }, message('path'), { ...base, path: 'deploy' }],
      bad_policy_name: [{ ...base, policy_name: 'Jets/Policy' }, message('policy_name'), { ...base, policyName: 'Jets/Policy' }],
      no_users: [{ ...base, users: [] }, message('users'), { ...base, users: [] }],
      bad_user: [{ ...base, users: [{ name: 'tung nguyen' }] }, message('users', 1), { ...base, users: ['tung nguyen'] }],
      long_user: [{ ...base, users: [{ name: 'u'.repeat(65) }] }, message('users', 1), { ...base, users: ['u'.repeat(65)] }],
      bad_user_path: [{ ...base, users: [{ name: 'tung', path: '/people' }] }, message('users', 2), { ...base, users: [{ name: 'tung', path: '/people' }] }],
      user_twice: [{ ...base, users: [{ name: 'Tung' }, { name: 'tung' }] }, message('users', 3), { ...base, users: ['Tung', 'tung'] }],
      arn_not_policy: [{ ...base, managed_policy_arns: { a: 'arn:aws:iam::aws:role/x' } }, message('managed_policy_arns'), { ...base, managedPolicyArns: ['arn:aws:iam::aws:role/x'] }],
      arn_wildcard: [{ ...base, managed_policy_arns: { a: 'arn:aws:iam::aws:policy/Read*' } }, message('managed_policy_arns', 1), { ...base, managedPolicyArns: ['arn:aws:iam::aws:policy/Read*'] }],
      arn_partition: [{ ...base, managed_policy_arns: { a: 'arn:foo:iam::aws:policy/x' } }, message('managed_policy_arns', 2), { ...base, managedPolicyArns: ['arn:foo:iam::aws:policy/x'] }],
      arn_account: [{ ...base, managed_policy_arns: { a: 'arn:aws:iam::123:policy/x' } }, message('managed_policy_arns', 3), { ...base, managedPolicyArns: ['arn:aws:iam::123:policy/x'] }],
      arn_name: [
        { ...base, managed_policy_arns: { a: 'arn:aws:iam::aws:policy/Read#Only' } },
        message('managed_policy_arns', 4),
        { ...base, managedPolicyArns: ['arn:aws:iam::aws:policy/Read#Only'] },
      ],
      arn_long_path: [
        { ...base, managed_policy_arns: { a: `arn:aws:iam::123456123456:policy/${'p'.repeat(511)}/x` } },
        message('managed_policy_arns', 5),
        { ...base, managedPolicyArns: [`arn:aws:iam::123456123456:policy/${'p'.repeat(511)}/x`] },
      ],
      arn_aws_misspelt: [
        { ...base, managed_policy_arns: { a: 'arn:aws:iam::aws:policy/service-role/AWSConfigRole' } },
        "managed_policy_arns: arn:aws:iam::aws:policy/service-role/AWSConfigRole is not one of AWS's managed policies as of",
        { ...base, managedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AWSConfigRole'] },
      ],
      arn_twice: [
        { ...base, managed_policy_arns: { a: 'arn:aws:iam::aws:policy/ReadOnlyAccess', b: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } },
        message('managed_policy_arns', 7),
        { ...base, managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/ReadOnlyAccess'] },
      ],
    };
    for (const [name, [, , props]] of Object.entries(cases)) {
      expect({ name, rejectedByConstruct: rejected(props) }).toEqual({ name, rejectedByConstruct: true });
    }
    await expectRejectedAtPlan(root, Object.fromEntries(Object.entries(cases).map(([name, [config, text]]) => [name, [config, text] as const])));
  });
});
