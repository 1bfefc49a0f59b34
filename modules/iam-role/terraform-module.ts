/**
 * `trustPolicy` as a plain Terraform module (`terraform-modules/trust-policy/`), generated from this file:
 * the one source of truth for its variables, its validation, its policy logic and its README. Pure: no
 * cdktf, no file system.
 *
 * The statements are built as `buildTrustPolicy` builds them, in its order: the services' (with
 * `aws:SourceAccount` when `service_source_account` is set), the accounts' and roles' (`AWS`), then one per
 * OIDC provider. Each statement is `jsonencode` of an object, whose keys Terraform writes sorted, which is
 * the canonical statement order of core/policy-document.ts (`Action`, `Condition`, `Effect`, `Principal`);
 * principal identifiers are distinct and reverse-sorted, condition values kept in order, a list of one
 * written as a string. The document is a template so that `Version` comes before `Statement`.
 *
 * Validation rejects what `buildTrustPolicy` rejects, each rule with the function's problem and fix (a
 * validation block, or a precondition of `json` for the rules that read several variables): the
 * principals' shapes (the patterns of trust-policy.ts, written again in RE2, which the differential test
 * holds against the function), a policy with no principal, a service principal
 * without `aws:SourceAccount` (`SERVICE_PRINCIPAL_UNSCOPED`, accepted for EC2 and when acknowledged), and
 * what the core's checks of the document find for such inputs: an audience with a wildcard (compared with
 * `StringEquals`), a provider whose `<provider>:aud` is no condition key, characters a policy may not hold,
 * and, as a precondition on `json`, the 2,048 characters of a trust policy.
 */
import { POLICY_SIZE_LIMITS } from '../core/policy-kind';
import { acknowledgeableRules } from '../core/acknowledgements';
import { needsReason } from '../core/rules';
import {
  expr,
  generatedNote,
  guardedValidations,
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
import { SERVICES_WITHOUT_SOURCE_KEYS } from './trust-policy';

/** The generated module's folder, relative to the project root. */
export const TRUST_POLICY_MODULE_DIR = 'terraform-modules/trust-policy';

export const TRUST_POLICY_NOTE = generatedNote('modules/iam-role/terraform-module.ts');

/** The size limit `trustPolicy` checks: a role trust policy's default quota, in characters. */
export const TRUST_POLICY_SIZE_LIMIT = POLICY_SIZE_LIMITS.trust.limit;

/** Every finding a caller may accept by name. */
const ACKNOWLEDGEABLE: readonly string[] = acknowledgeableRules().filter((r) => !needsReason(r));

// The shapes of trust-policy.ts, in RE2 (its sources are cited there). JavaScript's \s is written out:
// RE2's \s is ASCII white space only.
const SERVICE_PRINCIPAL = '^[a-z0-9]+([.-][a-z0-9]+)*\\.amazonaws\\.com$';
const ACCOUNT_ID = '^[0-9]{12}$';
const PARTITION = '^aws(-[a-z]+)*$';
const ROLE_ARN = '^arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/([\\x{21}-\\x{7E}]+/)?[\\w+=,.@-]{1,64}$';
const JS_WHITE_SPACE = '\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}';
const OIDC_PROVIDER_ARN = `^arn:aws(-[a-z]+)*:iam::[0-9]{12}:oidc-provider/[^${JS_WHITE_SPACE}:]+$`;
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
      'Account the services act for: adds `StringEquals aws:SourceAccount` to the services\' statement (confused-deputy protection). Needed for every service but `ec2.amazonaws.com`, unless `SERVICE_PRINCIPAL_UNSCOPED` is in `acknowledge`. `null`: no condition.',
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
      'OIDC identity providers, one statement each: `provider_arn` (the IAM OIDC provider), `audience` (the `aud` its tokens carry, compared with `StringEquals`) and `subjects` (the `sub` values that may assume the role, compared with `StringLike`: at least one, and not `*` alone).',
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
        'oidc: a provider_arn\'s provider is no host name: its <provider>:aud and <provider>:sub would be no condition key; use the provider URL without https://, e.g. token.actions.githubusercontent.com.',
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
        `alltrue(flatten([for x in var.oidc : [for s in x.subjects : s != null && s != "" && !${matches('^[*?]+$', 's')}]]))`,
        'oidc: a subject matches every subject of the provider (empty, or only * and ?); name the subjects, e.g. "repo:my-org/my-repo:*".',
      ],
      [
        each('var.oidc', `${matches(POLICY_TEXT, 'x.provider_arn')} && ${matches(POLICY_TEXT, 'x.audience')} && alltrue([for s in x.subjects : ${matches(POLICY_TEXT, 's')}])`),
        'oidc: holds a character outside those a policy may hold; use tab, LF, CR and U+0020 to U+00FF only.',
      ],
    ]),
  },
  {
    name: 'partition',
    description: 'Partition of the account principals built from `accounts`.',
    type: 'string',
    default: 'aws',
    nullable: false,
    validations: guardedValidations([[matches(PARTITION, 'var.partition'), 'partition: not an AWS partition; use "aws", "aws-cn" or "aws-us-gov".']]),
  },
  {
    name: 'acknowledge',
    description: 'Findings accepted by name: `SERVICE_PRINCIPAL_UNSCOPED` for a service that cannot send `aws:SourceAccount`.',
    type: 'list(string)',
    default: [],
    nullable: false,
    validations: guardedValidations([
      [
        each('var.acknowledge', `contains(${JSON.stringify(ACKNOWLEDGEABLE)}, x)`),
        `acknowledge: not a finding that may be accepted; use one of ${ACKNOWLEDGEABLE.join(', ')}.`,
      ],
    ]),
  },
];

/**
 * The rules that read more than one variable, as preconditions of `json` rather than validation blocks:
 * terraform skips every validation block of a variable when a variable one of its blocks reads fails its
 * own, in every instance of the call (terraform 1.11), which would hide the variable's own rules.
 * Each is `[condition, message]`, evaluated with `try(…, false)`.
 */
export const TRUST_POLICY_PRECONDITIONS: readonly (readonly [string, string])[] = [
  [
    'length(var.services) + length(var.accounts) + length(var.roles) + length(var.oidc) > 0',
    'services, accounts, roles, oidc: a trust policy needs at least one principal, or no one can assume the role; give services, accounts, roles or oidc.',
  ],
  ['var.service_source_account == null || length(var.services) > 0', 'service_source_account: applies to services, and there are none; add services, or remove service_source_account.'],
  [
    `var.service_source_account != null || length(var.services) == 0 || ${each('var.services', `contains(${JSON.stringify([...SERVICES_WITHOUT_SOURCE_KEYS].sort())}, x)`)} || contains(var.acknowledge, "SERVICE_PRINCIPAL_UNSCOPED")`,
    'services: a service principal without aws:SourceArn or aws:SourceAccount can act for any account (confused deputy); set service_source_account to the account the services act for, or add "SERVICE_PRINCIPAL_UNSCOPED" to acknowledge.',
  ],
].map(([condition, message]) => [`try(${condition}, false)`, message] as const);

export const TRUST_POLICY_OUTPUTS: readonly OutputDefinition[] = [
  { name: 'json', description: 'The trust policy, as canonical minified JSON: the same text as `JSON.stringify(trustPolicy(...))`.', value: 'local.document' },
];

/** One statement: `jsonencode` writes the object's keys sorted, the canonical order. */
function statement(fields: Record<string, string>): string {
  return `jsonencode({ ${Object.entries(fields).map(([k, v]) => `${k} = ${v}`).join(', ')} })`;
}

/** The locals of `main.tf.json`: the statements of `buildTrustPolicy`, in its order. */
function policyLocals(): Record<string, string> {
  return {
    services: expr('reverse(sort(distinct(var.services)))'),
    aws_principals: expr('reverse(sort(distinct(concat([for a in var.accounts : "arn:${var.partition}:iam::${a}:root"], var.roles))))'),
    // The provider part of each provider ARN: everything after the first "/" (the part before holds none).
    oidc_providers: expr('[for o in var.oidc : regex("^[^/]+/(.*)$", o.provider_arn)[0]]'),
    statement_services: expr(statement({ Action: '"sts:AssumeRole"', Effect: '"Allow"', Principal: `{ Service = ${oneOrList('local.services')} }` })),
    statement_services_scoped: expr(
      statement({
        Action: '"sts:AssumeRole"',
        Condition: '{ StringEquals = { "aws:SourceAccount" = var.service_source_account } }',
        Effect: '"Allow"',
        Principal: `{ Service = ${oneOrList('local.services')} }`,
      }),
    ),
    statement_aws: expr(statement({ Action: '"sts:AssumeRole"', Effect: '"Allow"', Principal: `{ AWS = ${oneOrList('local.aws_principals')} }` })),
    statements_oidc: expr(
      `[for i, o in var.oidc : ${statement({
        Action: '"sts:AssumeRoleWithWebIdentity"',
        Condition: `{ StringEquals = { ("\${local.oidc_providers[i]}:aud") = o.audience }, StringLike = { ("\${local.oidc_providers[i]}:sub") = ${oneOrList('o.subjects')} } }`,
        Effect: '"Allow"',
        Principal: '{ Federated = o.provider_arn }',
      })}]`,
    ),
    statements: expr(
      'concat(' +
        [
          'length(local.services) > 0 ? [var.service_source_account == null ? local.statement_services : local.statement_services_scoped] : []',
          'length(local.aws_principals) > 0 ? [local.statement_aws] : []',
          'local.statements_oidc',
        ].join(', ') +
        ')',
    ),
    document: '{"Version":"2012-10-17","Statement":[${join(",", local.statements)}]}',
  };
}

function outputs(): Record<string, unknown> {
  return {
    json: outputWithPreconditions(TRUST_POLICY_OUTPUTS[0], [
      ...TRUST_POLICY_PRECONDITIONS,
      [
        `${jsonStringifyLength('local.document')} <= ${TRUST_POLICY_SIZE_LIMIT}`,
        `json: the trust policy is over the ${TRUST_POLICY_SIZE_LIMIT} characters of a role trust policy (the default quota); trust fewer principals, or fewer subjects per provider.`,
      ],
    ]),
  };
}

/** The HCL example of the README: GitHub Actions of one branch, as the IAM user guide's GitHub OIDC page configures it. */
export const TRUST_POLICY_EXAMPLE = [
  'module "trust" {',
  '  source = "./terraform-modules/trust-policy"',
  '',
  '  oidc = [{',
  '    provider_arn = "arn:aws:iam::123456123456:oidc-provider/token.actions.githubusercontent.com"',
  '    audience     = "sts.amazonaws.com"',
  '    subjects     = ["repo:my-org/my-repo:ref:refs/heads/main"]',
  '  }]',
  '}',
];

function readme(): string {
  return [
    '# trust-policy',
    '',
    TRUST_POLICY_NOTE,
    '',
    'A role trust policy (who may assume the role) as plain Terraform: the same document, byte for byte, as',
    '`trustPolicy` in `modules/iam-role`, for services, accounts, roles and OIDC identity providers (see its README).',
    'It needs no provider: pass `json` to an `aws_iam_role`\'s `assume_role_policy`, or to `../iam-role`\'s',
    '`trust_policy`. Bad inputs fail `terraform plan` with a validation error naming the variable and the fix.',
    `Requires Terraform \`${REQUIRED_TERRAFORM_VERSION}\`.`,
    '',
    `Like \`trustPolicy\`, the module rejects a service principal without \`aws:SourceAccount\` (but EC2's), an OIDC trust`,
    `without subjects or with \`*\` alone, and a policy over ${TRUST_POLICY_SIZE_LIMIT.toLocaleString('en-US')} characters (the default trust policy quota).`,
    'The rules that read several variables (at least one principal; a source account needs services; a service without',
    'one) are preconditions of `json`: terraform checks them where `json` is used.',
    '',
    '```hcl',
    ...TRUST_POLICY_EXAMPLE,
    '```',
    '',
    ...readmeTables(TRUST_POLICY_VARIABLES, TRUST_POLICY_OUTPUTS),
  ].join('\n');
}

/** The files of `terraform-modules/trust-policy/`, by path relative to the project root. */
export function trustPolicyModuleFiles(): Record<string, string> {
  return policyModuleFiles(TRUST_POLICY_MODULE_DIR, { note: TRUST_POLICY_NOTE, readme: readme(), locals: policyLocals(), variables: TRUST_POLICY_VARIABLES, outputs: outputs() });
}
