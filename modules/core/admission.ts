/**
 * Who a trust or resource policy admits: for each Allow statement, the principals it lets in that nobody
 * may have meant. Pure: a document in, findings out, each with a stable rule id (`rules.ts`). Every path
 * that writes a trust or resource policy runs it through `policyFindings` (kinds `trust`, `s3-bucket`,
 * `kms-key`), and the access report runs it on what the stacks synthesize.
 *
 * What it finds, and the facts it rests on:
 * - `ANY_PRINCIPAL`: `Principal: "*"`, any principal type given `*` (`{"AWS": "*"}`), or `NotPrincipal` in an
 *   Allow, unless a condition pins the caller's organization, account or ARN, or the source account or
 *   ARN, to fixed values (`NARROWING_KEYS`). IAM user guide, "AWS JSON policy elements: Principal"
 *   ("anonymous users … we strongly recommend that you do not use a wildcard in the Principal element
 *   … without a Condition"), and the S3 user guide, "The meaning of 'public'" (a policy is non-public only
 *   when it grants to fixed values, no wildcard and no policy variable, of such keys).
 * - `PRINCIPAL_WILDCARD`: a wildcard inside a principal ("You cannot use a wildcard to match part of a
 *   principal name or ARN", same Principal page).
 * - `CROSS_ACCOUNT`: an AWS principal (account ID, or an `iam`/`sts` ARN, whose fifth field is its
 *   account) of another account than `account`; when `account` is not given, every such principal, since
 *   this cannot be decided.
 * - Web identity: a `Federated` OIDC provider (`arn:…:oidc-provider/<provider>`, or Google's, Facebook's and
 *   Amazon's names) must have its tokens pinned: `<provider>:aud` to fixed values
 *   (`OIDC_AUDIENCE_UNPINNED`), and `<provider>:sub`, or a claim of the issuer naming one repository,
 *   project or pipeline, to values that are not wildcards alone (`OIDC_SUBJECT_UNPINNED`); for an issuer
 *   shared by many owners, the owner too (`OIDC_SUBJECT_ANY_OWNER`: see `oidc-issuers.ts`). IAM user
 *   guide, "Create a role for OpenID Connect federation" and "Configuring a role for GitHub OIDC identity
 *   provider" (conditions on `aud` and `sub`, so that other repositories cannot assume the role).
 *   `ForAllValues:` on a claim is `OIDC_CLAIM_FOR_ALL_VALUES`: a claim holds one value, and
 *   `ForAllValues:` is true when the token lacks it (IAM user guide, "Multivalued context keys").
 * - `COGNITO_UNPINNED`: `Federated: cognito-identity.amazonaws.com` without `cognito-identity.amazonaws.com:aud`
 *   pinned to the identity pool and a positive `amr` condition (authenticated or unauthenticated): IAM
 *   user guide, "Role trust policies for Amazon Cognito identity pools"; without `aud`, identities of any
 *   pool, in any account, may assume the role.
 */
import { ACCOUNT_ID, PARTITION } from './iam-identifiers';
import { cmp } from './order';
import { type PolicyDocument, type PolicyStatement, type PrincipalMap, type StringOrList } from './policy-document';
import type { Finding } from './policy-error';
import { type ConditionOnKey, type ConditionsByKey, conditionsByKey, isFixedValue, literalPrefix, pinnedToFixedValues, pinsOf } from './private/condition-pins';
import { hasWildcard } from './private/patterns';
import { issuerPattern, oidcIssuerOf, ownerInIssuer, subjectPrefixPinsOwner } from './oidc-issuers';

export interface AdmissionOptions {
  /**
   * The 12-digit ID of the account the policy's resource is in (the role's, the bucket's): AWS principals
   * of any other account are `CROSS_ACCOUNT` findings.
   * @default - not known: every principal named by account is a `CROSS_ACCOUNT` finding
   */
  readonly account?: string;
}

/**
 * Keys that narrow `Principal: "*"` when pinned to fixed values: the caller's organization, account or ARN,
 * or, for a service acting for a resource, that resource's account, organization or ARN (IAM user guide,
 * "AWS global condition context keys"; S3 user guide, "The meaning of 'public'", for `aws:SourceArn`,
 * `aws:SourceAccount` and `aws:SourceOwner`).
 */
export const NARROWING_KEYS: readonly string[] = [
  'aws:PrincipalOrgID',
  'aws:PrincipalOrgPaths',
  'aws:PrincipalAccount',
  'aws:PrincipalArn',
  'aws:SourceAccount',
  'aws:SourceArn',
  'aws:SourceOrgID',
  'aws:SourceOrgPaths',
  'aws:SourceOwner',
];

/** Identity providers named without an ARN in `Federated` (IAM user guide, "AWS JSON policy elements: Principal", "Web identity session principals"). */
export const WELL_KNOWN_WEB_IDENTITY: readonly string[] = ['accounts.google.com', 'graph.facebook.com', 'www.amazon.com'];
/** The principal of Cognito identity pools' tokens. */
export const COGNITO_PRINCIPAL = 'cognito-identity.amazonaws.com';

/**
 * The shapes the check reads principals with, as regular expressions both JavaScript and RE2 (Terraform's
 * `regex`) read, so that the Terraform module is generated from them: an account ID, and an AWS principal's
 * account, the fifth field of an `iam` or `sts` ARN (partition and account as iam-identifiers.ts); the provider part of an
 * IAM OIDC provider ARN (any characters but line terminators, written out as characters: the two engines
 * spell `\u2028` differently).
 */
export const ADMISSION_PATTERNS = {
  accountId: ACCOUNT_ID.re2,
  principalArnAccount: `^arn:${PARTITION.source}:(?:iam|sts)::(${ACCOUNT_ID.source}):`,
  oidcProviderArn: `^arn:${PARTITION.source}:iam::${ACCOUNT_ID.source}:oidc-provider/([^\n\r\u2028\u2029]+)$`,
} as const;

const WELL_KNOWN = new Set(WELL_KNOWN_WEB_IDENTITY);
const OIDC_PROVIDER_ARN = new RegExp(ADMISSION_PATTERNS.oidcProviderArn);
const PRINCIPAL_ARN_ACCOUNT = new RegExp(ADMISSION_PATTERNS.principalArnAccount);

/** Every who-gets-in finding of `doc`'s Allow statements. */
export function admissionFindings(doc: PolicyDocument, options: AdmissionOptions = {}): Finding[] {
  const findings: Finding[] = [];
  // A document written by hand may hold one statement as an object: read as a list of one, as canonicalPolicy does.
  const statements: unknown = doc.Statement;
  const list: readonly PolicyStatement[] = Array.isArray(statements) ? statements : statements !== null && typeof statements === 'object' ? [statements as PolicyStatement] : [];
  list.forEach((statement, index) => {
    if (statement?.Effect === 'Allow') findings.push(...statementFindings(statement, `Statement[${index}]`, options));
  });
  return findings;
}

function statementFindings(statement: PolicyStatement, at: string, options: AdmissionOptions): Finding[] {
  const findings: Finding[] = [];
  const conditions = conditionsByKey(statement.Condition, at);
  const not = statement.NotPrincipal !== undefined;
  const principal = not ? statement.NotPrincipal : statement.Principal;
  if (principal === undefined) return findings;
  const field = `${at}.${not ? 'NotPrincipal' : 'Principal'}`;
  if (not || admitsAnyone(principal)) {
    if (!narrowed(conditions)) {
      findings.push({
        field,
        value: principal,
        problem: not
          ? 'NotPrincipal in an Allow admits every principal but those listed, in every account, anonymous callers included'
          : 'admits any principal, in any account, anonymous callers included',
        fix: `name the principals, or add a condition pinning ${NARROWING_KEYS.slice(0, 3).join(', ')} or aws:SourceArn to fixed values`,
        code: 'ANY_PRINCIPAL',
      });
    } else findings.push(...pinnedAccountFindings(conditions, options));
  }
  if (principal === '*' || typeof principal !== 'object' || principal === null) return findings;
  for (const [type, identifiers] of Object.entries(principal)) {
    listed(identifiers).forEach((id, j) => {
      const idField = `${field}.${type}${Array.isArray(identifiers) ? `[${j}]` : ''}`;
      if (id === '*') return; // any principal: above
      if (hasWildcard(id)) {
        findings.push({
          field: idField,
          value: id,
          problem: 'a principal cannot hold a wildcard: IAM matches a principal exactly, or "*" for every one',
          fix: 'name each principal in full, or use "*" with a condition that pins aws:PrincipalArn or aws:PrincipalOrgID',
          code: 'PRINCIPAL_WILDCARD',
        });
        return;
      }
      if (not) return;
      if (type === 'AWS') findings.push(...accountFindings(idField, id, accountOfPrincipal(id), options));
      if (type === 'Federated') findings.push(...federatedFindings(idField, id, conditions));
    });
  }
  return findings;
}

function listed(value: StringOrList | unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function admitsAnyone(principal: PrincipalMap): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  return Object.values(principal).some((ids) => listed(ids).includes('*'));
}

/** Whether some condition pins a `NARROWING_KEYS` key to fixed values. */
function narrowed(conditions: ConditionsByKey): boolean {
  return NARROWING_KEYS.some((key) => pinnedToFixedValues(conditions, key, (c, v) => narrowingValue(key, c, v)));
}

/**
 * For the narrowing keys a pattern may still narrow: what its literal start must match (a regular expression
 * JavaScript and RE2 both read). An organization path whose start holds the organization ID
 * (`o-a1b2c3d4e5/*`); a principal or source ARN whose start runs past the account field
 * (`arn:aws:iam::111111111111:role/ci-*`). Any other narrowing key narrows only with fixed values.
 */
export const NARROWING_PREFIX_PATTERNS: Readonly<Record<string, string>> = {
  'aws:PrincipalOrgPaths': '^o-[a-z0-9]{10,32}/',
  'aws:SourceOrgPaths': '^o-[a-z0-9]{10,32}/',
  'aws:PrincipalArn': `^arn:[^:]+:[^:]+:[^:]*:${ACCOUNT_ID.source}:`,
  'aws:SourceArn': `^arn:[^:]+:[^:]+:[^:]*:${ACCOUNT_ID.source}:`,
};

/** Whether `value` narrows `key`: a fixed value, or a pattern whose literal start `NARROWING_PREFIX_PATTERNS` accepts. */
function narrowingValue(key: string, c: ConditionOnKey, value: string): boolean {
  if (isFixedValue(c, value)) return true;
  const pattern = NARROWING_PREFIX_PATTERNS[key];
  return pattern !== undefined && !value.includes('${') && issuerPattern(pattern).test(literalPrefix(c, value));
}

/** The narrowing keys whose values name the caller's account: the account itself, or an ARN in it. */
export const ACCOUNT_PINNING_KEYS = { account: 'aws:PrincipalAccount', arn: 'aws:PrincipalArn' } as const;

/** `CROSS_ACCOUNT` for the accounts a narrowed `*` is pinned to by `aws:PrincipalAccount` or `aws:PrincipalArn`. */
function pinnedAccountFindings(conditions: ConditionsByKey, options: AdmissionOptions): Finding[] {
  const findings: Finding[] = [];
  for (const key of [ACCOUNT_PINNING_KEYS.account, ACCOUNT_PINNING_KEYS.arn]) {
    for (const c of pinsOf(conditions, key)) {
      c.values.forEach((v, i) => {
        const account = key === ACCOUNT_PINNING_KEYS.account ? (ACCOUNT_ID.test(v) ? v : undefined) : PRINCIPAL_ARN_ACCOUNT.exec(literalPrefix(c, v))?.[1];
        if (account === undefined) return; // pinned by organization, or not pinned by this key
        findings.push(...accountFindings(`${c.field}${c.values.length > 1 ? `[${i}]` : ''}`, v, account, options));
      });
    }
  }
  return findings;
}

/** The account of an AWS principal: its ID, or an iam or sts ARN's account field; undefined when it names none. */
export function accountOfPrincipal(id: string): string | undefined {
  if (ACCOUNT_ID.test(id)) return id;
  return PRINCIPAL_ARN_ACCOUNT.exec(id)?.[1];
}

function accountFindings(field: string, id: string, account: string | undefined, options: AdmissionOptions): Finding[] {
  if (account !== undefined && account === options.account) return [];
  const problem =
    account === undefined
      ? 'names no account that can be read from it (a unique ID, or a principal since deleted), so it may be another account'
      : options.account === undefined
        ? `is a principal of account ${account}, and the account this policy is in is not given, so it may be another`
        : `is a principal of account ${account}, not of ${options.account}, the account this policy is in`;
  return [
    {
      field,
      value: id,
      problem,
      fix:
        options.account === undefined
          ? 'give the account the role or resource is in (account), or accept the other account with a reason'
          : 'accept the other account with a reason, if it is meant to get in',
      code: 'CROSS_ACCOUNT',
    },
  ];
}

/** The provider part of a web identity principal: `token.actions.githubusercontent.com` of its ARN, or Google's name. */
export function webIdentityProvider(federated: string): string | undefined {
  const arn = OIDC_PROVIDER_ARN.exec(federated);
  if (arn !== undefined && arn !== null) return arn[1];
  return WELL_KNOWN.has(federated) ? federated : undefined;
}

function federatedFindings(field: string, federated: string, conditions: ConditionsByKey): Finding[] {
  if (federated === COGNITO_PRINCIPAL) return cognitoFindings(field, conditions);
  const provider = webIdentityProvider(federated);
  if (provider === undefined) return []; // a SAML provider: its claims are its own IdP's
  return oidcFindings(field, provider, conditions);
}

function sortedByField(conditions: ConditionOnKey[]): ConditionOnKey[] {
  return [...conditions].sort((a, b) => cmp(a.field, b.field));
}

/** Every condition on a key of `provider` (`<provider>:<claim>`). */
function providerConditions(conditions: ConditionsByKey, provider: string): ConditionOnKey[] {
  const prefix = `${provider.toLowerCase()}:`;
  return [...conditions.entries()].filter(([key]) => key.startsWith(prefix)).flatMap(([, list]) => list);
}

function oidcFindings(field: string, provider: string, conditions: ConditionsByKey): Finding[] {
  const findings: Finding[] = [];
  const issuer = oidcIssuerOf(provider);
  const name = issuer?.name ?? provider;
  const key = (claim: string) => `${provider}:${claim}`;
  for (const c of providerConditions(conditions, provider)) {
    if (c.parsed.qualifier === 'ForAllValues') {
      findings.push({
        field: c.field,
        value: c.operator,
        problem: `${c.key} is one claim of the token, and ForAllValues is true when the token has no such claim`,
        fix: `use ${c.operator.replace(/^ForAllValues:/, '')}`,
        code: 'OIDC_CLAIM_FOR_ALL_VALUES',
      });
    }
  }
  const audienceClaims = issuer?.audienceClaims ?? ['aud'];
  if (!audienceClaims.some((claim) => pinnedToFixedValues(conditions, key(claim)))) {
    findings.push({
      field,
      value: provider,
      problem: `tokens of ${name} are not pinned to an audience: no condition fixes ${key('aud')}, so a token minted for any audience gets in`,
      fix: `add StringEquals ${key('aud')} = ${issuer?.defaultAudience ?? 'the audience your tokens carry'}`,
      code: 'OIDC_AUDIENCE_UNPINNED',
    });
  }
  // In lexical order of operator and key: the order of every canonical document, and the only one the
  // Terraform module, whose jsondecode keeps no key order, can read.
  const subjectPins = sortedByField(pinsOf(conditions, key('sub'))).filter((c) => c.values.every((v) => literalPrefix(c, v) !== '' || !/^[*?]*$/.test(v)));
  const claimPins = (issuer?.subjectClaims ?? []).filter((claim) => pinnedToFixedValues(conditions, key(claim)));
  if (subjectPins.length === 0 && claimPins.length === 0) {
    findings.push({
      field,
      value: provider,
      problem: `tokens of ${name} are not pinned to a subject: no condition fixes ${key('sub')}${issuer && issuer.subjectClaims.length > 0 ? ` or a claim naming one (${issuer.subjectClaims.join(', ')})` : ''} to more than wildcards, so every ${issuer?.subjectNoun ?? 'identity of the provider'} gets in`,
      fix: `add a condition on ${key('sub')}, e.g. StringLike ${key('sub')} = ${issuer?.subjectExample ?? 'the subject of your workload'}`,
      code: 'OIDC_SUBJECT_UNPINNED',
    });
    return findings;
  }
  if (issuer === undefined || ownerInIssuer(issuer, provider)) return findings;
  const ownerBySubject = subjectPins.some((c) => c.values.every((v) => isFixedValue(c, v) || subjectPrefixPinsOwner(issuer, literalPrefix(c, v))));
  const ownerByClaim = issuer.ownerClaims.some(({ claim, prefixPattern }) =>
    pinnedToFixedValues(conditions, key(claim), (c, v) => isFixedValue(c, v) || (prefixPattern !== undefined && issuerPattern(prefixPattern).test(literalPrefix(c, v)))),
  );
  if (!ownerBySubject && !ownerByClaim) {
    const loose = subjectPins[0] ?? sortedByField(pinsOf(conditions, key(claimPins[0])))[0];
    findings.push({
      field: loose?.field ?? field,
      value: loose?.values ?? provider,
      problem: `admits ${issuer.ownerNoun} of any owner on ${name}: a wildcard comes before the owner's end${issuer.ownerClaims.length > 0 ? `, and no condition fixes the owner's claims (${issuer.ownerClaims.map((o) => o.claim).join(', ')})` : ''}`,
      fix: `write the owner out, e.g. ${issuer.subjectExample}`,
      code: 'OIDC_SUBJECT_ANY_OWNER',
    });
  }
  return findings;
}

function cognitoFindings(field: string, conditions: ConditionsByKey): Finding[] {
  const missing: string[] = [];
  if (!pinnedToFixedValues(conditions, `${COGNITO_PRINCIPAL}:aud`)) missing.push(`${COGNITO_PRINCIPAL}:aud pinned to the identity pool ID`);
  // amr is a list (authenticated or unauthenticated, and the provider): a positive condition on it, ForAnyValue included.
  if (pinsOf(conditions, `${COGNITO_PRINCIPAL}:amr`).length === 0) missing.push(`a ForAnyValue:StringLike ${COGNITO_PRINCIPAL}:amr condition ("authenticated" or "unauthenticated")`);
  if (missing.length === 0) return [];
  return [
    {
      field,
      value: COGNITO_PRINCIPAL,
      problem: `a Cognito identity pool trust without ${missing.join(' and ')}: identities of any pool, in any account, or guests, may get in`,
      fix: `add StringEquals ${COGNITO_PRINCIPAL}:aud = "<region>:<identity pool ID>" and ForAnyValue:StringLike ${COGNITO_PRINCIPAL}:amr = "authenticated"`,
      code: 'COGNITO_UNPINNED',
    },
  ];
}
