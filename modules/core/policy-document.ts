/**
 * A typed IAM policy document and its canonical rendering.
 *
 * The objects built here are plain JSON values whose key order and list order follow the AWS
 * provider's `aws_iam_policy_document` data source (terraform-provider-aws,
 * `internal/service/iam/policy_model.go`), so `JSON.stringify(doc)` is the same text on every run and
 * machine, and a team moving from the HCL modules sees no reordering in review:
 * - document keys: `Version`, then `Id` when set, then `Statement`;
 * - statement keys in alphabetical order (`Action`, `Condition`, `Effect`, `NotAction`, `NotPrincipal`,
 *   `NotResource`, `Principal`, `Resource`, `Sid`);
 * - actions, resources and each principal type's identifiers: duplicates removed, sorted in reverse
 *   lexicographic order, a list of one written as a plain string (`policyDecodeConfigStringList`);
 * - condition operators and the keys under each in alphabetical order, values in the order given, a list
 *   of one written as a plain string (`IAMPolicyStatementConditionSet.MarshalJSON`);
 * - a statement whose only principal is `*` renders `"Principal": "*"`
 *   (`IAMPolicyStatementPrincipalSet.MarshalJSON`).
 *
 * One difference is not visible to JSON: Go's encoder writes `<`, `>` and `&` as `\u003c`, `\u003e` and
 * `\u0026`; `JSON.stringify` writes them as they are. Both texts parse to the same document, and the AWS
 * provider compares policies by their parsed value, so `terraform plan` shows no difference.
 */

/** The only policy language version that supports policy variables and every current element. */
import { POLICY_DOCUMENT_PROPS_SHAPE } from './document-shape';
import { shapeFindings } from './input-shape';
import { throwIfAny } from './policy-error';

export const POLICY_VERSION = '2012-10-17';

export type Effect = 'Allow' | 'Deny';

/** A JSON policy value that is either one string or a list of them. */
export type StringOrList = string | string[];

/**
 * `Condition` as it appears in a policy: operator → condition key → value(s), strings as rendered. A policy
 * written by hand may hold numbers and booleans too (IAM JSON policy grammar: "quotation marks are optional
 * for numeric and Boolean values"): `canonicalPolicy` writes them as strings, as `aws_iam_policy_document`
 * does.
 */
export type ConditionMap = { [operator: string]: { [conditionKey: string]: StringOrList } };

/** `Principal` as it appears in a policy: `"*"`, or principal type → identifier(s). */
export type PrincipalMap = '*' | { [principalType: string]: StringOrList };

/** One statement, in canonical key order. */
export interface PolicyStatement {
  readonly Action?: StringOrList;
  readonly Condition?: ConditionMap;
  readonly Effect: Effect;
  readonly NotAction?: StringOrList;
  readonly NotPrincipal?: PrincipalMap;
  readonly NotResource?: StringOrList;
  readonly Principal?: PrincipalMap;
  readonly Resource?: StringOrList;
  readonly Sid?: string;
}

/** A policy document, in canonical key order. */
export interface PolicyDocument {
  readonly Version: string;
  readonly Id?: string;
  readonly Statement: PolicyStatement[];
}

/** One condition: `test` is the operator, `variable` the condition key (Terraform's `condition` block). */
export interface ConditionProps {
  /** Condition operator, for example `StringLike` or `ForAllValues:StringLike`. */
  readonly test: string;
  /** Condition key, for example `s3:prefix`. */
  readonly variable: string;
  /** Values to compare with; their order is kept. */
  readonly values: readonly string[];
}

/** One principal block (Terraform's `principals` block). */
export interface PrincipalProps {
  /** Principal type: `AWS`, `Service`, `Federated`, `CanonicalUser`, or `*`. */
  readonly type: string;
  /** Principal identifiers of that type. */
  readonly identifiers: readonly string[];
}

/** A statement to render, after Terraform's `statement` block. */
export interface StatementProps {
  /**
   * Statement identifier: letters and digits only, unique within the policy.
   * @default - no Sid
   */
  readonly sid?: string;
  /**
   * Whether the statement allows or denies.
   * @default 'Allow'
   */
  readonly effect?: Effect;
  /**
   * Actions the statement applies to. Exactly one of `actions` and `notActions` is set.
   * @default - none
   */
  readonly actions?: readonly string[];
  /**
   * Actions the statement does not apply to.
   * @default - none
   */
  readonly notActions?: readonly string[];
  /**
   * Resources the statement applies to.
   * @default - none
   */
  readonly resources?: readonly string[];
  /**
   * Resources the statement does not apply to.
   * @default - none
   */
  readonly notResources?: readonly string[];
  /**
   * Principals, for trust and resource policies only.
   * @default - none
   */
  readonly principals?: readonly PrincipalProps[];
  /**
   * Principals excluded, for resource policies only.
   * @default - none
   */
  readonly notPrincipals?: readonly PrincipalProps[];
  /**
   * Conditions, all of which must hold.
   * @default - none
   */
  readonly conditions?: readonly ConditionProps[];
}

/** A document to render. */
export interface PolicyDocumentProps {
  /**
   * Policy identifier.
   * @default - no Id
   */
  readonly id?: string;
  /**
   * Policy language version.
   * @default '2012-10-17'
   */
  readonly version?: string;
  /** The statements, in the order they are to appear. */
  readonly statements: readonly StatementProps[];
}

/** Builds the canonical document for `props`. Rendering only: `validatePolicy` checks what it grants. */
export function policyDocument(props: PolicyDocumentProps): PolicyDocument {
  // Props from plain JavaScript (a string of actions, statements not in a list) are named, not a TypeError.
  throwIfAny('policyDocument', shapeFindings(props, POLICY_DOCUMENT_PROPS_SHAPE, ''));
  // Written in key order: Version, Id (when set), Statement.
  return {
    Version: props.version ?? POLICY_VERSION,
    ...(props.id !== undefined && { Id: props.id }),
    Statement: props.statements.map(policyStatement),
  };
}

/** Builds one canonical statement. */
export function policyStatement(props: StatementProps): PolicyStatement {
  const statement: { -readonly [K in keyof PolicyStatement]: PolicyStatement[K] } = {} as PolicyStatement;
  // Properties are assigned in alphabetical order: that is the order JSON.stringify writes them in.
  if (nonEmpty(props.actions)) statement.Action = reverseSortedList(props.actions);
  if (nonEmpty(props.conditions)) statement.Condition = renderConditions(props.conditions);
  statement.Effect = props.effect ?? 'Allow';
  if (nonEmpty(props.notActions)) statement.NotAction = reverseSortedList(props.notActions);
  if (nonEmpty(props.notPrincipals)) statement.NotPrincipal = renderPrincipals(props.notPrincipals);
  if (nonEmpty(props.notResources)) statement.NotResource = reverseSortedList(props.notResources);
  if (nonEmpty(props.principals)) statement.Principal = renderPrincipals(props.principals);
  if (nonEmpty(props.resources)) statement.Resource = reverseSortedList(props.resources);
  if (props.sid !== undefined && props.sid !== '') statement.Sid = props.sid;
  return statement;
}

/**
 * Re-renders any parsed policy JSON (a trust policy passed as text, a seed's expected output) in
 * canonical form, so two documents that differ only in order or in one-element lists compare equal.
 */
export function canonicalPolicy(json: unknown): PolicyDocument {
  const raw = json as { Version?: string; Id?: string; Statement?: unknown };
  const statements = raw.Statement === undefined ? [] : Array.isArray(raw.Statement) ? raw.Statement : [raw.Statement];
  return policyDocument({
    ...(raw.Id !== undefined && { id: raw.Id }),
    ...(raw.Version !== undefined && { version: raw.Version }),
    statements: statements.map((s) => statementPropsOf(s as PolicyStatement)),
  });
}

/** The props that render back to `statement`: the inverse of `policyStatement`. */
export function statementPropsOf(statement: PolicyStatement): StatementProps {
  return {
    ...(statement.Sid !== undefined && { sid: statement.Sid }),
    effect: statement.Effect,
    ...(statement.Action !== undefined && { actions: listOf(statement.Action) }),
    ...(statement.NotAction !== undefined && { notActions: listOf(statement.NotAction) }),
    ...(statement.Resource !== undefined && { resources: listOf(statement.Resource) }),
    ...(statement.NotResource !== undefined && { notResources: listOf(statement.NotResource) }),
    ...(statement.Principal !== undefined && { principals: principalPropsOf(statement.Principal) }),
    ...(statement.NotPrincipal !== undefined && { notPrincipals: principalPropsOf(statement.NotPrincipal) }),
    ...(statement.Condition !== undefined && { conditions: conditionPropsOf(statement.Condition) }),
  };
}

/** A policy value as a list: `"a"` becomes `["a"]`. */
export function listOf(value: StringOrList): string[] {
  return typeof value === 'string' ? [value] : [...value];
}

/** The conditions of a rendered `Condition` map, operator by operator and key by key. */
export function conditionPropsOf(condition: ConditionMap): ConditionProps[] {
  return Object.entries(condition).flatMap(([test, keys]) => Object.entries(keys).map(([variable, values]) => ({ test, variable, values: conditionValuesOf(values) })));
}

/**
 * A condition's values as strings: `false` becomes `"false"`, `3600` becomes `"3600"`, which IAM reads the
 * same. Anything else (null, an object) is kept as it is, for `validatePolicy` to report.
 */
export function conditionValuesOf(value: StringOrList): string[] {
  const list: unknown[] = Array.isArray(value) ? value : [value];
  return list.map((v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v)) as string[];
}

function principalPropsOf(principal: PrincipalMap): PrincipalProps[] {
  if (principal === '*') return [{ type: '*', identifiers: ['*'] }];
  return Object.entries(principal).map(([type, identifiers]) => ({ type, identifiers: listOf(identifiers) }));
}

function nonEmpty<T>(list: readonly T[] | undefined): list is readonly T[] {
  return list !== undefined && list.length > 0;
}

function reverseSortedList(values: readonly string[]): StringOrList {
  // Callers that build large lists (the state module) pass them sorted and distinct already.
  const list = (isStrictlyAscending(values) ? [...values] : sortedDistinct(values)).reverse();
  return list.length === 1 ? list[0] : list;
}

function isStrictlyAscending(values: readonly string[]): boolean {
  for (let i = 1; i < values.length; i++) if (!(values[i - 1] < values[i])) return false;
  return true;
}

function valueOrList(values: string[]): StringOrList {
  return values.length === 1 ? values[0] : values;
}

function renderConditions(conditions: readonly ConditionProps[]): ConditionMap {
  // Same operator and key given twice: the values are appended, as the provider does.
  const byOperator = new Map<string, Map<string, string[]>>();
  for (const { test, variable, values } of conditions) {
    const byKey = byOperator.get(test) ?? new Map<string, string[]>();
    byOperator.set(test, byKey);
    byKey.set(variable, [...(byKey.get(variable) ?? []), ...values]);
  }
  const rendered: ConditionMap = {};
  for (const test of [...byOperator.keys()].sort()) {
    const byKey = byOperator.get(test)!;
    const keys: { [conditionKey: string]: StringOrList } = {};
    for (const variable of [...byKey.keys()].sort()) keys[variable] = valueOrList(byKey.get(variable)!);
    rendered[test] = keys;
  }
  return rendered;
}

function renderPrincipals(principals: readonly PrincipalProps[]): PrincipalMap {
  if (principals.length === 1 && principals[0].type === '*') return '*';
  const byType = new Map<string, string[]>();
  for (const { type, identifiers } of principals) byType.set(type, [...(byType.get(type) ?? []), ...identifiers]);
  const rendered: { [principalType: string]: StringOrList } = {};
  for (const type of [...byType.keys()].sort()) rendered[type] = reverseSortedList(byType.get(type)!);
  return rendered;
}

/**
 * The distinct values in ascending order. `Array.prototype.sort` with no comparator orders strings by
 * UTF-16 code unit, which for the characters a policy may hold (tab, LF, CR and U+0020 to U+00FF) is the
 * byte order of Go's `sort.Strings` and Terraform's `sort()`; every `.sort()` in this module relies on it.
 */
export function sortedDistinct(values: readonly string[]): string[] {
  const sorted = [...values].sort();
  let kept = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[kept - 1]) sorted[kept++] = sorted[i];
  sorted.length = kept;
  return sorted;
}
