import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { requireTool, TERRAFORM_INSTALL } from '../../support/aws-lab/tools';
import { PERMISSIONS_POLICY_VARIABLES } from '../../../modules/state-access/terraform-module';
import { STATE_ACCESS_ROLE_MODULE_DIR, stateAccessRoleModuleFiles } from '../../../modules/state-access/terraform-role-module';
import { expectCommittedFolder } from '../../support/terraform-cli';

const ROOT = join(__dirname, '../../..');
const files = stateAccessRoleModuleFiles();
const read = (name: string) => JSON.parse(files[`${STATE_ACCESS_ROLE_MODULE_DIR}/${name}`]);

// The role module needs the AWS provider, which cannot be downloaded here, so terraform cannot init or
// validate it in a test; its policy is permissions-policy's, which the differential test proves.
describe('terraform-modules/state-access-role', () => {
  it('is what `npm run modules` writes, the same bytes on every run', () => {
    expectCommittedFolder(ROOT, STATE_ACCESS_ROLE_MODULE_DIR, files);
    expect(stateAccessRoleModuleFiles()).toEqual(files);
  });

  it("takes the seed's variables: name, path, trust_policy, and every permissions-policy variable with its type and default", () => {
    const variables = read('variables.tf.json').variable as Record<string, { type: string; default?: unknown }>;
    expect(Object.keys(variables).slice(0, 3)).toEqual(['name', 'path', 'trust_policy']);
    for (const v of PERMISSIONS_POLICY_VARIABLES) {
      expect([v.name, variables[v.name]?.type, variables[v.name]?.default]).toEqual([v.name, v.type, v.default]);
    }
  });

  it('passes every permissions-policy variable on unchanged, and puts its json inline as terraform-state-access', () => {
    const main = read('main.tf.json');
    const { source, ...args } = main.module.permissions_policy as Record<string, string>;
    expect(source).toBe('../permissions-policy');
    expect(args).toEqual(Object.fromEntries(PERMISSIONS_POLICY_VARIABLES.map((v) => [v.name, `\${var.${v.name}}`])));
    // The trust policy reaches the role through ../policy-admission, which checks who it admits.
    expect(main.module.trust_policy_admission).toEqual({
      source: '../policy-admission',
      policy: '${var.trust_policy}',
      account: '${var.account}',
      acknowledge: '${var.trust_policy_acknowledge}',
    });
    expect(main.resource.aws_iam_role.this).toEqual({ name: '${var.name}', path: '${var.path}', assume_role_policy: '${module.trust_policy_admission.json}' });
    expect(main.resource.aws_iam_role_policy.inline_policy).toEqual({
      name: 'terraform-state-access',
      role: '${aws_iam_role.this.name}',
      policy: '${module.permissions_policy.json}',
    });
  });

  it("outputs the seed's role_arn and role_name, and the findings of who the trust policy admits that were acknowledged", () => {
    const { role_arn, role_name, ...others } = read('outputs.tf.json').output;
    expect({ role_arn, role_name }).toEqual({
      role_arn: { description: 'The ARN of the IAM role.', value: '${aws_iam_role.this.arn}' },
      role_name: { description: 'The name of the IAM role.', value: '${aws_iam_role.this.name}' },
    });
    expect(Object.keys(others)).toEqual(['trust_policy_acknowledged']);
  });

  it('asks for a provider version range, never a pin, and configures no provider or backend', () => {
    const { terraform } = read('versions.tf.json');
    expect(terraform.required_providers.aws.version).toMatch(/^>= /);
    for (const text of Object.values(files)) expect(text).not.toMatch(/"(provider|backend)"\s*:/);
  });

  it('checks its own variables as IAM would (role name, path, trust policy JSON)', () => {
    const variables = read('variables.tf.json').variable as Record<string, { validation?: { condition: string }[] }>;
    expect(variables.name.validation?.[0].condition).toContain('{1,64}');
    expect(variables.path.validation?.[0].condition).toContain('var.path == null');
    expect(variables.trust_policy.validation?.[0].condition).toContain('jsondecode(var.trust_policy)');
    // The grants are checked once, in permissions-policy.
    expect(variables.can_apply.validation).toBeUndefined();
  });

  it("its variables' validation blocks work in real terraform: the variables alone need no provider", () => {
    const terraform = requireTool('terraform', TERRAFORM_INSTALL);
    const dir = mkdtempSync(join(tmpdir(), 'role-variables-'));
    try {
      writeFileSync(join(dir, 'variables.tf.json'), files[`${STATE_ACCESS_ROLE_MODULE_DIR}/variables.tf.json`]);
      writeFileSync(join(dir, 'terraformrc'), '');
      const env = { PATH: process.env.PATH, HOME: dir, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_CLI_CONFIG_FILE: join(dir, 'terraformrc') };
      const tf = (...args: string[]) => spawnSync(terraform, [...args, '-input=false', '-no-color'], { cwd: dir, env, encoding: 'utf8' });
      expect(tf('init').status).toBe(0);
      const plan = (vars: Record<string, string>) => {
        const all = { name: 'state-access', trust_policy: '{"Statement":[]}', state_bucket_arn: 'arn:aws:s3:::b', ...vars };
        const result = tf('plan', ...Object.entries(all).map(([k, v]) => `-var=${k}=${v}`));
        return { status: result.status, output: result.stdout + result.stderr };
      };
      expect(plan({}).status).toBe(0);
      expect(plan({ path: '/ci/' }).status).toBe(0);
      expect(plan({ name: 'bad name' }).output).toContain('name: an IAM role name is 1 to 64 characters');
      expect(plan({ name: 'x'.repeat(65) }).output).toContain('name: an IAM role name is 1 to 64 characters');
      expect(plan({ path: 'ci' }).output).toContain('path: an IAM path starts and ends with "/"');
      expect(plan({ trust_policy: 'not json' }).output).toContain('trust_policy: not a JSON policy document with a Statement');
      expect(plan({ account: '1234' }).output).toContain('account: an account ID is 12 digits');
      expect(plan({ account: '123456123456' }).status).toBe(0);
      expect(plan({ trust_policy_acknowledge: '["CROSS_ACCOUNT"]' }).output).toContain('trust_policy_acknowledge[0]: CROSS_ACCOUNT decides who may get in');
      expect(plan({ trust_policy_acknowledge: '[{rule="CROSS_ACCOUNT",reason="the CI account runs terraform"}]' }).status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

