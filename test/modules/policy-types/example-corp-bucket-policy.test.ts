/**
 * `BucketPolicy`'s `dependsOn`, which the example-corp stack gives it: the data lake's bucket policy names the
 * application role by its ARN, written out, so Terraform sees no reference to the role, and S3 refuses a
 * principal that does not exist yet (MalformedPolicy: Invalid principal in policy).
 */
import { Role } from '../../../modules/iam-role';
import { BucketPolicy, DATA_LAKE_ACKNOWLEDGED, dataLakeBucketPolicy } from '../../../modules/policy-types';
import { only, synth } from '../../support/synth';

const BUCKET = 'example-data-lake';
const props = { bucket: BUCKET, document: dataLakeBucketPolicy({ bucket: BUCKET }), account: '222222222222', acknowledge: DATA_LAKE_ACKNOWLEDGED };

describe('BucketPolicy dependsOn', () => {
  it('writes depends_on for the resources given, and none without them', () => {
    const out = synth((s) => {
      const role = new Role(s, 'app', { name: 'ApplicationRole', path: '/application-roles/', trustPolicy: { services: ['ec2.amazonaws.com'] } });
      new BucketPolicy(s, 'lake', { ...props, dependsOn: [role.role] });
    });
    const roleKey = Object.keys(out.resource.aws_iam_role)[0];
    expect(only(out.resource.aws_s3_bucket_policy).depends_on).toEqual([`aws_iam_role.${roleKey}`]);
    expect(only(synth((s) => new BucketPolicy(s, 'lake', props)).resource.aws_s3_bucket_policy).depends_on).toBeUndefined();
  });

  it('refuses what Terraform cannot order by, naming the field', () => {
    expect(() => synth((s) => new BucketPolicy(s, 'lake', { ...props, dependsOn: ['aws_iam_role.app'] as never }))).toThrow(/^test\/lake: 1 problem\n- dependsOn\[0\]/);
  });
});
