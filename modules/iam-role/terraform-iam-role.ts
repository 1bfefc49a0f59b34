/**
 * `Role` and `InstanceProfile` as one plain Terraform module (`terraform-modules/iam-role/`), generated
 * from this file. Pure: no cdktf, no file system.
 *
 * It creates what the constructs create: `aws_iam_role` (name, path, trust policy, session duration,
 * permissions boundary, tags, and the description `aws_iam_role` also takes), one `aws_iam_role_policy` per
 * inline policy, one `aws_iam_role_policy_attachment` per managed policy, and, when asked, the
 * `aws_iam_instance_profile` holding the role. The trust policy is `../trust-policy`'s, built from the
 * principals in `trust`, or the caller's JSON in `trust_policy`. Inline policies and attachments are
 * `for_each` over maps keyed by the caller's names, never by position: reordering or removing one
 * replaces nothing else, and an ARN not known until apply (an `aws_iam_policy` of the same run) can still
 * be attached, as the construct passes references through.
 *
 * Validation blocks make the construct's checks of literal values (names, paths, ARNs, the session
 * duration, the quota of managed policies, the JSON, characters and size of the policies); a value known
 * only at apply is not checked, as the construct passes references through unchecked. What a module cannot
 * do: the construct's checks of a policy's grammar and against the Service Authorization Reference.
 */
import { IAM_NAME_LIMITS, IAM_PATH, IAM_PATH_MAX_LENGTH, iamName, MANAGED_POLICY_ARN } from '../core/iam-identifiers';
import { POLICY_SIZE_LIMITS } from '../core/policy-kind';
import {
  AWS_PROVIDER_RANGE,
  expr,
  generatedNote,
  guardedValidations,
  matches,
  minifiedPolicyLength,
  nullOr,
  type OutputDefinition,
  policyTextChecks,
  type Validation,
  readmeTables,
  REQUIRED_TERRAFORM_VERSION,
  type VariableDefinition,
  resourceModuleFiles,
} from '../private/terraform-module-files';
import { singleInterpolation } from '../private/terraform-hcl';
import { ACKNOWLEDGE_TYPE, acknowledgeDescription, acknowledgeValidations, ADMISSION_FACTS } from '../private/terraform-policy-admission';
import { admissionCall, TRUST_POLICY_VARIABLES } from './terraform-trust-policy';
import { DEFAULT_MANAGED_POLICIES_PER_ROLE, MAX_SESSION_DURATION_RANGE } from './role-quotas';
import { AWS_MANAGED_POLICIES_MODULE_CALL, awsManagedArnCheck } from '../private/terraform-aws-managed-policies';

/** The generated module's folder, relative to the project root. */
export const IAM_ROLE_MODULE_DIR = 'terraform-modules/iam-role';

export const IAM_ROLE_NOTE = generatedNote('modules/iam-role/terraform-iam-role.ts');

// IAM API reference: CreateRole's RoleName, CreateInstanceProfile's InstanceProfileName and
// PutRolePolicy's PolicyName, and Path: core/iam-identifiers.ts. A managed policy ARN, as role.ts checks it.
const POLICY_ARN = MANAGED_POLICY_ARN.re2;
// CreateRole's Description: at most 1,000 of tab, LF, CR, U+0020 to U+007E and U+00A1 to U+00FF.
const ROLE_DESCRIPTION = '^[\\t\\n\\r\\x{20}-\\x{7E}\\x{A1}-\\x{FF}]{0,1000}$';

const NAME_FIX = 'rename it within those characters';
const PATH_CHECK = (name: string): [string, string] => [
  nullOr(`var.${name}`, `length(var.${name}) <= ${IAM_PATH_MAX_LENGTH} && ${matches(IAM_PATH.re2, `var.${name}`)}`),
  `${name}: an IAM path starts and ends with "/" and holds printable ASCII only; write it like "/ci/" or "/".`,
];

/**
 * `../trust-policy`'s variables, as the attributes of the object `trust`, with their defaults; but `account`,
 * which is the role's (`account` of this module), given to `../trust-policy` and to the check of `trust_policy`.
 */
export const TRUST_ATTRIBUTES = TRUST_POLICY_VARIABLES.filter((v) => v.name !== 'account');
const TRUST_TYPE = `object({ ${TRUST_ATTRIBUTES.map((v) => `${v.name} = optional(${v.type}${v.default === undefined || v.default === null ? '' : `, ${JSON.stringify(v.default)}`})`).join(', ')} })`;

const ROLE_INLINE = POLICY_SIZE_LIMITS['role-inline'];

/**
 * `trust`'s validation blocks: `../trust-policy`'s own, each on its attribute of `trust` (`var.services` read
 * as `var.trust.services`, a message's field `services[0]` as `trust.services[0]`). Terraform reports a failed
 * validation at the argument that set the variable: here that is the caller's `trust`, where `../trust-policy`'s
 * own would point into this module's main.tf. Each attribute keeps its own chain of checks, so a problem in each
 * of several attributes is reported in the same plan; the call's validations then never fail, as a module's
 * inputs are not evaluated once a variable they read has failed.
 */
function trustValidations(): Validation[] {
  const names = TRUST_ATTRIBUTES.map((v) => v.name).join('|');
  const variable = new RegExp(`\\bvar\\.(${names})\\b`, 'g');
  const field = new RegExp(`(^|")(${names})(?=[\\[:])`, 'g');
  return TRUST_ATTRIBUTES.flatMap((v) =>
    v.validations.map(({ condition, error_message }) => {
      const inner = singleInterpolation(condition);
      if (inner === undefined) throw new Error(`trustValidations: ${v.name}'s condition is not one expression: ${condition}`);
      const message = error_message.replace(variable, 'var.trust.$1').replace(field, '$1trust.$2');
      // Terraform evaluates a message even when its condition holds: one that reads trust is kept from a null trust.
      const dynamic = singleInterpolation(message);
      return {
        condition: expr(`var.trust == null ? true : (${inner.replace(variable, 'var.trust.$1')})`),
        error_message: dynamic !== undefined && message.includes('var.trust.') ? expr(`var.trust == null ? "" : (${dynamic})`) : message,
      };
    }),
  );
}

export const IAM_ROLE_VARIABLES: readonly VariableDefinition[] = [
  {
    name: 'name',
    description: 'The name of the role.',
    type: 'string',
    nullable: false,
    validations: guardedValidations([[matches(iamName('role').re2, 'var.name'), `name: an IAM role name is 1 to ${IAM_NAME_LIMITS.role} characters of letters, digits and +=,.@_-; ${NAME_FIX}.`]]),
  },
  {
    name: 'path',
    description: 'The path of the role. `null`: "/".',
    type: 'string',
    default: null,
    nullable: true,
    validations: guardedValidations([PATH_CHECK('path')]),
  },
  {
    name: 'description',
    description: 'The description of the role. `null`: none.',
    type: 'string',
    default: null,
    nullable: true,
    validations: guardedValidations([
      [
        nullOr('var.description', matches(ROLE_DESCRIPTION, 'var.description')),
        'description: a role description is at most 1000 characters of tab, LF, CR and printable Latin-1; shorten it or drop the other characters.',
      ],
    ]),
  },
  {
    name: 'trust',
    description: `Who may assume the role, as the principals of \`../trust-policy\` (${TRUST_ATTRIBUTES.map((v) => `\`${v.name}\``).join(', ')}: the CI presets included), which builds and checks the trust policy in the role's \`account\`. Give \`trust\` or \`trust_policy\`, not both.`,
    type: TRUST_TYPE,
    default: null,
    nullable: true,
    validations: trustValidations(),
  },
  {
    name: 'trust_policy',
    description:
      "A trust policy as JSON text, e.g. `data.aws_iam_policy_document.trust.json`, for principals `trust` does not build (conditions of your own). Checked by `../policy-admission` for who it admits, in the role's `account`. Give `trust` or `trust_policy`, not both.",
    type: 'string',
    default: null,
    nullable: true,
    validations: guardedValidations([
      ['(var.trust == null) != (var.trust_policy == null)', 'trust, trust_policy: give exactly one: the principals in trust, or a trust policy as JSON text in trust_policy.'],
      ...policyTextChecks('trust_policy', 'var.trust_policy', 'trust').map(([ok, message]): [string, string] => [nullOr('var.trust_policy', ok), message]),
    ]),
  },
  {
    name: 'account',
    description:
      "The 12-digit ID of the account the role is in: trust in principals of other accounts is a `CROSS_ACCOUNT` finding, and the CI presets' OIDC provider ARNs are built in it. `null`: not known; every principal named by account is then a `CROSS_ACCOUNT` finding.",
    type: 'string',
    default: null,
    nullable: true,
    validations: guardedValidations([
      [nullOr('var.account', matches(ADMISSION_FACTS.accountId, 'var.account')), 'account: an account ID is 12 digits; write the ID of the account the role is in, e.g. "123456123456".'],
    ]),
  },
  {
    name: 'trust_policy_acknowledge',
    description: `${acknowledgeDescription('the trust policy, in `trust` or `trust_policy`')} With \`trust\`, added to its \`acknowledge\`.`,
    type: ACKNOWLEDGE_TYPE,
    default: [],
    nullable: false,
    validations: acknowledgeValidations('trust_policy_acknowledge', 'trust_policy_acknowledge'),
  },
  {
    name: 'max_session_duration',
    description: `Longest session, in seconds, for \`sts:AssumeRole\` callers: ${MAX_SESSION_DURATION_RANGE.min} to ${MAX_SESSION_DURATION_RANGE.max}. \`null\`: AWS's default, ${MAX_SESSION_DURATION_RANGE.min}.`,
    type: 'number',
    default: null,
    nullable: true,
    validations: guardedValidations([
      [
        nullOr(
          'var.max_session_duration',
          `floor(var.max_session_duration) == var.max_session_duration && var.max_session_duration >= ${MAX_SESSION_DURATION_RANGE.min} && var.max_session_duration <= ${MAX_SESSION_DURATION_RANGE.max}`,
        ),
        `max_session_duration: IAM takes a whole number of seconds from ${MAX_SESSION_DURATION_RANGE.min} (1 hour) to ${MAX_SESSION_DURATION_RANGE.max} (12 hours); set it between them, or leave it null for ${MAX_SESSION_DURATION_RANGE.min}.`,
      ],
    ]),
  },
  {
    name: 'permissions_boundary',
    description: "ARN of the managed policy that bounds the role's permissions, e.g. `../permissions-boundary`'s `arn`. `null`: none.",
    type: 'string',
    default: null,
    nullable: true,
    validations: guardedValidations([
      [
        nullOr('var.permissions_boundary', matches(POLICY_ARN, 'var.permissions_boundary')),
        'permissions_boundary: not an IAM managed policy ARN (arn:<partition>:iam::<account ID or "aws">:policy/<path><name>); pass the aws_iam_policy\'s arn, or write it like "arn:aws:iam::123456123456:policy/ci-boundary".',
      ],
      awsManagedArnCheck('permissions_boundary', 'var.permissions_boundary == null ? [] : [var.permissions_boundary]'),
    ]),
  },
  {
    name: 'tags',
    description: 'Tags of the role. `null`: none.',
    type: 'map(string)',
    default: null,
    nullable: true,
    validations: [],
  },
  {
    name: 'inline_policies',
    description: `Inline policies (\`aws_iam_role_policy\`), by policy name: each a JSON policy document. Their minified JSON, summed, must fit the ${ROLE_INLINE.limit.toLocaleString('en-US')} characters of ${ROLE_INLINE.appliesTo}.`,
    type: 'map(string)',
    default: {},
    nullable: false,
    validations: guardedValidations([
      [
        `alltrue([for n in keys(var.inline_policies) : ${matches(iamName('rolePolicy').re2, 'n')}])`,
        `inline_policies: a policy name is 1 to ${IAM_NAME_LIMITS.rolePolicy} characters of letters, digits and +=,.@_-; ${NAME_FIX}.`,
      ],
      ...policyTextChecks('inline_policies', 'p', 'role-inline')
        .slice(0, 2)
        .map(([ok, message]): [string, string] => [`alltrue([for p in values(var.inline_policies) : ${ok}])`, message]),
      [
        `sum(concat([0], [for p in values(var.inline_policies) : ${minifiedPolicyLength('p')}])) <= ${ROLE_INLINE.limit}`,
        `inline_policies: the policies' minified JSON is over the ${ROLE_INLINE.limit} characters allowed for ${ROLE_INLINE.appliesTo}; move policies to managed ones (managed_policy_arns), or grant with fewer statements.`,
      ],
    ]),
  },
  {
    name: 'managed_policy_arns',
    description:
      "Managed policies to attach (`aws_iam_role_policy_attachment`), customer or AWS managed, by ARN: a map from a name of your choosing, which keys the attachment, to the ARN (which may be an `aws_iam_policy`'s `arn`).",
    type: 'map(string)',
    default: {},
    nullable: false,
    validations: guardedValidations([
      [
        `alltrue([for a in values(var.managed_policy_arns) : ${matches(POLICY_ARN, 'a')}])`,
        'managed_policy_arns: not an IAM managed policy ARN (arn:<partition>:iam::<account ID or "aws">:policy/<path><name>); write it like "arn:aws:iam::aws:policy/ReadOnlyAccess", or pass the aws_iam_policy\'s arn.',
      ],
      awsManagedArnCheck('managed_policy_arns', 'values(var.managed_policy_arns)'),
      ['length(distinct(values(var.managed_policy_arns))) == length(var.managed_policy_arns)', 'managed_policy_arns: a policy is attached twice; list each managed policy once.'],
    ]),
  },
  {
    name: 'max_managed_policies',
    description: `Most managed policies the role may have attached: IAM's default quota is ${DEFAULT_MANAGED_POLICIES_PER_ROLE}; set yours when it is raised.`,
    type: 'number',
    default: DEFAULT_MANAGED_POLICIES_PER_ROLE,
    nullable: false,
    validations: guardedValidations([
      [
        'length(var.managed_policy_arns) <= var.max_managed_policies',
        'managed_policy_arns: more managed policies than the role may have attached (max_managed_policies); combine policies, or raise the quota and set max_managed_policies.',
      ],
    ]),
  },
  {
    name: 'instance_profile',
    description:
      'The instance profile (`aws_iam_instance_profile`) to create for the role, so EC2 instances launched with it get its credentials: `name`, and optional `path` and `tags`. `null`: none.',
    type: 'object({ name = string, path = optional(string), tags = optional(map(string)) })',
    default: null,
    nullable: true,
    validations: guardedValidations([
      [
        nullOr('var.instance_profile', matches(iamName('instanceProfile').re2, 'var.instance_profile.name')),
        `instance_profile: an IAM instance profile name is 1 to ${IAM_NAME_LIMITS.instanceProfile} characters of letters, digits and +=,.@_-; ${NAME_FIX}.`,
      ],
      [
        nullOr('var.instance_profile', nullOr('var.instance_profile.path', `length(var.instance_profile.path) <= ${IAM_PATH_MAX_LENGTH} && ${matches(IAM_PATH.re2, 'var.instance_profile.path')}`)),
        'instance_profile: an IAM path starts and ends with "/" and holds printable ASCII only; write it like "/ci/" or "/".',
      ],
    ]),
  },
];

/**
 * The role's settings and managed policy attachments, as every generated module that creates an
 * `aws_iam_role` takes them from `Role`'s props (`maxSessionDuration`, `permissionsBoundary`, `tags`,
 * `managedPolicyArns` with `awsManagedPolicies`, `maxManagedPolicies`): the names of their variables,
 * defined once above, in `IAM_ROLE_VARIABLES`. `state-access-role` takes the same variables, with the same
 * validations, and passes them to its role as `ROLE_SETTING_ARGUMENTS` and `MANAGED_POLICY_ATTACHMENTS` do here.
 * Each defaults to what the role has without it: AWS's session duration, no boundary, no tags, nothing attached.
 */
export const ROLE_SETTING_VARIABLE_NAMES = ['max_session_duration', 'permissions_boundary', 'tags', 'managed_policy_arns', 'max_managed_policies'] as const;

/** The variables of `ROLE_SETTING_VARIABLE_NAMES`, as `iam-role` defines them, in that order. */
export const ROLE_SETTING_VARIABLES: readonly VariableDefinition[] = ROLE_SETTING_VARIABLE_NAMES.map((name) => IAM_ROLE_VARIABLES.find((v) => v.name === name)!);

/** The `aws_iam_role` arguments of the role settings: `aws_iam_role.this`'s, after its trust policy. */
export const ROLE_SETTING_ARGUMENTS: Readonly<Record<string, string>> = {
  max_session_duration: expr('var.max_session_duration'),
  permissions_boundary: expr('var.permissions_boundary'),
  tags: expr('var.tags'),
};

/**
 * `aws_iam_role_policy_attachment`'s blocks: one attachment of `aws_iam_role.this` per entry of
 * `managed_policy_arns`, keyed by the caller's name for it (`managed["<name>"]`), never by position.
 */
export const MANAGED_POLICY_ATTACHMENTS: Readonly<Record<string, Record<string, string>>> = {
  managed: { for_each: expr('var.managed_policy_arns'), role: expr('aws_iam_role.this.name'), policy_arn: expr('each.value') },
};

export const IAM_ROLE_OUTPUTS: readonly OutputDefinition[] = [
  { name: 'role_arn', description: 'The ARN of the IAM role.', value: 'aws_iam_role.this.arn' },
  { name: 'role_name', description: 'The name of the IAM role.', value: 'aws_iam_role.this.name' },
  { name: 'trust_policy_json', description: 'The trust policy, as given to the role.', value: 'local.trust_policy' },
  {
    name: 'trust_policy_acknowledged',
    description: 'The findings of who the trust policy admits that the acknowledgements accept: `rule`, `field` (of the document), `reason`, as `Role` writes them next to the role.',
    value: 'flatten([module.trust_policy[*].acknowledged, module.trust_policy_admission[*].acknowledged])',
  },
  { name: 'instance_profile_name', description: 'The name of the instance profile; `null` without one.', value: 'one(aws_iam_instance_profile.this[*].name)' },
  { name: 'instance_profile_arn', description: 'The ARN of the instance profile; `null` without one.', value: 'one(aws_iam_instance_profile.this[*].arn)' },
];

function main(): Record<string, unknown> {
  const trustArgs = Object.fromEntries(TRUST_ATTRIBUTES.map((v) => [v.name, expr(`var.trust.${v.name}`)]));
  return {
    '//': IAM_ROLE_NOTE,
    locals: { trust_policy: expr('var.trust != null ? module.trust_policy[0].json : module.trust_policy_admission[0].json') },
    module: {
      trust_policy: {
        count: expr('var.trust == null ? 0 : 1'),
        source: '../trust-policy',
        ...trustArgs,
        account: expr('var.account'),
        // trust_policy_acknowledge adds to trust's own (role.ts: trustPolicyInput's extra acknowledgements); a
        // trust.acknowledge that is no list is passed as it is, for ../trust-policy to name.
        acknowledge: expr('try(concat(var.trust.acknowledge, var.trust_policy_acknowledge), var.trust.acknowledge)'),
      },
      trust_policy_admission: { count: expr('var.trust_policy == null ? 0 : 1'), ...admissionCall('var.trust_policy', 'var.account', 'var.trust_policy_acknowledge') },
      ...AWS_MANAGED_POLICIES_MODULE_CALL,
    },
    resource: {
      aws_iam_role: {
        this: {
          name: expr('var.name'),
          path: expr('var.path'),
          description: expr('var.description'),
          assume_role_policy: expr('local.trust_policy'),
          ...ROLE_SETTING_ARGUMENTS,
        },
      },
      aws_iam_role_policy: {
        inline: { for_each: expr('var.inline_policies'), name: expr('each.key'), role: expr('aws_iam_role.this.name'), policy: expr('each.value') },
      },
      aws_iam_role_policy_attachment: MANAGED_POLICY_ATTACHMENTS,
      aws_iam_instance_profile: {
        this: {
          count: expr('var.instance_profile == null ? 0 : 1'),
          name: expr('var.instance_profile.name'),
          path: expr('var.instance_profile.path'),
          role: expr('aws_iam_role.this.name'),
          tags: expr('var.instance_profile.tags'),
        },
      },
    },
  };
}

/** The README's HCL example: the seed's `ci-web` role (stacks/ci-web.ts) assumed by EC2, with its profile. */
export const IAM_ROLE_EXAMPLE = [
  'module "ci_web" {',
  '  source = "./terraform-modules/iam-role"',
  '',
  '  name  = "ci-web"',
  '  trust = { services = ["ec2.amazonaws.com"] }',
  '',
  '  managed_policy_arns = {',
  '    secrets = aws_iam_policy.ci_web_secrets.arn',
  '    ssm     = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"',
  '  }',
  '  instance_profile = { name = "ci-web" }',
  '}',
];

function readme(): string {
  return [
    '# iam-role',
    '',
    IAM_ROLE_NOTE,
    '',
    'An IAM role as plain Terraform, creating what `Role` and `InstanceProfile` of `modules/iam-role` create: the role with',
    'its trust policy, inline policies (`aws_iam_role_policy`), managed policy attachments',
    '(`aws_iam_role_policy_attachment`) and, when `instance_profile` is set, its instance profile. The trust policy is',
    "`../trust-policy`'s for the principals in `trust` (the same document as `trustPolicy`, CI presets included), or your",
    'own JSON in `trust_policy`. Inline policies and attachments are keyed by the names you give them, never by position.',
    '',
    'Either way the trust policy goes through `../policy-admission`, as `Role` checks it: planning fails while it admits',
    'principals nobody may have meant (`Principal: "*"`, an OIDC provider whose tokens are not pinned to an audience, a',
    'subject and its owner, a Cognito pool without conditions, a principal of another account than `account`), naming the',
    'rule, until the finding is accepted with a reason in `trust_policy_acknowledge` (or `trust.acknowledge`):',
    '`{ rule = "CROSS_ACCOUNT", reason = "the tooling account deploys here" }`. Without `account`, every principal named',
    'by account is `CROSS_ACCOUNT`. The accepted findings are in the output `trust_policy_acknowledged`.',
    `Requires Terraform \`${REQUIRED_TERRAFORM_VERSION}\` and the AWS provider \`${AWS_PROVIDER_RANGE}\`.`,
    '',
    'Bad literal inputs fail `terraform plan` with a validation error naming the variable and the fix: names, paths, ARNs,',
    `the session duration, the ${DEFAULT_MANAGED_POLICIES_PER_ROLE} managed policies of a role (\`max_managed_policies\`), and the policies' JSON, characters and`,
    'size. Values known only at apply are passed through, as `Role` passes references. Unlike `Role`, the module checks',
    "no policy's grammar or actions (pass policies built by this project's modules), writes the policies as given",
    'rather than in canonical form, and refuses inline policies over the limit where `Role` merges their statements',
    '(and, with `overflowToManagedPolicies`, moves the rest to managed policies).',
    '',
    '```hcl',
    ...IAM_ROLE_EXAMPLE,
    '```',
    '',
    ...readmeTables(IAM_ROLE_VARIABLES, IAM_ROLE_OUTPUTS),
  ].join('\n');
}

/** The files of `terraform-modules/iam-role/`, by path relative to the project root. */
export function iamRoleModuleFiles(): Record<string, string> {
  return resourceModuleFiles(IAM_ROLE_MODULE_DIR, { note: IAM_ROLE_NOTE, readme: readme(), main: main(), variables: IAM_ROLE_VARIABLES, outputs: IAM_ROLE_OUTPUTS });
}
