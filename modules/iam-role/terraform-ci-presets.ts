/**
 * The six CI presets of `trustPolicy` (`modules/iam-role/ci-identity/`) as variables of the generated
 * `trust-policy` module: their types, the validation blocks that reject what each preset rejects, and the
 * locals that write each one's statement as the preset writes it. Pure: no cdktf, no file system.
 *
 * Each variable is a list of objects whose attributes are the preset's props in snake_case, optional ones
 * with the TypeScript defaults (the issuers' and audiences' from `OIDC_ISSUERS`); a default the preset derives
 * from another prop (GitLab's audience is its issuer, CircleCI's its organization, Bitbucket's its workspace
 * UUID) is `null` and derived the same way.
 *
 * Each rule is a validation block of the variable; its message is the preset's finding, `<field>: <problem>;
 * <fix>.`, for each entry that breaks it, with the field and the props it names in snake_case
 * (`github_actions[0].provider_arn`). The shapes the presets check with JavaScript regular expressions
 * (private to their files) are written again here in RE2, and the differential test holds them against the
 * presets: `\s` as JavaScript reads it, and a lookahead `(?!.*\$\{)` as a test that the text holds no `${`.
 * The rules that read the trust policy's `account` (the provider ARN is in another account, or neither is
 * given) are preconditions of `json`.
 */
import { BITBUCKET_PIPELINES, BUILDKITE, CIRCLECI, GITHUB_ACTIONS, GITLAB, OIDC_ISSUERS, type OidcIssuer, TERRAFORM_CLOUD } from '../core/oidc-issuers';
import { ACCOUNT_ID, OIDC_PROVIDER_NAME, PARTITION } from '../core/iam-identifiers';
import { expr, hclString, JS_WHITE_SPACE, oneOrList, POLICY_CHARACTER, quotedTemplate, type Validation } from '../private/terraform-module-files';

/** One attribute of a preset's objects. */
interface Attribute {
  readonly name: string;
  /** Its Terraform type. */
  readonly type: string;
  /** `optional(type, default)` when set; `null`: `optional(type)`; absent: required. */
  readonly default?: unknown;
}

/**
 * One rule of a preset: what an entry `x` (at index `i`) must be. `at` is the field after `<variable>[i]`
 * (HCL template text); with `list`, the rule is checked for each element `y` (at `j`) of that list attribute,
 * at `.<list>[j]`. `problem` and `fix` are template text, and may read `x`, `i`, `y`, `j` and the entry's
 * derived values written by `derived`.
 */
interface Rule {
  readonly at?: string;
  readonly list?: string;
  /** HCL: true when the entry (or the element `y`) passes. */
  readonly ok: string;
  readonly problem: string;
  readonly fix: string;
}

/** A preset, as the module takes and writes it. */
export interface PresetModuleSpec {
  /** The variable, e.g. `github_actions`. */
  readonly variable: string;
  /** The `TrustPolicyProps` field, e.g. `githubActions`. */
  readonly prop: string;
  readonly issuer: OidcIssuer;
  readonly description: string;
  readonly attributes: readonly Attribute[];
  /** Validation rules, in the preset's order (shape rules first: the TypeScript checks types before anything). */
  readonly rules: readonly Rule[];
  /** The provider (issuer URL without https://) of entry `x`, as an HCL expression. */
  readonly provider: (x: string) => string;
  /** The audience of entry `x`, default applied. */
  readonly audience: (x: string) => string;
  /** The attributes whose strings go into the statement, for the policy character check. */
  readonly written: readonly string[];
  /** Stages of derived values, each an object of expressions of `x` (the entry with the earlier stages merged). */
  readonly stages: readonly Record<string, string>[];
  /** The statement's conditions, as `{ test, variable, values, when }` expressions of the last stage's `x`. */
  readonly conditions: readonly { readonly test: string; readonly variable: string; readonly values: string; readonly when?: string }[];
}

// --- the presets' shapes, in RE2 (sources in each ci-identity file) ----------------------------------------

/** web-identity.ts ISSUER_URL: https, a host, an optional path; its group is the provider. */
const ISSUER_URL = '^https://([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+(?:/[A-Za-z0-9._~%-]+)*)$';
/** web-identity.ts OIDC_PROVIDER_ARN: groups account and provider. */
const OIDC_PROVIDER_ARN = `^arn:${PARTITION.source}:iam::(${ACCOUNT_ID.source}):oidc-provider/(${OIDC_PROVIDER_NAME.source})$`;
/**
 * A pattern whose counted repetition (`{0,38}`) is written as a length test: RE2 compiles a counted repetition
 * to that many copies, at each call of `regex`, which costs a millisecond an entry for these shapes. The
 * characters are ASCII, or (environments) of a policy's characters, so `length` counts what JavaScript counts.
 */
const within = (pattern: string, max: number) => (value: string) => `${re(pattern, value)} && length(${value}) <= ${max}`;
/** A GitHub or GitLab numeric ID: `^[1-9][0-9]{0,19}$`. */
const id = within('^[1-9][0-9]*$', 20);
/** A git ref name (github-actions.ts, gitlab.ts, buildkite.ts REF), without its lookahead for `${`. */
const REF = `^[^${JS_WHITE_SPACE}~^:\\\\\\[\\x{00}-\\x{1F}\\x{7F}]+$`;
const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
/** bitbucket-pipelines.ts UUID: braces optional, any case; its group is the bare UUID. */
const BRACED_UUID = '(?i)^\\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\}?$';

const re = (pattern: string, value: string) => `can(regex(${hclString(pattern)}, ${value}))`;
const noVariable = (value: string) => `!strcontains(${value}, "$\${")`;
const wildcard = (value: string) => `can(regex("[*?]", ${value}))`;
/** `notAllWildcards`: a value of `*` and `?` alone matches every one. */
const allWildcards = (value: string) => `can(regex("^[*?]+$", ${value}))`;
/** `audienceFindings`: not empty, no wildcard, no policy variable. */
const audienceOk = (value: string) => `${value} != "" && !${wildcard(value)} && ${noVariable(value)}`;
/** The provider of an issuer URL (`issuerProvider`), or `fallback` when it is none. */
const issuerProvider = (issuer: string, fallback: string) => `try(regex(${hclString(ISSUER_URL)}, ${issuer})[0], ${hclString(fallback)})`;
/** The issuer URL without `https://`. */
const providerOf = (issuer: OidcIssuer) => issuer.defaultIssuer.replace(/^https:\/\//, '');
/** `subjectCondition`: StringLike when some value holds a wildcard, else StringEquals. */
const subjectTest = (values: string) => `anytrue([for s in ${values} : ${wildcard('s')}]) ? "StringLike" : "StringEquals"`;

/** Whether `lowerProvider` is of `issuer` by `oidcIssuerOf`: the first issuer whose pattern it matches. */
function isIssuer(issuer: OidcIssuer, lowerProvider: string): string {
  const before = OIDC_ISSUERS.slice(0, OIDC_ISSUERS.indexOf(issuer));
  return [...before.map((i) => `!${re(i.providerPattern, lowerProvider)}`), re(issuer.providerPattern, lowerProvider)].join(' && ');
}

// --- rules every preset shares ------------------------------------------------------------------------------

const issuerUrlRule = (example: string): Rule => ({
  at: '.issuer',
  ok: re(ISSUER_URL, 'x.issuer'),
  problem: 'not an OIDC issuer URL: https://, a host name and an optional path, no trailing slash',
  fix: `write it like "${example}"`,
});
const namesRule = (list: string, pattern: string, problem: string, fix: string, refName = true): Rule => ({
  list,
  ok: refName ? `${re(pattern, 'y')} && ${noVariable('y')}` : re(pattern, 'y'),
  problem,
  fix,
});
const REF_PROBLEM = (what: string) => `not a ${what} name (no white space, ~, ^, :, \\, [ or policy variable)`;
const wildcardsRule = (list: string, what: string, whats = `${what}s`): Rule => ({
  list,
  ok: `!${allWildcards('y')}`,
  problem: `matches every ${what}`,
  fix: `name the ${whats}, or leave the list out`,
});
const audienceRule: Rule = {
  at: '.audience',
  ok: audienceOk('x.audience'),
  problem: 'an audience is the one value the tokens carry, compared with StringEquals: not empty, no wildcard or policy variable',
  fix: 'write the audience out, or leave it out for the documented default',
};
/** `providerArnFor`'s checks of a given ARN: its shape, and that it is the provider of these tokens (`x.provider`). */
const providerArnRules: Rule[] = [
  {
    at: '.provider_arn',
    ok: `x.provider_arn == null ? true : ${re(OIDC_PROVIDER_ARN, 'x.provider_arn')}`,
    problem: 'not an IAM OIDC provider ARN',
    fix: 'write it like "arn:aws:iam::123456123456:oidc-provider/${x.provider}", or leave it out to build it from the account',
  },
  {
    at: '.provider_arn',
    ok: `x.provider_arn == null ? true : (!${re(OIDC_PROVIDER_ARN, 'x.provider_arn')} || lower(regex(${hclString(OIDC_PROVIDER_ARN)}, x.provider_arn)[1]) == lower(x.provider))`,
    problem: `is the provider of \${regex(${hclString(OIDC_PROVIDER_ARN)}, x.provider_arn)[1]}, but these tokens are issued by \${x.provider}, and their condition keys start with \${x.provider}:`,
    fix: 'give the provider of ${x.provider}, or the issuer of this provider',
  },
];

// --- the six presets ---------------------------------------------------------------------------------------

const GITHUB_PROVIDER = (x: string) => issuerProvider(`${x}.issuer`, providerOf(GITHUB_ACTIONS));
const GITHUB_IDS = (x: string) => `${x}.owner_id != null || ${x}.repository_id != null`;

const GITHUB: PresetModuleSpec = {
  variable: 'github_actions',
  prop: 'githubActions',
  issuer: GITHUB_ACTIONS,
  description:
    'GitHub Actions workflows of one repository each (`githubActions` of `trustPolicy`): `owner` and `repository`, and the `branches`, `tags`, `environments` and `pull_requests` that may assume the role, each a separate opt-in; `owner_id` and `repository_id` pin the immutable IDs (`subject_format` `immutable`, the default with IDs, or `names`); `job_workflow_refs` only those reusable workflows; `issuer` for an enterprise, GHE.com or GitHub Enterprise Server. One statement each.',
  attributes: [
    { name: 'owner', type: 'string' },
    { name: 'repository', type: 'string' },
    { name: 'owner_id', type: 'string', default: null },
    { name: 'repository_id', type: 'string', default: null },
    { name: 'subject_format', type: 'string', default: null },
    { name: 'branches', type: 'list(string)', default: [] },
    { name: 'tags', type: 'list(string)', default: [] },
    { name: 'environments', type: 'list(string)', default: [] },
    { name: 'pull_requests', type: 'bool', default: false },
    { name: 'job_workflow_refs', type: 'list(string)', default: [] },
    { name: 'issuer', type: 'string', default: GITHUB_ACTIONS.defaultIssuer },
    { name: 'provider_arn', type: 'string', default: null },
    { name: 'audience', type: 'string', default: GITHUB_ACTIONS.defaultAudience },
  ],
  rules: [
    {
      at: '.subject_format',
      ok: 'x.subject_format == null ? true : contains(["immutable", "names"], x.subject_format)',
      problem: 'is a string, not one of "immutable", "names"',
      fix: 'give one of "immutable", "names"',
    },
    issuerUrlRule(GITHUB_ACTIONS.defaultIssuer),
    {
      at: '.issuer',
      ok: `!${re(ISSUER_URL, 'x.issuer')} || (${isIssuer(GITHUB_ACTIONS, 'lower(x.provider)')})`,
      problem: 'not a GitHub Actions issuer',
      fix: 'use https://token.actions.githubusercontent.com, https://token.actions.githubusercontent.com/<enterprise>, https://token.actions.<subdomain>.ghe.com or https://<host>/_services/token',
    },
    {
      at: '.owner',
      ok: within('^[A-Za-z0-9][A-Za-z0-9-]*$', 39)('x.owner'),
      problem: 'not a GitHub user or organization name (letters, digits and hyphens, no wildcard)',
      fix: 'write the owner as GitHub shows it, e.g. "my-org"',
    },
    {
      at: '.repository',
      ok: within('^[A-Za-z0-9._-]+$', 100)('x.repository'),
      problem: 'not a repository name (letters, digits, ".", "_" and "-", no wildcard)',
      fix: 'name one repository, e.g. "infra"; trust several with one entry each',
    },
    {
      at: '.owner_id',
      ok: `x.owner_id == null ? true : ${id('x.owner_id')}`,
      problem: 'a GitHub ID is a number, written as a string',
      fix: 'give the repository_owner_id GitHub shows in the token or the REST API, e.g. "123456"',
    },
    {
      at: '.repository_id',
      ok: `x.repository_id == null ? true : ${id('x.repository_id')}`,
      problem: 'a GitHub ID is a number, written as a string',
      fix: 'give the repository_id GitHub shows in the token or the REST API, e.g. "123456"',
    },
    {
      at: '.${x.owner_id == null ? "owner_id" : "repository_id"}',
      ok: '(x.owner_id == null) == (x.repository_id == null)',
      problem: "the immutable IDs go together: the owner's and the repository's",
      fix: 'give both owner_id and repository_id, or neither',
    },
    {
      at: '.subject_format',
      ok: `!(x.subject_format == "immutable" && !(${GITHUB_IDS('x')}))`,
      problem: "the immutable subject holds the owner's and the repository's IDs",
      fix: 'give owner_id and repository_id',
    },
    {
      at: '.owner_id',
      ok: `!((${GITHUB_IDS('x')}) && endswith(x.provider, "/_services/token"))`,
      problem: 'GitHub Enterprise Server writes name-only subjects, and AWS STS has no GitHub claim keys for its issuer',
      fix: 'leave owner_id and repository_id out for GitHub Enterprise Server',
    },
    namesRule('branches', REF, REF_PROBLEM('branch'), 'write the branch as git names it, e.g. "main" or "release/*"'),
    namesRule('tags', REF, REF_PROBLEM('tag'), 'write the tag as git names it, e.g. "v*"'),
    {
      ...namesRule(
        'environments',
        '^[^\\x{00}-\\x{1F}\\x{7F}]+$',
        'not an environment name (1 to 255 characters, no control character or policy variable)',
        'write the environment as the repository names it, e.g. "production"',
      ),
      ok: `${within('^[^\\x{00}-\\x{1F}\\x{7F}]+$', 255)('y')} && ${noVariable('y')}`,
    },
    namesRule(
      'job_workflow_refs',
      `^[^/${JS_WHITE_SPACE}]+/[^/${JS_WHITE_SPACE}]+/\\.github/workflows/[^@${JS_WHITE_SPACE}]+@[^${JS_WHITE_SPACE}]+$`,
      'not a reusable workflow reference',
      'write it like "my-org/workflows/.github/workflows/deploy.yml@refs/heads/main"',
    ),
    wildcardsRule('branches', 'branch', 'branches'),
    wildcardsRule('tags', 'tag'),
    wildcardsRule('environments', 'environment'),
    audienceRule,
    {
      ok: 'length(x.branches) + length(x.tags) + length(x.environments) > 0 || x.pull_requests',
      problem: 'says no branch, tag, environment or pull request, so no workflow of the repository could assume the role',
      fix: 'give branches, tags, environments, or pull_requests: true',
    },
    ...providerArnRules,
  ],
  provider: GITHUB_PROVIDER,
  audience: (x) => `${x}.audience`,
  written: ['owner', 'repository', 'owner_id', 'repository_id', 'branches', 'tags', 'environments', 'job_workflow_refs', 'provider_arn', 'audience'],
  stages: [
    { ids: GITHUB_IDS('x') },
    { immutable: '(x.subject_format == null ? (x.ids ? "immutable" : "names") : x.subject_format) == "immutable"' },
    { repo: 'x.immutable ? "repo:${x.owner}@${x.owner_id}/${x.repository}@${x.repository_id}" : "repo:${x.owner}/${x.repository}"' },
    {
      // GitHub writes a ":" inside an environment name as "%3A" (github-actions.ts).
      subjects:
        'concat([for b in x.branches : "${x.repo}:ref:refs/heads/${b}"], [for t in x.tags : "${x.repo}:ref:refs/tags/${t}"], [for e in x.environments : "${x.repo}:environment:${replace(e, ":", "%3A")}"], x.pull_requests ? ["${x.repo}:pull_request"] : [])',
    },
  ],
  conditions: [
    { test: '"StringEquals"', variable: '"${x.provider}:aud"', values: '[x.audience]' },
    { test: subjectTest('x.subjects'), variable: '"${x.provider}:sub"', values: 'x.subjects' },
    { test: '"StringEquals"', variable: '"${x.provider}:repository_id"', values: '[x.repository_id]', when: '!x.immutable && x.ids' },
    { test: '"StringEquals"', variable: '"${x.provider}:repository_owner_id"', values: '[x.owner_id]', when: '!x.immutable && x.ids' },
    { test: subjectTest('x.job_workflow_refs'), variable: '"${x.provider}:job_workflow_ref"', values: 'x.job_workflow_refs', when: 'length(x.job_workflow_refs) > 0' },
  ],
};

const GITLAB_PROVIDER = (x: string) => issuerProvider(`${x}.issuer`, providerOf(GITLAB));
const GITLAB_PRESET: PresetModuleSpec = {
  variable: 'gitlab',
  prop: 'gitlab',
  issuer: GITLAB,
  description:
    'GitLab CI/CD pipelines of one project each (`gitlab` of `trustPolicy`): `project_path` and its `branches` and `tags`; on GitLab.com, `protected_refs_only` and the `project_id`; `issuer` for a self-managed instance; `audience` defaults to the issuer. One statement each.',
  attributes: [
    { name: 'project_path', type: 'string' },
    { name: 'branches', type: 'list(string)', default: [] },
    { name: 'tags', type: 'list(string)', default: [] },
    { name: 'protected_refs_only', type: 'bool', default: false },
    { name: 'project_id', type: 'string', default: null },
    { name: 'issuer', type: 'string', default: GITLAB.defaultIssuer },
    { name: 'provider_arn', type: 'string', default: null },
    { name: 'audience', type: 'string', default: null },
  ],
  rules: [
    issuerUrlRule(GITLAB.defaultIssuer),
    {
      at: '.project_path',
      ok: re('^[A-Za-z0-9_][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_][A-Za-z0-9_.-]*)+$', 'x.project_path'),
      problem: 'not a GitLab project path (group/project, no wildcard)',
      fix: 'name one project by its full path, e.g. "my-group/infra"',
    },
    {
      at: '.project_id',
      ok: `x.project_id == null ? true : ${id('x.project_id')}`,
      problem: 'a project ID is a number, written as a string',
      fix: 'give the project ID GitLab shows in the project settings, e.g. "42"',
    },
    ...['protected_refs_only', 'project_id'].map((name): Rule => ({
      at: `.${name}`,
      ok: `x.provider == "gitlab.com" || ${name === 'project_id' ? 'x.project_id == null' : '!x.protected_refs_only'}`,
      problem: "AWS STS has GitLab's own claim keys for gitlab.com only, not for ${x.provider}",
      fix: `leave ${name} out for a self-managed instance, and pin the refs in branches and tags`,
    })),
    namesRule('branches', REF, REF_PROBLEM('branch'), 'write the branch as git names it, e.g. "main"'),
    namesRule('tags', REF, REF_PROBLEM('tag'), 'write the tag as git names it, e.g. "v*"'),
    wildcardsRule('branches', 'branch', 'branches'),
    wildcardsRule('tags', 'tag'),
    { ...audienceRule, ok: audienceOk('(x.audience == null ? x.issuer : x.audience)') },
    { ok: 'length(x.branches) + length(x.tags) > 0', problem: 'says no branch or tag, so no pipeline of the project could assume the role', fix: 'give branches or tags' },
    ...providerArnRules,
  ],
  provider: GITLAB_PROVIDER,
  // The instance's URL, as GitLab's AWS guide sets it (gitlab.ts).
  audience: (x) => `${x}.audience == null ? ${x}.issuer : ${x}.audience`,
  written: ['project_path', 'branches', 'tags', 'project_id', 'provider_arn', 'audience', 'issuer'],
  stages: [
    {
      subjects: 'concat([for b in x.branches : "project_path:${x.project_path}:ref_type:branch:ref:${b}"], [for t in x.tags : "project_path:${x.project_path}:ref_type:tag:ref:${t}"])',
    },
  ],
  conditions: [
    { test: '"StringEquals"', variable: '"${x.provider}:aud"', values: '[x.audience]' },
    { test: subjectTest('x.subjects'), variable: '"${x.provider}:sub"', values: 'x.subjects' },
    { test: '"StringEquals"', variable: '"${x.provider}:ref_protected"', values: '["true"]', when: 'x.provider == "gitlab.com" && x.protected_refs_only' },
    { test: '"StringEquals"', variable: '"${x.provider}:project_id"', values: '[x.project_id]', when: 'x.provider == "gitlab.com" && x.project_id != null' },
  ],
};

const UUID_FIX = 'copy the ID, a UUID such as "1f2e3d4c-5b6a-4978-8877-665544332211", from CircleCI\'s settings';
const CIRCLECI_PRESET: PresetModuleSpec = {
  variable: 'circleci',
  prop: 'circleci',
  issuer: CIRCLECI,
  description:
    "CircleCI projects of one organization each (`circleci` of `trustPolicy`): `organization_id` and the `project_ids` whose jobs may assume the role, UUIDs from CircleCI's settings; tokens come through the organization's own issuer, with its ID as audience. One statement each.",
  attributes: [
    { name: 'organization_id', type: 'string' },
    { name: 'project_ids', type: 'list(string)' },
    { name: 'provider_arn', type: 'string', default: null },
    { name: 'audience', type: 'string', default: null },
  ],
  rules: [
    { at: '.organization_id', ok: re(UUID, 'x.organization_id'), problem: 'not a CircleCI organization ID (a lower-case UUID)', fix: UUID_FIX },
    { at: '.project_ids', ok: 'length(x.project_ids) > 0', problem: 'no project: every project of the organization would get in', fix: 'list the projects whose jobs may assume the role' },
    { list: 'project_ids', ok: re(UUID, 'y'), problem: 'not a CircleCI project ID (a lower-case UUID)', fix: UUID_FIX },
    { ...audienceRule, ok: audienceOk('(x.audience == null ? x.organization_id : x.audience)') },
    ...providerArnRules,
  ],
  provider: (x) => `"${providerOf(CIRCLECI).replace('<organization ID>', `\${${x}.organization_id}`)}"`,
  audience: (x) => `${x}.audience == null ? ${x}.organization_id : ${x}.audience`,
  written: ['organization_id', 'project_ids', 'provider_arn', 'audience'],
  stages: [],
  conditions: [
    { test: '"StringEquals"', variable: '"${x.provider}:aud"', values: '[x.audience]' },
    { test: '"StringEquals"', variable: `"\${x.provider}:${CIRCLECI.subjectClaims[0]}"`, values: 'x.project_ids' },
  ],
};

const BITBUCKET_UUID_FIX = 'copy the UUID from Bitbucket, e.g. "{1de489be-5a52-4b1c-9a3e-0123456789ab}"';
/** A UUID without braces, lower case (`bareUuid`); the value itself when it is none. */
const bareUuid = (value: string) => `try(lower(regex(${hclString(BRACED_UUID)}, ${value})[0]), ${value})`;
const BITBUCKET_PRESET: PresetModuleSpec = {
  variable: 'bitbucket_pipelines',
  prop: 'bitbucketPipelines',
  issuer: BITBUCKET_PIPELINES,
  description:
    "Bitbucket Pipelines of one repository each (`bitbucketPipelines` of `trustPolicy`): the `workspace`, its `workspace_uuid` and the `repository_uuid` (with or without braces), and, to admit only deployments to them, `deployment_environment_uuids`; tokens come through the workspace's own issuer. One statement each.",
  attributes: [
    { name: 'workspace', type: 'string' },
    { name: 'workspace_uuid', type: 'string' },
    { name: 'repository_uuid', type: 'string' },
    { name: 'deployment_environment_uuids', type: 'list(string)', default: [] },
    { name: 'provider_arn', type: 'string', default: null },
    { name: 'audience', type: 'string', default: null },
  ],
  rules: [
    {
      at: '.workspace',
      ok: re('^[a-z0-9][a-z0-9_-]*$', 'x.workspace'),
      problem: 'not a workspace ID (lower-case letters, digits, "_" and "-")',
      fix: 'write the workspace as its URLs do, e.g. "my-workspace"',
    },
    { at: '.workspace_uuid', ok: re(BRACED_UUID, 'x.workspace_uuid'), problem: 'not a UUID', fix: BITBUCKET_UUID_FIX },
    { at: '.repository_uuid', ok: re(BRACED_UUID, 'x.repository_uuid'), problem: 'not a UUID', fix: BITBUCKET_UUID_FIX },
    { list: 'deployment_environment_uuids', ok: re(BRACED_UUID, 'y'), problem: 'not a UUID', fix: BITBUCKET_UUID_FIX },
    { ...audienceRule, ok: audienceOk(`(x.audience == null ? "ari:cloud:bitbucket::workspace/\${${bareUuid('x.workspace_uuid')}}" : x.audience)`) },
    ...providerArnRules,
  ],
  provider: (x) => `"${providerOf(BITBUCKET_PIPELINES).replace('<workspace>', `\${${x}.workspace}`)}"`,
  // The workspace's audience (bitbucketPipelinesAudience).
  audience: (x) => `${x}.audience == null ? "ari:cloud:bitbucket::workspace/\${${bareUuid(`${x}.workspace_uuid`)}}" : ${x}.audience`,
  written: ['workspace', 'workspace_uuid', 'repository_uuid', 'deployment_environment_uuids', 'provider_arn', 'audience'],
  stages: [
    {
      subjects: `length(x.deployment_environment_uuids) == 0 ? ["{\${${bareUuid('x.repository_uuid')}}}:*"] : [for e in x.deployment_environment_uuids : "{\${${bareUuid('x.repository_uuid')}}}:{\${${bareUuid('e')}}}:*"]`,
    },
  ],
  conditions: [
    { test: '"StringEquals"', variable: '"${x.provider}:aud"', values: '[x.audience]' },
    { test: subjectTest('x.subjects'), variable: '"${x.provider}:sub"', values: 'x.subjects' },
  ],
};

const SLUG = '^[a-z0-9][a-z0-9-]*$';
const BUILDKITE_PRESET: PresetModuleSpec = {
  variable: 'buildkite',
  prop: 'buildkite',
  issuer: BUILDKITE,
  description:
    'Buildkite pipelines of one organization each (`buildkite` of `trustPolicy`): the `organization` slug, its `pipelines`, and, if given, only builds of these `branches`. One statement each.',
  attributes: [
    { name: 'organization', type: 'string' },
    { name: 'pipelines', type: 'list(string)' },
    { name: 'branches', type: 'list(string)', default: [] },
    { name: 'provider_arn', type: 'string', default: null },
    { name: 'audience', type: 'string', default: BUILDKITE.defaultAudience },
  ],
  rules: [
    {
      at: '.organization',
      ok: re(SLUG, 'x.organization'),
      problem: 'not an organization slug (lower-case letters, digits and hyphens, no wildcard)',
      fix: 'write the slug from the organization\'s URL, e.g. "my-org"',
    },
    { at: '.pipelines', ok: 'length(x.pipelines) > 0', problem: 'no pipeline: every pipeline of the organization would get in', fix: 'list the pipelines whose jobs may assume the role' },
    { list: 'pipelines', ok: re(SLUG, 'y'), problem: 'not a pipeline slug (lower-case letters, digits and hyphens, no wildcard)', fix: 'write the slug from the pipeline\'s URL, e.g. "deploy"' },
    namesRule('branches', REF, REF_PROBLEM('branch'), 'write the branch as git names it, e.g. "main"'),
    wildcardsRule('branches', 'branch', 'branches'),
    audienceRule,
    ...providerArnRules,
  ],
  provider: () => hclString(providerOf(BUILDKITE)),
  audience: (x) => `${x}.audience`,
  written: ['organization', 'pipelines', 'branches', 'provider_arn', 'audience'],
  stages: [
    {
      subjects:
        'flatten([for p in x.pipelines : length(x.branches) == 0 ? ["organization:${x.organization}:pipeline:${p}:*"] : [for b in x.branches : "organization:${x.organization}:pipeline:${p}:ref:refs/heads/${b}:*"]])',
    },
  ],
  conditions: [
    { test: '"StringEquals"', variable: '"${x.provider}:aud"', values: '[x.audience]' },
    { test: subjectTest('x.subjects'), variable: '"${x.provider}:sub"', values: 'x.subjects' },
  ],
};

const TERRAFORM_CLOUD_PRESET: PresetModuleSpec = {
  variable: 'terraform_cloud',
  prop: 'terraformCloud',
  issuer: TERRAFORM_CLOUD,
  description:
    'HCP Terraform (Terraform Cloud) or Terraform Enterprise runs (`terraformCloud` of `trustPolicy`): the `organization`, its `project` (any, `*`, by default), the `workspaces` and the `run_phases` (`plan`, `apply`) that may assume the role; `issuer` for Terraform Enterprise. One statement each.',
  attributes: [
    { name: 'organization', type: 'string' },
    { name: 'project', type: 'string', default: '*' },
    { name: 'workspaces', type: 'list(string)' },
    { name: 'run_phases', type: 'list(string)' },
    { name: 'issuer', type: 'string', default: TERRAFORM_CLOUD.defaultIssuer },
    { name: 'provider_arn', type: 'string', default: null },
    { name: 'audience', type: 'string', default: TERRAFORM_CLOUD.defaultAudience },
  ],
  rules: [
    { list: 'run_phases', ok: 'contains(["plan", "apply"], y)', problem: 'is a string, not one of "plan", "apply"', fix: 'give one of "plan", "apply"' },
    issuerUrlRule(TERRAFORM_CLOUD.defaultIssuer),
    {
      at: '.organization',
      ok: re('^[A-Za-z0-9_-]+$', 'x.organization'),
      problem: 'not an organization name (letters, digits, "_" and "-", no wildcard)',
      fix: 'write the organization\'s name, e.g. "my-org"',
    },
    {
      at: '.project',
      ok: re('^[A-Za-z0-9_ *?-]+$', 'x.project'),
      problem: 'not a project name (letters, digits, spaces, "_" and "-")',
      fix: 'write the project\'s name, e.g. "Default Project", or leave it out for any',
    },
    { at: '.workspaces', ok: 'length(x.workspaces) > 0', problem: 'no workspace', fix: 'list the workspaces whose runs may assume the role' },
    { list: 'workspaces', ok: re('^[A-Za-z0-9_*?-]+$', 'y'), problem: 'not a workspace name (letters, digits, "_" and "-")', fix: 'write the workspace\'s name, e.g. "network"' },
    wildcardsRule('workspaces', 'workspace'),
    { at: '.run_phases', ok: 'length(x.run_phases) > 0', problem: 'no run phase, so no run could assume the role', fix: "give ['plan'], ['apply'], or both" },
    audienceRule,
    ...providerArnRules,
  ],
  provider: (x) => issuerProvider(`${x}.issuer`, providerOf(TERRAFORM_CLOUD)),
  audience: (x) => `${x}.audience`,
  written: ['organization', 'project', 'workspaces', 'provider_arn', 'audience'],
  stages: [
    // Each phase once, in the order first given (terraform-cloud.ts: `new Set(runPhases)`).
    { subjects: 'flatten([for w in x.workspaces : [for phase in distinct(x.run_phases) : "organization:${x.organization}:project:${x.project}:workspace:${w}:run_phase:${phase}"]])' },
  ],
  conditions: [
    { test: '"StringEquals"', variable: '"${x.provider}:aud"', values: '[x.audience]' },
    { test: subjectTest('x.subjects'), variable: '"${x.provider}:sub"', values: 'x.subjects' },
  ],
};

/** The presets, in `trust-policy.ts`'s `PRESETS` order: their statements follow the OIDC ones in this order. */
export const PRESET_MODULE_SPECS: readonly PresetModuleSpec[] = [GITHUB, GITLAB_PRESET, CIRCLECI_PRESET, BITBUCKET_PRESET, BUILDKITE_PRESET, TERRAFORM_CLOUD_PRESET];

// --- what the module is written with -----------------------------------------------------------------------

/** The variable's type: a list of objects of the preset's attributes, optional ones with their defaults. */
export function presetType(spec: PresetModuleSpec): string {
  const attribute = (a: Attribute) =>
    a.default === undefined ? `${a.name} = ${a.type}` : a.default === null ? `${a.name} = optional(${a.type})` : `${a.name} = optional(${a.type}, ${JSON.stringify(a.default)})`;
  return `list(object({ ${spec.attributes.map(attribute).join(', ')} }))`;
}

/** Each entry of `var.<variable>` with its provider: what the rules read besides the entry. */
const withProvider = (spec: PresetModuleSpec) => `[for x in var.${spec.variable} : merge(x, { provider = ${spec.provider('x')} })]`;

/** A rule's message: `<field>: <problem>; <fix>.`, as an HCL quoted template. */
const message = (field: string, rule: Rule) => `"${quotedTemplate(`${field}: ${rule.problem}; ${rule.fix}.`)}"`;

/** A rule's messages for entry `x` at `i`: none when it passes. */
function failures(spec: PresetModuleSpec, rule: Rule): string {
  if (rule.list !== undefined) {
    return `[for j, y in x.${rule.list} : ${message(`${spec.variable}[\${i}].${rule.list}[\${j}]`, rule)} if !try(${rule.ok}, false)]`;
  }
  return `[for ok in [try(${rule.ok}, false)] : ${message(`${spec.variable}[\${i}]${rule.at ?? ''}`, rule)} if !ok]`;
}

/**
 * The validation blocks of a preset's variable: one per rule, in the preset's order, whose message lists each
 * entry (and element) that breaks it, as the preset's findings; then the characters a policy may hold (which
 * the TypeScript checks in the document, validate-policy.ts `checkCharacters`), for the strings the entries
 * write that pass their own rules, so that a string breaks one rule at a time, as it is one finding there.
 * The blocks are independent: each reads its rule once (ordered blocks, `guardedValidations`, would read rule
 * k with the k - 1 before it, seconds per hundred entries), and terraform reports every block that fails.
 */
export function presetValidations(spec: PresetModuleSpec): Validation[] {
  const v = spec.variable;
  // The entries, with their provider only where a rule reads it.
  const entries = (text: string) => (/\bx\.provider\b/.test(text) ? withProvider(spec) : `var.${v}`);
  const blocks = spec.rules.map((rule): Validation => {
    const at = rule.list === undefined ? (rule.at ?? '') : `.${rule.list}`;
    const ok = rule.list === undefined ? `try(${rule.ok}, false)` : `alltrue([for y in x.${rule.list} : try(${rule.ok}, false)])`;
    const list = entries(rule.ok + rule.problem + rule.fix);
    return {
      condition: expr(`alltrue([for x in ${list} : try(${ok}, false)])`),
      error_message: expr(
        `try(join("\\n", flatten([for i, x in ${list} : try(${failures(spec, rule)}, [${message(`${v}[\${i}]${at}`, rule)}])])), ${hclString(`${v}: an entry cannot be read; give each attribute its type.`)})`,
      ),
    };
  });
  // A written string is checked for its characters once it passes the rules about it.
  const passes = (rules: readonly Rule[]) => (rules.length === 0 ? 'true' : rules.map((r) => `try(${r.ok}, false)`).join(' && '));
  const policyText = (value: string) => `can(regex(${hclString(`^${POLICY_CHARACTER}*$`)}, ${value}))`;
  const characters = spec.written.map((a) => {
    const listRules = spec.rules.filter((r) => r.list === a);
    const entryRules = spec.rules.filter((r) => r.list === undefined && r.at === `.${a}`);
    if (listRules.length > 0 || spec.attributes.find((attr) => attr.name === a)!.type === 'list(string)') {
      return `alltrue([for y in x.${a} : ${policyText('y')} || !(${passes(listRules)})])`;
    }
    return `(x.${a} == null ? true : ${policyText(`x.${a}`)} || !(${passes(entryRules)}))`;
  });
  const list = entries(characters.join(' '));
  const ok = `try(${characters.join(' && ')}, false)`;
  blocks.push({
    condition: expr(`alltrue([for x in ${list} : ${ok}])`),
    error_message: expr(`join("\\n", [for i, x in ${list} : "${v}[\${i}]: holds a character outside those a policy may hold; use tab, LF, CR and U+0020 to U+00FF only." if !${ok}])`),
  });
  return blocks;
}

/**
 * The locals that write a preset's statements: `<variable>_trusts` (each entry with its provider, audience,
 * provider ARN and the stages' values) and `<variable>_statements` (each the JSON of its statement).
 * Conditions are rendered as `renderConditions` (core/policy-document.ts) renders them: by operator, then key,
 * in the order `jsonencode` writes object keys, values in the order given, a list of one written as a string.
 */
export function presetLocals(spec: PresetModuleSpec): Record<string, string> {
  const v = spec.variable;
  const base = `[for x in var.${v} : merge(x, { provider = ${spec.provider('x')}, audience = ${spec.audience('x')} })]`;
  const stages = spec.stages.reduce(
    (list, stage) =>
      `[for x in ${list} : merge(x, { ${Object.entries(stage)
        .map(([k, e]) => `${k} = ${e}`)
        .join(', ')} })]`,
    base,
  );
  const conditions = `[for c in [${spec.conditions.map((c) => `{ test = ${c.test}, variable = ${c.variable}, values = ${c.values}, when = ${c.when ?? 'true'} }`).join(', ')}] : c if c.when]`;
  return {
    [`${v}_trusts`]: expr(
      `[for x in ${stages} : merge(x, { principal_arn = x.provider_arn != null ? x.provider_arn : "arn:\${var.partition}:iam::\${var.account == null ? "000000000000" : var.account}:oidc-provider/\${x.provider}", conditions = ${conditions} })]`,
    ),
    [`${v}_statements`]: expr(
      `[for x in local.${v}_trusts : jsonencode({ Action = "sts:AssumeRoleWithWebIdentity", Condition = { for test in distinct([for c in x.conditions : c.test]) : test => merge([for c in x.conditions : { (c.variable) = ${oneOrList('c.values')} } if c.test == test]...) }, Effect = "Allow", Principal = { Federated = x.principal_arn } })]`,
    ),
  };
}

/**
 * The messages of the rules of the presets that read the trust policy's account (`providerArnFor`): a given
 * provider ARN in another account, or no provider ARN and no account. One list for every preset.
 */
export function presetAccountProblems(): string {
  const problems = PRESET_MODULE_SPECS.map((spec) => {
    const arn = `regex(${hclString(OIDC_PROVIDER_ARN)}, x.provider_arn)`;
    return `[for i, x in local.${spec.variable}_trusts : x.provider_arn == null ? (var.account == null ? "${spec.variable}[\${i}].provider_arn: the OIDC provider is in the role's account, and neither the account nor the provider ARN is given; give the trust policy's account (the role's account ID), or provider_arn." : "") : (var.account != null && try(${arn}[0] != var.account && lower(${arn}[1]) == lower(x.provider), false) ? "${spec.variable}[\${i}].provider_arn: is in account \${${arn}[0]}: a role of account \${var.account} can only trust an OIDC provider of its own account; create the provider in account \${var.account} (OidcProvider), or leave provider_arn out." : "")]`;
  });
  return `[for m in concat(${problems.join(', ')}) : m if m != ""]`;
}
