/**
 * Who a policy admits, as a plain Terraform module (`terraform-modules/policy-admission/`), generated from
 * this file: `admissionFindings` (core/admission.ts) and the acknowledgements of core/acknowledgements.ts,
 * in Terraform expressions, with no provider. Pure: no cdktf, no file system.
 *
 * The generator lives here, in `modules/private/`, rather than next to the analysis in `modules/core/`:
 * the core is plain policy logic that knows nothing of Terraform, and this module is what several module
 * families share (`trust-policy` and `iam-role`, `state-access-role`, `s3-bucket-policy` all send their
 * documents through it), which is what `modules/private/` holds.
 *
 * Every fact it rests on is the TypeScript's, written into the module, never twice by hand: the issuers
 * (`OIDC_ISSUERS`: patterns, claims, and the nouns and examples of the messages), the keys that narrow `*`
 * (`NARROWING_KEYS`, `NARROWING_PREFIX_PATTERNS`), the rules and how each is accepted (`RULES`), the longest
 * reason (`MAX_REASON_LENGTH`), and the operators' families (`parseOperator`, `readsWildcards` of
 * core/private/condition-operators.ts, asked of each operator name below). What admission.ts keeps private
 * its account and provider ARN patterns, the well-known web identity names, Cognito's name
 * (`ADMISSION_PATTERNS` and the constants beside it), all read from there too.
 *
 * What Terraform's values change, and how the module keeps the TypeScript's meaning:
 * - `jsondecode` keeps no key order: objects are read in lexical key order. The one finding that depends on
 *   order, `OIDC_SUBJECT_ANY_OWNER`, names the first loose condition on `sub`: the first in lexical order of
 *   operator and key, in the TypeScript too.
 * - A `Statement` that is one object is read as a list of one (`Statement[0]`), as `canonicalPolicy` reads it.
 * - Condition values that are numbers or booleans are read as strings (`conditionValuesOf`); Terraform writes
 *   a number in plain decimal notation, where JavaScript writes very large and very small ones with an
 *   exponent (`1e+21`): such a value pins no key either way.
 */
import { acknowledgeableRules, MAX_REASON_LENGTH } from '../core/acknowledgements';
import { ACCOUNT_PINNING_KEYS, ADMISSION_PATTERNS, COGNITO_PRINCIPAL, NARROWING_KEYS, NARROWING_PREFIX_PATTERNS, WELL_KNOWN_WEB_IDENTITY } from '../core/admission';
import { OIDC_ISSUERS, type OidcIssuer } from '../core/oidc-issuers';
import { CONDITION_OPERATORS, parseOperator, readsWildcards } from '../core/iam-data';
import { needsReason, RULES, type RuleId } from '../core/rules';
import {
  expr,
  generatedNote,
  guardedValidations,
  hclList,
  hclString,
  isList,
  isObject,
  isString,
  JS_WHITE_SPACE,
  json,
  listed,
  moduleFiles,
  outputWithPreconditions,
  type OutputDefinition,
  POLICY_CHARACTER,
  readmeTables,
  REQUIRED_TERRAFORM_VERSION,
  savedTextLength,
  templateText,
  type Validation,
  variableBlocks,
  type VariableDefinition,
} from './terraform-module-files';

/** The generated module's folder, relative to the project root. */
export const POLICY_ADMISSION_MODULE_DIR = 'terraform-modules/policy-admission';

export const POLICY_ADMISSION_NOTE = generatedNote('modules/private/terraform-policy-admission.ts');

// --- facts -------------------------------------------------------------------------------------------------

const parsed = (operator: string) => {
  const p = parseOperator(operator);
  if (p === undefined) throw new Error(`${operator} is no operator of core/private/condition-operators.ts`);
  return p;
};

/**
 * The operators that pin a key (condition-pins.ts `pins`): the String and Arn ones, not negated. Without
 * `IfExists` and `ForAllValues:`, which the module reads from the operator's other groups.
 */
export const PINNING_OPERATORS: readonly string[] = CONDITION_OPERATORS.filter((o) => {
  const p = parsed(o);
  return (p.family === 'String' || p.family === 'Arn') && !/Not/.test(p.base);
});

/** The operators that read `*` and `?` as wildcards (`readsWildcards`). */
export const WILDCARD_OPERATORS: readonly string[] = CONDITION_OPERATORS.filter((o) => readsWildcards(parsed(o)));

/** admission.ts's facts about principals, as it exports them for this generator. */
export const ADMISSION_FACTS = {
  ...ADMISSION_PATTERNS,
  wellKnownWebIdentity: WELL_KNOWN_WEB_IDENTITY,
  cognito: COGNITO_PRINCIPAL,
  accountKeys: ACCOUNT_PINNING_KEYS,
} as const;

/** Every rule that may be acknowledged, in `RULES` order. */
export const ACKNOWLEDGEABLE_RULES: readonly string[] = acknowledgeableRules();
/** The rules accepted only with a reason. */
export const REASON_RULES: readonly string[] = acknowledgeableRules().filter(needsReason);

/** One issuer's facts as the module reads them, and the parts of its messages admission.ts builds from them. */
function issuerValue(issuer: OidcIssuer | undefined): Record<string, unknown> {
  return {
    name: issuer?.name ?? null,
    provider_pattern: issuer?.providerPattern ?? null,
    owner_in_issuer_pattern: issuer?.ownerInIssuerPattern ?? null,
    audience_claims: issuer?.audienceClaims ?? ['aud'],
    subject_claims: issuer?.subjectClaims ?? [],
    owner_prefix_patterns: issuer?.ownerPrefixPatterns ?? [],
    owner_claims: (issuer?.ownerClaims ?? []).map((o) => ({ claim: o.claim, prefix_pattern: o.prefixPattern ?? null })),
    // The owner is checked for a known issuer only.
    checks_owner: issuer !== undefined,
    audience_example: issuer?.defaultAudience ?? 'the audience your tokens carry',
    subject_claims_text: issuer !== undefined && issuer.subjectClaims.length > 0 ? ` or a claim naming one (${issuer.subjectClaims.join(', ')})` : '',
    subject_noun: issuer?.subjectNoun ?? 'identity of the provider',
    subject_example: issuer?.subjectExample ?? 'the subject of your workload',
    owner_noun: issuer?.ownerNoun ?? '',
    owner_claims_text: issuer !== undefined && issuer.ownerClaims.length > 0 ? `, and no condition fixes the owner's claims (${issuer.ownerClaims.map((o) => o.claim).join(', ')})` : '',
  };
}

/** A literal value written into a JSON-syntax file: every string is a template there, so each is escaped. */
function literal(value: unknown): unknown {
  if (typeof value === 'string') return templateText(value);
  if (Array.isArray(value)) return value.map(literal);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, literal(v)]));
  return value;
}

// --- acknowledgements, for every module that takes them --------------------------------------------------

/** The rule an `acknowledge` entry names: the string itself, or an object's `rule`; null for anything else. */
const entryRule = (e: string) => `try(tostring(${e}.rule), ${isString(e)} ? ${e} : null)`;
/** Whether the entry names a rule that may be acknowledged (`isKnownAcknowledgeable`). */
const entryKnown = (e: string) => `try(contains(${hclList(ACKNOWLEDGEABLE_RULES)}, ${entryRule(e)}), false)`;
/** An object entry's reason, when it is a string; else null. */
const entryReason = (e: string) => `try(${isString(`${e}.reason`)} ? ${e}.reason : null, null)`;
/** Whether `reason` (a string) is blank as JavaScript's `trim` sees it. */
const blank = (reason: string) => `can(regex(${hclString(`^[${JS_WHITE_SPACE}]*$`)}, ${reason}))`;

/**
 * The validation blocks of an `acknowledge` input (`var.<variable>`, named `field` in messages), in the order
 * and with the problems and fixes of `acknowledgementFindings` (core/acknowledgements.ts): a list; each entry
 * a rule that may be acknowledged, as its id or `{ rule, reason }`; the who-gets-in rules only with a reason,
 * which is a non-empty text of at most `MAX_REASON_LENGTH` policy characters. Each message names the first
 * entry that breaks its rule.
 */
export function acknowledgeValidations(variable: string, field: string): Validation[] {
  const v = `var.${variable}`;
  const first = (fails: string, fallback: string) => `\${try([${fails}][0], ${hclString(fallback)})}`;
  const reason = entryReason('e');
  // Conditionals, not `&&`: Terraform evaluates both sides of `&&` and `||`, and a null reason breaks `length`.
  const reasonOk = `${isString('e')} ? true : (${reason} == null ? false : (!${blank(reason)} && ${savedTextLength(reason)} <= ${MAX_REASON_LENGTH} && can(regex(${hclString(`^${POLICY_CHARACTER}*$`)}, ${reason}))))`;
  const stringWithoutReason = `!${isString('e')} ? false : contains(${hclList(REASON_RULES)}, e)`;
  const ruleList = ACKNOWLEDGEABLE_RULES.join(', ');
  const checks: [string, string][] = [
    [isList(v), `${field}: is not a list; give a list, e.g. ["WILDCARD_RESOURCE"] or [{ rule = "CROSS_ACCOUNT", reason = "…" }].`],
    [
      `alltrue([for e in ${v} : ${entryKnown('e')}])`,
      first(
        `for i, e in ${v} : "${field}[\${i}]: names no rule that may be acknowledged; use one of ${ruleList}." if !${entryKnown('e')}`,
        `${field}: an entry names no rule that may be acknowledged; use one of ${ruleList}.`,
      ),
    ],
    [
      `alltrue([for e in ${v} : !(${stringWithoutReason})])`,
      first(
        `for i, e in ${v} : "${field}[\${i}]: \${e} decides who may get in, and is accepted only with a reason a reviewer can read; write { rule = \\"\${e}\\", reason = \\"<why these principals may get in>\\" }." if ${stringWithoutReason}`,
        `${field}: a who-gets-in rule is accepted only with a reason a reviewer can read; write { rule = "<rule>", reason = "<why these principals may get in>" }.`,
      ),
    ],
    [
      `alltrue([for e in ${v} : ${reasonOk}])`,
      first(
        `for i, e in ${v} : "${field}[\${i}].reason: a reason is a non-empty text of at most ${MAX_REASON_LENGTH} characters (tab, LF, CR and U+0020 to U+00FF); say in a sentence why the finding is accepted." if !(${reasonOk})`,
        `${field}: a reason is a non-empty text of at most ${MAX_REASON_LENGTH} characters (tab, LF, CR and U+0020 to U+00FF); say in a sentence why the finding is accepted.`,
      ),
    ],
  ];
  return guardedValidations(checks);
}

/** The type and description of an `acknowledge` input, for every module that takes one. */
export const ACKNOWLEDGE_TYPE = 'any';
export function acknowledgeDescription(what: string): string {
  return (
    `Findings accepted for ${what}: a list whose entries are a rule id (\`"SERVICE_PRINCIPAL_UNSCOPED"\`) or \`{ rule, reason }\`. ` +
    `The who-gets-in rules (${REASON_RULES.map((r) => `\`${r}\``).join(', ')}) are accepted only with a reason: \`{ rule = "CROSS_ACCOUNT", reason = "the CI account deploys here" }\`.`
  );
}

// --- the module --------------------------------------------------------------------------------------------

/** The policy's `Statement`, or null without one. */
const STATEMENT = 'try(jsondecode(var.policy).Statement, null)';

export const POLICY_ADMISSION_VARIABLES: readonly VariableDefinition[] = [
  {
    name: 'policy',
    description: "The policy as JSON text: a trust policy, or a resource policy (an S3 bucket's, a KMS key's). `Statement` may be one statement or a list.",
    type: 'string',
    nullable: false,
    validations: guardedValidations([
      [
        `${isObject('jsondecode(var.policy)')} && (${STATEMENT} == null || ${isObject(STATEMENT)} || ${isList(STATEMENT)})`,
        "policy: not a JSON policy document (an object whose Statement is a statement or a list of them); pass the policy's JSON text, e.g. data.aws_iam_policy_document.<name>.json or a policy module's json output.",
      ],
    ]),
  },
  {
    name: 'account',
    description:
      'The 12-digit ID of the account the role or resource is in: AWS principals of other accounts are `CROSS_ACCOUNT` findings. `null`: not known, and every principal named by account is one.',
    type: 'string',
    default: null,
    nullable: true,
    validations: guardedValidations([
      [
        `var.account == null ? true : can(regex(${hclString(ADMISSION_FACTS.accountId)}, var.account))`,
        'account: an account ID is 12 digits; write the ID of the account the role or resource is in, e.g. "123456123456".',
      ],
    ]),
  },
  {
    name: 'acknowledge',
    description: acknowledgeDescription('the policy'),
    type: ACKNOWLEDGE_TYPE,
    default: [],
    nullable: false,
    validations: acknowledgeValidations('acknowledge', 'acknowledge'),
  },
];

export const POLICY_ADMISSION_OUTPUTS: readonly OutputDefinition[] = [
  {
    name: 'json',
    description: 'The policy, as given; planning fails while it admits principals no finding of which is acknowledged (the error names each finding: rule, field, problem, fix).',
    value: 'var.policy',
  },
  { name: 'findings', description: 'Every finding of who the policy admits, acknowledged or not: `rule`, `field`, `problem`, `fix`.', value: 'local.findings' },
  { name: 'acknowledged', description: 'The findings `acknowledge` accepts: `rule`, `field`, `reason`, by field and rule.', value: 'local.acknowledged' },
];

/** `"${a}"` for an HCL template inside an expression: the text with the expression in it. */
const lowerKey = (key: string) => hclString(key.toLowerCase());

/** A finding object. */
function finding(rule: RuleId, field: string, problem: string, fix: string): string {
  return `{ rule = "${rule}", field = ${field}, problem = ${problem}, fix = ${fix} }`;
}

/**
 * A CROSS_ACCOUNT finding at `field` for a principal of `account` (null when none can be read), mirroring
 * `accountFindings`.
 */
function crossAccount(field: string, account: string): string {
  return finding(
    'CROSS_ACCOUNT',
    field,
    `${account} == null ? "names no account that can be read from it (a unique ID, or a principal since deleted), so it may be another account" : (var.account == null ? "is a principal of account \${${account}}, and the account this policy is in is not given, so it may be another" : "is a principal of account \${${account}}, not of \${var.account}, the account this policy is in")`,
    'var.account == null ? "give the account the role or resource is in (account), or accept the other account with a reason" : "accept the other account with a reason, if it is meant to get in"',
  );
}
/** Whether a principal of `account` is another account's than `var.account` (or may be). */
const otherAccount = (account: string) => `!(${account} != null && ${account} == var.account)`;

/** The conditions of statement `n` that pin `key` (an expression of its lower-case form): `pinsOf`. */
const pinsOf = (n: string, lowerKeyExpr: string) => `[for c in local.conditions[${n}] : c if c.pins && c.lower_key == ${lowerKeyExpr}]`;
/** Whether some condition of statement `n` pins `key` to fixed values only: `pinnedToFixedValues`. */
const pinnedToFixed = (n: string, lowerKeyExpr: string) => `anytrue([for c in ${pinsOf(n, lowerKeyExpr)} : alltrue([for v in c.values : v.fixed])])`;

const ANY_PRINCIPAL_FIX = `name the principals, or add a condition pinning ${NARROWING_KEYS.slice(0, 3).join(', ')} or aws:SourceArn to fixed values`;
const COGNITO = ADMISSION_FACTS.cognito;

type Locals = Record<string, unknown>;

/** The locals of `main.tf.json`, in sections, each with the part of the TypeScript it mirrors. */
function localsSections(): Locals[] {
  return [
    {
      '//': 'The facts the analysis rests on, from the TypeScript: core/oidc-issuers.ts OIDC_ISSUERS (an unknown issuer reads as "unknown"), core/admission.ts NARROWING_KEYS and NARROWING_PREFIX_PATTERNS, core/rules.ts RULES.',
      issuers: literal(Object.fromEntries([...OIDC_ISSUERS.map((i) => [i.id, issuerValue(i)]), ['unknown', issuerValue(undefined)]])),
      issuer_order: OIDC_ISSUERS.map((i) => i.id),
      narrowing_keys: literal(NARROWING_KEYS.map((key) => ({ lower_key: key.toLowerCase(), prefix_pattern: NARROWING_PREFIX_PATTERNS[key] ?? null }))),
      reason_rules: REASON_RULES,
      acknowledgeable_rules: ACKNOWLEDGEABLE_RULES,
    },
    {
      '//': 'The Allow statements (admissionFindings): Statement as a list, one statement or none read as canonicalPolicy reads them.',
      document: expr('jsondecode(var.policy)'),
      statements: expr(
        `jsondecode(try(local.document.Statement, null) == null ? "[]" : (${isList('local.document.Statement')} ? jsonencode(local.document.Statement) : jsonencode([local.document.Statement])))`,
      ),
      allowed: expr('[for i, s in local.statements : { at = "Statement[${i}]", statement = s } if try(s.Effect == "Allow", false)]'),
    },
    {
      '//': "Each Allow statement's conditions (core/private/condition-pins.ts conditionsByKey): operators as parseOperator reads them (an optional ForAllValues: or ForAnyValue:, an operator IAM has, an optional IfExists, which Null has not), keys of an object, values that are strings (numbers and booleans read as strings, conditionValuesOf); then whether each pins its key (pins), and each value whether it is fixed (isFixedValue) and its literal prefix (literalPrefix).",
      condition_operators: expr(
        `[for a in local.allowed : try([for operator, keys in a.statement.Condition : { operator = operator, keys = keys, qualifier = startswith(operator, "ForAllValues:") ? "ForAllValues" : (startswith(operator, "ForAnyValue:") ? "ForAnyValue" : null), unqualified = startswith(operator, "ForAllValues:") ? substr(operator, 13, -1) : (startswith(operator, "ForAnyValue:") ? substr(operator, 12, -1) : operator) }], [])]`,
      ),
      condition_entries: expr(
        `[for operators in local.condition_operators : flatten([for o in operators : try([for key, value in o.keys : { operator = o.operator, key = key, field = "\${o.operator}.\${key}", qualifier = o.qualifier, base = trimsuffix(o.unqualified, "IfExists"), if_exists = endswith(o.unqualified, "IfExists"), values = [for v in ${listed('value')} : tostring(v) if v != null && can(tostring(v))] }], []) if contains(${hclList(CONDITION_OPERATORS)}, trimsuffix(o.unqualified, "IfExists")) && o.unqualified != "NullIfExists"])]`,
      ),
      conditions: expr(
        `[for n, entries in local.condition_entries : [for c in entries : { operator = c.operator, key = c.key, lower_key = lower(c.key), field = "\${local.allowed[n].at}.Condition.\${c.field}", for_all_values = c.qualifier == "ForAllValues", pins = contains(${hclList(PINNING_OPERATORS)}, c.base) && !c.if_exists && c.qualifier != "ForAllValues" && length(c.values) > 0, values = [for v in c.values : { text = v, fixed = !strcontains(v, "$\${") && !(contains(${hclList(WILDCARD_OPERATORS)}, c.base) && (strcontains(v, "*") || strcontains(v, "?"))), prefix = contains(${hclList(WILDCARD_OPERATORS)}, c.base) ? split("?", split("*", split("$\${", v)[0])[0])[0] : split("$\${", v)[0] }] }]]`,
      ),
    },
    {
      '//': "Each Allow statement's principal (statementFindings): NotPrincipal if the statement has it, else Principal; its identifiers by type, strings only (listed); whether it admits anyone (admitsAnyone); whether a condition pins a narrowing key (narrowed, narrowingValue).",
      principals: expr(
        `[for a in local.allowed : { negated = contains(keys(a.statement), "NotPrincipal"), present = contains(keys(a.statement), "NotPrincipal") || contains(keys(a.statement), "Principal"), field = "\${a.at}.\${contains(keys(a.statement), "NotPrincipal") ? "NotPrincipal" : "Principal"}", value = try(a.statement.NotPrincipal, try(a.statement.Principal, null)) }]`,
      ),
      principal_types: expr(
        `[for p in local.principals : try([for type, ids in p.value : { type = type, listed = ${isList('ids')}, ids = [for id in ${listed('ids')} : id if ${isString('id').slice(1, -1)}] }], [])]`,
      ),
      admits_anyone: expr('[for n, p in local.principals : p.value == "*" || anytrue([for t in local.principal_types[n] : contains(t.ids, "*")])]'),
      narrowed: expr(
        `[for n, p in local.principals : anytrue([for k in local.narrowing_keys : anytrue([for c in ${pinsOf('n', 'k.lower_key')} : alltrue([for v in c.values : v.fixed || (k.prefix_pattern == null ? false : !strcontains(v.text, "$\${") && can(regex(k.prefix_pattern, v.prefix)))])])])]`,
      ),
      open_to_anyone: expr('[for n, p in local.principals : p.present && (p.negated || local.admits_anyone[n])]'),
    },
    {
      '//': 'ANY_PRINCIPAL, and CROSS_ACCOUNT for the accounts a narrowed * is pinned to by aws:PrincipalAccount or aws:PrincipalArn (pinnedAccountFindings, accountFindings).',
      any_principal_findings: expr(
        `[for n, p in local.principals : ${finding(
          'ANY_PRINCIPAL',
          'p.field',
          'p.negated ? "NotPrincipal in an Allow admits every principal but those listed, in every account, anonymous callers included" : "admits any principal, in any account, anonymous callers included"',
          hclString(ANY_PRINCIPAL_FIX),
        )} if local.open_to_anyone[n] && !local.narrowed[n]]`,
      ),
      pinned_accounts: expr(
        `flatten([for n, p in local.principals : [for c in local.conditions[n] : [for i, v in c.values : { field = "\${c.field}\${length(c.values) > 1 ? "[\${i}]" : ""}", account = c.lower_key == ${lowerKey(ADMISSION_FACTS.accountKeys.account)} ? (can(regex(${hclString(ADMISSION_FACTS.accountId)}, v.text)) ? v.text : null) : try(regex(${hclString(ADMISSION_FACTS.principalArnAccount)}, v.prefix)[0], null) }] if c.pins && contains([${lowerKey(ADMISSION_FACTS.accountKeys.account)}, ${lowerKey(ADMISSION_FACTS.accountKeys.arn)}], c.lower_key)] if local.open_to_anyone[n] && local.narrowed[n]])`,
      ),
      pinned_account_findings: expr(`[for x in local.pinned_accounts : ${crossAccount('x.field', 'x.account')} if x.account != null && ${otherAccount('x.account')}]`),
    },
    {
      '//': 'Each identifier of each principal type (statementFindings): PRINCIPAL_WILDCARD for a wildcard inside one; in a Principal, CROSS_ACCOUNT for an AWS principal of another account (accountOfPrincipal, accountFindings).',
      identifiers: expr(
        'flatten([for n, p in local.principals : [for t in local.principal_types[n] : [for j, id in t.ids : { n = n, negated = p.negated, type = t.type, id = id, field = "${p.field}.${t.type}${t.listed ? "[${j}]" : ""}" } if id != "*"]] if p.present])',
      ),
      principal_wildcard_findings: expr(
        `[for x in local.identifiers : ${finding(
          'PRINCIPAL_WILDCARD',
          'x.field',
          hclString('a principal cannot hold a wildcard: IAM matches a principal exactly, or "*" for every one'),
          hclString('name each principal in full, or use "*" with a condition that pins aws:PrincipalArn or aws:PrincipalOrgID'),
        )} if strcontains(x.id, "*") || strcontains(x.id, "?")]`,
      ),
      named_identifiers: expr('[for x in local.identifiers : x if !x.negated && !strcontains(x.id, "*") && !strcontains(x.id, "?")]'),
      aws_principals: expr(
        `[for x in local.named_identifiers : merge(x, { account = can(regex(${hclString(ADMISSION_FACTS.accountId)}, x.id)) ? x.id : try(regex(${hclString(ADMISSION_FACTS.principalArnAccount)}, x.id)[0], null) }) if x.type == "AWS"]`,
      ),
      account_findings: expr(`[for x in local.aws_principals : ${crossAccount('x.field', 'x.account')} if ${otherAccount('x.account')}]`),
    },
    {
      '//': `Federated principals (federatedFindings): ${COGNITO} (cognitoFindings); an OIDC provider ARN or a well-known name (webIdentityProvider) and its issuer (oidcIssuerOf); SAML and other providers admit by their own IdP's claims.`,
      cognito_principals: expr(
        `[for x in local.named_identifiers : merge(x, { missing = concat(${pinnedToFixed('x.n', lowerKey(`${COGNITO}:aud`))} ? [] : [${hclString(`${COGNITO}:aud pinned to the identity pool ID`)}], length(${pinsOf('x.n', lowerKey(`${COGNITO}:amr`))}) > 0 ? [] : [${hclString(`a ForAnyValue:StringLike ${COGNITO}:amr condition ("authenticated" or "unauthenticated")`)}]) }) if x.type == "Federated" && x.id == "${COGNITO}"]`,
      ),
      cognito_findings: expr(
        `[for x in local.cognito_principals : ${finding(
          'COGNITO_UNPINNED',
          'x.field',
          '"a Cognito identity pool trust without ${join(" and ", x.missing)}: identities of any pool, in any account, or guests, may get in"',
          hclString(`add StringEquals ${COGNITO}:aud = "<region>:<identity pool ID>" and ForAnyValue:StringLike ${COGNITO}:amr = "authenticated"`),
        )} if length(x.missing) > 0]`,
      ),
      federated_principals: expr(
        `[for x in local.named_identifiers : merge(x, { provider = try(regex(${hclString(ADMISSION_FACTS.oidcProviderArn)}, x.id)[0], contains(${hclList(ADMISSION_FACTS.wellKnownWebIdentity)}, x.id) ? x.id : null) }) if x.type == "Federated" && x.id != "${COGNITO}"]`,
      ),
      web_identities: expr(
        '[for x in local.federated_principals : merge(x, { issuer = try([for id in local.issuer_order : id if can(regex(local.issuers[id].provider_pattern, lower(x.provider)))][0], "unknown") }) if x.provider != null]',
      ),
    },
    {
      '//': "What each web identity's conditions pin (oidcFindings): its audience claims to fixed values; its sub to more than wildcards, or a claim naming the subject to fixed values; and, for an issuer shared by many owners, the owner.",
      web_identity_pins: expr(
        `[for w in local.web_identities : merge(w, { name = w.issuer == "unknown" ? w.provider : local.issuers[w.issuer].name, audience_pinned = anytrue([for claim in local.issuers[w.issuer].audience_claims : ${pinnedToFixed('w.n', 'lower("${w.provider}:${claim}")')}]), subject_pins = [for c in ${pinsOf('w.n', 'lower("${w.provider}:sub")')} : c if alltrue([for v in c.values : v.prefix != "" || !can(regex("^[*?]*$", v.text))])], subject_claims_pinned = [for claim in local.issuers[w.issuer].subject_claims : claim if ${pinnedToFixed('w.n', 'lower("${w.provider}:${claim}")')}], owner_in_issuer = local.issuers[w.issuer].owner_in_issuer_pattern == null ? false : can(regex(local.issuers[w.issuer].owner_in_issuer_pattern, lower(w.provider))), owner_by_claim = anytrue([for o in local.issuers[w.issuer].owner_claims : anytrue([for c in ${pinsOf('w.n', 'lower("${w.provider}:${o.claim}")')} : alltrue([for v in c.values : v.fixed || (o.prefix_pattern == null ? false : can(regex(o.prefix_pattern, v.prefix)))])])]) })]`,
      ),
      web_identity_owners: expr(
        `[for w in local.web_identity_pins : merge(w, { subject_unpinned = length(w.subject_pins) == 0 && length(w.subject_claims_pinned) == 0, owner_by_subject = anytrue([for c in w.subject_pins : alltrue([for v in c.values : v.fixed || anytrue([for pattern in local.issuers[w.issuer].owner_prefix_patterns : can(regex(pattern, v.prefix))])])]), loose_field = length(w.subject_pins) > 0 ? w.subject_pins[0].field : try(${pinsOf('w.n', 'lower("${w.provider}:${w.subject_claims_pinned[0]}")')}[0].field, w.field) })]`,
      ),
    },
    {
      '//': 'The web identity findings (oidcFindings): OIDC_CLAIM_FOR_ALL_VALUES, OIDC_AUDIENCE_UNPINNED, OIDC_SUBJECT_UNPINNED, OIDC_SUBJECT_ANY_OWNER.',
      claim_for_all_values_findings: expr(
        `flatten([for w in local.web_identities : [for c in local.conditions[w.n] : ${finding(
          'OIDC_CLAIM_FOR_ALL_VALUES',
          'c.field',
          '"${c.key} is one claim of the token, and ForAllValues is true when the token has no such claim"',
          '"use ${trimprefix(c.operator, "ForAllValues:")}"',
        )} if c.for_all_values && startswith(c.lower_key, "\${lower(w.provider)}:")]])`,
      ),
      audience_findings: expr(
        `[for w in local.web_identity_pins : ${finding(
          'OIDC_AUDIENCE_UNPINNED',
          'w.field',
          '"tokens of ${w.name} are not pinned to an audience: no condition fixes ${w.provider}:aud, so a token minted for any audience gets in"',
          '"add StringEquals ${w.provider}:aud = ${local.issuers[w.issuer].audience_example}"',
        )} if !w.audience_pinned]`,
      ),
      subject_findings: expr(
        `[for w in local.web_identity_owners : ${finding(
          'OIDC_SUBJECT_UNPINNED',
          'w.field',
          '"tokens of ${w.name} are not pinned to a subject: no condition fixes ${w.provider}:sub${local.issuers[w.issuer].subject_claims_text} to more than wildcards, so every ${local.issuers[w.issuer].subject_noun} gets in"',
          '"add a condition on ${w.provider}:sub, e.g. StringLike ${w.provider}:sub = ${local.issuers[w.issuer].subject_example}"',
        )} if w.subject_unpinned]`,
      ),
      owner_findings: expr(
        `[for w in local.web_identity_owners : ${finding(
          'OIDC_SUBJECT_ANY_OWNER',
          'w.loose_field',
          '"admits ${local.issuers[w.issuer].owner_noun} of any owner on ${w.name}: a wildcard comes before the owner\'s end${local.issuers[w.issuer].owner_claims_text}"',
          '"write the owner out, e.g. ${local.issuers[w.issuer].subject_example}"',
        )} if !w.subject_unpinned && local.issuers[w.issuer].checks_owner && !w.owner_in_issuer && !w.owner_by_subject && !w.owner_by_claim]`,
      ),
    },
    {
      '//': 'Every finding, and those acknowledge accepts (core/acknowledgements.ts applyAcknowledgements): a rule named by an entry, with the first non-blank reason given for it; a who-gets-in rule only with a reason.',
      findings: expr(
        'concat(local.any_principal_findings, local.pinned_account_findings, local.principal_wildcard_findings, local.account_findings, local.cognito_findings, local.claim_for_all_values_findings, local.audience_findings, local.subject_findings, local.owner_findings)',
      ),
      acknowledgements: expr(`[for e in var.acknowledge : { rule = ${entryRule('e')}, known = ${entryKnown('e')}, reason = ${entryReason('e')} }]`),
      accepted_rules: expr('distinct([for a in local.acknowledgements : a.rule if a.known])'),
      accepted_reasons: expr(
        `{ for rule in local.accepted_rules : rule => try([for a in local.acknowledgements : a.reason if a.rule == rule && (a.reason == null ? false : !${blank('a.reason')})][0], null) }`,
      ),
      accepted_findings: expr(
        '[for f in local.findings : { rule = f.rule, field = f.field, reason = local.accepted_reasons[f.rule] } if contains(local.acknowledgeable_rules, f.rule) && contains(local.accepted_rules, f.rule) && (!contains(local.reason_rules, f.rule) || try(local.accepted_reasons[f.rule], null) != null)]',
      ),
      // Sorted by field, then rule, as Role and BucketPolicy write them next to the resource (sortedAcknowledged).
      acknowledged: expr(
        'flatten([for field in sort(distinct(local.accepted_findings[*].field)) : [for rule in sort(distinct([for a in local.accepted_findings : a.rule if a.field == field])) : [for a in local.accepted_findings : a if a.field == field && a.rule == rule]]])',
      ),
      open_findings: expr(
        '[for f in local.findings : f if !(contains(local.acknowledgeable_rules, f.rule) && contains(local.accepted_rules, f.rule) && (!contains(local.reason_rules, f.rule) || try(local.accepted_reasons[f.rule], null) != null))]',
      ),
    },
  ];
}

/** The message of the precondition on `json`: every open finding, as the TypeScript's errors list them (policy-error.ts formatFindings). */
const OPEN_FINDINGS_MESSAGE = `\${length(local.open_findings)} finding\${length(local.open_findings) == 1 ? "" : "s"} of who the policy admits, not acknowledged:\n\${join("\\n", [for f in local.open_findings : "- \${f.field}: \${f.problem}. Fix: \${f.fix}\${contains(local.reason_rules, f.rule) ? " (or accept it with a reason: acknowledge = [{ rule = \\"\${f.rule}\\", reason = \\"…\\" }])" : ""} [\${f.rule}]"])}`;

function outputs(): Record<string, unknown> {
  const [jsonOutput, ...rest] = POLICY_ADMISSION_OUTPUTS;
  return {
    json: { ...outputWithPreconditions(jsonOutput, []), precondition: [{ condition: expr('length(local.open_findings) == 0'), error_message: OPEN_FINDINGS_MESSAGE }] },
    ...Object.fromEntries(rest.map((o) => [o.name, outputWithPreconditions(o, [])])),
  };
}

/** The README's HCL example: a bucket policy for another account's role, accepted with a reason. */
export const POLICY_ADMISSION_EXAMPLE = [
  'module "admission" {',
  '  source = "./terraform-modules/policy-admission"',
  '',
  '  policy  = data.aws_iam_policy_document.data_lake.json',
  '  account = "123456123456"',
  '  acknowledge = [',
  '    { rule = "CROSS_ACCOUNT", reason = "the application account reads the data lake" },',
  '  ]',
  '}',
];

/** The rules' table of the README, from `RULES`. */
export function admissionRulesTable(): string[] {
  const admission: RuleId[] = [
    'ANY_PRINCIPAL',
    'CROSS_ACCOUNT',
    'OIDC_AUDIENCE_UNPINNED',
    'OIDC_SUBJECT_UNPINNED',
    'OIDC_SUBJECT_ANY_OWNER',
    'COGNITO_UNPINNED',
    'PRINCIPAL_WILDCARD',
    'OIDC_CLAIM_FOR_ALL_VALUES',
  ];
  const accepted = { reason: 'with a reason', name: 'by name', none: 'never' } as const;
  return ['| Rule | Finds | Accepted |', '|---|---|---|', ...admission.map((r) => `| \`${r}\` | ${RULES[r].finds.replace(/\|/g, '\\|')} | ${accepted[RULES[r].accepted]} |`)];
}

function readme(): string {
  return [
    '# policy-admission',
    '',
    POLICY_ADMISSION_NOTE,
    '',
    'Who a trust or resource policy admits, as plain Terraform with no provider: the findings of `admissionFindings`',
    '(`modules/core/admission.ts`), with the same rule ids and fields (`Statement[0].Principal.AWS[1]`), and the',
    'acknowledgements of `acknowledge`. `json` passes the policy through, with a precondition: planning fails while a',
    'finding is not acknowledged, and the error names each one (rule, field, problem, fix). `../trust-policy`,',
    '`../iam-role`, `../state-access-role` and `../s3-bucket-policy` send their policies through it.',
    `Requires Terraform \`${REQUIRED_TERRAFORM_VERSION}\`.`,
    '',
    '```hcl',
    ...POLICY_ADMISSION_EXAMPLE,
    '```',
    '',
    '## Rules',
    '',
    ...admissionRulesTable(),
    '',
    `A condition pins a key only with a positive String or Arn operator (\`StringEquals\`, \`StringLike\`, \`ArnLike\`, …), without`,
    '`IfExists` and without `ForAllValues:` (both true when the key is absent); `ForAnyValue:` pins. A fixed value holds no',
    'wildcard the operator reads and no policy variable (`${…}`). `*` is narrowed by fixed values of',
    `${NARROWING_KEYS.map((k) => `\`${k}\``).join(', ')}, and by patterns whose literal start`,
    'names the organization (`aws:PrincipalOrgPaths`, `aws:SourceOrgPaths`) or runs past the account (`aws:PrincipalArn`,',
    '`aws:SourceArn`). An OIDC provider of an issuer shared by many owners (GitHub Actions, GitLab.com, Buildkite, HCP',
    'Terraform) must have the owner pinned too: by the start of `sub` (`repo:my-org/`), or by a claim (`repository_owner_id`).',
    'Without `account`, every principal named by account is `CROSS_ACCOUNT`: the module cannot tell whose it is.',
    '',
    'Where Terraform reads a policy differently: `jsondecode` keeps no key order, so of several `sub` conditions',
    '`OIDC_SUBJECT_ANY_OWNER` names the first in lexical order of operator and key, which is the document order of every',
    'policy `jsonencode` or `aws_iam_policy_document` writes; a `Statement` that is one object reads as `Statement[0]`.',
    '',
    ...readmeTables(POLICY_ADMISSION_VARIABLES, POLICY_ADMISSION_OUTPUTS),
  ].join('\n');
}

/** The files of `terraform-modules/policy-admission/`, by path relative to the project root. */
export function policyAdmissionModuleFiles(): Record<string, string> {
  const note = POLICY_ADMISSION_NOTE;
  return moduleFiles(POLICY_ADMISSION_MODULE_DIR, {
    'README.md': readme(),
    'main.tf.json': json({ '//': note, locals: localsSections() }),
    'outputs.tf.json': json({ '//': note, output: outputs() }),
    'variables.tf.json': json({ '//': note, variable: variableBlocks(POLICY_ADMISSION_VARIABLES) }),
    'versions.tf.json': json({ '//': note, terraform: { required_version: REQUIRED_TERRAFORM_VERSION } }),
  });
}

/** The rules the entries of an `acknowledge` value (an expression) name, null for an entry that names none. */
export function acknowledgedRules(value: string): string {
  return `[for e in ${value} : ${entryRule('e')}]`;
}
