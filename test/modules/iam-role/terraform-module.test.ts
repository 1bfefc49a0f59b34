/**
 * The generated Terraform module `terraform-modules/trust-policy/` against `trustPolicy`: the committed
 * folder is exactly the generator's output, and the real terraform CLI (no provider, offline) renders the
 * same JSON, byte for byte, for hand-written trusts and random valid ones (one apply for all of them), and
 * rejects at plan time, with the message of the broken rule, the inputs `trustPolicy` rejects: hand-written
 * ones for every rule, and random near-misses of valid principals (one edit away), which hold the RE2
 * patterns against the function's JavaScript ones.
 *
 * Random strings hold no `<`, `>` or `&`: terraform's `jsonencode` writes them as `\u003c`, `\u003e` and
 * `\u0026` (the same document once parsed, other bytes); the size check, which must count them as one
 * character, is shown on its own.
 */
import fc from 'fast-check';
import { join } from 'path';
import { type OidcTrust, trustPolicy, type TrustPolicyProps } from '../../../modules/iam-role/trust-policy';
import { TRUST_POLICY_MODULE_DIR, TRUST_POLICY_PRECONDITIONS, TRUST_POLICY_SIZE_LIMIT, TRUST_POLICY_VARIABLES, trustPolicyModuleFiles } from '../../../modules/iam-role/terraform-module';
import { requireTool, TERRAFORM_INSTALL } from '../../support/aws-lab/tools';
import { expectCommittedFolder, expectRejectedAtPlan, ModuleCallRoot } from '../../support/terraform-cli';

jest.setTimeout(300_000);

const ROOT = join(__dirname, '..', '..', '..');
const DIR = TRUST_POLICY_MODULE_DIR;
const RANDOM_CONFIGURATIONS = 120;
const NEAR_MISSES = 40;
const SEED = 20261202;

describe('generated folder terraform-modules/trust-policy', () => {
  const files = trustPolicyModuleFiles();

  it('is what `npm run modules` writes (run it after changing modules/iam-role/terraform-module.ts)', () => {
    expectCommittedFolder(ROOT, DIR, files);
  });

  it('is the same bytes on every run, and needs no provider and no backend', () => {
    expect(trustPolicyModuleFiles()).toEqual(files);
    const versions = JSON.parse(files[`${DIR}/versions.tf.json`]);
    expect(Object.keys(versions.terraform)).toEqual(['required_version']);
    for (const text of Object.values(files)) expect(text).not.toMatch(/"(provider|resource|data|backend|required_providers)"\s*:/);
  });
});

const ARGUMENTS = TRUST_POLICY_VARIABLES.map((v) => v.name);

/** The module's arguments for `props`: snake_case, unset values left out (the module's defaults apply). */
function moduleArguments(props: TrustPolicyProps): Record<string, unknown> {
  const entries: [string, unknown][] = [
    ['services', props.services],
    ['service_source_account', props.serviceSourceAccount],
    ['accounts', props.accounts],
    ['roles', props.roles],
    ['oidc', props.oidc?.map((o) => ({ provider_arn: o.providerArn, audience: o.audience, subjects: o.subjects }))],
    ['partition', props.partition],
    ['acknowledge', props.acknowledge],
  ];
  return Object.fromEntries(entries.filter(([, value]) => value !== undefined));
}

/** The policy `trustPolicy` renders, or undefined when it rejects the input. */
function expected(props: TrustPolicyProps): string | undefined {
  try {
    return JSON.stringify(trustPolicy(props));
  } catch {
    return undefined;
  }
}

const GITHUB = 'arn:aws:iam::123456123456:oidc-provider/token.actions.githubusercontent.com';
const HAND_WRITTEN: Record<string, TrustPolicyProps> = {
  'github-main': { oidc: [{ providerArn: GITHUB, audience: 'sts.amazonaws.com', subjects: ['repo:my-org/my-repo:ref:refs/heads/main'] }] },
  'github-two-subjects': { oidc: [{ providerArn: GITHUB, audience: 'sts.amazonaws.com', subjects: ['repo:my-org/web:*', 'repo:my-org/api:environment:prod'] }] },
  ec2: { services: ['ec2.amazonaws.com'] },
  'lambda-scoped': { services: ['lambda.amazonaws.com', 'ecs-tasks.amazonaws.com'], serviceSourceAccount: '123456123456' },
  'lambda-acknowledged': { services: ['lambda.amazonaws.com'], acknowledge: ['SERVICE_PRINCIPAL_UNSCOPED'] },
  'accounts-and-roles': { accounts: ['210987654321', '123456123456'], roles: ['arn:aws:iam::123456123456:role/ci/deployer'], partition: 'aws-cn' },
  eks: {
    oidc: [{ providerArn: 'arn:aws:iam::123456123456:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE', audience: 'sts.amazonaws.com', subjects: ['system:serviceaccount:default:web'] }],
  },
  everything: {
    services: ['ec2.amazonaws.com', 'ec2.amazonaws.com', 'ssm.amazonaws.com'],
    serviceSourceAccount: '123456123456',
    accounts: ['123456123456'],
    roles: ['arn:aws:iam::123456123456:role/deployer', 'arn:aws:iam::123456123456:role/deployer'],
    oidc: [
      { providerArn: GITHUB, audience: 'sts.amazonaws.com', subjects: ['repo:a/b:*', 'repo:a/b:*'] },
      { providerArn: 'arn:aws:iam::123456123456:oidc-provider/gitlab.com', audience: 'https://gitlab.com', subjects: ['project_path:g/p:ref_type:branch:ref:main'] },
    ],
  },
};

// --- random valid trusts ----------------------------------------------------------------------------

const digits12 = fc.stringMatching(/^[0-9]{12}$/);
const partition = fc.constantFrom('aws', 'aws-cn', 'aws-us-gov', 'aws-iso-b');
const service = fc.oneof(
  fc.constantFrom('ec2.amazonaws.com', 'lambda.amazonaws.com', 'ecs-tasks.amazonaws.com', 'states.amazonaws.com', 'events.amazonaws.com'),
  fc.stringMatching(/^[a-z0-9]{1,8}([.-][a-z0-9]{1,5})?$/).map((name) => `${name}.amazonaws.com`),
);
// Printable ASCII less <, > and &: role paths and names, subjects and audiences.
const PRINTABLE = [...'abcXYZ019_-.+=,@:~!#$%()[]{}|"\\\'/*?;^`'];
const text = (min: number, max: number) => fc.array(fc.constantFrom(...PRINTABLE), { minLength: min, maxLength: max }).map((c) => c.join(''));
const roleArn = fc
  .record({
    partition,
    account: digits12,
    path: fc.option(fc.array(text(1, 6).filter((s) => !s.includes('/')), { minLength: 1, maxLength: 2 }), { nil: undefined }),
    name: fc.stringMatching(/^[A-Za-z0-9+=,.@_-]{1,20}$/),
  })
  .map(({ partition: p, account, path, name }) => `arn:${p}:iam::${account}:role/${path === undefined ? '' : `${path.join('/')}/`}${name}`);
const host = fc.oneof(
  fc.constantFrom('token.actions.githubusercontent.com', 'gitlab.com', 'accounts.google.com', 'app.terraform.io', 'oidc.eks.eu-west-1.amazonaws.com/id/ABC123'),
  fc.stringMatching(/^[a-z0-9-]{1,10}(\.[a-z0-9-]{1,6}){1,2}(\/[A-Za-z0-9]{1,6})?$/),
);
const oidcTrust: fc.Arbitrary<OidcTrust> = fc.record({
  providerArn: fc.tuple(partition, digits12, host).map(([p, account, h]) => `arn:${p}:iam::${account}:oidc-provider/${h}`),
  audience: fc.oneof(fc.constantFrom('sts.amazonaws.com', '*', 'https://gitlab.com'), text(1, 12).filter((s) => !/[*?]/.test(s))),
  subjects: fc.array(fc.oneof(fc.constantFrom('repo:my-org/my-repo:*', 'repo:a/b:ref:refs/heads/main'), text(1, 16).filter((s) => !/^[*?]+$/.test(s))), { minLength: 1, maxLength: 3 }),
});
const configuration: fc.Arbitrary<TrustPolicyProps> = fc
  .record(
    {
      services: fc.array(service, { maxLength: 3 }),
      serviceSourceAccount: digits12,
      accounts: fc.array(digits12, { maxLength: 3 }),
      roles: fc.array(roleArn, { maxLength: 3 }),
      oidc: fc.array(oidcTrust, { maxLength: 2 }),
      partition,
      acknowledge: fc.constantFrom<TrustPolicyProps['acknowledge']>(['SERVICE_PRINCIPAL_UNSCOPED'], ['WILDCARD_ACTION'], []),
    },
    { requiredKeys: [] },
  )
  // A source account needs services.
  .map((props) => (props.serviceSourceAccount !== undefined && (props.services ?? []).length === 0 ? { ...props, services: ['sns.amazonaws.com'] } : props));

// --- near misses: one edit away from a valid principal ----------------------------------------------

const EDIT_CHARS = [...PRINTABLE, ' ', '\t', 'é', '\u00a0', '\u2028', '✓'];
/** `value` with one character inserted, removed or replaced. */
const edited = (value: fc.Arbitrary<string>) =>
  fc.tuple(value, fc.nat(), fc.constantFrom('insert', 'remove', 'replace'), fc.constantFrom(...EDIT_CHARS)).map(([v, at, edit, c]) => {
    const i = at % (v.length + 1);
    if (edit === 'insert') return v.slice(0, i) + c + v.slice(i);
    if (edit === 'remove') return v.slice(0, i) + v.slice(i + 1);
    return v.slice(0, i) + c + v.slice(i + 1);
  });
/** The message of a module variable's rule, by its place among the variable's validations. */
const message = (name: string, index = 0) => TRUST_POLICY_VARIABLES.find((v) => v.name === name)!.validations[index].error_message;
const GOOD_BASE: TrustPolicyProps = { services: ['lambda.amazonaws.com'], serviceSourceAccount: '123456123456' };
/** A trust with one principal edited. */
const nearMiss: fc.Arbitrary<TrustPolicyProps> = fc.oneof(
  edited(service).map((s) => ({ ...GOOD_BASE, services: [s] })),
  edited(digits12).map((a) => ({ ...GOOD_BASE, accounts: [a] })),
  edited(roleArn).map((r) => ({ ...GOOD_BASE, roles: [r] })),
  edited(fc.constantFrom('aws', 'aws-cn', 'aws-us-gov')).map((p) => ({ ...GOOD_BASE, partition: p })),
  edited(fc.constant(GITHUB)).map((arn) => ({ ...GOOD_BASE, oidc: [{ providerArn: arn, audience: 'sts.amazonaws.com', subjects: ['repo:a/b:*'] }] })),
);

/**
 * The module message for the one finding `trustPolicy` has for `props`; undefined when it accepts them or
 * finds more than one problem. An edited provider ARN may fail as an ARN, or be an ARN whose provider
 * makes no condition key or holds a character a policy may not.
 */
function nearMissMessage(props: TrustPolicyProps): string | undefined {
  let findings: readonly { field: string; problem: string }[];
  try {
    trustPolicy(props);
    return undefined;
  } catch (e) {
    findings = (e as { findings: { field: string; problem: string }[] }).findings;
  }
  if (findings.length !== 1 && !findings.every((f) => f.field.startsWith('Statement'))) return undefined;
  const [{ field, problem }] = findings;
  const variable = ['services', 'accounts', 'roles', 'partition'].find((name) => field.startsWith(name));
  if (variable !== undefined) return message(variable);
  if (field === 'oidc[0].providerArn') return message('oidc');
  if (problem.includes('outside the characters a policy may hold')) return message('oidc', 6);
  if (problem.includes('condition key')) return message('oidc', 1);
  throw new Error(`no module rule is known for ${field}: ${problem}`);
}

describe('terraform-modules/trust-policy with the terraform CLI', () => {
  const samples = fc.sample(
    configuration.filter((props) => expected(props) !== undefined),
    { seed: SEED, numRuns: RANDOM_CONFIGURATIONS },
  );
  // Only misses trustPolicy rejects, for one problem (an edit may leave a principal valid).
  const misses = fc
    .sample(
      nearMiss.filter((props) => nearMissMessage(props) !== undefined),
      { seed: SEED, numRuns: NEAR_MISSES },
    )
    .map((props): [TrustPolicyProps, string] => [props, nearMissMessage(props)!]);
  const configs: Record<string, TrustPolicyProps> = { ...HAND_WRITTEN, ...Object.fromEntries(samples.map((props, i) => [`c${i}`, props])) };

  let root: ModuleCallRoot;
  const started = Date.now();

  beforeAll(async () => {
    root = new ModuleCallRoot(requireTool('terraform', TERRAFORM_INSTALL), join(ROOT, DIR), ModuleCallRoot.arguments([], ARGUMENTS));
    await root.init();
  });

  afterAll(() => {
    root?.remove();
    if (root !== undefined) {
      process.stdout.write(
        `trust-policy: ${Object.keys(configs).length} trusts compared, ${misses.length} near misses and the hand-written bad inputs planned, in ${root.runs} terraform runs, ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
    }
  });

  it(`renders the same JSON as trustPolicy for hand-written trusts and ${RANDOM_CONFIGURATIONS} random ones (seed ${SEED})`, async () => {
    for (const [name, props] of Object.entries(HAND_WRITTEN)) expect({ name, accepted: expected(props) !== undefined }).toEqual({ name, accepted: true });
    const policies = await root.policies(Object.fromEntries(Object.entries(configs).map(([n, p]) => [n, moduleArguments(p)])));
    expect(Object.keys(policies).sort()).toEqual(Object.keys(configs).sort());
    for (const [name, props] of Object.entries(configs)) expect({ name, props, json: policies[name] }).toEqual({ name, props, json: expected(props) });
  });

  it('rejects at plan time, each with the message of the rule it breaks, the bad inputs trustPolicy rejects', async () => {
    const oidc = (o: Partial<OidcTrust>): TrustPolicyProps => ({ oidc: [{ providerArn: GITHUB, audience: 'sts.amazonaws.com', subjects: ['repo:a/b:*'], ...o }] });
    const cases: Record<string, [TrustPolicyProps, string]> = {
      bad_service: [{ ...GOOD_BASE, services: ['ec2'] }, message('services')],
      short_source_account: [{ ...GOOD_BASE, serviceSourceAccount: '1234' }, message('service_source_account')],
      short_account: [{ accounts: ['12345'] }, message('accounts')],
      user_not_role: [{ roles: ['arn:aws:iam::123456123456:user/deployer'] }, message('roles')],
      role_arn_not_oidc: [oidc({ providerArn: 'arn:aws:iam::123456123456:role/x' }), message('oidc')],
      provider_not_host: [oidc({ providerArn: 'arn:aws:iam::123456123456:oidc-provider/sts' }), message('oidc', 1)],
      empty_audience: [oidc({ audience: '' }), message('oidc', 2)],
      wildcard_audience: [oidc({ audience: 'sts.*' }), message('oidc', 3)],
      no_subjects: [oidc({ subjects: [] }), message('oidc', 4)],
      star_subject: [oidc({ subjects: ['repo:a/b:*', '*'] }), message('oidc', 5)],
      not_policy_character: [oidc({ subjects: ['repo:a/b:✓'] }), message('oidc', 6)],
      bad_partition: [{ accounts: ['123456123456'], partition: 'aws_cn' }, message('partition')],
      unknown_finding: [{ ...GOOD_BASE, acknowledge: ['WILDCARD' as never] }, message('acknowledge')],
    };
    for (const [name, [props]] of Object.entries(cases)) {
      // An unknown finding name is refused by the TypeScript type; the function would ignore it.
      if (name !== 'unknown_finding') expect({ name, rejectedByTypeScript: expected(props) === undefined }).toEqual({ name, rejectedByTypeScript: true });
    }
    await expectRejectedAtPlan(root, Object.fromEntries(Object.entries(cases).map(([name, [props, text]]) => [name, [moduleArguments(props), text] as const])));
  });

  it('rejects at plan time, as preconditions of json, the bad inputs that read more than one variable', async () => {
    const [noPrincipal, sourceAccountAlone, unscoped] = TRUST_POLICY_PRECONDITIONS.map(([, text]) => text);
    const cases: Record<string, [TrustPolicyProps, string]> = {
      no_principal: [{}, noPrincipal],
      source_account_alone: [{ accounts: ['123456123456'], serviceSourceAccount: '123456123456' }, sourceAccountAlone],
      unscoped: [{ services: ['lambda.amazonaws.com'] }, unscoped],
      unscoped_with_ec2: [{ services: ['ec2.amazonaws.com', 'lambda.amazonaws.com'], acknowledge: ['WILDCARD_ACTION'] }, unscoped],
    };
    for (const [name, [props]] of Object.entries(cases)) expect({ name, rejectedByTypeScript: expected(props) === undefined }).toEqual({ name, rejectedByTypeScript: true });
    const output = (await root.plan(Object.fromEntries(Object.entries(cases).map(([name, [props]]) => [name, moduleArguments(props)])))).replace(/\s+/g, ' ');
    expect(output.split('Error: Module output value precondition failed').length - 1).toBe(Object.keys(cases).length);
    for (const [name, [, text]] of Object.entries(cases)) {
      const times = Object.values(cases).filter(([, t]) => t === text).length;
      expect({ name, times: output.split(text.replace(/\s+/g, ' ')).length - 1 }).toEqual({ name, times });
    }
  });

  it(`rejects ${NEAR_MISSES} random near misses of valid principals that trustPolicy rejects, each with its variable's message (seed ${SEED})`, async () => {
    expect(misses).toHaveLength(NEAR_MISSES);
    await expectRejectedAtPlan(root, Object.fromEntries(misses.map(([props, text], i) => [`m${i}`, [moduleArguments(props), text] as const])));
  });

  it(`counts the size as JSON.stringify does: & is one character, not jsonencode's \\u0026, up to the ${TRUST_POLICY_SIZE_LIMIT} of a trust policy`, async () => {
    const withSubjectOf = (length: number): TrustPolicyProps => oidcOf(['&'.repeat(length)]);
    const oidcOf = (subjects: string[]): TrustPolicyProps => ({ oidc: [{ providerArn: GITHUB, audience: 'sts.amazonaws.com', subjects }] });
    const base = JSON.stringify(trustPolicy(withSubjectOf(1))).length - 1;
    const fits = withSubjectOf(TRUST_POLICY_SIZE_LIMIT - base);
    const over = withSubjectOf(TRUST_POLICY_SIZE_LIMIT - base + 1);
    expect(expected(fits)!.length).toBe(TRUST_POLICY_SIZE_LIMIT);
    expect(expected(over)).toBeUndefined();
    const policies = await root.policies({ fits: moduleArguments(fits) });
    // jsonencode writes each & as \u0026: other bytes, the same document.
    expect(JSON.parse(policies.fits)).toEqual(JSON.parse(expected(fits)!));
    expect(policies.fits.length).toBeGreaterThan(TRUST_POLICY_SIZE_LIMIT);
    const output = (await root.plan({ over: moduleArguments(over) })).replace(/\s+/g, ' ');
    expect(output).toContain(`json: the trust policy is over the ${TRUST_POLICY_SIZE_LIMIT} characters of a role trust policy`);
  });

  it('was given enough distinct trusts, of every kind of principal', () => {
    expect(samples).toHaveLength(RANDOM_CONFIGURATIONS);
    expect(new Set(samples.map((p) => JSON.stringify(p))).size).toBe(RANDOM_CONFIGURATIONS);
    const rendered = samples.map((p) => expected(p)!);
    for (const pattern of [/"Service":"/, /"Service":\[/, /aws:SourceAccount/, /"AWS":"/, /"AWS":\[/, /:root"/, /:role\//, /"Federated"/, /:sub":\[/, /:sub":"/]) {
      expect({ pattern: String(pattern), count: rendered.filter((json) => pattern.test(json)).length > 5 }).toEqual({ pattern: String(pattern), count: true });
    }
    expect(rendered.filter((json) => (json.match(/AssumeRoleWithWebIdentity/g) ?? []).length > 1).length).toBeGreaterThan(5);
    const fields = misses.map(([props]) => Object.keys(props).find((k) => !(k in GOOD_BASE)) ?? 'services');
    for (const field of ['services', 'accounts', 'roles', 'oidc', 'partition']) expect({ field, some: fields.includes(field) }).toEqual({ field, some: true });
  });
});
