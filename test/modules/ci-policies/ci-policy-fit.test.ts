/**
 * A CI policy over the 6,144 characters of a managed policy (IAM quotas page): merged when that is
 * enough, split into `<name>`, `<name>-2`, … attached where the first one is when the caller set
 * `maxPolicies`, refused otherwise, with the exact messages.
 */
import { policySize } from '../../../modules/core';
import { EcrDockerPushPolicy, TerraformRemoteStateS3Policy, terraformRemoteStateS3Policy } from '../../../modules/ci-policies';
import { synth } from '../../support/synth';

const BUCKET = 'arn:aws:s3:::tg-state';
// 70 keys: 6,282 characters in two statements (S3List 2,366, S3Write 3,876), over 6,144.
const canApply = Array.from({ length: 70 }, (_, i) => ({ key: `team-${i}/app/terraform.tfstate`, workspaces: [] }));
const unfitted = terraformRemoteStateS3Policy({ stateBucketArn: BUCKET, canApply });

function error(build: Parameters<typeof synth>[0]): string {
  try {
    synth(build);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('no error');
}

describe('CiPolicy: a policy that fits its limit', () => {
  it('the policy is over one managed policy, and its two statements (with Sids) cannot merge', () => {
    expect(policySize(unfitted, 'characters')).toBe(6_282);
    expect(unfitted.Statement.map((s) => s.Sid)).toEqual(['S3List', 'S3Write']);
  });

  it('with maxPolicies, split into <name> and <name>-2, each attached to the same role, with outputs for each', () => {
    const out = synth((s) => new TerraformRemoteStateS3Policy(s, 'state', { stateBucketArn: BUCKET, canApply, maxPolicies: 3, attachToRoles: ['ci'], path: '/ci/', outputPrefix: '' }));
    // Terraform JSON lists resources by their ids: sorted by name here.
    const policies = Object.values(out.resource.aws_iam_policy).sort((a, b) => String(a.name).localeCompare(String(b.name)));
    expect(policies.map((p) => [p.name, p.path, p.description])).toEqual([
      ['terraform-remote-state-s3', '/ci/', 'Use Terraform remote state in S3: read, write and lock the named state only.'],
      ['terraform-remote-state-s3-2', '/ci/', 'Use Terraform remote state in S3: read, write and lock the named state only. (part 2 of 2)'],
    ]);
    // Together they hold the statements of the one policy, each within the limit.
    const documents = policies.map((p) => JSON.parse(p.policy as string));
    expect(documents.flatMap((d) => d.Statement)).toEqual(unfitted.Statement);
    for (const p of policies) expect((p.policy as string).length).toBeLessThanOrEqual(6_144);
    const attachments = Object.values(out.resource.aws_iam_role_policy_attachment);
    expect(attachments.map((a) => [a.role, a.policy_arn]).sort((a, b) => String(a[1]).localeCompare(String(b[1])))).toEqual([
      ['ci', expect.stringMatching(/^\$\{aws_iam_policy\.state_policy_2_policy_[0-9A-F]{8}\.arn\}$/)],
      ['ci', expect.stringMatching(/^\$\{aws_iam_policy\.state_policy_[0-9A-F]{8}\.arn\}$/)],
    ]);
    expect(Object.keys(out.output!).sort()).toEqual(['arn', 'arn_2', 'json', 'json_2', 'name', 'name_2']);
    expect(out.output!.json_2.value).toBe(policies[1].policy);
  });

  it('with createResources false, the split documents are still output', () => {
    const out = synth((s) => new TerraformRemoteStateS3Policy(s, 'state', { stateBucketArn: BUCKET, canApply, maxPolicies: 2, createResources: false, outputPrefix: '' }));
    expect(out.resource).toBeUndefined();
    expect(Object.keys(out.output!).sort()).toEqual(['json', 'json_2']);
  });

  it('within the limit, maxPolicies changes nothing', () => {
    const small = { stateBucketArn: BUCKET, canApply: canApply.slice(0, 5), attachToRoles: ['ci'] };
    const plain = synth((s) => new TerraformRemoteStateS3Policy(s, 'state', small));
    expect(JSON.stringify(synth((s) => new TerraformRemoteStateS3Policy(s, 'state', { ...small, maxPolicies: 4 })))).toBe(JSON.stringify(plain));
  });

  it('without maxPolicies, fails naming the size, the limit, how many policies it would take and where each is attached', () => {
    expect(error((s) => new TerraformRemoteStateS3Policy(s, 'state', { stateBucketArn: BUCKET, canApply, attachToRoles: ['ci'], attachToGroups: ['ops'] }))).toBe(
      'test/state: 1 problem\n- (policy size): 6282: 6282 characters is over the 6144 allowed for a customer managed policy; split within the limit it takes 2 documents, and no split is allowed. ' +
        'Fix: set maxPolicies to split the grants into several managed policies, each attached to role ci, group ops (one attachment more each), or grant with fewer, broader patterns you have reviewed',
    );
  });

  it('a single statement over the limit cannot be split', () => {
    // 150 repositories in the one push statement: 9,998 characters in all, under the 10,240 the module is
    // built within, but a document of the push statement alone is 9,906.
    const repositoryArns = Array.from({ length: 150 }, (_, i) => `arn:aws:ecr:eu-west-1:123456123456:repository/team/service-${i}`);
    expect(error((s) => new EcrDockerPushPolicy(s, 'ecr', { repositoryArns, maxPolicies: 5 }))).toBe(
      'test/ecr: 1 problem\n- Statement[1]: "EcrPushImage": 9998 characters is over the 6144 allowed for a customer managed policy, and a document holding only this statement would be 9906 characters, so no split fits it. ' +
        'Fix: give its Action or Resource list to several statements, or cover them with fewer patterns you have reviewed',
    );
  });

  it('a document over 10,240 characters fails as it always has without maxPolicies, and with it is fitted at any size', () => {
    // 13,248 characters, the push statement alone 13,156: no split fits it.
    const repositoryArns = Array.from({ length: 200 }, (_, i) => `arn:aws:ecr:eu-west-1:123456123456:repository/team/service-${i}`);
    expect(error((s) => new EcrDockerPushPolicy(s, 'ecr', { repositoryArns }))).toBe(
      'test/ecr: 1 problem\n- (policy size): 13248: 13248 characters is over the 6144 allowed for a customer managed policy. Fix: split the grants across two policies (each managed policy holds 6,144 characters)',
    );
    expect(error((s) => new EcrDockerPushPolicy(s, 'ecr', { repositoryArns, maxPolicies: 5 }))).toBe(
      'test/ecr: 1 problem\n- Statement[1]: "EcrPushImage": 13248 characters is over the 6144 allowed for a customer managed policy, and a document holding only this statement would be 13156 characters, so no split fits it. ' +
        'Fix: give its Action or Resource list to several statements, or cover them with fewer patterns you have reviewed',
    );
  });

  it('maxPolicies must be a whole number of 1 or more', () => {
    expect(error((s) => new TerraformRemoteStateS3Policy(s, 'state', { stateBucketArn: BUCKET, canApply, maxPolicies: 0 }))).toBe(
      'test/state: 1 problem\n- maxPolicies: 0: is not a whole number of policies, 1 or more. Fix: set it to 1 (no split) or more',
    );
  });
});
