/**
 * `BucketPolicy` writes itself after the roles of its stack that its policy names by ARN, with no `dependsOn`
 * written: S3 refuses a principal that does not exist yet (`MalformedPolicy: Invalid principal in policy`) and
 * Terraform sees no dependency in an ARN written out. (The mechanism: test/modules/private/principal-dependencies.)
 */
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { Role } from '../../../modules/iam-role';
import { BucketPolicy, DATA_LAKE_ACKNOWLEDGED, dataLakeBucketPolicy } from '../../../modules/policy-types';
import { ExampleCorpStack } from '../../../stacks/example-corp';
import { stackDependencyFindings } from '../../support/aws-lab/apply-lab';
import { only, synth } from '../../support/synth';

const BUCKET = 'example-data-lake';
const APP = '111111111111';
const LAKE = '222222222222';
const EC2 = { services: ['ec2.amazonaws.com'] };
const lake = (extra: Partial<ConstructorParameters<typeof BucketPolicy>[2]> = {}) => ({
  bucket: BUCKET,
  account: LAKE,
  // Names arn:aws:iam::111111111111:role/application-roles/ApplicationRole.
  document: dataLakeBucketPolicy({ bucket: BUCKET, applicationAccount: APP, dataLakeAccount: LAKE }),
  acknowledge: DATA_LAKE_ACKNOWLEDGED,
  ...extra,
});
const appRole = (s: Construct, extra: Partial<ConstructorParameters<typeof Role>[2]> = {}) => new Role(s, 'app', { name: 'ApplicationRole', path: '/application-roles/', trustPolicy: EC2, ...extra });

describe('BucketPolicy, a role of its stack named by ARN', () => {
  it('depends on the role, wherever the role is in the tree, with no dependsOn written', () => {
    for (const roleFirst of [true, false]) {
      let role: Role | undefined;
      const out = synth((s) => {
        if (roleFirst) role = appRole(s);
        new BucketPolicy(s, 'lake', lake());
        if (!roleFirst) role = appRole(s);
      });
      expect(only(out.resource.aws_s3_bucket_policy).depends_on).toEqual([`aws_iam_role.${role!.role.friendlyUniqueId}`]);
    }
  });

  it('writes the role once when dependsOn gives it too, after the others given', () => {
    const out = synth((s) => {
      const role = appRole(s);
      const other = new Role(s, 'other', { name: 'Other', trustPolicy: EC2 });
      new BucketPolicy(s, 'lake', lake({ dependsOn: [other.role, role.role] }));
    });
    const key = (name: string) => Object.entries(out.resource.aws_iam_role).find(([, r]) => r.name === name)![0];
    expect(only(out.resource.aws_s3_bucket_policy).depends_on).toEqual([`aws_iam_role.${key('Other')}`, `aws_iam_role.${key('ApplicationRole')}`]);
  });

  it('adds nothing for a role of another stack, of another account, of another path, or one no stack creates', () => {
    const app = Testing.app();
    const roles = new TerraformStack(app, 'roles');
    new AwsProvider(roles, 'aws', { region: 'eu-west-1' });
    appRole(roles);
    const policies = new TerraformStack(app, 'policies');
    new AwsProvider(policies, 'aws', { region: 'eu-west-1' });
    new BucketPolicy(policies, 'lake', lake());
    expect(only(JSON.parse(Testing.synth(policies)).resource.aws_s3_bucket_policy)).not.toHaveProperty('depends_on');

    // The role of that name in the stack is created in the data lake account: the policy names the application account's.
    const otherAccount = synth((s) => {
      const provider = new AwsProvider(s, 'aws_lake', { region: 'eu-west-1', alias: 'lake', allowedAccountIds: [LAKE] });
      new IamRole(s, 'app', { provider, name: 'ApplicationRole', path: '/application-roles/', assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [] }) });
      new BucketPolicy(s, 'lake', lake());
    });
    expect(only(otherAccount.resource.aws_s3_bucket_policy)).not.toHaveProperty('depends_on');

    const otherPath = synth((s) => {
      appRole(s, { path: '/other/' });
      new Role(s, 'unknown', { name: 'UnknownRole', path: '/application-roles/', trustPolicy: EC2 });
      new BucketPolicy(s, 'lake', lake());
    });
    expect(only(otherPath.resource.aws_s3_bucket_policy)).not.toHaveProperty('depends_on');
  });

  it('adds nothing when the policy names accounts only', () => {
    const document = {
      Version: '2012-10-17' as const,
      Statement: [{ Effect: 'Allow' as const, Principal: { AWS: `arn:aws:iam::${APP}:root` }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` }],
    };
    const out = synth((s) => {
      appRole(s);
      new BucketPolicy(s, 'lake', lake({ document }));
    });
    expect(only(out.resource.aws_s3_bucket_policy)).not.toHaveProperty('depends_on');
  });
});

describe('stack example-corp', () => {
  it("its bucket policy depends on the application role it names, with no dependsOn written, whatever the accounts; the apply lab's check finds nothing", () => {
    for (const props of [{}, { applicationAccount: '444455556666', dataLakeAccount: '777788889999' }]) {
      const out = JSON.parse(Testing.synth(new ExampleCorpStack(Testing.app(), 'example-corp', props))) as {
        resource: Record<string, Record<string, Record<string, unknown>>>;
      };
      const roleKey = Object.entries(out.resource.aws_iam_role).find(([, r]) => r.name === 'ApplicationRole')![0];
      expect(only(out.resource.aws_s3_bucket_policy).depends_on).toEqual([`aws_iam_role.${roleKey}`]);
      expect(stackDependencyFindings(out)).toEqual([]);
    }
  });
});
