/**
 * The generated Terraform module `terraform-modules/permissions-policy/` against `statePermissionsPolicy`:
 * the committed folder is exactly the generator's output, and the real terraform CLI (no provider, offline)
 * renders the same JSON, byte for byte, for the seed's two examples and for random configurations.
 *
 * Random inputs hold ASCII letters, digits and `. _ - : = * ?` only: Go's JSON encoder (terraform's
 * `jsonencode`) writes `<`, `>` and `&` as `\u003c`, `\u003e` and `\u0026` where `JSON.stringify` writes
 * them as they are (the same document once parsed, other bytes), and outside ASCII the two sorts may differ.
 */
import fc from 'fast-check';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { STATE_POLICY_SIDS, type StateAccessGrant, statePermissionsPolicy, type StatePermissionsProps } from '../../../modules/state-access';
import { PERMISSIONS_POLICY_MODULE_DIR, permissionsPolicyModuleFiles } from '../../../modules/state-access/terraform-permissions-policy';
import { SEED_MULTI, SEED_SIMPLE, seedPolicyText } from '../../fixtures/state-access/seed-examples';
import { requireTool, TERRAFORM_INSTALL } from '../../support/aws-lab/tools';
import { expectCommittedFolder, terraform } from '../../support/terraform-cli';

jest.setTimeout(300_000);

const ROOT = join(__dirname, '..', '..', '..');
const RANDOM_CONFIGURATIONS = 300;
const BATCHES = 3;
const SEED = 20261201;

describe('generated folder', () => {
  const files = permissionsPolicyModuleFiles();

  it('is what `npm run modules` writes (run it after changing modules/state-access/terraform-permissions-policy.ts)', () => {
    expectCommittedFolder(ROOT, PERMISSIONS_POLICY_MODULE_DIR, files);
  });

  it('is the same bytes on every run', () => {
    expect(permissionsPolicyModuleFiles()).toEqual(files);
  });

  it('needs no provider and no backend', () => {
    const versions = JSON.parse(files[`${PERMISSIONS_POLICY_MODULE_DIR}/versions.tf.json`]);
    expect(Object.keys(versions.terraform)).toEqual(['required_version']);
    for (const text of Object.values(files)) expect(text).not.toMatch(/"(provider|resource|data|backend|required_providers)"\s*:/);
  });
});

/** The module's arguments for `props`: snake_case, unset values left out (the module's defaults apply). */
function moduleArguments(props: StatePermissionsProps): Record<string, unknown> {
  const grant = (g: StateAccessGrant) => ({
    key: g.key,
    ...(g.workspaceKeyPrefix !== undefined && { workspace_key_prefix: g.workspaceKeyPrefix }),
    ...(g.workspaces !== undefined && { workspaces: g.workspaces }),
    ...(g.allowDefaultWorkspace !== undefined && { allow_default_workspace: g.allowDefaultWorkspace }),
  });
  const entries: [string, unknown][] = [
    ['state_bucket_arn', props.stateBucketArn],
    ['lock_table_arn', props.lockTableArn],
    ['state_bucket_kms_key_arn', props.stateBucketKmsKeyArn],
    ['lock_table_kms_key_arn', props.lockTableKmsKeyArn],
    ['allow_full_bucket_list', props.allowFullBucketList],
    ['can_apply', props.canApply?.map(grant)],
    ['can_plan', props.canPlan?.map(grant)],
    ['can_read', props.canRead?.map(grant)],
    ['list_new_workspaces', props.listNewWorkspaces],
    ['use_lockfile', props.useLockfile],
  ];
  return Object.fromEntries(entries.filter(([, value]) => value !== undefined));
}

const ARGUMENTS = [
  'state_bucket_arn',
  'lock_table_arn',
  'state_bucket_kms_key_arn',
  'lock_table_kms_key_arn',
  'allow_full_bucket_list',
  'can_apply',
  'can_plan',
  'can_read',
  'list_new_workspaces',
  'use_lockfile',
];

/**
 * A root module with one call of the module per configuration (`for_each` over `var.configs`, from a
 * tfvars file), and one output: each call's `json`, by name. An argument a configuration leaves out is
 * passed as null, which the module's non-nullable variables replace with their defaults.
 */
class TerraformRoot {
  readonly dir = mkdtempSync(join(tmpdir(), 'permissions-policy-'));
  runs = 0;

  constructor(private readonly terraform: string) {
    writeFileSync(join(this.dir, 'terraformrc'), '');
    const args = Object.fromEntries(ARGUMENTS.map((name) => [name, name === 'state_bucket_arn' ? '${each.value.state_bucket_arn}' : `\${try(each.value.${name}, null)}`]));
    writeFileSync(
      join(this.dir, 'main.tf.json'),
      JSON.stringify({
        variable: { configs: { type: 'any' } },
        module: { p: { for_each: '${var.configs}', source: join(ROOT, PERMISSIONS_POLICY_MODULE_DIR), ...args } },
        output: { policies: { value: '${{ for name, p in module.p : name => p.json }}' } },
      }),
    );
  }

  /** Writes a root module with one module block per configuration, by name, and runs `terraform plan`. */
  async planEach(configs: Record<string, StatePermissionsProps>): Promise<string> {
    const dir = mkdtempSync(join(this.dir, 'each-'));
    const module = Object.fromEntries(Object.entries(configs).map(([name, props]) => [name, { source: join(ROOT, PERMISSIONS_POLICY_MODULE_DIR), ...moduleArguments(props) }]));
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify({ module }));
    await this.run(['init', '-input=false', '-backend=false'], dir);
    return this.run(['plan', '-input=false'], dir).then(
      (output) => output,
      (error: Error) => error.message,
    );
  }

  async init(): Promise<void> {
    await this.run(['init', '-input=false', '-backend=false']);
  }

  /** Applies the root module for `configs` and returns each call's `json`. */
  async policies(configs: Record<string, StatePermissionsProps>): Promise<Record<string, string>> {
    const configsArg = Object.fromEntries(Object.entries(configs).map(([name, props]) => [name, moduleArguments(props)]));
    writeFileSync(join(this.dir, 'terraform.tfvars.json'), JSON.stringify({ configs: configsArg }));
    await this.run(['apply', '-auto-approve', '-input=false']);
    const output = JSON.parse(await this.run(['output', '-json'])) as { policies: { value: Record<string, string> } };
    return output.policies.value;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private run(args: string[], cwd = this.dir): Promise<string> {
    this.runs++;
    return terraform(this.terraform, cwd, args, this.dir);
  }
}

// --- random valid configurations -------------------------------------------------------------------

const SEGMENT_CHARS = 'abcxyz019._-:=*?'.split('');
/** One path segment: never empty, never "." or "..". */
const segment = fc.oneof(
  fc.constantFrom('terraform.tfstate', 'app', 'dev', 'prod', '*', 'team-a', 'x?y', 'env:', 'net.tfstate'),
  fc
    .array(fc.constantFrom(...SEGMENT_CHARS), { minLength: 1, maxLength: 8 })
    .map((chars) => chars.join(''))
    .filter((s) => s !== '.' && s !== '..'),
);
const path = fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/'));
const workspaceName = segment.filter((s) => !s.includes('/'));
const grant: fc.Arbitrary<StateAccessGrant> = fc
  .record(
    {
      key: path,
      workspaceKeyPrefix: fc.oneof(fc.constant('env:'), fc.constantFrom('apps', 'infra/network', 'env:'), path),
      workspaces: fc.array(workspaceName, { maxLength: 3 }),
      allowDefaultWorkspace: fc.boolean(),
    },
    { requiredKeys: ['key'] },
  )
  .map((g) => (g.allowDefaultWorkspace === false && g.workspaces !== undefined && g.workspaces.length === 0 ? { ...g, allowDefaultWorkspace: true } : g));
const grants = fc.option(fc.array(grant, { maxLength: 3 }), { nil: undefined });
const name = fc.array(fc.constantFrom(...'abcdefghij0123456789-'.split('')), { minLength: 1, maxLength: 10 }).map((c) => c.join(''));
const configuration: fc.Arbitrary<StatePermissionsProps> = fc
  .record({
    partition: fc.constantFrom('aws', 'aws-cn', 'aws-us-gov'),
    bucket: name.map((n) => `b${n}0`),
    table: fc.option(
      name.map((n) => `lock-${n}`),
      { nil: undefined },
    ),
    bucketKey: fc.option(fc.uuid(), { nil: undefined }),
    tableKey: fc.option(fc.uuid(), { nil: undefined }),
    allowFullBucketList: fc.option(fc.boolean(), { nil: undefined }),
    canApply: grants,
    canPlan: grants,
    canRead: grants,
    listNewWorkspaces: fc.option(fc.boolean(), { nil: undefined }),
    useLockfile: fc.option(fc.boolean(), { nil: undefined }),
  })
  .map(({ partition, bucket, table, bucketKey, tableKey, ...rest }) => {
    const props: StatePermissionsProps = {
      ...rest,
      stateBucketArn: `arn:${partition}:s3:::${bucket}`,
      ...(table !== undefined && { lockTableArn: `arn:${partition}:dynamodb:eu-west-1:123456123456:table/${table}` }),
      ...(bucketKey !== undefined && { stateBucketKmsKeyArn: `arn:${partition}:kms:eu-west-1:123456123456:key/${bucketKey}` }),
      ...(tableKey !== undefined && table !== undefined && { lockTableKmsKeyArn: `arn:${partition}:kms:eu-west-1:123456123456:key/${tableKey}` }),
    };
    return Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined)) as unknown as StatePermissionsProps;
  })
  .filter((props) => [props.canApply, props.canPlan, props.canRead].some((list) => (list ?? []).length > 0));

/** The policy `statePermissionsPolicy` renders, or undefined when it rejects the input. */
function expected(props: StatePermissionsProps): string | undefined {
  try {
    return JSON.stringify(statePermissionsPolicy(props));
  } catch {
    return undefined;
  }
}

describe('terraform-modules/permissions-policy with the terraform CLI', () => {
  let root: TerraformRoot;
  const started = Date.now();
  let compared = 0;

  beforeAll(async () => {
    root = new TerraformRoot(requireTool('terraform', TERRAFORM_INSTALL));
    await root.init();
  });

  afterAll(() => {
    root?.remove();
    if (root !== undefined) {
      process.stdout.write(`permissions-policy: ${compared} configurations compared in ${root.runs} terraform runs, ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    }
  });

  it("renders the seed's two examples as the seed published them (listNewWorkspaces false), and as the TS module does by default", async () => {
    const configs = {
      'seed-simple': { ...SEED_SIMPLE, listNewWorkspaces: false },
      'seed-multi': { ...SEED_MULTI, listNewWorkspaces: false },
      'seed-simple-default': SEED_SIMPLE,
      'seed-multi-default': SEED_MULTI,
    };
    const policies = await root.policies(configs);
    compared += 4;
    expect(policies['seed-simple']).toBe(seedPolicyText('seed-simple'));
    expect(policies['seed-multi']).toBe(seedPolicyText('seed-multi'));
    for (const [name, props] of Object.entries(configs)) expect({ name, json: policies[name] }).toEqual({ name, json: expected(props) });
  });

  // Valid configurations only: the TS module must accept each (policies over the size limit are dropped).
  const samples = fc.sample(
    configuration.filter((props) => expected(props) !== undefined),
    { seed: SEED, numRuns: RANDOM_CONFIGURATIONS },
  );
  const perBatch = Math.ceil(RANDOM_CONFIGURATIONS / BATCHES);
  for (let batch = 0; batch < BATCHES; batch++) {
    const configs = Object.fromEntries(samples.slice(batch * perBatch, (batch + 1) * perBatch).map((props, i) => [`c${batch * perBatch + i}`, props]));
    it(`renders the same JSON as statePermissionsPolicy for random configurations, batch ${batch + 1} of ${BATCHES} (${Object.keys(configs).length}, seed ${SEED})`, async () => {
      const policies = await root.policies(configs);
      expect(Object.keys(policies).sort()).toEqual(Object.keys(configs).sort());
      for (const [name, props] of Object.entries(configs)) {
        expect({ name, props, json: policies[name] }).toEqual({ name, props, json: expected(props) });
        compared++;
      }
    });
  }

  it('rejects at plan time, with a validation error, the bad inputs statePermissionsPolicy rejects', async () => {
    const base = { stateBucketArn: 'arn:aws:s3:::my-state-bucket', canApply: [{ key: 'terraform.tfstate' }], canPlan: [], canRead: [] };
    const withGrant = (g: StateAccessGrant) => ({ ...base, canApply: [g] });
    // Each case: its props, and the start of the one error message the module must give for it.
    const cases: Record<string, [StatePermissionsProps, string]> = {
      not_s3: [{ ...base, stateBucketArn: 'arn:aws:dynamodb:eu-west-1:123456123456:table/t' }, 'state_bucket_arn: not an S3 bucket ARN'],
      bad_bucket_name: [{ ...base, stateBucketArn: 'arn:aws:s3:::My_Bucket' }, 'state_bucket_arn: not an S3 bucket ARN'],
      bucket_wildcard: [{ ...base, stateBucketArn: 'arn:aws:s3:::state-*' }, 'state_bucket_arn: a wildcard'],
      bucket_key_part: [{ ...base, stateBucketArn: 'arn:aws:s3:::my-state-bucket/terraform.tfstate' }, 'state_bucket_arn: has a key part'],
      bad_table: [{ ...base, lockTableArn: 'arn:aws:dynamodb:eu-west-1:123:table/t' }, 'lock_table_arn: not a DynamoDB table ARN'],
      kms_alias: [{ ...base, stateBucketKmsKeyArn: 'arn:aws:kms:eu-west-1:123456123456:alias/state' }, 'state_bucket_kms_key_arn: an alias ARN'],
      kms_not_key: [{ ...base, stateBucketKmsKeyArn: 'arn:aws:s3:::my-state-bucket' }, 'state_bucket_kms_key_arn: not a KMS key ARN'],
      table_key_alone: [{ ...base, lockTableKmsKeyArn: 'arn:aws:kms:eu-west-1:123456123456:key/k' }, 'lock_table_kms_key_arn: a lock table key without a lock table'],
      no_grants: [{ ...base, canApply: [] }, 'can_apply, can_plan, can_read: no grants'],
      empty_key: [withGrant({ key: '' }), "Each can_apply entry's key: the state key is empty"],
      key_slash: [withGrant({ key: 'team/' }), "Each can_apply entry's key: a key may not start or end"],
      key_double_slash: [withGrant({ key: 'a//b' }), 'Each can_apply entry\'s key: a key may not hold "//"'],
      key_dot: [withGrant({ key: 'a/../b' }), 'Each can_apply entry\'s key: a key may not hold "."'],
      empty_prefix: [{ ...base, canPlan: [{ key: 'k', workspaceKeyPrefix: '' }] }, "Each can_plan entry's workspace_key_prefix: an empty prefix"],
      prefix_slash: [{ ...base, canRead: [{ key: 'k', workspaceKeyPrefix: '/apps' }] }, "Each can_read entry's workspace_key_prefix: a prefix may not start or end"],
      workspace_slash: [withGrant({ key: 'k', workspaces: ['team/dev'] }), "Each can_apply entry's workspaces: a workspace name may not be empty"],
      workspace_empty: [withGrant({ key: 'k', workspaces: [''] }), "Each can_apply entry's workspaces: a workspace name may not be empty"],
      no_path: [withGrant({ key: 'k', workspaces: [], allowDefaultWorkspace: false }), 'Each can_apply entry must grant a state path'],
    };
    for (const [name, [props]] of Object.entries(cases)) expect({ name, rejectedByTs: expected(props) === undefined }).toEqual({ name, rejectedByTs: true });
    const output = await root.planEach(
      Object.fromEntries(
        Object.entries(cases)
          .filter(([name]) => !['table_key_alone', 'no_grants'].includes(name))
          .map(([name, [props]]) => [name, props]),
      ),
    );
    // Each diagnostic names the module call it is in; the message is wrapped, so white space is collapsed.
    const errors = output
      .split(/Error: Invalid value for variable/)
      .slice(1)
      .map((text) => text.replace(/\s+/g, ' '));
    // Validations that read other variables were not reported with the module call's address in a plan
    // with other failing calls (terraform 1.11.4): each gets a plan of its own, its message looked for anywhere.
    const unaddressed = new Set(['table_key_alone', 'no_grants']);
    for (const name of unaddressed) {
      const alone = await root.planEach({ [name]: cases[name][0] });
      expect({ name, output: alone.replace(/\s+/g, ' ').includes(cases[name][1]) }).toEqual({ name, output: true });
    }
    for (const [name, [, message]] of Object.entries(cases)) {
      if (unaddressed.has(name)) continue;
      const found = errors.filter((text) => text.includes(`in module.${name}:`) || text.includes(`in module "${name}":`)).map((text) => text.includes(message));
      expect({ name, found }).toEqual({ name, found: [true] });
    }
  });

  it('was given enough distinct configurations', () => {
    expect(samples).toHaveLength(RANDOM_CONFIGURATIONS);
    // Every statement, and both one-element and longer lists, come up.
    const rendered = samples.map((props) => expected(props)!);
    for (const sid of STATE_POLICY_SIDS) expect({ sid, count: rendered.filter((json) => json.includes(`"Sid":"${sid}"`)).length }).toEqual({ sid, count: expect.any(Number) });
    for (const sid of STATE_POLICY_SIDS) expect(rendered.some((json) => json.includes(`"Sid":"${sid}"`))).toBe(true);
    expect(rendered.some((json) => /"Resource":"arn:[^"]*\/[^"]*","Sid":"S3Write"/.test(json))).toBe(true);
    expect(rendered.some((json) => /"Resource":\[[^\]]*\],"Sid":"S3Write"/.test(json))).toBe(true);
    expect(new Set(samples.map((props) => JSON.stringify(props))).size).toBeGreaterThan(RANDOM_CONFIGURATIONS * 0.95);
    expect(existsSync(join(ROOT, PERMISSIONS_POLICY_MODULE_DIR, 'main.tf'))).toBe(true);
  });
});
