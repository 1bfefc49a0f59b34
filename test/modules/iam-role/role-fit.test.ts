/**
 * Role inline policies over the role inline limit (10,240 characters summed, IAM quotas page): merged
 * when that is enough, moved in part to overflow managed policies attached to the role when the caller
 * set `overflowToManagedPolicies`, refused otherwise. Within the limit the output does not change.
 */
import { type PolicyDocument, policyDocument, policySize, type StatementProps } from '../../../modules/core';
import { Role, type RoleProps } from '../../../modules/iam-role';
import { only, synth } from '../../support/synth';

const EC2 = { services: ['ec2.amazonaws.com'] };
const bucket = (n: number) => `arn:aws:s3:::artifacts-${String(n).padStart(3, '0')}/*`;
const doc = (...statements: StatementProps[]): PolicyDocument => policyDocument({ statements });
const part = (sid: string, from: number) => ({ sid, actions: ['s3:GetObject'], resources: Array.from({ length: 90 }, (_, i) => bucket(from + i)) });
// Two statements with Sids (never merged) of 2,859 characters each: 5,758 a policy, 11,516 the two.
const READ = { name: 'read', document: doc(part('ReadA', 0), part('ReadB', 100)) };
const MORE = { name: 'more', document: doc(part('ReadC', 200), part('ReadD', 300)) };

function error(props: Partial<RoleProps>): string {
  try {
    synth((s) => new Role(s, 'role', { name: 'ci', trustPolicy: EC2, ...props }));
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('no error');
}

describe('Role: inline policies that fit their limit', () => {
  it('within the limit, the stack is the same text with or without overflowToManagedPolicies', () => {
    const props: RoleProps = { name: 'ci', trustPolicy: EC2, inlinePolicies: [READ] };
    const plain = synth((s) => new Role(s, 'role', props));
    const opted = synth((s) => new Role(s, 'role', { ...props, overflowToManagedPolicies: true }));
    expect(JSON.stringify(opted)).toBe(JSON.stringify(plain));
    expect(plain.resource.aws_iam_policy).toBeUndefined();
  });

  it('over the limit, statements that differ only in Resource are merged into one, with no option needed', () => {
    const perBucket = doc(...Array.from({ length: 140 }, (_, i) => ({ actions: ['s3:GetObject'], resources: [bucket(i)] })));
    expect(policySize(perBucket, 'characters')).toBeGreaterThan(10_240);
    const out = synth((s) => new Role(s, 'role', { name: 'ci', trustPolicy: EC2, inlinePolicies: [{ name: 'read', document: perBucket }] }));
    expect(only(out.resource.aws_iam_role_policy).policy).toBe(JSON.stringify(doc({ actions: ['s3:GetObject'], resources: Array.from({ length: 140 }, (_, i) => bucket(i)) })));
    expect(out.resource.aws_iam_policy).toBeUndefined();
  });

  it('with overflowToManagedPolicies, what does not fit goes to <name>-2 at the role path, attached to the role', () => {
    const out = synth((s) => new Role(s, 'role', { name: 'ci', path: '/ci/', trustPolicy: EC2, inlinePolicies: [READ, MORE], overflowToManagedPolicies: true }));
    const inline = Object.values(out.resource.aws_iam_role_policy);
    // Synthesized in the order of their keys, the policies' names.
    expect(inline.map((p) => [p.name, JSON.parse(p.policy as string).Statement.map((s: { Sid: string }) => s.Sid)])).toEqual([
      ['more', ['ReadC']],
      ['read', ['ReadA', 'ReadB']],
    ]);
    const managed = only(out.resource.aws_iam_policy);
    expect(managed).toEqual({
      name: 'ci-2',
      path: '/ci/',
      description: "Statements of role ci's inline policies over the role inline size limit",
      policy: JSON.stringify(doc(part('ReadD', 300))),
    });
    const attachment = only(out.resource.aws_iam_role_policy_attachment);
    expect(attachment.role).toMatch(/^\$\{aws_iam_role\.role_[0-9A-F]{8}\.name\}$/);
    expect(attachment.policy_arn).toMatch(/^\$\{aws_iam_policy\.role_overflow_ci-2_policy_[0-9A-F]{8}\.arn\}$/);
  });

  it('the overflow counts against maxManagedPolicies: too many attachments fail, naming the role', () => {
    const arns = Array.from({ length: 10 }, (_, i) => `arn:aws:iam::123456123456:policy/p${i}`);
    expect(error({ inlinePolicies: [READ, MORE], overflowToManagedPolicies: true, managedPolicyArns: arns })).toBe(
      'test/role: 1 problem\n- inlinePolicies: 11516: 11516 characters is over the 10240 allowed for the inline policies of one role, summed; ' +
        'the statements that do not fit inline take 1 customer managed policy, and role ci has 0 of its 10 managed policy attachments free (10 taken). ' +
        'Fix: attach fewer managed policies, or raise the quota and set maxManagedPolicies, or grant with fewer, broader patterns you have reviewed',
    );
    expect(() =>
      synth((s) => new Role(s, 'role', { name: 'ci', trustPolicy: EC2, inlinePolicies: [READ, MORE], overflowToManagedPolicies: true, managedPolicyArns: arns, maxManagedPolicies: 11 })),
    ).not.toThrow();
  });

  it('without the option, over the limit after merging fails with the size as given, and the fix names the option', () => {
    // Without Sids (14 characters each) the second policy's two statements merge, saving one statement's
    // 56 characters of Action, Effect and brackets: 11,516 − 28 = 11,488 as given, 11,432 merged.
    const mergeable = { name: 'more', document: doc(...MORE.document.Statement.map((s) => ({ actions: ['s3:GetObject'], resources: [...(s.Resource as string[])] }))) };
    expect(error({ inlinePolicies: [READ, mergeable] })).toBe(
      'test/role: 1 problem\n- inlinePolicies: 11432: 11432 characters is over the 10240 allowed for the inline policies of one role, summed, after merging statements (11488 characters as given). ' +
        'Fix: split the policies, moving some to customer managed policies (managedPolicyArns), or set overflowToManagedPolicies to move the statements that do not fit to customer managed policies attached to the role, or grant with fewer, broader patterns you have reviewed',
    );
  });
});
