// For each path of the catalogue: a principal, a policy whose grants complete the path with the requests
// it lets the principal make, and near misses (one grant short, scoped to the principal itself, to
// another resource, to another service, or denied), each with the request it no longer allows.
import type { PolicyDocument, PolicyStatement } from '../../../../modules/core';
import { resourceType, serviceActions } from '../../../../modules/core/iam-data';
import type { EscalationContext, EscalationPath, EscalationRequirement } from '../../../../modules/review/escalation';
import { ACCOUNT, type Request } from './simulate';

export const REGION = 'us-east-1';
export const SELF_ROLE = `arn:aws:iam::${ACCOUNT}:role/escalator`;
export const SELF_USER = `arn:aws:iam::${ACCOUNT}:user/escalator`;
export const OWN_GROUP = `arn:aws:iam::${ACCOUNT}:group/own-group`;
export const ATTACHED_POLICY = `arn:aws:iam::${ACCOUNT}:policy/escalator-policy`;

export interface NearMiss {
  readonly name: string;
  readonly policy: PolicyDocument;
  /** A request the completing policy allows and this one does not. */
  readonly denied: Request;
}

export interface PathCase {
  readonly path: EscalationPath;
  readonly kind: 'role' | 'user';
  readonly principal: string;
  readonly context: EscalationContext;
  readonly completing: PolicyDocument;
  /** One request per requirement, in order. */
  readonly requests: readonly Request[];
  readonly nearMisses: readonly NearMiss[];
}

/** The resource type a requirement's example acts on; undefined for an action with none (`*`). */
function typeOf(requirement: EscalationRequirement): string | undefined {
  const [service, name] = requirement.action.split(':');
  const data = serviceActions(service).get(name.toLowerCase())!;
  if (data.resourceTypes.length === 0) return undefined;
  if (requirement.on !== undefined) return requirement.on[0];
  return (data.resourceTypes.find((t) => t.required) ?? data.resourceTypes[0]).name;
}

/** An ARN of `type` for `service`, its variable parts named after `label`. */
function exampleArn(service: string, type: string, label: string): string {
  const arn = resourceType(service, type)!.arn;
  return arn.replace(/\$\{([^}]*)\}/g, (_, v: string) => (v === 'Partition' ? 'aws' : v === 'Region' ? REGION : v === 'Account' ? ACCOUNT : `${label}-${v.toLowerCase()}`));
}

function principalArn(kind: 'role' | 'user'): string {
  return kind === 'role' ? SELF_ROLE : SELF_USER;
}

/** The principal's own resource of an IAM type, as a grant scoped to itself writes it. */
function ownResource(kind: 'role' | 'user', type: string): string | undefined {
  if (type === 'role') return kind === 'role' ? SELF_ROLE : undefined;
  if (type === 'user') return kind === 'user' ? `arn:aws:iam::${ACCOUNT}:user/\${aws:username}` : undefined;
  if (type === 'group') return kind === 'user' ? OWN_GROUP : undefined;
  return undefined;
}

/** The resource the completing grant of `requirement` acts on. */
function targetOf(requirement: EscalationRequirement, label = 'target'): string {
  const type = typeOf(requirement);
  if (type === undefined) return '*';
  const service = requirement.action.split(':')[0];
  if (requirement.target === 'self') return type === 'role' ? SELF_ROLE : type === 'user' ? SELF_USER : OWN_GROUP;
  if (requirement.target === 'attached-policy') return ATTACHED_POLICY;
  if (service === 'iam' || service === 'sts') {
    if (type === 'role') return `arn:aws:iam::${ACCOUNT}:role/${label}-role`;
    if (type === 'user') return `arn:aws:iam::${ACCOUNT}:user/${label}-user`;
    if (type === 'group') return `arn:aws:iam::${ACCOUNT}:group/${label}-group`;
    if (type === 'policy') return `arn:aws:iam::${ACCOUNT}:policy/${label}-policy`;
  }
  return exampleArn(service, type, label);
}

function statement(i: number, requirement: EscalationRequirement, resource: string, condition?: PolicyStatement['Condition']): PolicyStatement {
  return { Sid: `Step${i}`, Effect: 'Allow', Action: requirement.action, Resource: resource, ...(condition !== undefined && { Condition: condition }) };
}

function policy(statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements.length > 0 ? statements : [{ Sid: 'Unrelated', Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' }] };
}

/** The case of one path. */
export function pathCase(path: EscalationPath): PathCase {
  const needsUser = path.requires.some((r) => r.target !== 'any' && r.target !== 'attached-policy' && ['user', 'group'].includes(typeOf(r) ?? ''));
  const kind = needsUser ? 'user' : 'role';
  const principal = principalArn(kind);
  const context: EscalationContext = {
    self: kind === 'role' ? [SELF_ROLE] : [SELF_USER, OWN_GROUP],
    account: ACCOUNT,
    attachedPolicies: [ATTACHED_POLICY],
  };
  const resources = path.requires.map((r) => targetOf(r));
  const requests: Request[] = path.requires.map((r, i) => ({
    action: r.action,
    resource: resources[i],
    ...(r.passedTo !== undefined && { context: { 'iam:PassedToService': r.passedTo[0] } }),
  }));
  const statements = path.requires.map((r, i) => statement(i, r, resources[i]));
  const completing = policy(statements);
  const nearMisses: NearMiss[] = [];
  const replace = (i: number, s: PolicyStatement) => policy(statements.map((x, j) => (j === i ? s : x)));

  path.requires.forEach((r, i) => {
    // One grant short.
    nearMisses.push({ name: `without ${r.action}`, policy: policy(statements.filter((_, j) => j !== i)), denied: requests[i] });
    const type = typeOf(r);
    // Scoped so that the path closes.
    if (r.target === 'other' && type !== undefined) {
      const own = ownResource(kind, type);
      if (own !== undefined) nearMisses.push({ name: `${r.action} only on the principal itself (${own})`, policy: replace(i, statement(i, r, own)), denied: requests[i] });
    }
    if (r.target === 'self' && type !== undefined) {
      const elsewhere = `arn:aws:iam::${ACCOUNT}:${type}/someone-else`;
      nearMisses.push({ name: `${r.action} only on another ${type} (${elsewhere})`, policy: replace(i, statement(i, r, elsewhere)), denied: requests[i] });
    }
    if (r.target === 'attached-policy') {
      const other = `arn:aws:iam::${ACCOUNT}:policy/not-attached`;
      nearMisses.push({ name: `${r.action} only on a policy not attached to it`, policy: replace(i, statement(i, r, other)), denied: requests[i] });
    }
    if (type !== undefined) {
      nearMisses.push({ name: `${r.action} only on a resource of another service`, policy: replace(i, statement(i, r, 'arn:aws:s3:::unrelated-bucket')), denied: requests[i] });
    }
    if (r.same !== undefined && path.requires.findIndex((x) => x.same === r.same) < i) {
      const elsewhere = targetOf(r, 'elsewhere');
      nearMisses.push({
        name: `${r.action} only on another resource than the rest of the path (${elsewhere})`,
        policy: replace(i, statement(i, r, elsewhere)),
        denied: requests[i],
      });
    }
    if (r.passedTo !== undefined) {
      const condition = { StringEquals: { 'iam:PassedToService': 'not-this-service.amazonaws.com' } };
      nearMisses.push({ name: `${r.action} only to another service`, policy: replace(i, statement(i, r, resources[i], condition)), denied: requests[i] });
    }
  });
  // Every grant, and a Deny of one of them.
  const first = path.requires[0];
  nearMisses.push({
    name: `every grant, and a Deny of ${first.action} on *`,
    policy: policy([...statements, { Sid: 'Deny', Effect: 'Deny', Action: first.action, Resource: '*' }]),
    denied: requests[0],
  });
  return { path, kind, principal, context, completing, requests, nearMisses };
}
