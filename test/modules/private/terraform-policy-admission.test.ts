/**
 * The generated module `terraform-modules/policy-admission/` against `admissionFindings` and
 * `applyAcknowledgements`: the committed folder is the generator's output; in one terraform run (a `plan`
 * of outputs only, offline, no provider, whose planned outputs are read with `show -json`) of one module call
 * per document, random policy documents built to reach every branch of the analysis get from the module the
 * same findings as from the TypeScript (rule, field, problem and fix), the same acknowledged findings (rule,
 * field, reason), and are refused by the module's precondition exactly when a finding is left open; and at
 * plan time, with the real module, open findings fail the plan naming each rule, acknowledged ones pass, and
 * a bad acknowledgement is refused.
 *
 * The run is of a copy of the module whose precondition on `json` is moved to an output of its own
 * (`ungatedCopy`), so that the documents the TypeScript refuses are compared too, in the same run. A plan
 * rather than an apply: the same expressions, evaluated once (an apply evaluates them in its plan and again).
 *
 * Random documents write each `Condition` with its operators and keys in lexical order, as `jsonencode`,
 * `aws_iam_policy_document` and `canonicalPolicy` do. `jsondecode` keeps no key order; both sides name the
 * first loose `sub` condition in lexical order in `OIDC_SUBJECT_ANY_OWNER`, which a test below shows on a
 * document in another order.
 */
import fc from 'fast-check';
import { readFileSync, rmSync } from 'fs';
import { dirname, join } from 'path';
import { acknowledgementFindings, applyAcknowledgements } from '../../../modules/core/acknowledgements';
import { admissionFindings, NARROWING_KEYS } from '../../../modules/core/admission';
import { OIDC_ISSUERS } from '../../../modules/core/oidc-issuers';
import type { PolicyDocument } from '../../../modules/core/policy-document';
import type { Acknowledgement, Finding } from '../../../modules/core/policy-error';
import { CONDITION_OPERATORS, parseOperator } from '../../../modules/core/iam-data';
import { RULES } from '../../../modules/core/rules';
import { ACKNOWLEDGEABLE_RULES, POLICY_ADMISSION_MODULE_DIR, POLICY_ADMISSION_VARIABLES, policyAdmissionModuleFiles, REASON_RULES } from '../../../modules/private/terraform-policy-admission';
import { requireTool, TERRAFORM_INSTALL } from '../../support/aws-lab/tools';
import { recordFigure } from '../../support/figures';
import { expectCommittedFolder, ModuleCallRoot, preconditionFailures, ungatedCopy } from '../../support/terraform-cli';

jest.setTimeout(300_000);

const ROOT = join(__dirname, '..', '..', '..');
const DIR = POLICY_ADMISSION_MODULE_DIR;
const RANDOM_DOCUMENTS = 320;
const SEED = 20261207;

describe('generated folder terraform-modules/policy-admission', () => {
  const files = policyAdmissionModuleFiles();

  it('is what `npm run modules` writes, the same bytes on every run, with no provider and no backend', () => {
    expectCommittedFolder(ROOT, DIR, files);
    expect(policyAdmissionModuleFiles()).toEqual(files);
    expect(Object.keys(JSON.parse(files[`${DIR}/versions.tf.json`]).terraform)).toEqual(['required_version']);
    for (const text of Object.values(files)) expect(text).not.toMatch(/"(provider|resource|data|backend|required_providers)"\s*:/);
  });

  it('lists the operators of core/private/condition-operators.ts, each as parseOperator reads it', () => {
    // FAMILIES is not exported: its operator names are read from the source.
    const source = readFileSync(join(ROOT, 'modules', 'core', 'private', 'condition-operators.ts'), 'utf8');
    const families = source.slice(source.indexOf('const FAMILIES'), source.indexOf('} as const;'));
    const names = [...families.matchAll(/operators: \[([^\]]*)\]/g)].flatMap((m) => [...m[1].matchAll(/'([A-Za-z]+)'/g)].map((n) => n[1]));
    expect([...CONDITION_OPERATORS].sort()).toEqual([...new Set(names)].sort());
    for (const operator of CONDITION_OPERATORS) expect({ operator, parsed: parseOperator(operator)?.base }).toEqual({ operator, parsed: operator });
  });

  it('takes the rules and issuers of the TypeScript, never a list of its own', () => {
    const main = JSON.parse(files[`${DIR}/main.tf.json`]) as { locals: Record<string, unknown>[] };
    const locals = Object.assign({}, ...main.locals) as Record<string, unknown>;
    expect(locals.issuer_order).toEqual(OIDC_ISSUERS.map((i) => i.id));
    expect(locals.acknowledgeable_rules).toEqual(Object.keys(RULES).filter((r) => RULES[r as keyof typeof RULES].accepted !== 'none'));
    expect((locals.narrowing_keys as { lower_key: string }[]).map((k) => k.lower_key)).toEqual(NARROWING_KEYS.map((k) => k.toLowerCase()));
  });
});

// --- random documents ----------------------------------------------------------------------------------------

const ACCOUNTS = ['111111111111', '222222222222', '333333333333'];
const accountId = fc.constantFrom(...ACCOUNTS);
const partition = fc.constantFrom('aws', 'aws', 'aws-cn', 'aws-us-gov');

/** AWS principals: of the accounts by ID, root, role, user and session; none that names an account; wildcards. */
const awsIdentifier = fc.oneof(
  { arbitrary: accountId, weight: 2 },
  { arbitrary: fc.tuple(partition, accountId).map(([p, a]) => `arn:${p}:iam::${a}:root`), weight: 2 },
  { arbitrary: fc.tuple(partition, accountId, fc.constantFrom('deployer', 'ci/web', 'a+b=c,d.e@f-g')).map(([p, a, n]) => `arn:${p}:iam::${a}:role/${n}`), weight: 2 },
  { arbitrary: accountId.map((a) => `arn:aws:iam::${a}:user/alice`), weight: 1 },
  { arbitrary: fc.tuple(partition, accountId).map(([p, a]) => `arn:${p}:sts::${a}:assumed-role/deployer/session`), weight: 1 },
  { arbitrary: fc.constantFrom('AROA1234567890EXAMPLE', 'AIDAJQABLZS4A3QDU576Q', '12345678901', 'arn:aws:s3:::bucket', 'arn:aws:iam::1234:root'), weight: 1 },
  { arbitrary: fc.constantFrom('*', 'arn:aws:iam::*:root', 'arn:aws:iam::111111111111:role/ci-*', 'arn:aws:iam::11111111111?:root'), weight: 1 },
);

/** OIDC providers of every issuer of OIDC_ISSUERS (their enterprise and per-organization forms too), and unknown ones. */
const PROVIDERS = [
  'token.actions.githubusercontent.com',
  'token.actions.githubusercontent.com',
  'token.actions.githubusercontent.com/acme',
  'token.actions.octo.ghe.com',
  'github.example.com/_services/token',
  'Token.Actions.GitHubUserContent.com',
  'gitlab.com',
  'oidc.circleci.com/org/1f2e3d4c-5b6a-4978-8877-665544332211',
  'oidc.circleci.com',
  'api.bitbucket.org/2.0/workspaces/my-ws/pipelines-config/identity/oidc',
  'agent.buildkite.com',
  'app.terraform.io',
  'oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE',
  'gitlab.example.com',
];
const WELL_KNOWN = ['accounts.google.com', 'graph.facebook.com', 'www.amazon.com'];
const COGNITO = 'cognito-identity.amazonaws.com';
const federatedIdentifier = fc.oneof(
  { arbitrary: fc.tuple(partition, accountId, fc.constantFrom(...PROVIDERS)).map(([p, a, provider]) => `arn:${p}:iam::${a}:oidc-provider/${provider}`), weight: 8 },
  { arbitrary: fc.constantFrom(COGNITO, ...WELL_KNOWN), weight: 3 },
  { arbitrary: fc.constantFrom('arn:aws:iam::111111111111:saml-provider/corp', 'arn:aws:iam::*:oidc-provider/gitlab.com', 'arn:aws:iam::111111111111:oidc-provider/gitlab.com\nx'), weight: 1 },
);
const serviceIdentifier = fc.constantFrom('ec2.amazonaws.com', 'lambda.amazonaws.com', '*', 'ec2.*');

const idsOf = (id: fc.Arbitrary<string>) => fc.oneof(id, fc.array(id, { minLength: 1, maxLength: 3 }));
type Principal = '*' | Record<string, unknown>;
const principal: fc.Arbitrary<Principal> = fc.oneof(
  { arbitrary: fc.constantFrom<Principal>('*', { AWS: '*' }, { AWS: ['*', '111111111111'] }), weight: 2 },
  {
    arbitrary: fc
      .record(
        { AWS: idsOf(awsIdentifier), Federated: idsOf(federatedIdentifier), Service: idsOf(serviceIdentifier), CanonicalUser: fc.constant('79a59df900b949e55d96a1e698fbaced') },
        { requiredKeys: [] },
      )
      .filter((p) => Object.keys(p).length > 0),
    weight: 8,
  },
  // JSON types the analysis reads past: a number among the identifiers, a principal that is a list.
  { arbitrary: fc.constantFrom<Principal>({ AWS: [111111111111, '*'] }, { AWS: '111111111111', Federated: [] }), weight: 1 },
);

/** The providers a principal names (for its conditions' keys). */
function providersOf(p: Principal): string[] {
  if (p === '*') return [];
  const federated = ([] as unknown[]).concat(p.Federated ?? []).filter((id): id is string => typeof id === 'string');
  return federated.map((id) => /oidc-provider\/(.+)$/.exec(id)?.[1] ?? id);
}

const CLAIMS = [...new Set(['aud', 'sub', ...OIDC_ISSUERS.flatMap((i) => [...i.subjectClaims, ...i.ownerClaims.map((o) => o.claim)]), 'ref_protected'])];
const SUBJECTS = [
  'repo:my-org/app:ref:refs/heads/main',
  'repo:my-org/*',
  'repo:*',
  'repo:my-org@1/app@2:*',
  'repo:*/app:*',
  'repository_owner_id:123:*',
  'enterprise:acme:*',
  '*',
  '?*',
  '',
  'repo:${aws:username}/x',
  '${aws:username}',
  'project_path:grp/proj:ref_type:branch:ref:main',
  'project_path:*',
  'org/abc/project/*',
  'organization:my-org:pipeline:deploy:*',
  'organization:*',
  'organization:my-org:project:*:workspace:net:run_phase:plan',
  '{1de489be-5a52-4b1c-9a3e-0123456789ab}:*',
  '*:*',
];
const AUDIENCES = ['sts.amazonaws.com', 'sts.*', '*', '${aws:username}', 'https://gitlab.com', 'aws.workload.identity', 'us-east-1:pool-id'];
const CLAIM_VALUES = ['123456', '12*', 'my-org/app', 'my-org/*', '*', '*/app', 'my-org', '${x}', 'true'];
/** Values of each narrowing key: fixed ones, patterns whose literal start narrows (or not), policy variables. */
const NARROWING_POOLS: Record<string, string[]> = {
  org: ['o-abcdefghij', 'o-*', '${aws:PrincipalOrgID}'],
  path: ['o-abcdefghij/r-ab12/*', 'o-abcdefghij/*', 'o-*/*', 'o-abc/*', 'o-abcdefghij/${aws:x}/*'],
  account: [...ACCOUNTS, '1111*', '${aws:PrincipalAccount}'],
  arn: [
    'arn:aws:iam::111111111111:role/ci-*',
    'arn:aws:iam::222222222222:root',
    'arn:aws:sts::333333333333:assumed-role/r/*',
    'arn:aws:iam::*:role/x',
    'arn:aws:iam::11111111111?:role/x',
    'arn:aws:sqs:us-east-1:222222222222:q',
  ],
};
const narrowingPool = (key: string) =>
  /OrgID$/.test(key) ? NARROWING_POOLS.org : /OrgPaths$/.test(key) ? NARROWING_POOLS.path : /(Account|Owner)$/.test(key) ? NARROWING_POOLS.account : NARROWING_POOLS.arn;
const NARROWING_VALUES = [
  ...ACCOUNTS,
  '1111*',
  'o-abcdefghij',
  'o-abcdefghij/r-ab12/*',
  'o-*/*',
  'arn:aws:iam::111111111111:role/ci-*',
  'arn:aws:iam::222222222222:root',
  'arn:aws:sts::333333333333:assumed-role/r/*',
  'arn:aws:iam::*:role/x',
  'arn:aws:iam::111111111111:*',
  'arn:aws:s3:::bucket',
  'arn:aws:sqs:us-east-1:222222222222:q',
  '${aws:PrincipalAccount}',
];
const keyCase = (key: string) => fc.constantFrom(key, key, key, key.toUpperCase());
/** A condition key of a kind, and values such keys take. */
function keysAndValues(providers: string[]): fc.Arbitrary<[string, readonly string[]]> {
  const options: fc.Arbitrary<[string, readonly string[]]>[] = [
    fc.tuple(fc.constantFrom(...NARROWING_KEYS).chain(keyCase), fc.constant(NARROWING_VALUES)),
    ...[0, 1].map(() => fc.constantFrom(...NARROWING_KEYS).chain((key) => fc.tuple(keyCase(key), fc.constant(narrowingPool(key))))),
    fc.tuple(fc.constantFrom(`${COGNITO}:aud`, `${COGNITO}:amr`), fc.constant(['us-east-1:pool-id', 'authenticated', 'unauthenticated', 'auth*', '*'])),
    fc.tuple(fc.constantFrom('aws:username', 's3:prefix'), fc.constant(['alice', '*'])),
  ];
  if (providers.length > 0) {
    const provider = fc.constantFrom(...providers);
    options.push(
      ...[0, 1, 2].map(() =>
        fc.tuple(
          fc.tuple(provider, fc.constantFrom('sub', 'sub', 'aud')).chain(([p, c]) => keyCase(`${p}:${c}`)),
          fc.constant([...SUBJECTS, ...AUDIENCES]),
        ),
      ),
      fc.tuple(
        fc.tuple(provider, fc.constantFrom(...CLAIMS)).map(([p, c]) => `${p}:${c}`),
        fc.constant([...CLAIM_VALUES, ...SUBJECTS.slice(0, 6)]),
      ),
    );
  }
  return fc.oneof(...options);
}
const operator = fc.oneof(
  { arbitrary: fc.constantFrom('StringEquals', 'StringLike'), weight: 8 },
  {
    arbitrary: fc
      .tuple(
        fc.constantFrom('', '', 'ForAllValues:', 'ForAnyValue:'),
        fc.constantFrom('StringEquals', 'StringLike', 'StringNotLike', 'StringNotEquals', 'StringEqualsIgnoreCase', 'ArnLike', 'ArnEquals', 'ArnNotLike', 'NumericEquals', 'Bool', 'Null', 'IpAddress'),
        fc.constantFrom('', '', 'IfExists'),
      )
      .map(([q, b, e]) => `${q}${b}${e}`),
    weight: 4,
  },
  { arbitrary: fc.constantFrom('StringEqualz', 'NullIfExists', 'ForAllValues:ForAnyValue:StringLike'), weight: 1 },
);
/** Values as a policy holds them: one string, a list, or, for a few, JSON numbers, booleans and nulls. */
const valuesFrom = (pool: readonly string[]) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...pool), weight: 5 },
    { arbitrary: fc.array(fc.constantFrom(...pool), { minLength: 1, maxLength: 3 }), weight: 4 },
    { arbitrary: fc.constantFrom<unknown>(111111111111, true, null, [111111111111, 'o-abcdefghij'], {}), weight: 1 },
  );
/** A Condition of `n` entries, operators and keys in lexical order (see the module's file comment). */
function condition(providers: string[]): fc.Arbitrary<Record<string, Record<string, unknown>> | undefined> {
  const entry = fc.tuple(operator, keysAndValues(providers)).chain(([op, [key, pool]]) => valuesFrom(pool).map((values) => [op, key, values] as const));
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: 1 }, { arbitrary: fc.array(entry, { minLength: 1, maxLength: 5 }), weight: 5 }).map((entries) => {
    if (entries === undefined) return undefined;
    const byOperator: Record<string, Record<string, unknown>> = {};
    for (const [op, key, values] of entries) byOperator[op] = { ...byOperator[op], [key]: values };
    const sorted: Record<string, Record<string, unknown>> = {};
    for (const op of Object.keys(byOperator).sort())
      sorted[op] = Object.fromEntries(
        Object.keys(byOperator[op])
          .sort()
          .map((k) => [k, byOperator[op][k]]),
      );
    return sorted;
  });
}
const statement = principal.chain((p) =>
  fc
    .record({
      effect: fc.constantFrom('Allow', 'Allow', 'Allow', 'Allow', 'Allow', 'Allow', 'Deny'),
      not: fc.constantFrom(false, false, false, false, false, true),
      condition: condition(providersOf(p)),
      reversed: fc.boolean(),
    })
    .map(({ effect, not, condition: c, reversed }) => {
      const entries: [string, unknown][] = [
        ['Effect', effect],
        ['Action', 'sts:AssumeRole'],
        [not ? 'NotPrincipal' : 'Principal', p],
        ...(c === undefined ? [] : [['Condition', c] as [string, unknown]]),
      ];
      return Object.fromEntries(reversed ? entries.reverse() : entries);
    }),
);
const document = fc.oneof(
  { arbitrary: fc.array(statement, { minLength: 1, maxLength: 3 }).map((Statement) => ({ Version: '2012-10-17', Statement })), weight: 9 },
  { arbitrary: statement.map((Statement) => ({ Version: '2012-10-17', Statement })), weight: 1 },
);
const reason = fc.constantFrom('the CI account deploys here', 'public website assets', ' padded, with an é ', 'line one\r\nline two');
const acknowledgement: fc.Arbitrary<Acknowledgement> = fc.oneof(
  { arbitrary: fc.record({ rule: fc.constantFrom(...(REASON_RULES as Acknowledgement[] & string[])), reason }) as fc.Arbitrary<Acknowledgement>, weight: 6 },
  { arbitrary: fc.constantFrom<Acknowledgement>('WILDCARD_ACTION', 'SERVICE_PRINCIPAL_UNSCOPED'), weight: 1 },
  { arbitrary: fc.record({ rule: fc.constantFrom('WILDCARD_RESOURCE' as const), reason }) as fc.Arbitrary<Acknowledgement>, weight: 1 },
);
interface Case {
  readonly policy: string;
  readonly account?: string;
  readonly acknowledge: Acknowledgement[];
}
const testCase: fc.Arbitrary<Case> = fc
  .record({ doc: document, account: fc.option(accountId, { nil: undefined, freq: 3 }), acknowledge: fc.array(acknowledgement, { maxLength: 4 }) })
  .map(({ doc, account, acknowledge }) => ({ policy: JSON.stringify(doc), ...(account !== undefined && { account }), acknowledge }));

/** What the TypeScript finds for `c`: the document with a Statement object read as a list of one, as canonicalPolicy does. */
function expected(c: Case): { findings: Finding[]; open: Finding[]; acknowledged: { rule: string; field: string; reason?: string }[] } {
  const raw = JSON.parse(c.policy) as { Statement: unknown };
  const doc = { ...raw, Statement: Array.isArray(raw.Statement) ? raw.Statement : [raw.Statement] } as PolicyDocument;
  const findings = admissionFindings(doc, c.account === undefined ? {} : { account: c.account });
  const applied = applyAcknowledgements(findings, c.acknowledge);
  return { findings, open: applied.findings, acknowledged: applied.acknowledged };
}

const findingKey = (f: { rule?: string; code?: string; field: string; problem: string; fix: string }) => `${f.rule ?? f.code} ${f.field} | ${f.problem} | ${f.fix}`;
const acknowledgedKey = (a: { rule: string; field: string; reason?: string | null }) => `${a.rule} ${a.field} | ${a.reason ?? ''}`;
const sorted = (list: string[]) => [...list].sort();

describe('terraform-modules/policy-admission with the terraform CLI', () => {
  const cases = fc.sample(testCase, { seed: SEED, numRuns: RANDOM_DOCUMENTS });
  const configs = Object.fromEntries(cases.map((c, i) => [`d${i}`, { policy: c.policy, account: c.account ?? null, acknowledge: c.acknowledge }]));
  let ungated: string;
  let root: ModuleCallRoot;
  let planRoot: ModuleCallRoot;
  const started = Date.now();

  beforeAll(async () => {
    const binary = requireTool('terraform', TERRAFORM_INSTALL);
    ungated = ungatedCopy(ROOT, ['policy-admission']);
    const args = ModuleCallRoot.arguments(['policy'], ['account', 'acknowledge']);
    root = new ModuleCallRoot(binary, join(ungated, 'policy-admission'), args, ['json', 'findings', 'acknowledged', preconditionFailures('json')]);
    planRoot = new ModuleCallRoot(binary, join(ROOT, DIR), args);
    await Promise.all([root.init(), planRoot.init()]);
  });

  afterAll(() => {
    root?.remove();
    planRoot?.remove();
    if (ungated !== undefined) rmSync(dirname(ungated), { recursive: true, force: true });
    if (root !== undefined) {
      recordFigure('random policy documents analysed by the policy-admission module', cases.length);
      process.stdout.write(
        `policy-admission: ${cases.length} random documents compared (seed ${SEED}), in ${root.runs + planRoot.runs} terraform runs, ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
    }
  });

  it(`finds what admissionFindings finds, accepts what applyAcknowledgements accepts, and refuses what is left open, for ${RANDOM_DOCUMENTS} random documents (seed ${SEED})`, async () => {
    const results = await root.planned(configs);
    expect(Object.keys(results).sort()).toEqual(Object.keys(configs).sort());
    cases.forEach((c, i) => {
      const name = `d${i}`;
      const result = results[name] as { json: string; findings: Finding[]; acknowledged: { rule: string; field: string; reason: string | null }[] } & Record<string, string[]>;
      const want = expected(c);
      const failures = result[preconditionFailures('json')].filter((m) => m !== '');
      // On failure: the seed, the case, and both sides.
      expect({ name, seed: SEED, case: c, findings: sorted(result.findings.map(findingKey)) }).toEqual({ name, seed: SEED, case: c, findings: sorted(want.findings.map(findingKey)) });
      expect({ name, acknowledged: sorted(result.acknowledged.map(acknowledgedKey)) }).toEqual({ name, acknowledged: sorted(want.acknowledged.map(acknowledgedKey)) });
      expect({ name, json: result.json, refused: failures.length > 0 }).toEqual({ name, json: c.policy, refused: want.open.length > 0 });
      for (const f of want.open) expect({ name, named: failures.some((m) => m.includes(`- ${f.field}: ${f.problem}. Fix: ${f.fix}`) && m.includes(`[${f.code}]`)) }).toEqual({ name, named: true });
    });
  });

  it('was given documents that reach every rule and branch of the analysis', () => {
    const all = cases.map((c) => expected(c));
    const findings = all.flatMap((e) => e.findings);
    const count = (test: (f: Finding) => boolean) => findings.filter(test).length;
    const branches: Record<string, number> = {
      ...Object.fromEntries(
        ['ANY_PRINCIPAL', 'CROSS_ACCOUNT', 'PRINCIPAL_WILDCARD', 'OIDC_AUDIENCE_UNPINNED', 'OIDC_SUBJECT_UNPINNED', 'OIDC_SUBJECT_ANY_OWNER', 'COGNITO_UNPINNED', 'OIDC_CLAIM_FOR_ALL_VALUES'].map(
          (r) => [r, count((f) => f.code === r)],
        ),
      ),
      'ANY_PRINCIPAL of NotPrincipal': count((f) => f.code === 'ANY_PRINCIPAL' && f.field.endsWith('NotPrincipal')),
      'CROSS_ACCOUNT of a pinned account': count((f) => f.code === 'CROSS_ACCOUNT' && f.field.includes('.Condition.')),
      'CROSS_ACCOUNT without account': count((f) => f.code === 'CROSS_ACCOUNT' && f.fix.startsWith('give the account')),
      'CROSS_ACCOUNT of another account': count((f) => f.code === 'CROSS_ACCOUNT' && f.problem.includes(', not of ')),
      'CROSS_ACCOUNT naming no account': count((f) => f.code === 'CROSS_ACCOUNT' && f.problem.startsWith('names no account')),
      'OIDC_SUBJECT_ANY_OWNER at a condition': count((f) => f.code === 'OIDC_SUBJECT_ANY_OWNER' && f.field.includes('.Condition.')),
      'web identity of an unknown issuer': count((f) => f.code === 'OIDC_AUDIENCE_UNPINNED' && f.fix.endsWith('the audience your tokens carry')),
      'COGNITO_UNPINNED for one of its two keys': count((f) => f.code === 'COGNITO_UNPINNED' && !f.problem.includes(' and a ForAnyValue')),
    };
    // Documents the analysis passes: narrowed by a condition, or pinned tokens.
    branches['documents with no finding'] = all.filter((e) => e.findings.length === 0).length;
    branches['documents refused'] = all.filter((e) => e.open.length > 0).length;
    branches['documents accepted with acknowledgements'] = all.filter((e) => e.open.length === 0 && e.acknowledged.length > 0).length;
    // Statements that admit anyone, kept from ANY_PRINCIPAL by a condition: by fixed values, and by a
    // pattern whose literal start narrows (an organization path, an ARN past its account).
    const narrowed = cases.flatMap((c) => {
      const raw = JSON.parse(c.policy) as { Statement: unknown };
      const statements = ([] as Record<string, unknown>[]).concat(raw.Statement as never);
      const found = expected(c).findings;
      return statements.filter((s, i) => {
        const p = s.NotPrincipal ?? s.Principal;
        const anyone = s.NotPrincipal !== undefined || p === '*' || (typeof p === 'object' && p !== null && Object.values(p).some((ids) => ([] as unknown[]).concat(ids).includes('*')));
        return s.Effect === 'Allow' && anyone && !found.some((f) => f.code === 'ANY_PRINCIPAL' && f.field.startsWith(`Statement[${i}].`));
      });
    });
    branches['statements narrowed from *'] = narrowed.length;
    branches['statements narrowed from * by a pattern'] = narrowed.filter((s) =>
      Object.entries((s.Condition ?? {}) as Record<string, Record<string, unknown>>).some(
        ([op, keys]) => /Like$/.test(op) && Object.entries(keys).some(([k, v]) => /(OrgPaths|Arn)$/i.test(k) && JSON.stringify(v).includes('*')),
      ),
    ).length;
    for (const [branch, n] of Object.entries(branches)) expect({ branch, reached: n >= 3 }).toEqual({ branch, reached: true });
  });

  it('names, of several loose sub conditions, the first in lexical order of operator and key, whatever the document order, as the TypeScript does', async () => {
    const key = 'token.actions.githubusercontent.com';
    const statement = (condition: Record<string, unknown>) => ({
      Version: '2012-10-17',
      Statement: [{ Action: 'sts:AssumeRoleWithWebIdentity', Condition: condition, Effect: 'Allow', Principal: { Federated: `arn:aws:iam::111111111111:oidc-provider/${key}` } }],
    });
    const pins = { StringEquals: { [`${key}:aud`]: 'sts.amazonaws.com' } };
    const documentOrder = { policy: JSON.stringify(statement({ StringLike: { [`${key}:sub`]: 'repo:*' }, ArnLike: { [`${key}:sub`]: 'repo:*' }, ...pins })), acknowledge: [] };
    const lexicalOrder = { policy: JSON.stringify(statement({ ArnLike: { [`${key}:sub`]: 'repo:*' }, ...pins, StringLike: { [`${key}:sub`]: 'repo:*' } })), acknowledge: [] };
    const owner = (findings: { rule?: string; code?: string; field: string }[]) => findings.filter((f) => (f.rule ?? f.code) === 'OIDC_SUBJECT_ANY_OWNER').map((f) => f.field);
    const results = await root.planned({ document_order: documentOrder, lexical_order: lexicalOrder });
    const arnLike = `Statement[0].Condition.ArnLike.${key}:sub`;
    expect(owner(expected(documentOrder).findings)).toEqual([arnLike]);
    expect(owner(results.document_order.findings as Finding[])).toEqual([arnLike]);
    expect(owner(expected(lexicalOrder).findings)).toEqual([arnLike]);
    expect(owner(results.lexical_order.findings as Finding[])).toEqual([arnLike]);
  });

  it('fails the plan while a finding is open, naming its rule; passes once each is acknowledged with a reason', async () => {
    const gh = 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com';
    const docs: Record<string, { doc: unknown; account?: string; rules: string[] }> = {
      anyone: { doc: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject' }] }, rules: ['ANY_PRINCIPAL'] },
      aws_star: { doc: { Statement: { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' } }, rules: ['ANY_PRINCIPAL'] },
      github_bare: { doc: { Statement: [{ Effect: 'Allow', Principal: { Federated: gh }, Action: 'sts:AssumeRoleWithWebIdentity' }] }, rules: ['OIDC_AUDIENCE_UNPINNED', 'OIDC_SUBJECT_UNPINNED'] },
      github_any_owner: {
        doc: {
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Federated: gh },
              Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' }, StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:*' } },
            },
          ],
        },
        rules: ['OIDC_SUBJECT_ANY_OWNER'],
      },
      cognito: { doc: { Statement: [{ Effect: 'Allow', Principal: { Federated: COGNITO } }] }, rules: ['COGNITO_UNPINNED'] },
      other_account: {
        doc: { Statement: [{ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::222222222222:root', 'arn:aws:iam::111111111111:role/x'] } }] },
        account: '111111111111',
        rules: ['CROSS_ACCOUNT'],
      },
    };
    const reasons = (rules: string[]) => rules.map((rule) => ({ rule, reason: `reviewed: ${rule}` }));
    for (const [name, d] of Object.entries(docs)) {
      const c: Case = { policy: JSON.stringify(d.doc), ...(d.account !== undefined && { account: d.account }), acknowledge: [] };
      expect({ name, rules: expected(c).open.map((f) => f.code) }).toEqual({ name, rules: d.rules });
      expect({ name, open: expected({ ...c, acknowledge: reasons(d.rules) as Acknowledgement[] }).open }).toEqual({ name, open: [] });
    }
    const open = (await planRoot.plan(Object.fromEntries(Object.entries(docs).map(([name, d]) => [name, { policy: JSON.stringify(d.doc), account: d.account ?? null }])))).replace(/\s+/g, ' ');
    expect(open.split('Error: Module output value precondition failed').length - 1).toBe(Object.keys(docs).length);
    const rules = Object.values(docs).flatMap((d) => d.rules);
    for (const rule of new Set(rules)) expect({ rule, times: open.split(`[${rule}]`).length - 1 }).toEqual({ rule, times: rules.filter((r) => r === rule).length });
    const acknowledged = await planRoot.plan(
      Object.fromEntries(Object.entries(docs).map(([name, d]) => [name, { policy: JSON.stringify(d.doc), account: d.account ?? null, acknowledge: reasons(d.rules) }])),
    );
    expect(acknowledged).not.toMatch(/Error/);
    // A wildcard inside a principal is never accepted.
    const wildcard = {
      policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::*:root' } }] }),
      acknowledge: reasons(ACKNOWLEDGEABLE_RULES.filter((r) => REASON_RULES.includes(r))),
    };
    expect((await planRoot.plan({ wildcard })).replace(/\s+/g, ' ')).toContain('[PRINCIPAL_WILDCARD]');
  });

  it('refuses an acknowledgement the TypeScript refuses, naming the entry: a who-gets-in rule without a reason, an unknown rule, a blank or long reason, not a list', async () => {
    const message = (index: number) => POLICY_ADMISSION_VARIABLES.find((v) => v.name === 'acknowledge')!.validations[index].error_message;
    const policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: '111111111111' } }] });
    const inputs: Record<string, unknown> = {
      name_only: ['WILDCARD_ACTION', 'CROSS_ACCOUNT'],
      object_without_reason: [{ rule: 'ANY_PRINCIPAL' }],
      blank_reason: [{ rule: 'ANY_PRINCIPAL', reason: ' \u00a0\t' }],
      long_reason: [{ rule: 'ANY_PRINCIPAL', reason: 'r'.repeat(499) + '\r\n' }],
      outside_characters: [{ rule: 'ANY_PRINCIPAL', reason: 'ok ✓' }],
      unknown_rule: ['WILDCARD_ACTION', { rule: 'PRINCIPAL_WILDCARD', reason: 'no' }],
      not_a_list: 'CROSS_ACCOUNT',
    };
    // The module's message is the TypeScript's one finding: its field and problem (the fix is written for HCL).
    const cases = Object.fromEntries(
      Object.entries(inputs).map(([name, acknowledge]) => {
        const found = acknowledgementFindings('acknowledge', acknowledge);
        expect({ name, found: found.length }).toEqual({ name, found: 1 });
        return [name, [acknowledge, name === 'not_a_list' ? message(0) : `${found[0].field}: ${found[0].problem};`] as const];
      }),
    );
    const output = (await planRoot.plan(Object.fromEntries(Object.entries(cases).map(([name, [acknowledge]]) => [name, { policy, account: '111111111111', acknowledge }])))).replace(/\s+/g, ' ');
    expect(output.split('Error: Invalid value for variable').length - 1).toBe(Object.keys(cases).length);
    for (const [name, [, text]] of Object.entries(cases)) expect({ name, named: output.includes(text) }).toEqual({ name, named: true });
    // The 500 characters count CR LF as two, as JavaScript does (Terraform's length counts it as one).
    const fits = await planRoot.plan({ fits: { policy, account: '111111111111', acknowledge: [{ rule: 'ANY_PRINCIPAL', reason: 'r'.repeat(498) + '\r\n' }] } });
    expect(fits).not.toMatch(/Error/);
  });
});
