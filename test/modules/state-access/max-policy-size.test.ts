/**
 * `maxPolicySize` may lower the size limit anywhere, but raise it only where no one resource takes the
 * policy as it is: a construct that writes it into a managed policy (6,144 characters) or a role's inline
 * policies (10,240: IAM and STS quotas) would otherwise write a policy AWS refuses at apply.
 */
import { TerraformRemoteStateS3Policy } from '../../../modules/ci-policies';
import { StatePermissionsPolicy, statePermissionsPolicy } from '../../../modules/state-access';
import { synth } from '../../support/synth';

const BUCKET = 'arn:aws:s3:::my-state-bucket';
// 100 keys of their own: a policy of about 11,000 characters, over every identity policy limit.
const canApply = Array.from({ length: 100 }, (_, i) => ({ key: `team-${i}/application/terraform.tfstate`, workspaces: [] }));

describe('maxPolicySize', () => {
  it('the pure function may raise it: its document goes to no resource as it is', () => {
    expect(JSON.stringify(statePermissionsPolicy({ stateBucketArn: BUCKET, canApply, maxPolicySize: 20_000 })).length).toBeGreaterThan(10_240);
  });

  it('StatePermissionsPolicy refuses to raise it above the managed policy limit, naming the field, the value and the fix', () => {
    expect(() => synth((s) => new StatePermissionsPolicy(s, 'state', { stateBucketArn: BUCKET, canApply, maxPolicySize: 20_000 }))).toThrow(
      'test/state: 1 problem\n- maxPolicySize: 20000: over the 6144 characters AWS allows a customer managed policy: the policy would be refused at apply. Fix: lower it to 6144 or less, or leave it out',
    );
  });

  it('StatePermissionsPolicy inline on a role refuses it above the role inline limit, and takes it at or below', () => {
    const small = [{ key: 'terraform.tfstate' }];
    expect(() => synth((s) => new StatePermissionsPolicy(s, 'state', { stateBucketArn: BUCKET, canApply: small, role: 'ci', maxPolicySize: 10_241 }))).toThrow(
      /maxPolicySize: 10241: over the 10240 characters AWS allows the inline policies of one role, summed/,
    );
    expect(() => synth((s) => new StatePermissionsPolicy(s, 'state', { stateBucketArn: BUCKET, canApply: small, role: 'ci', maxPolicySize: 10_240 }))).not.toThrow();
    expect(() => synth((s) => new StatePermissionsPolicy(s, 'state', { stateBucketArn: BUCKET, canApply: small, role: 'ci', maxPolicySize: 2_000 }))).not.toThrow();
  });

  it('TerraformRemoteStateS3Policy refuses it above 6,144 in one policy, and takes it when maxPolicies splits the document', () => {
    expect(() => synth((s) => new TerraformRemoteStateS3Policy(s, 'state', { stateBucketArn: BUCKET, canApply, maxPolicySize: 20_000 }))).toThrow(
      /maxPolicySize: 20000: over the 6144 characters AWS allows a customer managed policy/,
    );
    // Apply and read grants of 40 keys each: no one statement is over 6,144, the whole is.
    const [apply, read] = [canApply.slice(0, 40), canApply.slice(40, 80)];
    const out = synth((s) => new TerraformRemoteStateS3Policy(s, 'state', { stateBucketArn: BUCKET, canApply: apply, canRead: read, maxPolicySize: 20_000, maxPolicies: 3 }));
    const policies = Object.values(out.resource.aws_iam_policy).map((p) => String(p.policy));
    expect(policies.length).toBeGreaterThan(1);
    for (const policy of policies) expect(policy.length).toBeLessThanOrEqual(6_144);
  });
});
