// Issue 15, class 2: principals the stack names but does not create are subjects of unknown content. A
// membership of a group no stack of the app creates widens; a Deny taken from a principal that lives on
// elsewhere widens; a group created by another stack of the same account is followed there.
import { app, diffLines, diffOf, doc, exitCodeOf, read, readApp, type Resources, stackJson } from './crafted-stacks';

const ALLOW = doc({ Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::data/*' });
const DENY = doc({ Action: 's3:DeleteObject', Effect: 'Deny', Resource: '*' });
const PINNED: Record<string, unknown>[] = [{ region: 'eu-west-1', allowed_account_ids: ['111111111111'] }];

const user = (extra: Resources = {}, providers?: Record<string, unknown>[]) => stackJson({ aws_iam_user: { alice: { name: 'alice' } }, ...extra }, providers);
const verdict = (before: unknown, after: unknown) => {
  const d = diffOf(before, after);
  return { widens: d.widens, exit: exitCodeOf(d), lines: diffLines(d) };
};

describe('a membership of a group the stack does not create', () => {
  const joins = (group: string, type: 'user' | 'group' = 'user') =>
    user(
      type === 'user'
        ? { aws_iam_user_group_membership: { m: { user: '${aws_iam_user.alice.name}', groups: [group] } } }
        : { aws_iam_group_membership: { m: { name: 'm', group, users: ['${aws_iam_user.alice.name}'] } } },
    );

  it('joining it widens (exit 1): its policies are unknown to the review', () => {
    for (const type of ['user', 'group'] as const) {
      const joined = verdict(user(), joins('admins', type));
      expect(joined.lines).toEqual([
        'narrows user aws alice: now a member of group admins (its grants are listed above)',
        'WIDENS user aws alice: unreviewed access change: group admins added (group admins is not created in this stack: its policies are unknown to the review)',
      ]);
      expect(joined.exit).toBe(1);
    }
  });

  it('the same membership unchanged shows nothing; leaving it widens (it may have held a Deny)', () => {
    expect(verdict(joins('admins'), joins('admins')).lines).toEqual([]);
    expect(verdict(joins('admins'), user()).widens).toBe(true);
  });

  it('a group the stack creates, named in another case: the same group (IAM names have no case), its policies inherited', () => {
    const group = { aws_iam_group: { g: { name: 'deployers' } }, aws_iam_group_policy: { p: { name: 'deploy', group: '${aws_iam_group.g.name}', policy: JSON.stringify(ALLOW) } } };
    const joined = user({ ...group, aws_iam_user_group_membership: { m: { user: 'Alice', groups: ['Deployers'] } } });
    const alice = read(joined).subjects.find((s) => s.id === 'user aws alice')!;
    expect(alice.groups).toEqual(['deployers']);
    expect(alice.policies.map((p) => p.label)).toEqual(['inline deploy (via group deployers)']);
    expect(alice.unmodelled).toBeUndefined();
    expect(verdict(user(group), joined).lines).toEqual([
      'WIDENS user aws alice: added permissions Allow s3:getobject (new action)',
      'narrows user aws alice: now a member of group deployers (its grants are listed above)',
    ]);
    // Leaving a group whose content is known, and allows only: nothing widens.
    expect(verdict(joined, user(group)).widens).toBe(false);
  });
});

describe('a group created by another stack of the same app', () => {
  const groupStack = (policy = ALLOW, providers = PINNED) =>
    stackJson({ aws_iam_group: { g: { name: 'deployers' } }, aws_iam_group_policy: { p: { name: 'deploy', group: '${aws_iam_group.g.name}', policy: JSON.stringify(policy) } } }, providers);
  const member = (providers = PINNED) => user({ aws_iam_user_group_membership: { m: { user: '${aws_iam_user.alice.name}', groups: ['deployers'] } } }, providers);

  it('in the same account: followed there, its policies inherited', () => {
    const [, users] = readApp({ groups: groupStack(), users: member() });
    const alice = users.subjects.find((s) => s.id === 'user aws alice')!;
    expect(alice.policies.map((p) => p.label)).toEqual(['inline deploy (via group deployers of stack groups)']);
    expect(alice.unmodelled).toBeUndefined();
    // Joining it widens by its grants; a change to its policy in the other stack shows on the member too.
    expect(verdict(app({ groups: groupStack(), users: user({}, PINNED) }), app({ groups: groupStack(), users: member() })).lines).toContain(
      'WIDENS user aws alice: added permissions Allow s3:getobject (new action)',
    );
    const widened = verdict(app({ groups: groupStack(), users: member() }), app({ groups: groupStack(doc({ Action: 's3:*', Effect: 'Allow', Resource: '*' })), users: member() }));
    expect(widened.lines.filter((l) => l.startsWith('WIDENS user aws alice'))).not.toEqual([]);
    expect(widened.lines.filter((l) => l.startsWith('WIDENS group aws deployers'))).not.toEqual([]);
  });

  it('when the providers name no account, the two may be two accounts: not followed, unknown content', () => {
    const [, users] = readApp({ groups: groupStack(ALLOW, [{ region: 'eu-west-1' }]), users: member([{ region: 'eu-west-1' }]) });
    expect(users.subjects.find((s) => s.id === 'user aws alice')!.unmodelled).toEqual([
      expect.objectContaining({ key: 'group deployers', why: "group deployers is not created in this app's stacks: its policies are unknown to the review" }),
    ]);
  });
});

describe('a Deny on a principal that lives elsewhere, removed', () => {
  const denyOn = (target: 'role' | 'user', name = 'shared') =>
    stackJson({
      aws_iam_policy: { guard: { name: 'guard', policy: JSON.stringify(DENY) } },
      [`aws_iam_${target}_policy_attachment`]: { a: { [target]: name, policy_arn: '${aws_iam_policy.guard.arn}' } },
    });

  it('the policy and its attachment to a role the stack does not create removed: the Deny removed widens (exit 1)', () => {
    const removed = verdict(denyOn('role'), stackJson({}));
    expect(removed.lines).toEqual([
      'WIDENS role aws shared: removed permissions Deny s3:deleteobject (Deny removed)',
      'narrows role aws shared: no longer named by this stack: the role is not created here and lives on, without what this stack gave it and took from it (its Denies are listed as removed)',
    ]);
    expect(removed.exit).toBe(1);
  });

  it('a group the stack creates, with a Deny, removed with its membership of a user the stack does not create: widens', () => {
    const group = stackJson({
      aws_iam_group: { g: { name: 'guarded' } },
      aws_iam_group_policy: { p: { name: 'guard', group: '${aws_iam_group.g.name}', policy: JSON.stringify(DENY) } },
      aws_iam_group_membership: { m: { name: 'm', group: '${aws_iam_group.g.name}', users: ['bob'] } },
    });
    expect(verdict(group, stackJson({})).lines).toContain('WIDENS user aws bob: removed permissions Deny s3:deleteobject (Deny removed)');
  });

  it('the same for a principal named by ARN in an exclusive attachment', () => {
    const attached = stackJson({
      aws_iam_policy: { guard: { name: 'guard', policy: JSON.stringify(DENY) } },
      aws_iam_policy_attachment: { a: { name: 'a', roles: ['arn:aws:iam::111111111111:role/team/shared'], policy_arn: '${aws_iam_policy.guard.arn}' } },
    });
    expect(read(attached).subjects.map((s) => s.id)).toEqual(['role aws shared']);
    expect(verdict(attached, stackJson({})).widens).toBe(true);
  });

  it('a role the stack creates removed with its Deny: it goes with it, nothing widens', () => {
    const own = stackJson({
      aws_iam_role: { r: { name: 'own', assume_role_policy: JSON.stringify(doc({ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' } })) } },
      aws_iam_role_policy: { p: { name: 'guard', role: '${aws_iam_role.r.name}', policy: JSON.stringify(DENY) } },
    });
    expect(verdict(own, stackJson({})).widens).toBe(false);
  });

  it('an Allow attached to a principal the stack does not create widens; a Deny attached to one does not', () => {
    expect(verdict(stackJson({}), denyOn('user')).widens).toBe(false);
    const allow = stackJson({ aws_iam_user_policy: { p: { name: 'read', user: 'shared', policy: JSON.stringify(ALLOW) } } });
    expect(verdict(stackJson({}), allow).widens).toBe(true);
  });
});

describe('a role created by one stack of the app and given a policy by another', () => {
  const creator = stackJson(
    {
      aws_iam_role: { r: { name: 'deployer', assume_role_policy: JSON.stringify(doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: 'arn:aws:iam::111111111111:root' } })) } },
      aws_iam_role_policy: { p: { name: 'read', role: '${aws_iam_role.r.name}', policy: JSON.stringify(ALLOW) } },
    },
    PINNED,
  );
  const attacher = (arn: string | undefined, providers = PINNED) => stackJson(arn === undefined ? {} : { aws_iam_role_policy_attachment: { a: { role: 'Deployer', policy_arn: arn } } }, providers);
  const subjectsOf = (stacks: ReturnType<typeof readApp>, stack: string) => stacks.find((s) => s.stack === stack)!.subjects.filter((s) => s.kind === 'role');

  it('is one principal: each stack shows what the other gives it, and the stack that only names it shows its trust policy', () => {
    const stacks = readApp({ creator, attacher: attacher('arn:aws:iam::aws:policy/ReadOnlyAccess') });
    const [created] = subjectsOf(stacks, 'creator');
    expect(created.policies.map((p) => p.label)).toEqual(['AWS managed arn:aws:iam::aws:policy/ReadOnlyAccess (via role Deployer of stack attacher)', 'inline read']);
    const [named] = subjectsOf(stacks, 'attacher');
    expect(named.policies.map((p) => p.label)).toEqual(['AWS managed arn:aws:iam::aws:policy/ReadOnlyAccess', 'inline read (via role deployer of stack creator)']);
    expect(named.trustPolicy?.document).toEqual(doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: 'arn:aws:iam::111111111111:root' } }));
  });

  it('an attachment added in the other stack widens the role in both stacks', () => {
    const d = verdict(app({ creator, attacher: attacher(undefined) }), app({ creator, attacher: attacher('arn:aws:iam::aws:policy/AdministratorAccess') }));
    expect(d.exit).toBe(1);
    const widened = diffOf(app({ creator, attacher: attacher(undefined) }), app({ creator, attacher: attacher('arn:aws:iam::aws:policy/AdministratorAccess') }));
    expect(
      widened.stacks
        .filter((s) => s.subjects.some((x) => x.widens && x.id.startsWith('role ')))
        .map((s) => s.stack)
        .sort(),
    ).toEqual(['attacher', 'creator']);
  });

  it('stacks whose providers name no account are not linked: the named role stays of unknown content', () => {
    const open = [{ region: 'eu-west-1' }];
    const stacks = readApp({
      creator: stackJson(
        { aws_iam_role: { r: { name: 'deployer', assume_role_policy: JSON.stringify(doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: 'arn:aws:iam::111111111111:root' } })) } } },
        open,
      ),
      attacher: attacher('arn:aws:iam::aws:policy/ReadOnlyAccess', open),
    });
    const [named] = subjectsOf(stacks, 'attacher');
    expect(named.trustPolicy).toBeUndefined();
    expect(named.policies.map((p) => p.label)).toEqual(['AWS managed arn:aws:iam::aws:policy/ReadOnlyAccess']);
  });
});
