// How the detector reads what can close a path: resources of another type, the principal itself,
// iam:PassedToService, Denies, boundaries, NotResource, unknown principals, one resource for linked grants;
// and the context it builds from a stack's subjects.
import type { PolicyDocument, PolicyStatement } from '../../../../modules/core';
import { documentGrants, readStack } from '../../../../modules/review';
import { ESCALATION_PATHS, type EscalationContext, escalationContext, escalationPaths, mayMatchTarget, subjectEscalationPaths } from '../../../../modules/review/escalation';
import { ACCOUNT, allows } from './simulate';

const ROLE = `arn:aws:iam::${ACCOUNT}:role/app`;
const AS_ROLE: EscalationContext = { self: [ROLE], account: ACCOUNT };

function doc(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

function ids(policy: PolicyDocument, context: EscalationContext = AS_ROLE, boundary?: PolicyDocument): string[] {
  const grants = documentGrants(policy, { policy: 'p', resourceless: 'any' });
  const withBoundary = boundary === undefined ? context : { ...context, boundary: documentGrants(boundary, { policy: 'b', resourceless: 'any' }) };
  return escalationPaths(grants, withBoundary).map((f) => f.id);
}

const allow = (Action: string | string[], Resource: string | string[] = '*', extra: Partial<PolicyStatement> = {}): PolicyStatement => ({
  Effect: 'Allow',
  Action,
  Resource,
  ...extra,
});
const LAMBDA = ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'];

describe('mayMatchTarget: a grant pattern against what a target may be', () => {
  it('reads the first five ARN fields of the target as one field each, the grant as IAM may', () => {
    expect(mayMatchTarget('arn:aws:s3:::data/*', 'arn:*:iam::*:role/app')).toBe(false);
    expect(mayMatchTarget('arn:aws:iam::1:role/other*', 'arn:*:iam::*:role/app')).toBe(false);
    expect(mayMatchTarget('arn:aws:iam::1:role/*', 'arn:*:iam::*:role/app')).toBe(true);
    expect(mayMatchTarget('*', 'arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}')).toBe(true);
    expect(mayMatchTarget('arn:aws:iam::*', 'arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}')).toBe(true);
    // A `*` in the grant may span colons (IAM is not read as ruling it out).
    expect(mayMatchTarget('arn:aws:lambda:*:function:x', 'arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}')).toBe(true);
    expect(mayMatchTarget('ARN:AWS:IAM::1:ROLE/APP', 'arn:*:iam::*:role/app')).toBe(true);
    expect(mayMatchTarget('arn:aws:iam::1:role/${aws:username}', 'arn:*:iam::*:role/app')).toBe(true);
    expect(mayMatchTarget('arn:aws:iam::1:role/ap?', 'arn:*:iam::*:role/app')).toBe(true);
    expect(mayMatchTarget('arn:aws:iam::1:role/ap', 'arn:*:iam::*:role/app')).toBe(false);
    // The principal's own ARN against a resource type: both read field by field.
    const roleType = 'arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}';
    expect(mayMatchTarget('arn:*:iam::1:user/dev', roleType, true)).toBe(false);
    expect(mayMatchTarget('arn:*:iam::1:role/dev', roleType, true)).toBe(true);
  });
});

describe('escalationPaths: what closes a path, and what does not', () => {
  it('a grant on resources of another type completes nothing', () => {
    expect(ids(doc(allow('iam:PutRolePolicy', 'arn:aws:s3:::data/*')))).toEqual([]);
    expect(ids(doc(allow('iam:PutRolePolicy', ROLE)))).toEqual(['iam-005']);
  });

  it("the principal itself only as a resource of the action's type: a user's PutRolePolicy on * is no self-escalation", () => {
    const asUser: EscalationContext = { self: [`arn:*:iam::${ACCOUNT}:user/dev`, `arn:*:iam::${ACCOUNT}:group/devs`], account: ACCOUNT };
    expect(ids(doc(allow('iam:PutRolePolicy')), asUser)).toEqual([]);
    expect(ids(doc(allow(['iam:PutUserPolicy', 'iam:PutGroupPolicy'])), asUser)).toEqual(['iam-007', 'iam-011']);
    expect(ids(doc({ Effect: 'Allow', Action: 'iam:PutRolePolicy', NotResource: 'arn:aws:s3:::x' }), asUser)).toEqual([]);
  });

  it('an action without resource types is allowed on `*` only: an ARN completes nothing (as the simulator says)', async () => {
    const arn = doc(allow(['iam:PassRole', 'lambda:CreateFunction', 'lambda:CreateEventSourceMapping'], ['arn:aws:iam::1:role/x', `arn:aws:lambda:*:${ACCOUNT}:function:*`]));
    expect(ids(arn)).not.toContain('lambda-002');
    expect(await allows(ROLE, arn, { action: 'lambda:CreateEventSourceMapping', resource: '*' })).toBe(false);
    expect(ids(doc(allow(['iam:PassRole', 'lambda:CreateFunction', 'lambda:CreateEventSourceMapping'])))).toContain('lambda-002');
  });

  it('iam:PassedToService: a path is closed only when the condition rejects every service it passes the role to', () => {
    const passTo = (operator: string, value: string | string[]) =>
      ids(doc(allow('iam:PassRole', '*', { Condition: { [operator]: { 'iam:PassedToService': value } } }), allow(['lambda:CreateFunction', 'lambda:InvokeFunction', 'ec2:RunInstances'])));
    expect(passTo('StringEquals', 'lambda.amazonaws.com')).toEqual(['lambda-001']);
    expect(passTo('StringEquals', ['ec2.amazonaws.com', 'lambda.amazonaws.com'])).toEqual(['ec2-001', 'lambda-001']);
    expect(passTo('StringLike', '*.amazonaws.com')).toEqual(['ec2-001', 'lambda-001']);
    expect(passTo('StringEqualsIgnoreCase', 'LAMBDA.amazonaws.com')).toEqual(['lambda-001']);
    expect(passTo('StringNotEquals', 'lambda.amazonaws.com')).toEqual(['ec2-001']);
    expect(passTo('StringNotLike', '*')).toEqual([]);
    expect(passTo('ForAnyValue:StringEquals', 'ec2.amazonaws.com')).toEqual(['ec2-001']);
    expect(passTo('StringEqualsIfExists', 'ec2.amazonaws.com')).toEqual(['ec2-001']);
    expect(passTo('Null', 'true')).toEqual([]);
    expect(passTo('Null', 'false')).toEqual(['ec2-001', 'lambda-001']);
  });

  it('any other condition is taken to hold, and listed with the grant', () => {
    const tagged = escalationPaths(
      documentGrants(doc(allow('iam:PutRolePolicy', ROLE, { Condition: { StringEquals: { 'aws:ResourceTag/team': 'a' } } })), { policy: 'p', resourceless: 'any' }),
      AS_ROLE,
    );
    expect(tagged.map((f) => [f.id, f.via[0].conditions])).toEqual([['iam-005', ['StringEquals aws:ResourceTag/team: "a"']]]);
  });

  it('an unconditional Deny that covers the Allow closes the path; a conditional one, or a narrower one, does not', () => {
    const put = allow('iam:PutRolePolicy', 'arn:aws:iam::*:role/*');
    expect(ids(doc(put, { Effect: 'Deny', Action: 'iam:PutRolePolicy', Resource: '*' }))).toEqual([]);
    expect(ids(doc(put, { Effect: 'Deny', Action: 'iam:*', NotResource: 'arn:aws:s3:::x' }))).toEqual([]);
    expect(ids(doc(put, { Effect: 'Deny', Action: 'iam:PutRolePolicy', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } }))).toEqual(['iam-005']);
    expect(ids(doc(put, { Effect: 'Deny', Action: 'iam:PutRolePolicy', Resource: ROLE }))).toEqual(['iam-005']);
  });

  it('a permissions boundary whose content is known closes what it never allows', () => {
    const put = doc(allow('iam:PutRolePolicy', ROLE));
    expect(ids(put, AS_ROLE, doc(allow('s3:*')))).toEqual([]);
    expect(ids(put, AS_ROLE, doc(allow('iam:PutRolePolicy', 'arn:aws:iam::*:role/other')))).toEqual([]);
    expect(ids(put, AS_ROLE, doc(allow('*')))).toEqual(['iam-005']);
  });

  it('NotResource reaches the principal unless it leaves the principal out', () => {
    expect(ids(doc({ Effect: 'Allow', Action: 'iam:PutRolePolicy', NotResource: ROLE }))).toEqual([]);
    expect(ids(doc({ Effect: 'Allow', Action: 'iam:PutRolePolicy', NotResource: 'arn:aws:iam::*:role/admin' }))).toEqual(['iam-005']);
    expect(ids(doc({ Effect: 'Allow', Action: 'sts:AssumeRole', NotResource: ROLE }))).toEqual(['sts-001']);
  });

  it("another principal: a grant on the principal alone, or on the caller's own user, reaches no one else", () => {
    expect(ids(doc(allow('sts:AssumeRole', ROLE)))).toEqual([]);
    expect(ids(doc(allow('sts:AssumeRole', 'arn:aws:iam::*:role/app')))).toEqual(['sts-001']); // a role of that name in another account
    expect(ids(doc(allow('iam:CreateAccessKey', 'arn:aws:iam::*:user/${aws:username}')))).toEqual([]);
    expect(ids(doc(allow('iam:CreateAccessKey', 'arn:aws:iam::*:user/ci/*/${aws:username}')))).toEqual([]);
    expect(ids(doc(allow('iam:CreateAccessKey', 'arn:aws:iam::*:user/*${aws:username}')))).toEqual(['iam-002']);
  });

  it('an unknown principal (a managed policy attached to nothing in the stack): it may be anyone', () => {
    expect(ids(doc(allow('iam:PutRolePolicy', 'arn:aws:iam::*:role/x')), {})).toEqual(['iam-005']);
    expect(ids(doc(allow('iam:CreatePolicyVersion', 'arn:aws:iam::*:policy/x')), {})).toEqual(['iam-001']);
    expect(ids(doc(allow('sts:AssumeRole', 'arn:aws:iam::*:role/x')), {})).toEqual(['sts-001']);
    expect(ids(doc(allow('iam:CreateAccessKey', 'arn:aws:iam::*:user/${aws:username}')), {})).toEqual([]);
  });

  it('linked grants must reach one resource: the function created is the one invoked', () => {
    const fn = (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;
    expect(ids(doc(allow('iam:PassRole', 'arn:aws:iam::*:role/x'), allow('lambda:CreateFunction', fn('a')), allow('lambda:InvokeFunction', fn('b'))))).toEqual([]);
    expect(ids(doc(allow('iam:PassRole', 'arn:aws:iam::*:role/x'), allow('lambda:CreateFunction', fn('a*')), allow('lambda:InvokeFunction', [fn('b'), fn('ab')])))).toEqual(['lambda-001']);
    // Past the pairing budget, taken to meet (over-reported, never missed), and said so.
    const many = (prefix: string) => Array.from({ length: 200 }, (_, i) => fn(`${prefix}${i}`));
    const found = escalationPaths(
      documentGrants(doc(allow('iam:PassRole', 'arn:aws:iam::*:role/x'), allow('lambda:CreateFunction', many('a')), allow('lambda:InvokeFunction', many('b'))), {
        policy: 'p',
        resourceless: 'any',
      }),
      AS_ROLE,
    );
    expect(found.map((f) => [f.id, f.unpaired])).toEqual([['lambda-001', true]]);
  });

  it('every path of an administrator role but those of a user, or of a customer policy it does not have', () => {
    const userOnly = ['iam-007', 'iam-008', 'iam-010', 'iam-011'];
    expect(ids(doc(allow('*')), { ...AS_ROLE, attachedPolicies: [] })).toEqual(ESCALATION_PATHS.map((p) => p.id).filter((id) => id !== 'iam-001' && !userOnly.includes(id)));
    expect(ids(doc(allow(LAMBDA)), { ...AS_ROLE, attachedPolicies: [] })).toEqual(['lambda-001']);
  });
});

describe('escalationContext: what the detector knows of a subject of a stack', () => {
  const stack = readStack(
    'ctx',
    {
      provider: { aws: [{ region: 'us-east-1', allowed_account_ids: [ACCOUNT] }] },
      resource: {
        aws_iam_role: {
          app: { name: 'app', path: '/svc/', assume_role_policy: JSON.stringify(doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ec2.amazonaws.com' } })) },
        },
        aws_iam_user: { dev: { name: 'dev' } },
        aws_iam_group: { devs: { name: 'devs' } },
        aws_iam_user_group_membership: { dev: { user: '${aws_iam_user.dev.name}', groups: ['${aws_iam_group.devs.name}'] } },
        aws_iam_policy: {
          shared: { name: 'shared', policy: JSON.stringify(doc(allow('iam:CreatePolicyVersion', `arn:aws:iam::${ACCOUNT}:policy/shared`))) },
          loose: { name: 'loose', policy: JSON.stringify(doc(allow('iam:PutRolePolicy', 'arn:aws:iam::*:role/x'))) },
        },
        aws_iam_role_policy_attachment: { app: { role: '${aws_iam_role.app.name}', policy_arn: '${aws_iam_policy.shared.arn}' } },
        aws_iam_group_policy_attachment: { devs: { group: '${aws_iam_group.devs.name}', policy_arn: '${aws_iam_policy.shared.arn}' } },
        aws_s3_bucket_policy: { b: { bucket: 'b', policy: JSON.stringify(doc({ Effect: 'Allow', Action: 's3:GetObject', Principal: '*', Resource: 'arn:aws:s3:::b/*' })) } },
      },
    },
    'test',
  );
  const subject = (kind: string, name: string) => stack.subjects.find((s) => s.kind === kind && s.name === name)!;

  it('a role: its ARN with its path and account, its customer managed policies', () => {
    expect(escalationContext(subject('role', 'app'))).toEqual({
      self: [`arn:*:iam::${ACCOUNT}:role/svc/app`],
      account: ACCOUNT,
      attachedPolicies: [`arn:*:iam::${ACCOUNT}:policy/*/shared`, `arn:*:iam::${ACCOUNT}:policy/shared`],
    });
    expect(subjectEscalationPaths(subject('role', 'app')).map((f) => f.id)).toEqual(['iam-001']);
  });

  it("a user: its ARN and its groups'; a group: its ARN and its members'", () => {
    expect(escalationContext(subject('user', 'dev'))?.self).toEqual([`arn:*:iam::${ACCOUNT}:user/dev`, `arn:*:iam::${ACCOUNT}:group/devs`, `arn:*:iam::${ACCOUNT}:group/*/devs`]);
    expect(escalationContext(subject('group', 'devs'))?.self).toEqual([`arn:*:iam::${ACCOUNT}:group/devs`, `arn:*:iam::${ACCOUNT}:user/dev`, `arn:*:iam::${ACCOUNT}:user/*/dev`]);
    // The policy the group holds is the user's too: both complete iam-001 through it.
    expect(subjectEscalationPaths(subject('user', 'dev')).map((f) => f.id)).toEqual(['iam-001']);
    expect(subjectEscalationPaths(subject('group', 'devs')).map((f) => f.id)).toEqual(['iam-001']);
  });

  it('a managed policy attached to nothing here: held by an unknown principal; a bucket policy: no principal', () => {
    expect(escalationContext(subject('managed-policy', 'loose'))).toEqual({ account: ACCOUNT });
    expect(subjectEscalationPaths(subject('managed-policy', 'loose')).map((f) => f.id)).toEqual(['iam-005']);
    expect(escalationContext(stack.subjects.find((s) => s.kind === 'bucket-policy')!)).toBeUndefined();
  });
});
