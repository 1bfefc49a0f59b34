/**
 * `terraform-modules/managed-policy/`: the committed folder is the generator's output; its blocks are the
 * AWS provider's as @cdktf/provider-aws knows them (`terraform validate` needs the provider, which the tests
 * cannot download: see test/support/provider-schema.ts) and mirror what `CiPolicy` synthesizes (through
 * `EcrDockerPushPolicy`); its variables' validation blocks, which need no provider, accept and reject under
 * the real terraform CLI what `CiPolicy` accepts and rejects; and composed with `../ecr-docker-push-policy`,
 * the policy it is given is the one `CiPolicy` writes, byte for byte.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { EcrDockerPushPolicy, type EcrDockerPushPolicyProps } from '../../../modules/ci-policies/ecr-docker-push-policy';
import { ECR_DOCKER_PUSH_POLICY_MODULE_DIR } from '../../../modules/ci-policies/terraform-ecr-docker-push-policy';
import { MANAGED_POLICY_MODULE_DIR, MANAGED_POLICY_VARIABLES, managedPolicyModuleFiles } from '../../../modules/ci-policies/terraform-managed-policy';
import { requireTool, TERRAFORM_INSTALL } from '../../support/aws-lab/tools';
import { mirrorFindings, moduleSchemaFindings } from '../../support/provider-schema';
import { synth } from '../../support/synth';
import { expectCommittedFolder, expectRejectedAtPlan, ModuleCallRoot, terraform, writeHclFile } from '../../support/terraform-cli';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..', '..');
const DIR = MANAGED_POLICY_MODULE_DIR;
const files = managedPolicyModuleFiles();
const read = (name: string) => JSON.parse(files[`${DIR}/${name}`]);
const REPOSITORY = 'arn:aws:ecr:eu-west-1:123456123456:repository/web';
const PROPS: EcrDockerPushPolicyProps = { repositoryArns: [REPOSITORY], path: '/ci/', attachToRoles: ['ci-web'], attachToUsers: ['deployer'], attachToGroups: ['ci'] };

/** Whether `EcrDockerPushPolicy` (a CiPolicy) refuses `props` at synth. */
function rejected(props: Partial<EcrDockerPushPolicyProps>): boolean {
  try {
    synth((s) => new EcrDockerPushPolicy(s, 'ecr', { repositoryArns: [REPOSITORY], ...props }));
    return false;
  } catch {
    return true;
  }
}

describe('generated folder terraform-modules/managed-policy', () => {
  it('is what `npm run modules` writes, the same bytes on every run', () => {
    expectCommittedFolder(ROOT, DIR, files);
    expect(managedPolicyModuleFiles()).toEqual(files);
  });

  it("asks for a provider version range, never a pin, configures no provider or backend, and uses only the provider schema's arguments and attributes", () => {
    expect(read('versions.tf.json').terraform.required_providers.aws.version).toMatch(/^>= /);
    for (const text of Object.values(files)) expect(text).not.toMatch(/"(provider|backend)"\s*:/);
    expect(moduleSchemaFindings(files, DIR, ROOT)).toEqual([]);
  });

  it("creates what CiPolicy creates, with every argument it writes, attachments keyed by the caller's names", () => {
    const out = synth((s) => new EcrDockerPushPolicy(s, 'ecr', { ...PROPS, outputPrefix: '' }));
    const { resource } = read('main.tf.json');
    expect(mirrorFindings(out.resource as never, resource)).toEqual([]);
    expect(Object.keys(read('outputs.tf.json').output)).toEqual(expect.arrayContaining(Object.keys(out.output!)));
    for (const [type, name, variable] of [
      ['aws_iam_role_policy_attachment', 'roles', 'attach_to_roles'],
      ['aws_iam_user_policy_attachment', 'users', 'attach_to_users'],
      ['aws_iam_group_policy_attachment', 'groups', 'attach_to_groups'],
    ]) {
      expect(resource[type][name].for_each).toBe(`\${var.create_resources ? var.${variable} : {}}`);
    }
  });
});

describe("terraform-modules/managed-policy's variables with the terraform CLI", () => {
  let module: string;
  let root: ModuleCallRoot;

  beforeAll(async () => {
    module = mkdtempSync(join(tmpdir(), 'managed-policy-variables-'));
    writeHclFile(module, files, `${DIR}/variables.tf.json`);
    writeFileSync(join(module, 'outputs.tf.json'), JSON.stringify({ output: { json: { value: 'planned' } } }));
    root = new ModuleCallRoot(
      requireTool('terraform', TERRAFORM_INSTALL),
      module,
      ModuleCallRoot.arguments(
        [],
        MANAGED_POLICY_VARIABLES.map((v) => v.name),
      ),
    );
    await root.init();
  });

  afterAll(() => {
    root?.remove();
    if (module !== undefined) rmSync(module, { recursive: true, force: true });
  });

  it('accepts what CiPolicy accepts', async () => {
    const json = ecrJson();
    const output = await root.plan({
      attached: {
        name: 'ecr-docker-push',
        path: '/ci/',
        description: 'Push images to ECR.',
        policy: json,
        attach_to_roles: { ci: 'ci-web' },
        attach_to_users: { d: 'deployer' },
        attach_to_groups: { g: 'ci' },
      },
      not_created: { name: 'ecr-docker-push', policy: json, create_resources: false },
    });
    expect(output).not.toMatch(/Error/);
    expect(output).toContain('planned');
  });

  it('rejects what CiPolicy rejects, each with the message of its rule', async () => {
    const json = ecrJson();
    const message = (name: string, index = 0) => MANAGED_POLICY_VARIABLES.find((v) => v.name === name)!.validations[index].error_message;
    const cases: Record<string, [Record<string, unknown>, string, Partial<EcrDockerPushPolicyProps>]> = {
      bad_name: [{ name: 'ecr push', policy: json }, message('name'), { name: 'ecr push' }],
      bad_path: [{ name: 'ecr', path: '/ci', policy: json }, message('path'), { path: '/ci' }],
      attached_not_created: [
        { name: 'ecr', policy: json, create_resources: false, attach_to_roles: { ci: 'ci-web' } },
        message('create_resources'),
        { createResources: false, attachToRoles: ['ci-web'] },
      ],
    };
    for (const [name, [, , props]] of Object.entries(cases)) expect({ name, rejectedByCiPolicy: rejected(props) }).toEqual({ name, rejectedByCiPolicy: true });
    await expectRejectedAtPlan(root, Object.fromEntries(Object.entries(cases).map(([name, [config, text]]) => [name, [config, text] as const])));
    // The policy's own rules (the managed kind's checks, as in the policy-types modules).
    await expectRejectedAtPlan(root, {
      not_json: [{ name: 'ecr', policy: 'Statement' }, message('policy')],
      too_large: [{ name: 'ecr', policy: json.replace(REPOSITORY, `${REPOSITORY}${'x'.repeat(6_144)}`) }, message('policy', 2)],
      principal: [{ name: 'ecr', policy: json.replace('"Effect":"Allow"', '"Effect":"Allow","Principal":"*"') }, message('policy', 3)],
    });
  });
});

/** The JSON CiPolicy writes into the aws_iam_policy for PROPS. */
function ecrJson(): string {
  const out = synth((s) => new EcrDockerPushPolicy(s, 'ecr', PROPS));
  return Object.values(out.resource.aws_iam_policy)[0].policy as string;
}

describe('terraform-modules/managed-policy composed with ecr-docker-push-policy', () => {
  it('is given the policy CiPolicy writes, byte for byte (its policy-only part, applied offline)', async () => {
    const binary = requireTool('terraform', TERRAFORM_INSTALL);
    const dir = mkdtempSync(join(tmpdir(), 'managed-policy-composed-'));
    try {
      // The managed-policy call's policy argument, evaluated: the ecr module's json, as the examples pass it.
      writeFileSync(join(dir, 'terraformrc'), '');
      writeFileSync(
        join(dir, 'main.tf.json'),
        JSON.stringify({
          module: { ecr_push_policy: { source: join(ROOT, ECR_DOCKER_PUSH_POLICY_MODULE_DIR), repository_arns: [REPOSITORY] } },
          output: { policy: { value: '${module.ecr_push_policy.json}' } },
        }),
      );
      await terraform(binary, dir, ['init', '-input=false', '-backend=false']);
      await terraform(binary, dir, ['apply', '-auto-approve', '-input=false']);
      const output = JSON.parse(await terraform(binary, dir, ['output', '-json'])) as { policy: { value: string } };
      expect(output.policy.value).toBe(ecrJson());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
