/**
 * Which escalation paths of the catalogue (`catalog.ts`) a principal's grants complete, and with which
 * grants.
 *
 * A path is completed when every requirement has an effective Allow grant of its action that may reach
 * the requirement's target, under conditions that may hold, and requirements that must act on one
 * resource (`same`) have grants whose resources may overlap. Every test errs towards reporting:
 *
 * - resources are ARN patterns compared with what the target may be (`mayMatchTarget`: a policy
 *   variable may be anything); a grant counts when its pattern may match a resource of the action's type
 *   (iam-data's ARN templates), and, for an action with no resource type, when it matches `*`, the only
 *   resource IAM then sees;
 * - `self`: the pattern may match the principal itself (its ARN, the groups it is in, a group's members);
 *   `other`: the pattern may match another principal, which fails only when it provably matches nothing
 *   but the principal (its own ARN, a group it is in, or `user/${aws:username}`, which is always the
 *   caller); `attached-policy`: the pattern may match a customer managed policy attached to it;
 * - conditions are read only where they can close a path: `iam:PassedToService` on `iam:PassRole`, which
 *   excludes the path when it rejects every service principal the path passes the role to. Any other
 *   condition (tags, source IP, MFA, `iam:PermissionsBoundary`, …) is taken to hold, and the finding
 *   lists it, so that a reviewer sees under what it applies;
 * - an Allow is taken away only by an unconditional Deny of the same action on resources that include its
 *   own (`resourceCovers`), or by a permissions boundary whose content is known and that provably never
 *   allows it (`GrantSet.excludes`);
 * - what the stack cannot show is taken to be there: a role that trusts the service, a function that
 *   already runs with an administrator's role, a role whose trust admits the principal.
 *
 * So a finding means: these grants complete the path if the resources it needs exist, as they may.
 */
import { globRegExp, parseOperator, resourceType, serviceActions } from '../../core/iam-data';
import { IAM_NAME_CHARACTER } from '../../core/iam-identifiers';
import { GrantSet, resourceCovers } from '../grant-cover';
import { type Grant, resourceText } from '../grants';
import { type ConditionClause, clauseText } from '../private/conditions';
import { arnPatternCovers, patternsIntersect } from '../private/wildcards';
import type { Subject } from '../stack-iam';
import { subjectGrants, type SubjectGrants } from '../subject-grants';

/** A customer managed policy's label, `managed <name>` (stack-iam.ts), and its name. */
const MANAGED_LABEL = new RegExp(`^managed (${IAM_NAME_CHARACTER.js}+)`);
import { ESCALATION_PATHS, type EscalationCategory, type EscalationPath, type EscalationRequirement } from './catalog';

/** What the detector knows of the principal whose grants it reads. */
export interface EscalationContext {
  /**
   * ARN patterns of the principal itself: its own ARN, the groups it is in; for a group, the group and
   * its members. Undefined when not known (a managed policy attached to nothing in the stack may be
   * attached to anyone): every grant may then reach the principal, and none reaches only it.
   */
  readonly self?: readonly string[];
  /** Its account, when known: a pattern for another account's role is never the principal itself. */
  readonly account?: string;
  /** ARN patterns of the customer managed policies attached to it; undefined when not known (any). */
  readonly attachedPolicies?: readonly string[];
  /** Its permissions boundary's grants, when its content is known. */
  readonly boundary?: readonly Grant[];
}

/** One grant of a completed path: the requirement it meets. */
export interface EscalationStep {
  /** The requirement's action, as AWS writes it (`iam:PassRole`). */
  readonly action: string;
  /** The grant's resource (`*`, an ARN pattern, `not (…)`). */
  readonly resource: string;
  /** Where the grant was written: policy and Sid (or statement). */
  readonly policy: string;
  /** The grant's conditions, each clause as text: the path is open only when they hold. */
  readonly conditions: readonly string[];
}

/** A path a principal's grants complete. */
export interface EscalationFinding {
  readonly id: string;
  /** The path's id in pathfinding.cloud. */
  readonly source: string;
  readonly title: string;
  readonly category: EscalationCategory;
  /** One grant per requirement, in the catalogue's order. */
  readonly via: readonly EscalationStep[];
  /** Set when requirements that must reach one resource were too many to pair up: taken to overlap. */
  readonly unpaired?: true;
}

/** The paths of `paths` that `grants` complete, in the catalogue's order. */
export function escalationPaths(grants: readonly Grant[], context: EscalationContext, paths: readonly EscalationPath[] = ESCALATION_PATHS): EscalationFinding[] {
  const wanted = new Set(paths.flatMap((p) => p.requires.map((r) => r.action.toLowerCase())));
  const allows = new Map<string, Grant[]>();
  const denies = new Map<string, Grant[]>();
  for (const grant of grants) {
    const id = grant.action.id;
    if (!wanted.has(id)) continue;
    if (grant.effect === 'Allow') push(allows, id, grant);
    // A Deny under a condition may not apply: only an unconditional one is sure to take an Allow away.
    else if (grant.condition.length === 0) push(denies, id, grant);
  }
  // Built only when some Allow is to be checked against it: a boundary may hold a million grants.
  let boundary: GrantSet | undefined;
  const outsideBoundary = (g: Grant): boolean => {
    if (context.boundary === undefined) return false;
    boundary ??= new GrantSet(context.boundary);
    return boundary.excludes(g);
  };
  const effective = new Map<string, Grant[]>();
  const effectiveAllows = (id: string): Grant[] => {
    let list = effective.get(id);
    if (list === undefined) {
      const denied = denies.get(id) ?? [];
      list = (allows.get(id) ?? []).filter((g) => !denied.some((d) => resourceCovers(d.resource, g.resource)) && !outsideBoundary(g));
      effective.set(id, list);
    }
    return list;
  };
  const findings: EscalationFinding[] = [];
  for (const path of paths) {
    const candidates: Grant[][] = [];
    for (const requirement of path.requires) {
      const list = distinctResources(effectiveAllows(requirement.action.toLowerCase()).filter((g) => reaches(g, requirement, context) && conditionsMayHold(g, requirement)));
      if (list.length === 0) break;
      candidates.push(list);
    }
    if (candidates.length < path.requires.length) continue;
    const chosen = pairUp(path.requires, candidates);
    if (chosen === undefined) continue;
    findings.push({
      id: path.id,
      source: path.source,
      title: path.title,
      category: path.category,
      via: path.requires.map((requirement, i) => step(requirement, chosen.grants[i])),
      ...(chosen.unpaired && { unpaired: true as const }),
    });
  }
  return findings;
}

function push(map: Map<string, Grant[]>, id: string, grant: Grant): void {
  const list = map.get(id);
  if (list === undefined) map.set(id, [grant]);
  else list.push(grant);
}

/** One grant per resource, the one with the fewest conditions; the widest resources first (they pair with anything). */
function distinctResources(grants: readonly Grant[]): Grant[] {
  const seen = new Map<string, Grant>();
  for (const g of grants) {
    const key = resourceText(g.resource);
    const kept = seen.get(key);
    if (kept === undefined || g.condition.length < kept.condition.length) seen.set(key, g);
  }
  return [...seen.values()].sort((a, b) => width(b) - width(a));
}

function width(grant: Grant): number {
  if (grant.resource.kind === 'not') return 2;
  return grant.resource.kind === 'pattern' && /^\*+$/.test(grant.resource.pattern) ? 2 : 0;
}

function step(requirement: EscalationRequirement, grant: Grant): EscalationStep {
  const { policy, sid, statement } = grant.origin;
  return {
    action: requirement.action,
    resource: resourceText(grant.resource),
    policy: `${policy} ${sid !== undefined ? `(${sid})` : `(statement ${statement + 1})`}`,
    conditions: grant.condition.map(clauseText),
  };
}

/** How many pairs of resources are compared for one path before taking them to overlap. */
const PAIRING_BUDGET = 20_000;

/**
 * A grant per requirement such that requirements with the same `same` key have resources that may
 * overlap; undefined when there is none. Past the budget, the first grants are taken (`unpaired`).
 */
function pairUp(requires: readonly EscalationRequirement[], candidates: readonly Grant[][]): { grants: Grant[]; unpaired: boolean } | undefined {
  const grants = candidates.map((list) => list[0]);
  const groups = new Map<string, number[]>();
  requires.forEach((r, i) => {
    if (r.same !== undefined) groups.set(r.same, [...(groups.get(r.same) ?? []), i]);
  });
  let budget = PAIRING_BUDGET;
  let unpaired = false;
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const picked: Grant[] = [];
    const search = (k: number): boolean => {
      if (k === members.length) return true;
      for (const g of candidates[members[k]]) {
        if (budget <= 0) return false;
        budget -= Math.max(1, picked.length);
        if (picked.every((p) => mayOverlap(p, g))) {
          picked.push(g);
          if (search(k + 1)) return true;
          picked.pop();
        }
      }
      return false;
    };
    if (search(0)) members.forEach((m, k) => (grants[m] = picked[k]));
    else if (budget <= 0) unpaired = true;
    else return undefined;
  }
  return { grants, unpaired };
}

function mayOverlap(a: Grant, b: Grant): boolean {
  if (a.resource.kind !== 'pattern' || b.resource.kind !== 'pattern') return a.resource.kind !== 'self' && b.resource.kind !== 'self';
  return intersect(a.resource.pattern, b.resource.pattern);
}

function intersect(a: string, b: string): boolean {
  return patternsIntersect(a.toLowerCase(), b.toLowerCase());
}

/** The ARN templates of an action's resource types (`${…}` as `*`); empty for an action with none. */
const templates = new Map<string, readonly string[]>();

function actionTemplates(requirement: EscalationRequirement): readonly string[] {
  const key = `${requirement.action}|${(requirement.on ?? []).join(',')}`;
  let list = templates.get(key);
  if (list === undefined) {
    const [service, name] = requirement.action.split(':');
    const data = serviceActions(service).get(name.toLowerCase());
    if (data === undefined) throw new Error(`escalation catalogue: ${requirement.action} is not an action iam-data lists`);
    const names = data.resourceTypes.map((t) => t.name).filter((n) => requirement.on === undefined || requirement.on.includes(n));
    list = names.map((n) => {
      const type = resourceType(service, n);
      if (type === undefined) throw new Error(`escalation catalogue: ${requirement.action} names resource type ${n}, which iam-data does not list`);
      return type.arn;
    });
    templates.set(key, list);
  }
  return list;
}

/** Whether `grant`'s resources may include the requirement's target. */
function reaches(grant: Grant, requirement: EscalationRequirement, context: EscalationContext): boolean {
  const scope = grant.resource;
  if (scope.kind === 'self') return false;
  const types = actionTemplates(requirement);
  const service = requirement.action.split(':')[0].toLowerCase();
  if (scope.kind === 'not') {
    // Everything but some patterns: only the target itself can be left out.
    const leftOut = (arn: string) => scope.patterns.some((p) => arnPatternCovers(p.toLowerCase(), arn.toLowerCase()) || matchesStar(p));
    if (types.length === 0) return !scope.patterns.some(matchesStar);
    if (requirement.target === 'self') return context.self === undefined || ownOfType(context.self, types).some((s) => !leftOut(s));
    if (requirement.target === 'attached-policy') return context.attachedPolicies === undefined || context.attachedPolicies.some((a) => !leftOut(a));
    return true;
  }
  const pattern = scope.pattern;
  // An action with no resource type is authorized on `*` alone: an ARN never matches it.
  if (types.length === 0) return matchesStar(pattern);
  if (!types.some((t) => mayMatchTarget(pattern, t))) return false;
  switch (requirement.target) {
    case 'any':
      return true;
    case 'self':
      return context.self === undefined || ownOfType(context.self, types).some((s) => mayMatchTarget(pattern, s));
    case 'other':
      return !onlySelf(pattern, context, service);
    case 'attached-policy':
      return context.attachedPolicies === undefined || context.attachedPolicies.some((a) => mayMatchTarget(pattern, a));
  }
}

/** One step of a pattern: a character, any one character, or a run of characters (with or without `:`). */
type Step = { readonly char: string } | 'one' | 'run' | 'field-run';

/**
 * Whether the resource pattern of a grant may match an ARN the target pattern stands for: a resource
 * type's ARN template, the principal's own ARN. In the target, a wildcard among the first five fields
 * (partition, service, region, account) stands for one field's value, which has no colon: so
 * `arn:aws:s3:::data/*` never meets `arn:*:iam::*:role/app`, though as bare strings (a `*` spanning
 * colons) they would. The grant's pattern is read as IAM may read it, a `*` spanning colons or not
 * (`patternIsTarget`: as a target too, when comparing the principal's own ARN with a resource type).
 * Policy variables may be anything. Compared without case.
 */
export function mayMatchTarget(pattern: string, target: string, patternIsTarget = false): boolean {
  const a = steps(pattern.toLowerCase(), patternIsTarget);
  const b = steps(target.toLowerCase(), true);
  const width = b.length + 1;
  const seen = new Set<number>();
  const pending = [0];
  while (pending.length > 0) {
    const state = pending.pop()!;
    if (seen.has(state)) continue;
    seen.add(state);
    const i = Math.floor(state / width);
    const j = state % width;
    if (i === a.length && j === b.length) return true;
    const x = a[i];
    const y = b[j];
    const xRun = x === 'run' || x === 'field-run';
    const yRun = y === 'run' || y === 'field-run';
    // A run may end here, matching nothing more.
    if (xRun) pending.push((i + 1) * width + j);
    if (yRun) pending.push(i * width + j + 1);
    if (x === undefined || y === undefined || (xRun && yRun)) continue;
    if (!oneCharFits(x, y)) continue;
    // Both take one character; a run stays where it is, anything else moves on.
    pending.push((xRun ? i : i + 1) * width + (yRun ? j : j + 1));
  }
  return false;
}

/** Whether some one character is taken by both steps. */
function oneCharFits(x: Step, y: Step): boolean {
  if (typeof x === 'object' && typeof y === 'object') return x.char === y.char;
  const literal = typeof x === 'object' ? x : typeof y === 'object' ? y : undefined;
  const fieldOnly = x === 'field-run' || y === 'field-run';
  return literal === undefined || !fieldOnly || literal.char !== ':';
}

function steps(pattern: string, fields: boolean): Step[] {
  const out: Step[] = [];
  let colons = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    const inField = fields && colons < 5;
    if (c === '$' && pattern[i + 1] === '{') {
      const end = pattern.indexOf('}', i + 2);
      if (end > 0) {
        out.push(inField ? 'field-run' : 'run');
        i = end;
        continue;
      }
    }
    if (c === '*') out.push(inField ? 'field-run' : 'run');
    else if (c === '?') out.push('one');
    else {
      if (c === ':') colons++;
      out.push({ char: c });
    }
  }
  return out;
}

/** The principal's own ARNs that are of one of the action's resource types (its role, not its user, for `iam:PutRolePolicy`). */
function ownOfType(self: readonly string[], types: readonly string[]): string[] {
  return self.filter((s) => types.some((t) => mayMatchTarget(s, t, true)));
}

/** Whether the resource pattern can match the request resource `*`, which is all IAM sees for an action without resource types. */
function matchesStar(pattern: string): boolean {
  return globRegExp(pattern).test('*');
}

/**
 * Whether `pattern` can match nothing but the principal itself. `user/${aws:username}` (under any path)
 * is always the caller's own user, or no user: IAM user names are unique in an account, and IAM actions
 * act in the caller's account only. Otherwise only a pattern inside one of the principal's own ARNs; for
 * an action outside IAM (`sts:AssumeRole` crosses accounts), only when the account is known.
 */
function onlySelf(pattern: string, context: EscalationContext, service: string): boolean {
  const lower = pattern.toLowerCase();
  if (service === 'iam' && /^arn:[^:]*:iam::[^:]*:user\/(?:.*\/)?\$\{aws:username\}$/.test(lower)) return true;
  if (context.self === undefined) return false;
  if (context.account === undefined && service !== 'iam') return false;
  return context.self.some((s) => arnPatternCovers(s.toLowerCase(), lower));
}

/** Whether the grant's conditions may hold when the path uses it: only `iam:PassedToService` is read. */
function conditionsMayHold(grant: Grant, requirement: EscalationRequirement): boolean {
  if (requirement.passedTo === undefined) return true;
  const clauses = grant.condition.filter((c) => c.key.toLowerCase() === 'iam:passedtoservice');
  if (clauses.length === 0) return true;
  return requirement.passedTo.some((service) => clauses.every((c) => clauseMayHold(c, service)));
}

/** Whether a clause on a single-valued key holds when the key's value is `value`; true where it cannot tell. */
function clauseMayHold(clause: ConditionClause, value: string): boolean {
  const parsed = parseOperator(clause.operator);
  if (parsed === undefined) return true;
  const values = clause.values;
  const like = (v: string) => globRegExp(v).test(value);
  switch (parsed.base) {
    case 'StringEquals':
      return values.includes(value);
    case 'StringEqualsIgnoreCase':
      return values.some((v) => v.toLowerCase() === value.toLowerCase());
    case 'StringLike':
      return values.some(like);
    case 'StringNotEquals':
      return !values.includes(value);
    case 'StringNotEqualsIgnoreCase':
      return !values.some((v) => v.toLowerCase() === value.toLowerCase());
    case 'StringNotLike':
      return !values.some(like);
    case 'Null':
      // `true`: the key must be absent; it is present whenever a service is passed the role.
      return values.some((v) => v.toLowerCase() === 'false');
    default:
      return true;
  }
}

/**
 * What the detector knows of `subject`: undefined for a subject that is no principal (a bucket policy, an
 * SCP). A managed policy attached to nothing in the stack is read as held by an unknown principal.
 */
export function escalationContext(subject: Subject, grants: SubjectGrants = subjectGrants(subject)): EscalationContext | undefined {
  const account = subject.account ?? '*';
  const boundary = grants.boundary !== undefined && grants.boundary.arn === undefined ? { boundary: grants.boundary.grants } : {};
  const known = subject.account !== undefined ? { account: subject.account } : {};
  const iam = `arn:*:iam::${account}:`;
  const named = (kind: string, name: string, path?: string) => (path !== undefined ? [`${iam}${kind}${path}${name}`] : [`${iam}${kind}/${name}`, `${iam}${kind}/*/${name}`]);
  const attachedPolicies = attachedPolicyArns(subject, iam);
  const attached = attachedPolicies === undefined ? {} : { attachedPolicies };
  switch (subject.kind) {
    case 'role':
      return { self: named('role', subject.name, subject.path ?? '/'), ...known, ...attached, ...boundary };
    case 'user':
      return { self: [...named('user', subject.name, subject.path ?? '/'), ...subject.groups.flatMap((g) => named('group', g))], ...known, ...attached, ...boundary };
    case 'group':
      return { self: [...named('group', subject.name, subject.path ?? '/'), ...subject.members.flatMap((m) => named('user', m))], ...known, ...attached };
    case 'managed-policy':
      return { ...known };
    default:
      return undefined;
  }
}

/**
 * ARN patterns of the customer managed policies attached to `subject` (directly or through a group): the
 * stack's own by name (the report labels them `managed <name>`), the others by ARN. Undefined when one
 * cannot be named: any policy may then be one of them.
 */
function attachedPolicyArns(subject: Subject, iam: string): string[] | undefined {
  const arns: string[] = [];
  for (const policy of subject.policies) {
    if (policy.attachment === 'by-arn' && policy.arn !== undefined) arns.push(policy.arn);
    else if (policy.attachment === 'managed') {
      const name = MANAGED_LABEL.exec(policy.label)?.[1];
      if (name === undefined) return undefined;
      arns.push(`${iam}policy/${name}`, `${iam}policy/*/${name}`);
    }
  }
  return [...new Set(arns)].sort();
}

/** The escalation paths `subject`'s grants complete; none for a subject that is no principal. */
export function subjectEscalationPaths(subject: Subject, grants: SubjectGrants = subjectGrants(subject)): EscalationFinding[] {
  const context = escalationContext(subject, grants);
  return context === undefined ? [] : escalationPaths(grants.permissions, context);
}

/** The paths `now` completes that `old` did not (every path `now` completes, for a new subject). */
export function openedEscalationPaths(old: Subject | undefined, now: Subject | undefined, before?: SubjectGrants, after?: SubjectGrants): EscalationFinding[] {
  if (now === undefined) return [];
  const was = new Set(old === undefined ? [] : subjectEscalationPaths(old, before).map((f) => f.id));
  return subjectEscalationPaths(now, after).filter((f) => !was.has(f.id));
}

/** `NEW ESCALATION PATH <id>: <principal> via <actions>`, the diff's line for a path a change opens. */
export function newEscalationPathLine(finding: EscalationFinding, principal: string): string {
  return `NEW ESCALATION PATH ${finding.id}: ${principal} via ${[...new Set(finding.via.map((s) => s.action))].join(' + ')}`;
}
