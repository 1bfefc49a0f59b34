/**
 * Group inline policies over the group inline limit (5,120 characters summed, IAM quotas page): merged
 * when that is enough, moved in part to overflow managed policies attached to the group when the caller
 * set `overflowToManagedPolicies` (within the group's 10 managed policies), refused otherwise.
 */
import { type PolicyDocument, policyDocument, policySize, type StatementProps } from '../../../modules/core';
import { DeployGroup, type DeployGroupProps } from '../../../modules/deploy-group';
import { only, synth } from '../../support/synth';

const bucket = (n: number) => `arn:aws:s3:::artifacts-${String(n).padStart(3, '0')}/*`;
const doc = (...statements: StatementProps[]): PolicyDocument => policyDocument({ statements });
const part = (sid: string, from: number) => ({ sid, actions: ['s3:GetObject'], resources: Array.from({ length: 60 }, (_, i) => bucket(from + i)) });
// Three statements with Sids (never merged) of 1,929 characters each: 5,828 with the document's 41, over 5,120.
const DEPLOY = { name: 'deploy', document: doc(part('ReadA', 0), part('ReadB', 100), part('ReadC', 200)) };
const base: DeployGroupProps = { name: 'Deployers', inlinePolicies: [DEPLOY] };

function error(props: Partial<DeployGroupProps>): string {
  try {
    synth((s) => new DeployGroup(s, 'deployers', { ...base, ...props }));
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('no error');
}

describe('DeployGroup: inline policies that fit their limit', () => {
  it('within the limit, the stack is the same text with or without overflowToManagedPolicies', () => {
    const small = { name: 'Deployers', inlinePolicies: [{ name: 'read', document: doc(part('ReadA', 0)) }] };
    const plain = synth((s) => new DeployGroup(s, 'deployers', small));
    expect(JSON.stringify(synth((s) => new DeployGroup(s, 'deployers', { ...small, overflowToManagedPolicies: true })))).toBe(JSON.stringify(plain));
  });

  it('over the limit, statements that differ only in Action are merged, with no option needed', () => {
    const perAction = doc(...['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging', 's3:GetObjectAcl'].map((action) => ({ actions: [action], resources: part('X', 0).resources })));
    expect(policySize(perAction, 'characters')).toBeGreaterThan(5_120);
    const out = synth((s) => new DeployGroup(s, 'deployers', { name: 'Deployers', inlinePolicies: [{ name: 'read', document: perAction }] }));
    expect(only(out.resource.aws_iam_group_policy).policy).toBe(
      JSON.stringify(doc({ actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging', 's3:GetObjectAcl'], resources: part('X', 0).resources })),
    );
    expect(out.resource.aws_iam_policy).toBeUndefined();
  });

  it('with overflowToManagedPolicies, what does not fit goes to <name>-2 at the group path, attached to the group', () => {
    const out = synth((s) => new DeployGroup(s, 'deployers', { ...base, path: '/deploy/', overflowToManagedPolicies: true, managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] }));
    expect(JSON.parse(only(out.resource.aws_iam_group_policy).policy as string).Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['ReadA', 'ReadB']);
    expect(only(out.resource.aws_iam_policy)).toEqual({
      name: 'Deployers-2',
      path: '/deploy/',
      description: "Statements of group Deployers's inline policies over the group inline size limit",
      policy: JSON.stringify(doc(part('ReadC', 200))),
    });
    const attachments = Object.values(out.resource.aws_iam_group_policy_attachment);
    expect(attachments.map((a) => a.policy_arn)).toEqual([
      'arn:aws:iam::aws:policy/ReadOnlyAccess',
      expect.stringMatching(/^\$\{aws_iam_policy\.deployers_overflow_Deployers-2_policy_[0-9A-F]{8}\.arn\}$/),
    ]);
    for (const a of attachments) expect(a.group).toMatch(/^\$\{aws_iam_group\.deployers_group_[0-9A-F]{8}\.name\}$/);
  });

  it("the overflow counts against the group's 10 managed policies: too many fail, naming the group", () => {
    const arns = Array.from({ length: 10 }, (_, i) => `arn:aws:iam::123456123456:policy/p${i}`);
    expect(error({ overflowToManagedPolicies: true, managedPolicyArns: arns })).toBe(
      'test/deployers: 1 problem\n- inlinePolicies: 5828: 5828 characters is over the 5120 allowed for the inline policies of one group, summed; ' +
        'the statements that do not fit inline take 1 customer managed policy, and group Deployers has 0 of its 10 managed policy attachments free (10 taken). ' +
        'Fix: attach fewer managed policies, or grant with fewer, broader patterns you have reviewed',
    );
  });

  it('without the option, a policy over the limit that merging cannot help fails, and the fix names the option', () => {
    expect(error({})).toBe(
      'test/deployers: 1 problem\n- inlinePolicies[0].document.(policy size): 5828: 5828 characters is over the 5120 allowed for the inline policies of one group, summed. ' +
        'Fix: split the policy, moving part to managedPolicyArns (a customer managed policy may hold 6,144 characters), or set overflowToManagedPolicies to move the statements that do not fit to customer managed policies attached to the group, or merge statements',
    );
  });
});
