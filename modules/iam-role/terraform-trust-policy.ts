/**
 * `trustPolicy` as a plain Terraform module (`terraform-modules/trust-policy/`), generated from this file:
 * the one source of truth for its variables, its validation, its policy logic and its README. Pure: no
 * cdktf, no file system.
 *
 * The statements are built as `buildTrustPolicy` builds them, in its order: the services' (with
 * `aws:SourceAccount` when `service_source_account` is set), the accounts' and roles' (`AWS`), one per
 * OIDC provider, then one per entry of each CI preset (terraform-ci-presets.ts), in `PRESETS` order. The
 * services', accounts' and OIDC statements and the document are written by the one renderer
 * (private/terraform-statements.ts): `jsonencode` of an object, whose keys Terraform writes sorted, the
 * canonical statement order of core/policy-document.ts (`Action`, `Condition`, `Effect`, `Principal`);
 * principal identifiers are distinct and reverse-sorted, condition values kept in order, a list of one
 * written as a string; the document a template so that `Version` comes before `Statement`.
 *
 * Validation rejects what `buildTrustPolicy` rejects, each rule with the function's problem and fix (a
 * validation block, or a precondition of `json` for the rules that read several variables): the
 * principals' shapes (the patterns of trust-policy.ts and of the presets, written again in RE2, which the
 * differential test holds against the functions), a policy with no principal, a service principal without
 * `aws:SourceAccount` (`SERVICE_PRINCIPAL_UNSCOPED`, accepted for EC2 and when acknowledged), a preset's
 * provider ARN in another account than `account` or neither given, the acknowledgements
 * (`acknowledgementFindings`), and what the core's checks of the document find for such inputs: an audience
 * with a wildcard (compared with `StringEquals`), a provider whose `<provider>:aud` is no condition key,
 * characters a policy may not hold, and, as a precondition on `json`, the 2,048 characters of a trust policy.
 * Who the document admits (`admissionFindings`: other accounts than `account`, OIDC tokens not pinned) is
 * `../policy-admission`'s check, which `json` passes through.
 */
import { POLICY_SIZE_LIMITS } from '../core/policy-kind';
import { ACKNOWLEDGE_TYPE, acknowledgeDescription, acknowledgedRules, acknowledgeValidations, admissionRulesTable, POLICY_ADMISSION_MODULE_DIR } from '../private/terraform-policy-admission';
import {
  expr,
  generatedNote,
  guardedValidations,
  hclList,
  hclString,
  jsonStringifyLength,
  matches,
  nullOr,
  oneOrList,
  type OutputDefinition,
  outputWithPreconditions,
  POLICY_CHARACTER,
  policyModuleFiles,
  readmeTables,
  REQUIRED_TERRAFORM_VERSION,
  type VariableDefinition,
} from '../private/terraform-module-files';
import { ACCOUNT_ID as IAM_ACCOUNT_ID, OIDC_PROVIDER_ARN as IAM_OIDC_PROVIDER_ARN, PARTITION as IAM_PARTITION, partitionExamples, ROLE_ARN as IAM_ROLE_ARN } from '../core/iam-identifiers';
import { documentLocals, jsonencodeStatement } from '../private/terraform-statements';
import { PRESET_MODULE_SPECS, presetAccountProblems, presetLocals, presetType, presetValidations } from './terraform-ci-presets';
import { SERVICES_WITHOUT_SOURCE_KEYS } from './trust-policy';

/** The generated module's folder, relative to the project root. */
export const TRUST_POLICY_MODULE_DIR = 'terraform-modules/trust-policy';

export const TRUST_POLICY_NOTE = generatedNote('modules/iam-role/terraform-trust-policy.ts');

/** The size limit `trustPolicy` checks: a role trust policy's default quota, in characters. */
export const TRUST_POLICY_SIZE_LIMIT = POLICY_SIZE_LIMITS.trust.limit;

// The shapes of trust-policy.ts, in RE2 (its sources are cited there); the IAM identifiers are
// core/iam-identifiers.ts's.
const SERVICE_PRINCIPAL = '^[a-z0-9]+([.-][a-z0-9]+)*\\.amazonaws\\.com$';
const ACCOUNT_ID = IAM_ACCOUNT_ID.re2;
const PARTITION = IAM_PARTITION.re2;
const ROLE_ARN = IAM_ROLE_ARN.re2;
const OIDC_PROVIDER_ARN = IAM_OIDC_PROVIDER_ARN.re2;
/** Only policy characters, or none. */
const POLICY_TEXT = `^${POLICY_CHARACTER}*$`;

/** `alltrue` of `test` over the elements `x` of `list`. */
const each = (list: string, test: string) => `alltrue([for x in ${list} : ${test}])`;

/** The type of one OIDC trust, as `OidcTrust`. */
const OIDC_TYPE = 'list(object({ provider_arn = string, audience = string, subjects = list(string) }))';

export const TRUST_POLICY_VARIABLES: readonly VariableDefinition[] = [
  {
    name: 'services',
    description: 'AWS service principals that may assume the role, e.g. `ec2.amazonaws.com`.',
    type: 'list(string)',
    default: [],
    nullable: false,
    validations: guardedValidations([
      [
        each('var.services', matches(SERVICE_PRINCIPAL, 'x')),
        'services: a service principal is the service name followed by .amazonaws.com; write it like "ec2.amazonaws.com"; for an account or a role use accounts or roles.',
      ],
    ]),
  },
  {
    name: 'service_source_account',
    description:
      "Account the services act for: adds `StringEquals aws:SourceAccount` to the services' statement (confused-deputy protection). Needed for every service but `ec2.amazonaws.com`, unless `SERVICE_PRINCIPAL_UNSCOPED` is in `acknowledge`. `null`: no condition.",
    type: 'string',
    default: null,
    nullable: true,
    validations: guardedValidations([
      [nullOr('var.service_source_account', matches(ACCOUNT_ID, 'var.service_source_account')), 'service_source_account: an account ID is 12 digits; write the account ID, e.g. "123456123456".'],
    ]),
  },
  {
    name: 'accounts',
    description: '12-digit account IDs whose principals may assume the role (as far as their own policies let them), written `arn:<partition>:iam::<id>:root`.',
    type: 'list(string)',
    default: [],
    nullable: false,
    validations: guardedValidations([[each('var.accounts', matches(ACCOUNT_ID, 'x')), 'accounts: an account ID is 12 digits; write the account ID, e.g. "123456123456".']]),
  },
  {
    name: 'roles',
    description: 'ARNs of roles that may assume the role, e.g. `arn:aws:iam::123456123456:role/deployer`.',
    type: 'list(string)',
    default: [],
    nullable: false,
    validations: guardedValidations([
      [each('var.roles', matches(ROLE_ARN, 'x')), 'roles: not an IAM role ARN; write it like "arn:aws:iam::123456123456:role/deployer"; for a whole account use accounts.'],
    ]),
  },
  {
    name: 'oidc',
    description:
      'OIDC identity providers, one statement each: `provider_arn` (the IAM OIDC provider), `audience` (the `aud` its tokens carry, compared with `StringEquals`) and `subjects` (the `sub` values that may assume the role, compared with `StringLike`: at least one; `*` alone is `OIDC_SUBJECT_UNPINNED`, and a wildcard before the owner `OIDC_SUBJECT_ANY_OWNER`). For a CI system, prefer its preset.',
    type: OIDC_TYPE,
    default: [],
    nullable: false,
    validations: guardedValidations([
      [
        each('var.oidc', matches(OIDC_PROVIDER_ARN, 'x.provider_arn')),
        'oidc: a provider_arn is not an IAM OIDC provider ARN; write it like "arn:aws:iam::123456123456:oidc-provider/token.actions.githubusercontent.com".',
      ],
      [
        // The core takes `<provider>:aud` for a web identity key only when the provider holds "." or "/"
        // (a host name or URL path), or is saml; any other prefix is read as a service's.
        each('var.oidc', `${matches('^[^/]+/.*[./]', 'x.provider_arn')} || ${matches('^[^/]+/saml$', 'x.provider_arn')}`),
        "oidc: a provider_arn's provider is no host name: its <provider>:aud and <provider>:sub would be no condition key; use the provider URL without https://, e.g. token.actions.githubusercontent.com.",
      ],
      [each('var.oidc', 'x.audience != null && x.audience != ""'), 'oidc: a web identity trust needs the audience its tokens carry; give the audience, e.g. "sts.amazonaws.com" for GitHub Actions.'],
      [
        each('var.oidc', `x.audience == "*" || !${matches('[*?]', 'x.audience')}`),
        'oidc: an audience is compared with StringEquals, which compares * and ? literally; write the audience the tokens carry, without wildcards.',
      ],
      [
        each('var.oidc', 'x.subjects == null ? false : length(x.subjects) > 0'),
        'oidc: without a sub condition every identity of the provider (any repository, any cluster) may assume the role; list the subjects, e.g. "repo:my-org/my-repo:ref:refs/heads/main".',
      ],
      [
        // A subject of wildcards alone is the admission check's OIDC_SUBJECT_UNPINNED, accepted with a reason.
        'alltrue(flatten([for x in var.oidc : [for s in x.subjects : s != null && s != ""]]))',
        'oidc: an empty subject matches no token; name the subjects, e.g. "repo:my-org/my-repo:ref:refs/heads/main".',
      ],
      [
        each('var.oidc', `${matches(POLICY_TEXT, 'x.provider_arn')} && ${matches(POLICY_TEXT, 'x.audience')} && alltrue([for s in x.subjects : ${matches(POLICY_TEXT, 's')}])`),
        'oidc: holds a character outside those a policy may hold; use tab, LF, CR and U+0020 to U+00FF only.',
      ],
    ]),
  },
  ...PRESET_MODULE_SPECS.map((spec): VariableDefinition => ({
    name: spec.variable,
    description: spec.description,
    type: presetType(spec),
    default: [],
    nullable: false,
    validations: presetValidations(spec),
  })),
  {
    name: 'account',
    description:
      "The 12-digit ID of the account the role is in: principals of other accounts are `CROSS_ACCOUNT` findings, and the presets' OIDC provider ARNs are built in it. `null`: not known; every account principal is then a `CROSS_ACCOUNT` finding, and each preset needs its `provider_arn`.",
    type: 'string',
    default: null,
    nullable: true,
    validations: guardedValidations([
      [nullOr('var.account', matches(ACCOUNT_ID, 'var.account')), 'account: an account ID is 12 digits; write the ID of the account the role is in, e.g. "123456123456".'],
    ]),
  },
  {
    name: 'partition',
    description: "Partition of the account principals built from `accounts`, and of the presets' provider ARNs.",
    type: 'string',
    default: 'aws',
    nullable: false,
    validations: guardedValidations([[matches(PARTITION, 'var.partition'), `partition: not an AWS partition; use ${partitionExamples('"')}.`]]),
  },
  {
    name: 'acknowledge',
    description: `${acknowledgeDescription('the trust policy')} \`SERVICE_PRINCIPAL_UNSCOPED\` by name, for a service that cannot send \`aws:SourceAccount\`.`,
    type: ACKNOWLEDGE_TYPE,
    default: [],
    nullable: false,
    validations: acknowledgeValidations('acknowledge', 'acknowledge'),
  },
];

/** Every principal input, and the presets' variables, for the rule that asks for at least one. */
const PRINCIPAL_VARIABLES = ['services', 'accounts', 'roles', 'oidc', ...PRESET_MODULE_SPECS.map((s) => s.variable)];

/**
 * The rules that read more than one variable, as preconditions of `json` rather than validation blocks:
 * terraform skips every validation block of a variable when a variable one of its blocks reads fails its
 * own, in every instance of the call (terraform 1.11), which would hide the variable's own rules.
 * Each is `[condition, message]`, evaluated with `try(…, false)`.
 */
export const TRUST_POLICY_PRECONDITIONS: readonly (readonly [string, string])[] = [
  [
    `${PRINCIPAL_VARIABLES.map((v) => `length(var.${v})`).join(' + ')} > 0`,
    `${PRINCIPAL_VARIABLES.join(', ')}: a trust policy needs at least one principal, or no one can assume the role; give services, accounts, roles, oidc or a CI preset (${PRESET_MODULE_SPECS.map((s) => s.variable).join(', ')}).`,
  ],
  ['var.service_source_account == null || length(var.services) > 0', 'service_source_account: applies to services, and there are none; add services, or remove service_source_account.'],
  [
    `var.service_source_account != null || length(var.services) == 0 || ${each('var.services', `contains(${hclList([...SERVICES_WITHOUT_SOURCE_KEYS].sort())}, x)`)} || contains(${acknowledgedRules('var.acknowledge')}, "SERVICE_PRINCIPAL_UNSCOPED")`,
    'services: a service principal without aws:SourceArn or aws:SourceAccount can act for any account (confused deputy); set service_source_account to the account the services act for, or add "SERVICE_PRINCIPAL_UNSCOPED" to acknowledge.',
  ],
].map(([condition, message]) => [`try(${condition}, false)`, message] as const);

/**
 * The presets' rules that read `account` (`providerArnFor`), as one precondition of `json`: its message lists
 * every entry that breaks one, each as the preset's finding.
 */
export const TRUST_POLICY_PROVIDER_ARN_PRECONDITION: readonly [string, string] = ['length(local.preset_account_problems) == 0', '${join("\\n", local.preset_account_problems)}'];

export const TRUST_POLICY_OUTPUTS: readonly OutputDefinition[] = [
  {
    name: 'json',
    description:
      'The trust policy, as canonical minified JSON: the same text as `JSON.stringify(trustPolicy(...))`. Checked by `../policy-admission`: planning fails while it admits principals no acknowledgement accepts.',
    value: 'module.admission.json',
  },
  { name: 'acknowledged', description: 'The findings of who the policy admits that `acknowledge` accepts: `rule`, `field` (of the document), `reason`.', value: 'module.admission.acknowledged' },
];

/** The statements' fixed fields: the action, and the effect. */
const ASSUME_ROLE = { Action: hclString('sts:AssumeRole'), Effect: hclString('Allow') };
const ASSUME_ROLE_WITH_WEB_IDENTITY = { Action: hclString('sts:AssumeRoleWithWebIdentity'), Effect: hclString('Allow') };

/** The locals of `main.tf.json`: the statements of `buildTrustPolicy`, in its order. */
function policyLocals(): Record<string, string> {
  return {
    ...Object.assign({}, ...PRESET_MODULE_SPECS.map(presetLocals)),
    preset_account_problems: expr(presetAccountProblems()),
    services: expr('reverse(sort(distinct(var.services)))'),
    aws_principals: expr('reverse(sort(distinct(concat([for a in var.accounts : "arn:${var.partition}:iam::${a}:root"], var.roles))))'),
    // The provider part of each provider ARN: everything after the first "/" (the part before holds none).
    oidc_providers: expr('[for o in var.oidc : regex("^[^/]+/(.*)$", o.provider_arn)[0]]'),
    statement_services: expr(jsonencodeStatement({ ...ASSUME_ROLE, Principal: { Service: oneOrList('local.services') } })),
    statement_services_scoped: expr(
      jsonencodeStatement({
        Action: ASSUME_ROLE.Action,
        Condition: { StringEquals: { 'aws:SourceAccount': 'var.service_source_account' } },
        Effect: ASSUME_ROLE.Effect,
        Principal: { Service: oneOrList('local.services') },
      }),
    ),
    statement_aws: expr(jsonencodeStatement({ ...ASSUME_ROLE, Principal: { AWS: oneOrList('local.aws_principals') } })),
    statements_oidc: expr(
      `[for i, o in var.oidc : ${jsonencodeStatement({
        Action: ASSUME_ROLE_WITH_WEB_IDENTITY.Action,
        Condition: {
          StringEquals: { '("${local.oidc_providers[i]}:aud")': 'o.audience' },
          StringLike: { '("${local.oidc_providers[i]}:sub")': oneOrList('o.subjects') },
        },
        Effect: ASSUME_ROLE_WITH_WEB_IDENTITY.Effect,
        Principal: { Federated: 'o.provider_arn' },
      })}]`,
    ),
    statements: expr(
      'concat(' +
        [
          'length(local.services) > 0 ? [var.service_source_account == null ? local.statement_services : local.statement_services_scoped] : []',
          'length(local.aws_principals) > 0 ? [local.statement_aws] : []',
          'local.statements_oidc',
          ...PRESET_MODULE_SPECS.map((spec) => `local.${spec.variable}_statements`),
        ].join(', ') +
        ')',
    ),
    ...documentLocals(),
  };
}

function outputs(): Record<string, unknown> {
  return {
    json: outputWithPreconditions(TRUST_POLICY_OUTPUTS[0], [
      ...TRUST_POLICY_PRECONDITIONS,
      TRUST_POLICY_PROVIDER_ARN_PRECONDITION,
      [
        `${jsonStringifyLength('local.document')} <= ${TRUST_POLICY_SIZE_LIMIT}`,
        `json: the trust policy is over the ${TRUST_POLICY_SIZE_LIMIT} characters of a role trust policy (the default quota); trust fewer principals, or fewer subjects per provider.`,
      ],
    ]),
    acknowledged: outputWithPreconditions(TRUST_POLICY_OUTPUTS[1], []),
  };
}

/** The HCL example of the README: GitHub Actions of one branch, with the preset, in the role's account. */
export const TRUST_POLICY_EXAMPLE = [
  'module "trust" {',
  '  source = "./terraform-modules/trust-policy"',
  '',
  '  account        = "123456123456"',
  '  github_actions = [{ owner = "my-org", repository = "infra", branches = ["main"] }]',
  '}',
];

/** The README's example of each preset (the same calls as examples/trust-policy), by variable. */
export const PRESET_EXAMPLES: Readonly<Record<string, string>> = {
  github_actions: '[{ owner = "my-org", repository = "infra", branches = ["main"], environments = ["production"] }]',
  gitlab: '[{ project_path = "my-group/infra", branches = ["main"], protected_refs_only = true }]',
  circleci: '[{ organization_id = "<organization UUID>", project_ids = ["<project UUID>"] }]',
  bitbucket_pipelines: '[{ workspace = "my-workspace", workspace_uuid = "{<workspace UUID>}", repository_uuid = "{<repository UUID>}" }]',
  buildkite: '[{ organization = "my-org", pipelines = ["deploy"], branches = ["main"] }]',
  terraform_cloud: '[{ organization = "my-org", workspaces = ["network"], run_phases = ["plan"] }]',
};

function readme(): string {
  return [
    '# trust-policy',
    '',
    TRUST_POLICY_NOTE,
    '',
    'A role trust policy (who may assume the role) as plain Terraform: the same document, byte for byte, as',
    '`trustPolicy` in `modules/iam-role`, for services, accounts, roles, OIDC identity providers and the CI presets (see its',
    "README). It needs no provider: pass `json` to an `aws_iam_role`'s `assume_role_policy`, or use `../iam-role`'s `trust`.",
    'Bad inputs fail `terraform plan` with a validation error naming the variable and the fix.',
    `Requires Terraform \`${REQUIRED_TERRAFORM_VERSION}\`.`,
    '',
    '```hcl',
    ...TRUST_POLICY_EXAMPLE,
    '```',
    '',
    '## CI presets',
    '',
    "One statement per entry, written as the TypeScript preset writes it: the IAM OIDC provider of the role's `account`",
    '(or `provider_arn`), the audience the CI system documents for AWS (or `audience`), and a subject that names the',
    'repository, project or pipeline and its owner. Each entry is checked as the preset checks it; the message names the',
    'entry and the attribute (`github_actions[0].branches[1]: …`).',
    '',
    '| Variable | What it trusts | Example |',
    '|---|---|---|',
    ...PRESET_MODULE_SPECS.map((spec) => `| \`${spec.variable}\` | ${spec.description.replace(/\|/g, '\\|')} | \`${PRESET_EXAMPLES[spec.variable]}\` |`),
    '',
    '## Who gets in',
    '',
    'The document goes through `../policy-admission`, which finds who it admits as `admissionFindings` does: planning fails',
    'while a finding is open, naming its rule, field, problem and fix. `account` is the account the role is in: without it,',
    'every account principal (`accounts`, `roles`) is `CROSS_ACCOUNT`, since the module cannot tell whose it is, and the',
    'presets need `provider_arn`. A finding of who gets in is accepted only with a reason, in `acknowledge`:',
    '',
    '```hcl',
    'module "deployer_trust" {',
    '  source = "./terraform-modules/trust-policy"',
    '',
    '  account  = "123456123456"',
    '  accounts = ["210987654321"]',
    '  acknowledge = [',
    '    { rule = "CROSS_ACCOUNT", reason = "the tooling account deploys here" },',
    '  ]',
    '}',
    '```',
    '',
    ...admissionRulesTable(),
    '',
    `Besides, like \`trustPolicy\`, the module rejects a service principal without \`aws:SourceAccount\` (but EC2's) unless`,
    '`SERVICE_PRINCIPAL_UNSCOPED` is acknowledged (by name), an OIDC trust without subjects or an empty one, and a policy over',
    `${TRUST_POLICY_SIZE_LIMIT.toLocaleString('en-US')} characters (the default trust policy quota). The rules that read several variables (at least one principal;`,
    "a source account needs services; a service without one; a preset's provider ARN in another account, or no account",
    'and no provider ARN) are preconditions of `json`: terraform checks them where `json` is used.',
    '',
    ...readmeTables(TRUST_POLICY_VARIABLES, TRUST_POLICY_OUTPUTS),
  ].join('\n');
}

/** The files of `terraform-modules/trust-policy/`, by path relative to the project root. */
export function trustPolicyModuleFiles(): Record<string, string> {
  return policyModuleFiles(TRUST_POLICY_MODULE_DIR, {
    note: TRUST_POLICY_NOTE,
    readme: readme(),
    locals: policyLocals(),
    variables: TRUST_POLICY_VARIABLES,
    outputs: outputs(),
    modules: { admission: admissionCall('local.document', 'var.account', 'var.acknowledge') },
  });
}

/** A call of `../policy-admission`, which checks who `policy` admits (expressions of the calling module). */
export function admissionCall(policy: string, account: string, acknowledge: string): Record<string, unknown> {
  return { source: `../${POLICY_ADMISSION_MODULE_DIR.replace(/^terraform-modules\//, '')}`, policy: expr(policy), account: expr(account), acknowledge: expr(acknowledge) };
}
