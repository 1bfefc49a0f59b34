/**
 * `JetsDeployGroup`'s `overflowToManagedPolicies`, passed to `DeployGroup`: a jets-deploy policy over the
 * group inline limit (5,120 characters, IAM quotas page), here by a long `passRoleToServices` list, keeps
 * what fits inline and moves the rest to `<name>-2` attached to the group; without it the group fails as
 * it always has.
 */
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import type { PolicyDocument } from '../../../modules/core';
import { JetsDeployGroup, type JetsDeployGroupProps } from '../../../modules/deploy-group';
import { renderJetsDeployPolicy } from '../../../modules/deploy-group/jets-deploy-policy';
import { only, synth } from '../../support/synth';

// 150 services in the iam:PassedToService condition of the PassRole statement: 5,900 characters in all.
const passRoleToServices = Array.from({ length: 150 }, (_, i) => `service-${i}.amazonaws.com`);
const LONG: JetsDeployGroupProps = { prefix: 'my-cool-prefix', passRoleToServices, path: '/deploy/' };
const full = renderJetsDeployPolicy(LONG, 'full', 'group-inline', Infinity);

function error(props: JetsDeployGroupProps): string {
  try {
    synth((s) => new JetsDeployGroup(s, 'jets', props));
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('no error');
}

describe('JetsDeployGroup: overflowToManagedPolicies', () => {
  it('over the limit, the statements that fit stay inline in JetsPolicy and the rest go to Jets-2 at the group path, attached to the group', () => {
    expect(JSON.stringify(full).length).toBe(5_900);
    let group: JetsDeployGroup | undefined;
    const out = synth((s) => {
      group = new JetsDeployGroup(s, 'jets', { ...LONG, overflowToManagedPolicies: true, users: ['deployer'] });
    });
    const inline = only(out.resource.aws_iam_group_policy);
    expect(inline.name).toBe('JetsPolicy');
    expect((inline.policy as string).length).toBeLessThanOrEqual(5_120);
    const managed = only(out.resource.aws_iam_policy);
    expect(managed).toMatchObject({ name: 'Jets-2', path: '/deploy/' });
    expect((managed.policy as string).length).toBeLessThanOrEqual(6_144);
    // Together they hold the whole policy, in its order: the seed's seven statements inline, PassRole moved.
    const parts = [inline.policy, managed.policy].map((p) => JSON.parse(p as string) as PolicyDocument);
    expect(parts.map((p) => p.Statement.length)).toEqual([7, 1]);
    expect(parts.flatMap((p) => p.Statement)).toEqual(full.Statement);
    const attachment = only(out.resource.aws_iam_group_policy_attachment);
    expect(attachment.group).toMatch(/^\$\{aws_iam_group\.jets_group_[0-9A-F]{8}\.name\}$/);
    expect(attachment.policy_arn).toMatch(/^\$\{aws_iam_policy\.jets_overflow_Jets-2_policy_[0-9A-F]{8}\.arn\}$/);
    // The construct's document is the whole policy; its json what was written inline.
    expect(group!.document).toEqual(full);
    expect(group!.json).toBe(inline.policy);
    expect(group!.overflowPolicies.map((p) => p instanceof IamPolicy)).toEqual([true]);
  });

  it('within the limit, the stack is the same text with or without it', () => {
    const plain = synth((s) => new JetsDeployGroup(s, 'jets', { prefix: 'my-cool-prefix', users: ['deployer'] }));
    const opted = synth((s) => new JetsDeployGroup(s, 'jets', { prefix: 'my-cool-prefix', users: ['deployer'], overflowToManagedPolicies: true }));
    expect(JSON.stringify(opted)).toBe(JSON.stringify(plain));
  });

  it('without it, over the limit fails as it always has, naming the construct', () => {
    expect(error(LONG)).toBe(
      'test/jets: 1 problem\n- (policy size): 5900: 5900 characters is over the 5120 allowed for the inline policies of one group, summed. ' +
        'Fix: split the policy, or grant with fewer, broader patterns you have reviewed',
    );
  });

  it("the overflow counts against the group's 10 managed policies, with managedPolicyArns", () => {
    const managedPolicyArns = Array.from({ length: 10 }, (_, i) => `arn:aws:iam::123456123456:policy/p${i}`);
    expect(error({ ...LONG, overflowToManagedPolicies: true, managedPolicyArns })).toBe(
      'test/jets: 1 problem\n- inlinePolicies: 5900: 5900 characters is over the 5120 allowed for the inline policies of one group, summed; ' +
        'the statements that do not fit inline take 1 customer managed policy, and group Jets has 0 of its 10 managed policy attachments free (10 taken). ' +
        'Fix: attach fewer managed policies, or grant with fewer, broader patterns you have reviewed',
    );
    expect(() => synth((s) => new JetsDeployGroup(s, 'jets', { ...LONG, overflowToManagedPolicies: true, managedPolicyArns: managedPolicyArns.slice(1) }))).not.toThrow();
  });
});
