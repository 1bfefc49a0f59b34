/**
 * `terraform-modules/state-access-role/`: the committed folder is the generator's output; its role settings
 * (session duration, boundary, tags, managed policy attachments) are `iam-role`'s, the same variables and
 * blocks; its variables' validation blocks, which need no provider, accept and reject under the real
 * terraform CLI what `StateAccessRole` accepts and rejects; and, where a local mirror of the AWS provider
 * exists, `terraform plan` of the module and of what `StateAccessRole` synthesizes, for the same inputs,
 * plans the same role, inline policy and attachments, attribute for attribute. Its policy is
 * permissions-policy's, which that module's differential test proves.
 */
import { spawnSync } from 'child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { requireTool, TERRAFORM_INSTALL } from '../../support/aws-lab/tools';
import { StateAccessRole, type StateAccessRoleProps } from '../../../modules/state-access';
import { PERMISSIONS_POLICY_VARIABLES } from '../../../modules/state-access/terraform-permissions-policy';
import { STATE_ACCESS_ROLE_MODULE_DIR, STATE_ACCESS_ROLE_VARIABLES, stateAccessRoleModuleFiles } from '../../../modules/state-access/terraform-state-access-role';
import { iamRoleModuleFiles, IAM_ROLE_MODULE_DIR, ROLE_SETTING_VARIABLE_NAMES } from '../../../modules/iam-role/terraform-iam-role';
import { DEFAULT_MANAGED_POLICIES_PER_ROLE, MAX_SESSION_DURATION_RANGE } from '../../../modules/iam-role';
import { SEED_MULTI, SEED_SIMPLE } from '../../fixtures/state-access/seed-examples';
import { recordFigure } from '../../support/figures';
import { mirrorFindings } from '../../support/provider-schema';
import { synth } from '../../support/synth';
import { expectCommittedFolder, expectRejectedAtPlan, ModuleCallRoot, OFFLINE_AWS_PROVIDER, providerMirror, terraform, withAwsManagedPolicies, writeHclFile } from '../../support/terraform-cli';

jest.setTimeout(300_000);

const ROOT = join(__dirname, '../../..');
const files = stateAccessRoleModuleFiles();
const read = (name: string) => JSON.parse(files[`${STATE_ACCESS_ROLE_MODULE_DIR}/${name}`]);
const readIamRole = (name: string) => JSON.parse(iamRoleModuleFiles()[`${IAM_ROLE_MODULE_DIR}/${name}`]);

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
    expect(main.resource.aws_iam_role.this).toEqual({
      name: '${var.name}',
      path: '${var.path}',
      assume_role_policy: '${module.trust_policy_admission.json}',
      max_session_duration: '${var.max_session_duration}',
      permissions_boundary: '${var.permissions_boundary}',
      tags: '${var.tags}',
    });
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
      writeHclFile(dir, files, `${STATE_ACCESS_ROLE_MODULE_DIR}/variables.tf.json`);
      withAwsManagedPolicies(dir);
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
      // At most 512 characters, as StateAccessRole (iamPathFindings) and the other modules check it; unchecked here before.
      expect(plan({ path: `/${'p'.repeat(510)}/` }).status).toBe(0);
      expect(plan({ path: `/${'p'.repeat(511)}/` }).output).toContain('path: an IAM path starts and ends with "/"');
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

const ACCOUNT = '123456123456';
const TRUST_JSON = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] });
const setting = (name: string) => STATE_ACCESS_ROLE_VARIABLES.find((v) => v.name === name)!;
const message = (name: string, index = 0) => setting(name).validations[index].error_message;

describe("terraform-modules/state-access-role: the role settings are iam-role's", () => {
  it("takes iam-role's role-setting variables, the same blocks (type, default, validations), after the role's own and before the policy's", () => {
    const ours = read('variables.tf.json').variable as Record<string, unknown>;
    const iamRole = readIamRole('variables.tf.json').variable as Record<string, unknown>;
    for (const name of ROLE_SETTING_VARIABLE_NAMES) expect({ name, block: ours[name] }).toEqual({ name, block: iamRole[name] });
    expect(Object.keys(ours)).toEqual(['name', 'path', 'trust_policy', 'account', 'trust_policy_acknowledge', ...ROLE_SETTING_VARIABLE_NAMES, ...PERMISSIONS_POLICY_VARIABLES.map((v) => v.name)]);
    // Defaults that leave a call without them as it was: AWS's session duration, no boundary, no tags, nothing attached.
    expect(Object.fromEntries(ROLE_SETTING_VARIABLE_NAMES.map((n) => [n, setting(n).default]))).toEqual({
      max_session_duration: null,
      permissions_boundary: null,
      tags: null,
      managed_policy_arns: {},
      max_managed_policies: DEFAULT_MANAGED_POLICIES_PER_ROLE,
    });
  });

  it("writes them to the role as iam-role does, and attaches managed policies with iam-role's block: for_each over a map keyed by the caller's names", () => {
    const ours = read('main.tf.json').resource;
    const iamRole = readIamRole('main.tf.json').resource;
    for (const argument of ['max_session_duration', 'permissions_boundary', 'tags']) {
      expect({ argument, value: ours.aws_iam_role.this[argument] }).toEqual({ argument, value: iamRole.aws_iam_role.this[argument] });
    }
    expect(ours.aws_iam_role_policy_attachment).toEqual(iamRole.aws_iam_role_policy_attachment);
    expect(ours.aws_iam_role_policy_attachment.managed.for_each).toBe('${var.managed_policy_arns}');
    expect(JSON.stringify(ours)).not.toContain('count.index');
  });

  it('creates what StateAccessRole creates with every setting given, with every argument it writes', () => {
    const out = synth(
      (s) =>
        new StateAccessRole(s, 'access_role', {
          ...SEED_SIMPLE,
          name: 'state-access',
          path: '/terraform/',
          trustPolicy: TRUST_JSON,
          account: ACCOUNT,
          maxSessionDuration: 7200,
          permissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/boundary`,
          tags: { team: 'platform' },
          managedPolicyArns: [`arn:aws:iam::${ACCOUNT}:policy/extra`],
          awsManagedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
          outputPrefix: '',
        }),
    );
    expect(mirrorFindings(out.resource as never, read('main.tf.json').resource)).toEqual([]);
    expect(Object.keys(read('outputs.tf.json').output)).toEqual(expect.arrayContaining(Object.keys(out.output!)));
  });
});

/** A module of the role module's variables alone (and a `json` output for the runner): they need no provider. */
function variablesOnlyModule(): string {
  const dir = mkdtempSync(join(tmpdir(), 'state-access-role-variables-'));
  writeHclFile(dir, files, `${STATE_ACCESS_ROLE_MODULE_DIR}/variables.tf.json`);
  withAwsManagedPolicies(dir);
  writeFileSync(join(dir, 'outputs.tf.json'), JSON.stringify({ output: { json: { value: 'planned' } } }));
  return dir;
}

describe("terraform-modules/state-access-role's role settings with the terraform CLI", () => {
  let module: string;
  let root: ModuleCallRoot;
  const base = { name: 'state-access', trust_policy: TRUST_JSON, state_bucket_arn: 'arn:aws:s3:::my-state-bucket' };

  beforeAll(async () => {
    module = variablesOnlyModule();
    const required = ['name', 'trust_policy', 'state_bucket_arn'];
    root = new ModuleCallRoot(
      requireTool('terraform', TERRAFORM_INSTALL),
      module,
      ModuleCallRoot.arguments(
        required,
        STATE_ACCESS_ROLE_VARIABLES.map((v) => v.name).filter((n) => !required.includes(n)),
      ),
    );
    await root.init();
  });

  afterAll(() => {
    root?.remove();
    if (module !== undefined) rmSync(module, { recursive: true, force: true });
  });

  it('accepts what StateAccessRole accepts', async () => {
    const output = await root.plan({
      none: base,
      everything: {
        ...base,
        max_session_duration: MAX_SESSION_DURATION_RANGE.max,
        permissions_boundary: `arn:aws:iam::${ACCOUNT}:policy/boundaries/ci`,
        tags: { team: 'platform' },
        managed_policy_arns: { readonly: 'arn:aws:iam::aws:policy/ReadOnlyAccess', config: 'arn:aws-cn:iam::aws:policy/service-role/AWS_ConfigRole', extra: `arn:aws:iam::${ACCOUNT}:policy/extra` },
      },
      quota_raised: { ...base, max_managed_policies: 11, managed_policy_arns: Object.fromEntries([...Array(11).keys()].map((i) => [`p${i}`, `arn:aws:iam::${ACCOUNT}:policy/p${i}`])) },
    });
    expect(output).not.toMatch(/Error/);
    expect(output).toContain('planned');
  });

  it('rejects what StateAccessRole rejects, each with the message of its rule', async () => {
    await expectRejectedAtPlan(root, {
      session_too_short: [{ ...base, max_session_duration: 3599 }, message('max_session_duration')],
      session_too_long: [{ ...base, max_session_duration: 43201 }, message('max_session_duration')],
      session_fraction: [{ ...base, max_session_duration: 3600.5 }, message('max_session_duration')],
      boundary_role: [{ ...base, permissions_boundary: `arn:aws:iam::${ACCOUNT}:role/boundary` }, message('permissions_boundary')],
      managed_not_arn: [{ ...base, managed_policy_arns: { a: 'ReadOnlyAccess' } }, message('managed_policy_arns')],
      managed_twice: [{ ...base, managed_policy_arns: { a: 'arn:aws:iam::aws:policy/ReadOnlyAccess', b: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } }, message('managed_policy_arns', 2)],
    });
    // The quota rule reads managed_policy_arns: planned on its own (terraform skips it when that variable fails).
    const eleven = Object.fromEntries([...Array(DEFAULT_MANAGED_POLICIES_PER_ROLE + 1).keys()].map((i) => [`p${i}`, `arn:aws:iam::${ACCOUNT}:policy/p${i}`]));
    await expectRejectedAtPlan(root, { over_quota: [{ ...base, managed_policy_arns: eleven }, message('max_managed_policies')] });
    // The messages name the variable and the fix.
    for (const name of ROLE_SETTING_VARIABLE_NAMES.filter((n) => n !== 'tags')) for (const v of setting(name).validations) expect(v.error_message).toMatch(/^[a-z_]+: .+; .+/);
  });

  it('StateAccessRole rejects the same inputs', () => {
    const props: StateAccessRoleProps = { ...SEED_SIMPLE, name: 'state-access', trustPolicy: TRUST_JSON, account: ACCOUNT };
    const fails = (extra: Partial<StateAccessRoleProps>) => expect(() => synth((s) => new StateAccessRole(s, 'r', { ...props, ...extra }))).toThrow();
    fails({ maxSessionDuration: 3599 });
    fails({ maxSessionDuration: 43201 });
    fails({ maxSessionDuration: 3600.5 });
    fails({ permissionsBoundary: `arn:aws:iam::${ACCOUNT}:role/boundary` });
    fails({ managedPolicyArns: ['ReadOnlyAccess'] });
    fails({ awsManagedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/ReadOnlyAccess'] });
    fails({ managedPolicyArns: [...Array(DEFAULT_MANAGED_POLICIES_PER_ROLE + 1).keys()].map((i) => `arn:aws:iam::${ACCOUNT}:policy/p${i}`) });
    expect(() =>
      synth((s) => new StateAccessRole(s, 'r', { ...props, maxManagedPolicies: 11, managedPolicyArns: [...Array(11).keys()].map((i) => `arn:aws:iam::${ACCOUNT}:policy/p${i}`) })),
    ).not.toThrow();
  });
});

// --- the module and the construct, planned by the AWS provider ----------------------------------------------

/** The same inputs, as StateAccessRole's props; the module's arguments are derived from them (`moduleArguments`). */
const CONFIGS: Record<string, StateAccessRoleProps> = {
  // The seed's call, without any role setting: the role as the module planned it before it took them.
  seed: { ...SEED_SIMPLE, name: 'seed', trustPolicy: TRUST_JSON, account: ACCOUNT },
  everything: {
    ...SEED_MULTI,
    name: 'everything',
    path: '/terraform/',
    trustPolicy: TRUST_JSON,
    account: ACCOUNT,
    maxSessionDuration: 7200,
    permissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/boundaries/terraform`,
    tags: { team: 'platform', 'cost-centre': '42' },
    managedPolicyArns: [`arn:aws:iam::${ACCOUNT}:policy/extra`, `arn:aws:iam::${ACCOUNT}:policy/ci/other`],
    awsManagedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess', { name: 'AWS_ConfigRole', path: '/service-role/' }],
  },
  other_partition: {
    ...SEED_SIMPLE,
    name: 'other-partition',
    trustPolicy: TRUST_JSON,
    account: ACCOUNT,
    partition: 'aws-us-gov',
    awsManagedPolicies: [{ name: 'AWS_ConfigRole', path: '/service-role/' }],
    tags: {},
  },
  quota_raised: {
    ...SEED_SIMPLE,
    name: 'quota-raised',
    trustPolicy: TRUST_JSON,
    account: ACCOUNT,
    maxManagedPolicies: 11,
    managedPolicyArns: [...Array(11).keys()].map((i) => `arn:aws:iam::${ACCOUNT}:policy/p${i}`),
  },
};

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const snakeKeys = (value: unknown): unknown =>
  Array.isArray(value) ? value.map(snakeKeys) : value !== null && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [snake(k), snakeKeys(v)])) : value;

/**
 * The module's arguments for `props`: snake_case; the customer and AWS managed policies, which `Role` takes
 * apart (and whose AWS ones it may build from a name, a path and the partition), as one map of full ARNs keyed
 * by the policy's name. Unset props are left out: the module's defaults apply.
 */
function moduleArguments(props: StateAccessRoleProps): Record<string, unknown> {
  const { managedPolicyArns, awsManagedPolicies, partition, tags, ...rest } = props;
  const arns = [...((managedPolicyArns ?? []) as string[]), ...(awsManagedPolicies ?? []).map((p) => (typeof p === 'string' ? p : `arn:${partition ?? 'aws'}:iam::aws:policy${p.path}${p.name}`))];
  return {
    ...(snakeKeys(rest) as Record<string, unknown>),
    ...(tags !== undefined && { tags }),
    ...(arns.length > 0 && { managed_policy_arns: Object.fromEntries(arns.map((arn) => [arn.split('/').pop()!, arn])) }),
  };
}

interface Change {
  address: string;
  type: string;
  change: { actions: string[]; after: Record<string, unknown> };
}

describe('terraform-modules/state-access-role and StateAccessRole with the AWS provider: the same plan for the same inputs', () => {
  const mirror = providerMirror();
  if (mirror === undefined) {
    process.stdout.write('state-access-role with the AWS provider: no local provider mirror (TF_AWS_PROVIDER_MIRROR or /opt/tf-plugins): terraform plan skipped\n');
    recordFigure('state-access-role configurations planned against StateAccessRole (skipped: no provider mirror)', 0);
  }
  const maybe = mirror === undefined ? it.skip : it;

  maybe('plans the same role, inline policy and attachments, attribute for attribute', async () => {
    // The construct's resources, every configuration in one stack (their role names differ).
    const construct = synth((s) => {
      for (const [id, props] of Object.entries(CONFIGS)) new StateAccessRole(s, id, props);
    });
    const binary = requireTool('terraform', TERRAFORM_INSTALL);
    const dir = mkdtempSync(join(tmpdir(), 'state-access-role-plan-'));
    try {
      // A copy of terraform-modules/, so that the module's calls of ../<module> resolve and no .terraform lands in the project.
      cpSync(join(ROOT, 'terraform-modules'), join(dir, 'terraform-modules'), { recursive: true });
      mkdirSync(join(dir, 'root'));
      writeFileSync(join(dir, 'terraformrc'), '');
      const names = STATE_ACCESS_ROLE_VARIABLES.map((v) => v.name);
      writeFileSync(
        join(dir, 'root', 'main.tf.json'),
        JSON.stringify({
          terraform: { required_providers: { aws: { source: 'hashicorp/aws' } } },
          provider: {
            aws: OFFLINE_AWS_PROVIDER,
          },
          locals: { configs: Object.fromEntries(Object.entries(CONFIGS).map(([id, props]) => [id, moduleArguments(props)])) },
          module: {
            p: {
              for_each: '${local.configs}',
              source: '../terraform-modules/state-access-role',
              ...ModuleCallRoot.arguments(
                ['name', 'trust_policy', 'state_bucket_arn'],
                names.filter((n) => !['name', 'trust_policy', 'state_bucket_arn'].includes(n)),
              ),
            },
          },
          resource: construct.resource,
        }),
      );
      await terraform(binary, join(dir, 'root'), ['init', '-input=false', '-backend=false', `-plugin-dir=${mirror}`], dir);
      await terraform(binary, join(dir, 'root'), ['plan', '-input=false', '-refresh=false', '-lock=false', '-out=plan.tfplan'], dir);
      const plan = JSON.parse(await terraform(binary, join(dir, 'root'), ['show', '-json', 'plan.tfplan'], dir)) as { resource_changes: Change[] };
      const changes = plan.resource_changes;
      expect(changes.every((c) => c.change.actions.join() === 'create')).toBe(true);

      /** What is planned for one configuration, on one side: the role, the inline policy, the attachments (sorted). */
      const planned = (ofModule: boolean, id: string) => {
        const mine = changes.filter((c) => c.address.startsWith(`module.p["${id}"].`) === ofModule && (ofModule || !c.address.startsWith('module.')));
        const role = mine.find((c) => c.type === 'aws_iam_role' && c.change.after.name === CONFIGS[id].name)!.change.after;
        const ofRole = (type: string) => mine.filter((c) => c.type === type && c.change.after.role === CONFIGS[id].name).map((c) => c.change.after);
        return {
          role: { ...role, assume_role_policy: JSON.parse(role.assume_role_policy as string) },
          inline: ofRole('aws_iam_role_policy'),
          attachments: ofRole('aws_iam_role_policy_attachment').sort((a, b) => String(a.policy_arn).localeCompare(String(b.policy_arn))),
        };
      };
      for (const id of Object.keys(CONFIGS)) {
        const [module, fromConstruct] = [planned(true, id), planned(false, id)];
        expect({ id, ...module }).toEqual({ id, ...fromConstruct });
        expect(module.inline).toHaveLength(1);
      }
      // The inputs reach the plan: the settings where given, AWS's and the provider's defaults where not.
      const everything = planned(true, 'everything');
      expect(everything.role).toMatchObject({ path: '/terraform/', max_session_duration: 7200, permissions_boundary: CONFIGS.everything.permissionsBoundary, tags: CONFIGS.everything.tags });
      expect(everything.attachments.map((a) => a.policy_arn)).toEqual([
        `arn:aws:iam::${ACCOUNT}:policy/ci/other`,
        `arn:aws:iam::${ACCOUNT}:policy/extra`,
        'arn:aws:iam::aws:policy/ReadOnlyAccess',
        'arn:aws:iam::aws:policy/service-role/AWS_ConfigRole',
      ]);
      expect(planned(true, 'seed')).toMatchObject({ role: { path: '/', max_session_duration: 3600, permissions_boundary: null, tags: null }, attachments: [] });
      expect(planned(true, 'other_partition').attachments.map((a) => a.policy_arn)).toEqual(['arn:aws-us-gov:iam::aws:policy/service-role/AWS_ConfigRole']);
      expect(planned(true, 'quota_raised').attachments).toHaveLength(11);
      // Attachments keyed by the caller's names, never by position.
      expect(
        changes
          .filter((c) => c.address.startsWith('module.p["everything"].aws_iam_role_policy_attachment'))
          .map((c) => c.address)
          .sort(),
      ).toEqual(['AWS_ConfigRole', 'ReadOnlyAccess', 'extra', 'other'].map((k) => `module.p["everything"].aws_iam_role_policy_attachment.managed["${k}"]`));
      recordFigure('state-access-role configurations planned against StateAccessRole', Object.keys(CONFIGS).length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
