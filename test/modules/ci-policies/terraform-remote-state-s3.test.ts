import { terraformRemoteStateS3Policy } from '../../../modules/ci-policies/terraform-remote-state-s3';
import { statePermissionsPolicy } from '../../../modules/state-access';

const props = {
  stateBucketArn: 'arn:aws:s3:::ci-state',
  lockTableArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/ci-locks',
  canApply: [{ key: 'services/web/terraform.tfstate' }],
};

describe('terraformRemoteStateS3Policy', () => {
  it('is the state-access policy, not written again (its proofs against real terraform traffic hold for it)', () => {
    expect(terraformRemoteStateS3Policy(props)).toEqual(statePermissionsPolicy(props));
  });

  it('reports errors under its own name', () => {
    expect(() => terraformRemoteStateS3Policy({ ...props, canApply: [{ key: '' }] })).toThrow(/^terraformRemoteStateS3Policy: 1 problem\n- canApply\[0\]\.key/);
  });
});
