/**
 * The generated Terraform module `terraform-modules/trust-policy/` against `trustPolicy` (`buildTrustPolicy`):
 * the committed folder is exactly the generator's output, and the real terraform CLI (no provider, offline):
 * - renders the same JSON, byte for byte, for hand-written trusts of every principal kind and CI preset, and
 *   for random ones (random principals, presets, `account` absent, the role's or another, acknowledgements
 *   with reasons), and refuses exactly those the function refuses, for the same who-gets-in findings (rule and
 *   document field), accepting the same ones: one plan of all of them (outputs read from the saved plan), on
 *   a copy whose preconditions are outputs (`ungatedCopy`);
 * - rejects at plan time, with the message of the broken rule, the inputs `trustPolicy` rejects: hand-written
 *   ones for every rule, and random near misses of valid principals and preset entries (one edit away),
 *   which hold the RE2 patterns against the functions' JavaScript ones; a preset's message is its finding
 *   (field, problem, fix), its names in snake_case;
 * - fails the plan, naming the rule, for each class of open trust, and passes it once acknowledged.
 *
 * Random strings hold no `<`, `>` or `&`: terraform's `jsonencode` writes them as `\u003c`, `\u003e` and
 * `\u0026` (the same document once parsed, other bytes); the size check, which must count them as one
 * character, is shown on its own.
 */
import fc from 'fast-check';
import { rmSync } from 'fs';
import { dirname, join } from 'path';
import type { Acknowledgement, Finding } from '../../../modules/core/policy-error';
import { buildTrustPolicy, type OidcTrust, type TrustPolicyProps } from '../../../modules/iam-role/trust-policy';
import { TRUST_POLICY_MODULE_DIR, TRUST_POLICY_PRECONDITIONS, TRUST_POLICY_SIZE_LIMIT, TRUST_POLICY_VARIABLES, trustPolicyModuleFiles } from '../../../modules/iam-role/terraform-trust-policy';
import { PRESET_MODULE_SPECS } from '../../../modules/iam-role/terraform-ci-presets';
import { REASON_RULES } from '../../../modules/private/terraform-policy-admission';
import { requireTool, TERRAFORM_INSTALL } from '../../support/aws-lab/tools';
import { recordFigure } from '../../support/figures';
import { expectCommittedFolder, expectRejectedAtPlan, ModuleCallRoot, preconditionFailures, ungatedCopy } from '../../support/terraform-cli';

jest.setTimeout(300_000);

const ROOT = join(__dirname, '..', '..', '..');
const DIR = TRUST_POLICY_MODULE_DIR;
const RANDOM_CONFIGURATIONS = 120;
const NEAR_MISSES = 100;
const SEED = 20261202;

describe('generated folder terraform-modules/trust-policy', () => {
  const files = trustPolicyModuleFiles();

  it('is what `npm run modules` writes (run it after changing modules/iam-role/terraform-trust-policy.ts)', () => {
    expectCommittedFolder(ROOT, DIR, files);
  });

  it('is the same bytes on every run, needs no provider and no backend, and sends its document through ../policy-admission', () => {
    expect(trustPolicyModuleFiles()).toEqual(files);
    const versions = JSON.parse(files[`${DIR}/versions.tf.json`]);
    expect(Object.keys(versions.terraform)).toEqual(['required_version']);
    for (const text of Object.values(files)) expect(text).not.toMatch(/"(provider|resource|data|backend|required_providers)"\s*:/);
    const main = JSON.parse(files[`${DIR}/main.tf.json`]);
    expect(main.module.admission).toEqual({ source: '../policy-admission', policy: '${local.document}', account: '${var.account}', acknowledge: '${var.acknowledge}' });
    expect(JSON.parse(files[`${DIR}/outputs.tf.json`]).output.json.value).toBe('${module.admission.json}');
  });

  it("takes each preset's props, in snake_case, optional ones with the TypeScript defaults", () => {
    const variables = JSON.parse(files[`${DIR}/variables.tf.json`]).variable as Record<string, { type: string }>;
    expect(variables.github_actions.type).toContain(
      'issuer = optional(string, "https://token.actions.githubusercontent.com"), provider_arn = optional(string), audience = optional(string, "sts.amazonaws.com")',
    );
    expect(variables.terraform_cloud.type).toContain('project = optional(string, "*")');
    expect(variables.acknowledge.type).toBe('any');
    expect(PRESET_MODULE_SPECS.map((s) => s.prop)).toEqual(['githubActions', 'gitlab', 'circleci', 'bitbucketPipelines', 'buildkite', 'terraformCloud']);
  });
});

const ARGUMENTS = TRUST_POLICY_VARIABLES.map((v) => v.name);

/** `camelCase` as `snake_case`. */
const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
/** A TypeScript field (`githubActions[0].providerArn`) or text naming props, in the module's names. */
const snakeText = (text: string) => text.replace(/\b[a-z]+(?:[A-Z][a-z]+)+\b/g, snake);

/** The module's arguments for `props`: snake_case, unset values left out (the module's defaults apply). */
function moduleArguments(props: TrustPolicyProps): Record<string, unknown> {
  const entries = Object.entries(props).map(([key, value]): [string, unknown] => {
    if (key === 'oidc') return ['oidc', (value as OidcTrust[]).map((o) => ({ provider_arn: o.providerArn, audience: o.audience, subjects: o.subjects }))];
    if (PRESET_MODULE_SPECS.some((s) => s.prop === key)) return [snake(key), (value as Record<string, unknown>[]).map((e) => Object.fromEntries(Object.entries(e).map(([k, v]) => [snake(k), v])))];
    return [snake(key), value];
  });
  return Object.fromEntries(entries.filter(([, value]) => value !== undefined));
}

interface Expected {
  readonly json: string;
  readonly findings: Finding[];
  /** The findings of the input itself (none of the document). */
  readonly input: Finding[];
  readonly acknowledged: { rule: string; field: string; reason?: string }[];
}

/** What `buildTrustPolicy` builds and finds for `props`. */
function expected(props: TrustPolicyProps): Expected {
  const built = buildTrustPolicy(props);
  return { json: JSON.stringify(built.document), findings: built.findings, input: built.findings.filter((f) => !/\(Statement\[/.test(f.field)), acknowledged: built.acknowledged };
}
const accepted = (props: TrustPolicyProps) => expected(props).findings.length === 0;
/** The document field of a document finding (`accounts (Statement[1].Principal.AWS[0])`). */
const documentField = (f: Finding) => /\((Statement\[.*)\)$/.exec(f.field)?.[1] ?? f.field;
/** The preset findings the module checks in preconditions, since they read `account`: the provider ARN's account. */
const readsAccount = (f: Finding) => /\.providerArn$/.test(f.field) && /account/.test(f.problem);

/** The rules of who gets in (admission.ts), which the module leaves to ../policy-admission. */
const ADMISSION_RULES: readonly string[] = [...REASON_RULES, 'PRINCIPAL_WILDCARD', 'OIDC_CLAIM_FOR_ALL_VALUES'];

const ACCOUNT = '123456123456';
const OTHER = '210987654321';
const GITHUB = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const REASON = (rule: string): Acknowledgement => ({ rule, reason: `reviewed: ${rule}` }) as Acknowledgement;
const HAND_WRITTEN: Record<string, TrustPolicyProps> = {
  'github-main': { account: ACCOUNT, oidc: [{ providerArn: GITHUB, audience: 'sts.amazonaws.com', subjects: ['repo:my-org/my-repo:ref:refs/heads/main'] }] },
  'github-two-subjects': { oidc: [{ providerArn: GITHUB, audience: 'sts.amazonaws.com', subjects: ['repo:my-org/web:*', 'repo:my-org/api:environment:prod'] }] },
  ec2: { services: ['ec2.amazonaws.com'] },
  'lambda-scoped': { services: ['lambda.amazonaws.com', 'ecs-tasks.amazonaws.com'], serviceSourceAccount: ACCOUNT },
  'lambda-acknowledged': { services: ['lambda.amazonaws.com'], acknowledge: ['SERVICE_PRINCIPAL_UNSCOPED'] },
  'lambda-acknowledged-with-reason': { services: ['lambda.amazonaws.com'], acknowledge: [{ rule: 'SERVICE_PRINCIPAL_UNSCOPED', reason: 'the service sends no source' }] },
  'accounts-and-roles': { account: ACCOUNT, accounts: [OTHER, ACCOUNT], roles: [`arn:aws:iam::${ACCOUNT}:role/ci/deployer`], partition: 'aws-cn', acknowledge: [REASON('CROSS_ACCOUNT')] },
  'own-account': { account: ACCOUNT, accounts: [ACCOUNT], roles: [`arn:aws:iam::${ACCOUNT}:role/deployer`] },
  eks: {
    oidc: [
      {
        providerArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`,
        audience: 'sts.amazonaws.com',
        subjects: ['system:serviceaccount:default:web'],
      },
    ],
  },
  'any-subject-acknowledged': { oidc: [{ providerArn: GITHUB, audience: 'sts.amazonaws.com', subjects: ['*'] }], acknowledge: [REASON('OIDC_SUBJECT_UNPINNED')] },
  everything: {
    account: ACCOUNT,
    services: ['ec2.amazonaws.com', 'ec2.amazonaws.com', 'ssm.amazonaws.com'],
    serviceSourceAccount: ACCOUNT,
    accounts: [ACCOUNT],
    roles: [`arn:aws:iam::${ACCOUNT}:role/deployer`, `arn:aws:iam::${ACCOUNT}:role/deployer`],
    oidc: [
      { providerArn: GITHUB, audience: 'sts.amazonaws.com', subjects: ['repo:a/b:*', 'repo:a/b:*'] },
      { providerArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/gitlab.com`, audience: 'https://gitlab.com', subjects: ['project_path:g/p:ref_type:branch:ref:main'] },
    ],
  },
  // Each preset, as examples/trust-policy calls it.
  'github-actions-names': { account: ACCOUNT, githubActions: [{ owner: 'my-org', repository: 'infra', branches: ['main'], environments: ['production'] }] },
  'github-actions-ids': { account: ACCOUNT, githubActions: [{ owner: 'my-org', repository: 'infra', ownerId: '123456', repositoryId: '456789', tags: ['v*'], pullRequests: true }] },
  'github-actions-ids-by-names': {
    account: ACCOUNT,
    githubActions: [
      {
        owner: 'my-org',
        repository: 'infra',
        ownerId: '123456',
        repositoryId: '456789',
        subjectFormat: 'names',
        branches: ['main'],
        jobWorkflowRefs: ['my-org/wf/.github/workflows/deploy.yml@refs/heads/main'],
        issuer: 'https://token.actions.octo.ghe.com',
      },
    ],
  },
  'github-enterprise-server': {
    githubActions: [
      {
        owner: 'my-org',
        repository: 'infra',
        branches: ['main'],
        issuer: 'https://github.example.com/_services/token',
        providerArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/github.example.com/_services/token`,
      },
    ],
  },
  gitlab: { account: ACCOUNT, gitlab: [{ projectPath: 'my-group/infra', branches: ['main'], tags: ['v*'], protectedRefsOnly: true, projectId: '42' }] },
  'gitlab-self-managed': { account: ACCOUNT, gitlab: [{ projectPath: 'my-group/infra', branches: ['main'], issuer: 'https://gitlab.example.com' }] },
  circleci: { account: ACCOUNT, circleci: [{ organizationId: '1f2e3d4c-5b6a-4978-8877-665544332211', projectIds: ['0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d', '1f2e3d4c-5b6a-4978-8877-665544332211'] }] },
  bitbucket: {
    account: ACCOUNT,
    bitbucketPipelines: [
      {
        workspace: 'my-workspace',
        workspaceUuid: '{1DE489BE-5A52-4B1C-9A3E-0123456789AB}',
        repositoryUuid: '2de489be-5a52-4b1c-9a3e-0123456789ab',
        deploymentEnvironmentUuids: ['{3de489be-5a52-4b1c-9a3e-0123456789ab}'],
      },
    ],
  },
  buildkite: {
    account: ACCOUNT,
    buildkite: [
      { organization: 'my-org', pipelines: ['deploy', 'release'], branches: ['main'] },
      { organization: 'my-org', pipelines: ['nightly'] },
    ],
  },
  'hcp-terraform': { account: ACCOUNT, partition: 'aws-us-gov', terraformCloud: [{ organization: 'my-org', workspaces: ['network', 'app-*'], runPhases: ['plan', 'apply', 'plan'] }] },
  // The presets' shapes at their edges: the longest owner, repository, IDs and environment they take.
  'github-actions-edges': {
    account: ACCOUNT,
    githubActions: [{ owner: `O${'o-'.repeat(19)}`, repository: 'r.'.repeat(50), ownerId: '9'.repeat(20), repositoryId: '1', environments: [`É${'e'.repeat(254)}`], branches: ['main'] }],
  },
  'terraform-enterprise': {
    account: ACCOUNT,
    terraformCloud: [{ organization: 'my-org', project: 'Default Project', workspaces: ['network'], runPhases: ['apply'], issuer: 'https://tfe.example.com', audience: 'tfe.workload' }],
  },
};

// --- random trusts ------------------------------------------------------------------------------------------

const ACCOUNTS = [ACCOUNT, OTHER, '111111111111'];
const account = fc.constantFrom(...ACCOUNTS);
const digits12 = fc.stringMatching(/^[0-9]{12}$/);
const partition = fc.constantFrom('aws', 'aws-cn', 'aws-us-gov', 'aws-iso-b');
const service = fc.oneof(
  fc.constantFrom('ec2.amazonaws.com', 'lambda.amazonaws.com', 'ecs-tasks.amazonaws.com', 'states.amazonaws.com', 'events.amazonaws.com'),
  fc.stringMatching(/^[a-z0-9]{1,8}([.-][a-z0-9]{1,5})?$/).map((name) => `${name}.amazonaws.com`),
);
// Printable ASCII less <, > and &: role paths and names, subjects and audiences.
const PRINTABLE = [...'abcXYZ019_-.+=,@:~!#$%()[]{}|"\\\'/*?;^`'];
const text = (min: number, max: number) => fc.array(fc.constantFrom(...PRINTABLE), { minLength: min, maxLength: max }).map((c) => c.join(''));
const roleArnIn = (accountId: fc.Arbitrary<string>) =>
  fc
    .record({
      partition,
      account: accountId,
      path: fc.option(
        fc.array(
          text(1, 6).filter((s) => !s.includes('/')),
          { minLength: 1, maxLength: 2 },
        ),
        { nil: undefined },
      ),
      name: fc.stringMatching(/^[A-Za-z0-9+=,.@_-]{1,20}$/),
    })
    .map(({ partition: p, account: a, path, name }) => `arn:${p}:iam::${a}:role/${path === undefined ? '' : `${path.join('/')}/`}${name}`);
const roleArn = roleArnIn(digits12);
const host = fc.oneof(
  fc.constantFrom('token.actions.githubusercontent.com', 'gitlab.com', 'accounts.google.com', 'app.terraform.io', 'oidc.eks.eu-west-1.amazonaws.com/id/ABC123'),
  fc.stringMatching(/^[a-z0-9-]{1,10}(\.[a-z0-9-]{1,6}){1,2}(\/[A-Za-z0-9]{1,6})?$/),
);
const oidcTrust: fc.Arbitrary<OidcTrust> = fc.record({
  providerArn: fc.tuple(partition, account, host).map(([p, a, h]) => `arn:${p}:iam::${a}:oidc-provider/${h}`),
  audience: fc.oneof(
    fc.constantFrom('sts.amazonaws.com', '*', 'https://gitlab.com'),
    text(1, 12).filter((s) => !/[*?]/.test(s)),
  ),
  subjects: fc.array(fc.oneof(fc.constantFrom('repo:my-org/my-repo:*', 'repo:a/b:ref:refs/heads/main', 'repo:*', '*'), text(1, 16)), { minLength: 1, maxLength: 3 }),
});
const some = <T>(values: T[], max = 2) => fc.subarray(values, { maxLength: Math.min(max, values.length) });
const UUIDS = ['1f2e3d4c-5b6a-4978-8877-665544332211', '0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d', 'abcdef01-2345-4678-9abc-def012345678'];

const githubActions = fc
  .record(
    {
      owner: fc.constantFrom('my-org', 'Octo-Org', 'a'),
      repository: fc.constantFrom('infra', 'web.app', 'x_y-z'),
      ids: fc.option(fc.constantFrom(['12', '345678'] as const), { nil: undefined }),
      subjectFormat: fc.constantFrom('immutable', 'names'),
      branches: some(['main', 'release/*', 'feat/é', 'a"b']),
      tags: some(['v*', 'v1.0']),
      environments: some(['production', 'prod:eu', 'stage*', 'Ünïcode env']),
      pullRequests: fc.boolean(),
      jobWorkflowRefs: some(['my-org/wf/.github/workflows/deploy.yml@refs/heads/main', 'my-org/wf/.github/workflows/*.yml@*'], 1),
      issuer: fc.constantFrom(
        'https://token.actions.githubusercontent.com',
        'https://token.actions.githubusercontent.com/acme',
        'https://token.actions.octo.ghe.com',
        'https://github.example.com/_services/token',
      ),
      audience: fc.constantFrom('sts.amazonaws.com', 'my-audience'),
    },
    { requiredKeys: ['owner', 'repository'] },
  )
  .map(({ ids, subjectFormat, ...rest }) => ({
    ...rest,
    ...(ids !== undefined && !(rest.issuer ?? '').endsWith('/_services/token') && { ownerId: ids[0], repositoryId: ids[1], ...(subjectFormat !== undefined && { subjectFormat }) }),
    ...(ids === undefined && subjectFormat === 'names' && { subjectFormat }),
  }))
  .map((g) => ((g.branches ?? []).length + (g.tags ?? []).length + (g.environments ?? []).length > 0 || g.pullRequests ? g : { ...g, branches: ['main'] }));
const gitlab = fc
  .record(
    {
      projectPath: fc.constantFrom('my-group/infra', 'g/sub/p_1'),
      branches: some(['main', 'release/*']),
      tags: some(['v*']),
      protectedRefsOnly: fc.boolean(),
      projectId: fc.constantFrom('42', '7'),
      issuer: fc.constantFrom('https://gitlab.com', 'https://gitlab.example.com'),
      audience: fc.constantFrom('https://gitlab.com', 'sts.amazonaws.com'),
    },
    { requiredKeys: ['projectPath'] },
  )
  .map((g) => (g.issuer === 'https://gitlab.example.com' ? { ...g, protectedRefsOnly: undefined, projectId: undefined } : g))
  .map((g) => JSON.parse(JSON.stringify(g)) as typeof g)
  .map((g) => ((g.branches ?? []).length + (g.tags ?? []).length > 0 ? g : { ...g, tags: ['v*'] }));
const circleci = fc.record(
  { organizationId: fc.constantFrom(...UUIDS), projectIds: fc.array(fc.constantFrom(...UUIDS), { minLength: 1, maxLength: 2 }), audience: fc.constantFrom('my-audience') },
  { requiredKeys: ['organizationId', 'projectIds'] },
);
const braced = fc.tuple(fc.constantFrom(...UUIDS), fc.boolean(), fc.boolean()).map(([u, braces, upper]) => (braces ? `{${upper ? u.toUpperCase() : u}}` : upper ? u.toUpperCase() : u));
const bitbucketPipelines = fc.record(
  {
    workspace: fc.constantFrom('my-ws', 'ws_2'),
    workspaceUuid: braced,
    repositoryUuid: braced,
    deploymentEnvironmentUuids: fc.array(braced, { maxLength: 2 }),
    audience: fc.constantFrom('ari:cloud:bitbucket::workspace/x'),
  },
  { requiredKeys: ['workspace', 'workspaceUuid', 'repositoryUuid'] },
);
const buildkite = fc.record(
  {
    organization: fc.constantFrom('my-org', 'acme-2'),
    pipelines: fc.array(fc.constantFrom('deploy', 'release'), { minLength: 1, maxLength: 2 }),
    branches: some(['main', 'release/*']),
    audience: fc.constantFrom('sts.amazonaws.com'),
  },
  { requiredKeys: ['organization', 'pipelines'] },
);
const terraformCloud = fc.record(
  {
    organization: fc.constantFrom('my-org', 'Org_2'),
    project: fc.constantFrom('*', 'Default Project', 'team-*'),
    workspaces: fc.array(fc.constantFrom('network', 'n*', 'app-?'), { minLength: 1, maxLength: 2 }),
    runPhases: fc.array(fc.constantFrom<'plan' | 'apply'>('plan', 'apply'), { minLength: 1, maxLength: 3 }),
    issuer: fc.constantFrom('https://app.terraform.io', 'https://tfe.example.com'),
    audience: fc.constantFrom('aws.workload.identity', 'tfe'),
  },
  { requiredKeys: ['organization', 'workspaces', 'runPhases'] },
);
/** A preset's entries, sometimes with the provider ARN of its tokens, in the role's account or another. */
const presetEntries = <T extends object>(entry: fc.Arbitrary<T>, provider?: string) =>
  fc.array(
    provider === undefined
      ? entry
      : fc.tuple(entry, fc.option(account, { nil: undefined, freq: 2 })).map(([e, a]) => (a === undefined ? e : { ...e, providerArn: `arn:aws:iam::${a}:oidc-provider/${provider}` })),
    { minLength: 1, maxLength: 2 },
  );
const acknowledgement = fc.oneof(
  { arbitrary: fc.constantFrom(...REASON_RULES).map(REASON), weight: 4 },
  { arbitrary: fc.constantFrom<Acknowledgement>('SERVICE_PRINCIPAL_UNSCOPED', { rule: 'SERVICE_PRINCIPAL_UNSCOPED', reason: 'no source' }), weight: 1 },
);
const configuration: fc.Arbitrary<TrustPolicyProps> = fc
  .record(
    {
      services: fc.array(service, { maxLength: 3 }),
      serviceSourceAccount: account,
      accounts: fc.array(account, { maxLength: 2 }),
      roles: fc.array(fc.oneof(roleArnIn(account), roleArn), { maxLength: 2 }),
      oidc: fc.array(oidcTrust, { maxLength: 2 }),
      githubActions: presetEntries(githubActions),
      gitlab: presetEntries(gitlab),
      circleci: presetEntries(circleci),
      bitbucketPipelines: presetEntries(bitbucketPipelines),
      buildkite: presetEntries(buildkite, 'agent.buildkite.com'),
      terraformCloud: presetEntries(terraformCloud),
      presets: fc.shuffledSubarray(
        PRESET_MODULE_SPECS.map((s) => s.prop),
        { maxLength: 2 },
      ),
      account: fc.constantFrom(ACCOUNT, ACCOUNT, OTHER),
      partition,
      acknowledge: fc.array(acknowledgement, { maxLength: 3 }),
    },
    { requiredKeys: [] },
  )
  // A source account needs services; a trust policy has at most three presets (2,048 characters).
  .map((props) => (props.serviceSourceAccount !== undefined && (props.services ?? []).length === 0 ? { ...props, services: ['sns.amazonaws.com'] } : props))
  .map(({ presets = [], ...props }) => Object.fromEntries(Object.entries(props).filter(([k]) => !PRESET_MODULE_SPECS.some((s) => s.prop === k) || presets.includes(k))) as TrustPolicyProps);

// --- near misses: one edit away from a valid principal or preset entry ----------------------------------------

const EDIT_CHARS = [...PRINTABLE, ' ', '\t', 'é', '\u00a0', '\u2028', '✓', '$'];
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
const GOOD_BASE: TrustPolicyProps = { services: ['lambda.amazonaws.com'], serviceSourceAccount: ACCOUNT, account: ACCOUNT };
const GOOD_GITHUB = { owner: 'my-org', repository: 'infra', branches: ['main'] };
/** A trust with one principal, or one string of a preset entry, edited. */
const nearMiss: fc.Arbitrary<TrustPolicyProps> = fc.oneof(
  edited(service).map((s) => ({ ...GOOD_BASE, services: [s] })),
  edited(fc.constant(ACCOUNT)).map((a) => ({ ...GOOD_BASE, accounts: [a] })),
  edited(roleArnIn(fc.constant(ACCOUNT))).map((r) => ({ ...GOOD_BASE, roles: [r] })),
  edited(fc.constantFrom('aws', 'aws-cn', 'aws-us-gov')).map((p) => ({ ...GOOD_BASE, partition: p })),
  edited(fc.constant(GITHUB)).map((arn) => ({ ...GOOD_BASE, oidc: [{ providerArn: arn, audience: 'sts.amazonaws.com', subjects: ['repo:a/b:*'] }] })),
  fc
    .tuple(fc.constantFrom('owner', 'repository', 'issuer', 'audience'), edited(fc.constantFrom('my-org', 'infra', 'https://token.actions.githubusercontent.com', 'sts.amazonaws.com')))
    .map(([k, v]) => ({ ...GOOD_BASE, githubActions: [{ ...GOOD_GITHUB, [k]: v }] })),
  fc
    .tuple(fc.constantFrom('branches', 'tags', 'environments', 'jobWorkflowRefs'), edited(fc.constantFrom('main', 'v1', 'prod', 'o/r/.github/workflows/d.yml@main')))
    .map(([k, v]) => ({ ...GOOD_BASE, githubActions: [{ ...GOOD_GITHUB, [k]: [v] }] })),
  edited(fc.constant('456789')).map((id) => ({ ...GOOD_BASE, githubActions: [{ ...GOOD_GITHUB, ownerId: '123', repositoryId: id }] })),
  fc
    .tuple(fc.constantFrom('projectPath', 'issuer', 'projectId'), edited(fc.constantFrom('my-group/infra', 'https://gitlab.com', '42')))
    .map(([k, v]) => ({ ...GOOD_BASE, gitlab: [{ projectPath: 'g/p', branches: ['main'], [k]: v }] })),
  edited(fc.constantFrom(...UUIDS)).map((u) => ({ ...GOOD_BASE, circleci: [{ organizationId: UUIDS[0], projectIds: [UUIDS[1], u] }] })),
  fc
    .tuple(fc.constantFrom('workspace', 'workspaceUuid', 'repositoryUuid'), edited(fc.constantFrom('my-ws', `{${UUIDS[0]}}`)))
    .map(([k, v]) => ({ ...GOOD_BASE, bitbucketPipelines: [{ workspace: 'my-ws', workspaceUuid: UUIDS[1], repositoryUuid: UUIDS[2], [k]: v }] })),
  fc.tuple(fc.constantFrom('organization', 'pipeline', 'branch'), edited(fc.constantFrom('my-org', 'deploy', 'main'))).map(([k, v]) => ({
    ...GOOD_BASE,
    buildkite: [{ organization: k === 'organization' ? v : 'my-org', pipelines: [k === 'pipeline' ? v : 'deploy'], ...(k === 'branch' && { branches: [v] }) }],
  })),
  fc.tuple(fc.constantFrom('organization', 'project', 'workspace', 'issuer'), edited(fc.constantFrom('my-org', 'Default Project', 'network', 'https://app.terraform.io'))).map(([k, v]) => ({
    ...GOOD_BASE,
    terraformCloud: [{ organization: 'my-org', workspaces: [k === 'workspace' ? v : 'network'], runPhases: ['plan' as const], ...(k !== 'workspace' && { [k]: v }) }],
  })),
);

/**
 * The module message for the one finding `buildTrustPolicy` has for `props`; undefined when it accepts them,
 * finds more than one problem, or one the module checks in a precondition. A preset's message is its finding;
 * an edited provider ARN may fail as an ARN, or be an ARN whose provider makes no condition key or holds a
 * character a policy may not.
 */
function nearMissMessage(props: TrustPolicyProps): string | undefined {
  const { findings } = expected(props);
  if (findings.length !== 1) return undefined;
  const [f] = findings;
  if (f.code !== undefined && f.code !== 'INPUT_TYPE') return undefined; // who gets in: the admission check's
  const preset = PRESET_MODULE_SPECS.find((s) => f.field.startsWith(`${s.prop}[`));
  if (preset !== undefined) {
    if (/\(Statement\[/.test(f.field)) {
      if (!f.problem.includes('outside the characters a policy may hold')) return undefined;
      return `${preset.variable}[${/^\w+\[(\d+)\]/.exec(f.field)![1]}]: holds a character outside those a policy may hold; use tab, LF, CR and U+0020 to U+00FF only.`;
    }
    return readsAccount(f) ? undefined : `${snakeText(f.field)}: ${snakeText(f.problem)}; ${snakeText(f.fix)}.`;
  }
  const variable = ['services', 'accounts', 'roles', 'partition'].find((name) => f.field.startsWith(name));
  if (variable !== undefined && !/\(Statement\[/.test(f.field)) return message(variable);
  if (f.field === 'oidc[0].providerArn') return message('oidc');
  if (f.problem.includes('outside the characters a policy may hold')) return message('oidc', 6);
  if (f.problem.includes('condition key')) return message('oidc', 1);
  throw new Error(`no module rule is known for ${f.field}: ${f.problem}`);
}

describe('terraform-modules/trust-policy with the terraform CLI', () => {
  // Random trusts whose input the module takes (a bad one is a near miss, below): the provider ARN's account
  // aside, which the module checks in a precondition, like the document's findings.
  const samples = fc.sample(
    configuration.filter((props) => expected(props).input.every(readsAccount)),
    { seed: SEED, numRuns: RANDOM_CONFIGURATIONS },
  );
  // Only misses buildTrustPolicy rejects, for one problem (an edit may leave a value valid).
  const misses = fc
    .sample(
      nearMiss.filter((props) => nearMissMessage(props) !== undefined),
      { seed: SEED, numRuns: NEAR_MISSES },
    )
    .map((props): [TrustPolicyProps, string] => [props, nearMissMessage(props)!]);
  const configs: Record<string, TrustPolicyProps> = { ...HAND_WRITTEN, ...Object.fromEntries(samples.map((props, i) => [`c${i}`, props])) };

  let ungated: string;
  let root: ModuleCallRoot;
  let planRoot: ModuleCallRoot;
  const started = Date.now();

  beforeAll(async () => {
    const binary = requireTool('terraform', TERRAFORM_INSTALL);
    ungated = ungatedCopy(ROOT, ['trust-policy', 'policy-admission'], {
      'trust-policy': { admission_findings: '${module.admission.findings}', [preconditionFailures('admission')]: `\${module.admission.${preconditionFailures('json')}}` },
    });
    const args = ModuleCallRoot.arguments([], ARGUMENTS);
    root = new ModuleCallRoot(binary, join(ungated, 'trust-policy'), args, ['json', 'acknowledged', 'admission_findings', preconditionFailures('json'), preconditionFailures('admission')]);
    planRoot = new ModuleCallRoot(binary, join(ROOT, DIR), args);
    await Promise.all([root.init(), planRoot.init()]);
  });

  afterAll(() => {
    root?.remove();
    planRoot?.remove();
    if (ungated !== undefined) rmSync(dirname(ungated), { recursive: true, force: true });
    if (root !== undefined) {
      recordFigure('random trust policies compared with the trust-policy module', samples.length);
      process.stdout.write(
        `trust-policy: ${Object.keys(configs).length} trusts compared (${samples.length} random, seed ${SEED}), ${misses.length} near misses and the hand-written bad inputs planned, in ${root.runs + planRoot.runs} terraform runs, ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
    }
  });

  it(`renders the same JSON as trustPolicy, and refuses what it refuses for the same findings, for hand-written trusts and ${RANDOM_CONFIGURATIONS} random ones (seed ${SEED})`, async () => {
    for (const [name, props] of Object.entries(HAND_WRITTEN)) expect({ name, findings: expected(props).findings }).toEqual({ name, findings: [] });
    const results = await root.planned(Object.fromEntries(Object.entries(configs).map(([n, p]) => [n, moduleArguments(p)])));
    expect(Object.keys(results).sort()).toEqual(Object.keys(configs).sort());
    for (const [name, props] of Object.entries(configs)) {
      const want = expected(props);
      const result = results[name] as { json: string; acknowledged: { rule: string; field: string; reason: string }[]; admission_findings: { rule: string; field: string }[] } & Record<
        string,
        string[]
      >;
      const failures = [...result[preconditionFailures('json')], ...result[preconditionFailures('admission')]].filter((m) => m !== '');
      expect({ name, props, json: result.json, refused: failures.length > 0 }).toEqual({ name, props, json: want.json, refused: want.findings.length > 0 });
      // Only once the input is sound does the TypeScript look at the document (buildTrustPolicy): then the
      // who-gets-in findings left open, and those accepted, are the same.
      if (want.input.length > 0) continue;
      const open = result.admission_findings.map((f) => `${f.rule} ${f.field}`).filter((f) => !result.acknowledged.some((a) => `${a.rule} ${a.field}` === f));
      const wantOpen = want.findings.filter((f) => f.code !== undefined && ADMISSION_RULES.includes(f.code)).map((f) => `${f.code} ${documentField(f)}`);
      expect({ name, open: open.sort() }).toEqual({ name, open: wantOpen.sort() });
      const wantAcknowledged = want.acknowledged.filter((a) => ADMISSION_RULES.includes(a.rule)).map((a) => `${a.rule} ${a.field} ${a.reason}`);
      expect({ name, acknowledged: result.acknowledged.map((a) => `${a.rule} ${a.field} ${a.reason}`).sort() }).toEqual({ name, acknowledged: wantAcknowledged.sort() });
    }
  });

  it('rejects at plan time, each with the message of the rule it breaks, the bad inputs trustPolicy rejects', async () => {
    const oidc = (o: Partial<OidcTrust>): TrustPolicyProps => ({ account: ACCOUNT, oidc: [{ providerArn: GITHUB, audience: 'sts.amazonaws.com', subjects: ['repo:a/b:*'], ...o }] });
    const gh = (e: Record<string, unknown>): TrustPolicyProps => ({ account: ACCOUNT, githubActions: [{ ...GOOD_GITHUB, ...e } as never] });
    const cases: Record<string, [TrustPolicyProps, string | undefined]> = {
      bad_service: [{ ...GOOD_BASE, services: ['ec2'] }, message('services')],
      short_source_account: [{ ...GOOD_BASE, serviceSourceAccount: '1234' }, message('service_source_account')],
      short_account: [{ accounts: ['12345'] }, message('accounts')],
      user_not_role: [{ roles: ['arn:aws:iam::123456123456:user/deployer'] }, message('roles')],
      role_arn_not_oidc: [oidc({ providerArn: 'arn:aws:iam::123456123456:role/x' }), message('oidc')],
      provider_not_host: [oidc({ providerArn: 'arn:aws:iam::123456123456:oidc-provider/sts' }), message('oidc', 1)],
      empty_audience: [oidc({ audience: '' }), message('oidc', 2)],
      wildcard_audience: [oidc({ audience: 'sts.*' }), message('oidc', 3)],
      no_subjects: [oidc({ subjects: [] }), message('oidc', 4)],
      empty_subject: [oidc({ subjects: ['repo:a/b:*', ''] }), message('oidc', 5)],
      not_policy_character: [oidc({ subjects: ['repo:a/b:✓'] }), message('oidc', 6)],
      bad_partition: [{ accounts: ['123456123456'], partition: 'aws_cn', account: ACCOUNT }, message('partition')],
      bad_role_account: [{ ...GOOD_BASE, account: '1234' }, message('account')],
      unknown_finding: [{ ...GOOD_BASE, acknowledge: ['WILDCARD' as never] }, undefined],
      reason_rule_by_name: [{ ...GOOD_BASE, acknowledge: ['CROSS_ACCOUNT' as never] }, undefined],
      // One per preset rule the random near misses may not reach.
      format_not_literal: [gh({ subjectFormat: 'ids' }), undefined],
      ids_apart: [gh({ ownerId: '1' }), undefined],
      immutable_without_ids: [gh({ subjectFormat: 'immutable' }), undefined],
      ids_on_server: [gh({ ownerId: '1', repositoryId: '2', issuer: 'https://github.example.com/_services/token' }), undefined],
      not_github: [gh({ issuer: 'https://gitlab.com' }), undefined],
      all_branches: [gh({ branches: ['*'] }), undefined],
      no_subject: [gh({ branches: [] }), undefined],
      other_provider: [gh({ providerArn: 'arn:aws:iam::123456123456:oidc-provider/gitlab.com' }), undefined],
      self_managed_protected: [{ account: ACCOUNT, gitlab: [{ projectPath: 'g/p', branches: ['main'], issuer: 'https://gitlab.example.com', protectedRefsOnly: true }] }, undefined],
      gitlab_no_ref: [{ account: ACCOUNT, gitlab: [{ projectPath: 'g/p' }] }, undefined],
      circleci_no_project: [{ account: ACCOUNT, circleci: [{ organizationId: UUIDS[0], projectIds: [] }] }, undefined],
      buildkite_no_pipeline: [{ account: ACCOUNT, buildkite: [{ organization: 'my-org', pipelines: [] }] }, undefined],
      tfc_phase: [{ account: ACCOUNT, terraformCloud: [{ organization: 'o', workspaces: ['w'], runPhases: ['destroy' as never] }] }, undefined],
      tfc_no_phase: [{ account: ACCOUNT, terraformCloud: [{ organization: 'o', workspaces: ['w'], runPhases: [] }] }, undefined],
      tfc_no_workspace: [{ account: ACCOUNT, terraformCloud: [{ organization: 'o', workspaces: [], runPhases: ['plan'] }] }, undefined],
      tfc_any_workspace: [{ account: ACCOUNT, terraformCloud: [{ organization: 'o', workspaces: ['*'], runPhases: ['plan'] }] }, undefined],
      wildcard_preset_audience: [{ account: ACCOUNT, buildkite: [{ organization: 'my-org', pipelines: ['d'], audience: 'sts.*' }] }, undefined],
      // The edges of the presets' shapes, one character or one length past them.
      owner_underscore: [gh({ owner: 'my_org' }), undefined],
      owner_hyphen_first: [gh({ owner: '-org' }), undefined],
      owner_too_long: [gh({ owner: 'o'.repeat(40) }), undefined],
      repository_slash: [gh({ repository: 'a/b' }), undefined],
      repository_too_long: [gh({ repository: 'r'.repeat(101) }), undefined],
      id_leading_zero: [gh({ ownerId: '0123', repositoryId: '1' }), undefined],
      id_too_long: [gh({ ownerId: '1'.repeat(21), repositoryId: '1' }), undefined],
      branch_colon: [gh({ branches: ['a:b'] }), undefined],
      branch_no_break_space: [gh({ branches: ['a\u00a0b'] }), undefined],
      branch_variable: [gh({ branches: ['${aws:username}'] }), undefined],
      environment_tab: [gh({ environments: ['a\tb'] }), undefined],
      environment_too_long: [gh({ environments: ['e'.repeat(256)] }), undefined],
      workflow_not_reusable: [gh({ jobWorkflowRefs: ['my-org/wf/deploy.yml@refs/heads/main'] }), undefined],
      issuer_trailing_slash: [{ account: ACCOUNT, gitlab: [{ projectPath: 'g/p', branches: ['main'], issuer: 'https://gitlab.com/' }] }, undefined],
      project_one_segment: [{ account: ACCOUNT, gitlab: [{ projectPath: 'infra', branches: ['main'] }] }, undefined],
      project_wildcard: [{ account: ACCOUNT, gitlab: [{ projectPath: 'g/*', branches: ['main'] }] }, undefined],
      circleci_upper_case: [{ account: ACCOUNT, circleci: [{ organizationId: UUIDS[0].toUpperCase(), projectIds: [UUIDS[1]] }] }, undefined],
      bitbucket_upper_case_workspace: [{ account: ACCOUNT, bitbucketPipelines: [{ workspace: 'My-WS', workspaceUuid: UUIDS[0], repositoryUuid: UUIDS[1] }] }, undefined],
      bitbucket_short_uuid: [{ account: ACCOUNT, bitbucketPipelines: [{ workspace: 'ws', workspaceUuid: UUIDS[0].slice(1), repositoryUuid: UUIDS[1] }] }, undefined],
      buildkite_upper_case: [{ account: ACCOUNT, buildkite: [{ organization: 'my-org', pipelines: ['Deploy'] }] }, undefined],
      tfc_organization_space: [{ account: ACCOUNT, terraformCloud: [{ organization: 'my org', workspaces: ['w'], runPhases: ['plan'] }] }, undefined],
      tfc_project_colon: [{ account: ACCOUNT, terraformCloud: [{ organization: 'o', project: 'a:b', workspaces: ['w'], runPhases: ['plan'] }] }, undefined],
      tfc_workspace_dot: [{ account: ACCOUNT, terraformCloud: [{ organization: 'o', workspaces: ['w.x'], runPhases: ['plan'] }] }, undefined],
    };
    const resolved = Object.fromEntries(
      Object.entries(cases).map(([name, [props, text]]) => {
        const want = expected(props);
        expect({ name, rejectedByTypeScript: want.findings.length > 0 }).toEqual({ name, rejectedByTypeScript: true });
        if (text !== undefined) return [name, [moduleArguments(props), text] as const];
        // The preset's or the acknowledgement's one finding is the message.
        expect({ name, findings: want.findings.length }).toEqual({ name, findings: 1 });
        const [f] = want.findings;
        return [name, [moduleArguments(props), `${snakeText(f.field)}: ${snakeText(f.problem)};`] as const];
      }),
    );
    await expectRejectedAtPlan(root, resolved);
  });

  it('rejects at plan time, as preconditions of json, the bad inputs that read more than one variable', async () => {
    const [noPrincipal, sourceAccountAlone, unscoped] = TRUST_POLICY_PRECONDITIONS.map(([, message]) => message);
    const cases: Record<string, [TrustPolicyProps, string]> = {
      no_principal: [{}, noPrincipal],
      source_account_alone: [{ accounts: ['123456123456'], serviceSourceAccount: '123456123456', account: ACCOUNT }, sourceAccountAlone],
      unscoped: [{ services: ['lambda.amazonaws.com'] }, unscoped],
      unscoped_with_ec2: [{ services: ['ec2.amazonaws.com', 'lambda.amazonaws.com'], acknowledge: ['WILDCARD_ACTION'] }, unscoped],
      no_account: [
        { buildkite: [{ organization: 'my-org', pipelines: ['deploy'] }] },
        "buildkite[0].provider_arn: the OIDC provider is in the role's account, and neither the account nor the provider ARN is given",
      ],
      provider_elsewhere: [
        {
          account: ACCOUNT,
          gitlab: [{ projectPath: 'g/p', branches: ['main'] }],
          circleci: [{ organizationId: UUIDS[0], projectIds: [UUIDS[1]], providerArn: `arn:aws:iam::${OTHER}:oidc-provider/oidc.circleci.com/org/${UUIDS[0]}` }],
        },
        `circleci[0].provider_arn: is in account ${OTHER}: a role of account ${ACCOUNT} can only trust an OIDC provider of its own account; create the provider in account ${ACCOUNT} (OidcProvider), or leave provider_arn out.`,
      ],
    };
    for (const [name, [props, text]] of Object.entries(cases)) {
      const { findings } = expected(props);
      expect({ name, rejectedByTypeScript: findings.length > 0 }).toEqual({ name, rejectedByTypeScript: true });
      if (name === 'no_account' || name === 'provider_elsewhere')
        expect({ name, message: `${snakeText(findings[0].field)}: ${snakeText(findings[0].problem)}; ${snakeText(findings[0].fix)}.`.startsWith(text) }).toEqual({ name, message: true });
    }
    const output = (await planRoot.plan(Object.fromEntries(Object.entries(cases).map(([name, [props]]) => [name, moduleArguments(props)])))).replace(/\s+/g, ' ');
    expect(output.split('Error: Module output value precondition failed').length - 1).toBe(Object.keys(cases).length);
    for (const [name, [, text]] of Object.entries(cases)) {
      const times = Object.values(cases).filter(([, t]) => t === text).length;
      expect({ name, times: output.split(text.replace(/\s+/g, ' ')).length - 1 }).toEqual({ name, times });
    }
  });

  it('fails the plan for each class of open trust, naming the rule, and passes once it is acknowledged with a reason', async () => {
    const cases: Record<string, [TrustPolicyProps, string]> = {
      other_account: [{ account: ACCOUNT, accounts: [OTHER] }, 'CROSS_ACCOUNT'],
      no_account: [{ roles: [`arn:aws:iam::${ACCOUNT}:role/deployer`] }, 'CROSS_ACCOUNT'],
      any_subject: [{ oidc: [{ providerArn: GITHUB, audience: 'sts.amazonaws.com', subjects: ['*'] }] }, 'OIDC_SUBJECT_UNPINNED'],
      any_owner: [{ oidc: [{ providerArn: GITHUB, audience: 'sts.amazonaws.com', subjects: ['repo:*'] }] }, 'OIDC_SUBJECT_ANY_OWNER'],
      any_organization: [
        { oidc: [{ providerArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/app.terraform.io`, audience: 'aws.workload.identity', subjects: ['organization:*'] }] },
        'OIDC_SUBJECT_ANY_OWNER',
      ],
    };
    for (const [name, [props, rule]] of Object.entries(cases)) {
      expect({ name, rules: expected(props).findings.map((f) => f.code) }).toEqual({ name, rules: [rule] });
      expect({ name, findings: expected({ ...props, acknowledge: [REASON(rule)] }).findings }).toEqual({ name, findings: [] });
    }
    const open = (await planRoot.plan(Object.fromEntries(Object.entries(cases).map(([name, [props]]) => [name, moduleArguments(props)])))).replace(/\s+/g, ' ');
    expect(open.split('Error: Module output value precondition failed').length - 1).toBe(Object.keys(cases).length);
    for (const rule of new Set(Object.values(cases).map(([, r]) => r))) {
      expect({ rule, times: open.split(`[${rule}]`).length - 1 }).toEqual({ rule, times: Object.values(cases).filter(([, r]) => r === rule).length });
    }
    const acknowledged = await planRoot.plan(Object.fromEntries(Object.entries(cases).map(([name, [props, rule]]) => [name, moduleArguments({ ...props, acknowledge: [REASON(rule)] })])));
    expect(acknowledged).not.toMatch(/Error/);
  });

  it(`rejects ${NEAR_MISSES} random near misses of valid principals and preset entries that trustPolicy rejects, each with its rule's message (seed ${SEED})`, async () => {
    expect(misses).toHaveLength(NEAR_MISSES);
    await expectRejectedAtPlan(root, Object.fromEntries(misses.map(([props, text], i) => [`m${i}`, [moduleArguments(props), text] as const])));
  });

  it(`counts the size as JSON.stringify does: & is one character, not jsonencode's \\u0026, up to the ${TRUST_POLICY_SIZE_LIMIT} of a trust policy`, async () => {
    const withSubjectOf = (length: number): TrustPolicyProps => oidcOf(['&'.repeat(length)]);
    const oidcOf = (subjects: string[]): TrustPolicyProps => ({ account: ACCOUNT, oidc: [{ providerArn: GITHUB, audience: 'sts.amazonaws.com', subjects }] });
    const base = expected(withSubjectOf(1)).json.length - 1;
    const fits = withSubjectOf(TRUST_POLICY_SIZE_LIMIT - base);
    const over = withSubjectOf(TRUST_POLICY_SIZE_LIMIT - base + 1);
    expect(expected(fits).json.length).toBe(TRUST_POLICY_SIZE_LIMIT);
    expect(accepted(fits)).toBe(true);
    expect(accepted(over)).toBe(false);
    const policies = await planRoot.policies({ fits: moduleArguments(fits) });
    // jsonencode writes each & as \u0026: other bytes, the same document.
    expect(JSON.parse(policies.fits)).toEqual(JSON.parse(expected(fits).json));
    expect(policies.fits.length).toBeGreaterThan(TRUST_POLICY_SIZE_LIMIT);
    const output = (await planRoot.plan({ over: moduleArguments(over) })).replace(/\s+/g, ' ');
    expect(output).toContain(`json: the trust policy is over the ${TRUST_POLICY_SIZE_LIMIT} characters of a role trust policy`);
  });

  it('was given enough distinct trusts, of every kind of principal and preset, accepted and refused', () => {
    expect(samples).toHaveLength(RANDOM_CONFIGURATIONS);
    expect(new Set(samples.map((p) => JSON.stringify(p))).size).toBe(RANDOM_CONFIGURATIONS);
    const rendered = samples.map((p) => expected(p).json);
    const patterns = [
      /"Service":"/,
      /"Service":\[/,
      /aws:SourceAccount/,
      /"AWS":"/,
      /"AWS":\[/,
      /:root"/,
      /:role\//,
      /"Federated"/,
      /:sub":\[/,
      /:sub":"/,
      /repository_id/,
      /ref_protected/,
      /oidc\.circleci\.com\/project-id/,
      /api\.bitbucket\.org/,
      /agent\.buildkite\.com/,
      /run_phase/,
    ];
    for (const pattern of patterns) expect({ pattern: String(pattern), count: rendered.filter((json) => pattern.test(json)).length > 3 }).toEqual({ pattern: String(pattern), count: true });
    expect(rendered.filter((json) => (json.match(/AssumeRoleWithWebIdentity/g) ?? []).length > 1).length).toBeGreaterThan(5);
    const outcomes = samples.map((p) => expected(p));
    const counts = {
      accepted: outcomes.filter((o) => o.findings.length === 0).length,
      'accepted with a reason': outcomes.filter((o) => o.findings.length === 0 && o.acknowledged.length > 0).length,
      'refused: CROSS_ACCOUNT': outcomes.filter((o) => o.findings.some((f) => f.code === 'CROSS_ACCOUNT')).length,
      'refused: OIDC subject': outcomes.filter((o) => o.findings.some((f) => f.code === 'OIDC_SUBJECT_UNPINNED' || f.code === 'OIDC_SUBJECT_ANY_OWNER')).length,
      'refused: provider ARN account': outcomes.filter((o) => o.findings.some(readsAccount)).length,
      'without account': samples.filter((p) => p.account === undefined).length,
    };
    for (const [outcome, n] of Object.entries(counts)) expect({ outcome, reached: n >= 5 }).toEqual({ outcome, reached: true });
    const fields = misses.map(([props]) => Object.keys(props).find((k) => !(k in GOOD_BASE)) ?? 'services');
    for (const field of ['services', 'accounts', 'roles', 'oidc', 'partition', ...PRESET_MODULE_SPECS.map((s) => s.prop)]) {
      expect({ field, some: fields.includes(field) }).toEqual({ field, some: true });
    }
  });
});
