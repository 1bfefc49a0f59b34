import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Role } from '../../../modules/iam-role';
import {
  BOUNDARY_ACKNOWLEDGED,
  BucketPolicy,
  dataLakeBucketPolicy,
  DATA_LAKE_ACKNOWLEDGED,
  exampleCorpBoundary,
  exampleCorpScp,
  PermissionsBoundary,
  permissionsBoundaryArn,
  ServiceControlPolicy,
} from '../../../modules/policy-types';
import { only, synth } from '../../support/synth';

const SCP = { name: 'example-corp-guardrails', document: exampleCorpScp() };

describe('ServiceControlPolicy', () => {
  it('an aws_organizations_policy with the canonical JSON, attached to each target, with outputs when outputPrefix is given', () => {
    expect(synth((s) => new ServiceControlPolicy(s, 'scp', SCP)).output).toBeUndefined();
    const out = synth((s) => new ServiceControlPolicy(s, 'scp', { ...SCP, targets: ['r-ab12', 'ou-ab12-cd34ef56', '123456789012'], outputPrefix: '' }));
    const policy = only(out.resource.aws_organizations_policy);
    expect(policy).toMatchObject({ name: 'example-corp-guardrails', type: 'SERVICE_CONTROL_POLICY', content: JSON.stringify(exampleCorpScp()) });
    const attachments = Object.values(out.resource.aws_organizations_policy_attachment);
    expect(attachments.map((a) => a.target_id).sort()).toEqual(['123456789012', 'ou-ab12-cd34ef56', 'r-ab12']);
    expect(attachments[0].policy_id).toMatch(/^\$\{aws_organizations_policy\.scp_policy_[0-9A-F]{8}\.id\}$/);
    expect(Object.keys(out.output!)).toEqual(['scp_arn', 'scp_id', 'scp_json']);
  });

  it('a bad target id names the construct, the field, the value and the fix', () => {
    expect(() => synth((s) => new ServiceControlPolicy(s, 'scp', { ...SCP, targets: ['r-ab12', 'ou-ab12'] }))).toThrow(
      /^test\/scp: 1 problem\n- targets\[1\]: "ou-ab12": not a root .* Fix: give the id AWS Organizations lists/,
    );
  });

  it('a target given twice is an error', () => {
    expect(() => synth((s) => new ServiceControlPolicy(s, 'scp', { ...SCP, targets: ['r-ab12', 'r-ab12'] }))).toThrow(/targets\[1\]: "r-ab12": targets\[0\] is the same target/);
  });

  it('an SCP with a Principal is an error under document.*', () => {
    expect(() =>
      synth(
        (s) => new ServiceControlPolicy(s, 'scp', { name: 'x', document: { statements: [{ effect: 'Deny', actions: ['*'], resources: ['*'], principals: [{ type: 'AWS', identifiers: ['*'] }] }] } }),
      ),
    ).toThrow(/^test\/scp: 1 problem\n- document\.Statement\[0\]\.Principal/);
  });

  it('an SCP over its size limit is an error', () => {
    expect(() => synth((s) => new ServiceControlPolicy(s, 'scp', { ...SCP, sizeLimit: 100 }))).toThrow(/document\.\(policy size\): \d+: \d+ characters is over the 100 allowed/);
  });

  it('the per-target quota, over the SCPs of the stack plus FullAWSAccess', () => {
    const build = (count: number, max?: number) =>
      synth((s) => {
        for (let i = 0; i < count; i++)
          new ServiceControlPolicy(s, `scp${i}`, { ...SCP, name: `scp${i}`, targets: ['r-ab12'], outputPrefix: `p${i}_`, ...(max !== undefined && { maxPoliciesPerTarget: max }) });
      });
    expect(() => build(9)).not.toThrow();
    expect(() => build(10)).toThrow(/^test\/scp9: 1 problem\n- targets: "r-ab12": 11 SCPs would be attached to r-ab12 \(1 outside this stack, 10 in it\), over the 10/);
    expect(() => build(3, 3)).toThrow(/test\/scp2/);
  });

  it('a target reference is attached under the address it refers to, never by position', () => {
    const out = synth((s) => new ServiceControlPolicy(s, 'scp', { ...SCP, targets: [new TerraformVariable(s, 'root', { type: 'string' }).stringValue] }));
    const [attachment] = Object.entries(out.resource.aws_organizations_policy_attachment);
    expect(attachment[0]).toMatch(/^scp_target-varroot_[0-9A-F]{8}$/);
    expect(attachment[1].target_id).toBe('${var.root}');
  });
});

describe('PermissionsBoundary', () => {
  it('an aws_iam_policy holding the boundary, with a typed reference', () => {
    let boundary!: PermissionsBoundary;
    const out = synth((s) => {
      boundary = new PermissionsBoundary(s, 'boundary', { name: 'PermissionsBoundary', document: exampleCorpBoundary(), acknowledge: BOUNDARY_ACKNOWLEDGED, outputPrefix: '' });
    });
    expect(only(out.resource.aws_iam_policy)).toMatchObject({ name: 'PermissionsBoundary', policy: JSON.stringify(exampleCorpBoundary()) });
    expect(boundary.document).toEqual(exampleCorpBoundary());
    expect(Object.keys(out.output!)).toEqual(['boundary_arn', 'boundary_json']);
  });

  it('the Role construct takes its arn', () => {
    const out = synth((s) => {
      const boundary = new PermissionsBoundary(s, 'boundary', { name: 'PermissionsBoundary', document: exampleCorpBoundary(), acknowledge: BOUNDARY_ACKNOWLEDGED });
      new Role(s, 'app', {
        name: 'ApplicationRole',
        path: '/application-roles/',
        trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ec2.amazonaws.com' } }] },
        trustPolicyAcknowledge: ['SERVICE_PRINCIPAL_UNSCOPED'],
        permissionsBoundary: permissionsBoundaryArn('app', 'permissionsBoundary', boundary),
      } as never);
    });
    expect(only(out.resource.aws_iam_role).permissions_boundary).toMatch(/^\$\{aws_iam_policy\.boundary_policy_[0-9A-F]{8}\.arn\}$/);
  });

  it('the boundary wildcard without its acknowledgement is an error naming the field', () => {
    expect(() => synth((s) => new PermissionsBoundary(s, 'boundary', { name: 'b', document: exampleCorpBoundary() }))).toThrow(
      /^test\/boundary: 1 problem\n- document\.Statement\[0\]\.Resource: "\*".*WILDCARD_RESOURCE/,
    );
  });

  it('a boundary that is not a managed policy, given as an ARN, is an error', () => {
    expect(() => permissionsBoundaryArn('test/app', 'permissionsBoundary', 'arn:aws:iam::111111111111:role/Boundary')).toThrow(
      /^test\/app: 1 problem\n- permissionsBoundary: "arn:aws:iam::111111111111:role\/Boundary": not an IAM managed policy ARN.*a boundary is a managed policy, and inline policies and roles cannot be boundaries/,
    );
    synth((s) => {
      const arn = new IamPolicy(s, 'b', { name: 'b', policy: '{}' }).arn;
      expect(permissionsBoundaryArn('x', 'b', arn)).toBe(arn);
    });
  });

  it('a bad name is an error', () => {
    expect(() => synth((s) => new PermissionsBoundary(s, 'boundary', { name: 'bad name', document: exampleCorpBoundary(), acknowledge: BOUNDARY_ACKNOWLEDGED }))).toThrow(/- name: "bad name"/);
  });
});

describe('BucketPolicy', () => {
  it('an aws_s3_bucket_policy with the bucket and canonical JSON', () => {
    const doc = dataLakeBucketPolicy({ bucket: 'example-data-lake' });
    const out = synth((s) => new BucketPolicy(s, 'lake', { bucket: 'example-data-lake', document: doc, account: '222222222222', acknowledge: DATA_LAKE_ACKNOWLEDGED }));
    expect(only(out.resource.aws_s3_bucket_policy)).toMatchObject({ bucket: 'example-data-lake', policy: JSON.stringify(doc) });
  });

  it("the seed's placeholder bucket name is not an S3 bucket name", () => {
    expect(() => synth((s) => new BucketPolicy(s, 'lake', { bucket: 'DOC-EXAMPLE-BUCKET2', document: dataLakeBucketPolicy() }))).toThrow(
      /^test\/lake: 1 problem\n- bucket: "DOC-EXAMPLE-BUCKET2": not an S3 bucket name/,
    );
  });

  it('a bucket policy without a principal, and a resource outside its bucket, name document fields', () => {
    expect(() => synth((s) => new BucketPolicy(s, 'lake', { bucket: 'lake', document: { statements: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::other/*'] }] } }))).toThrow(
      /^test\/lake: 2 problems\n- document\.Statement\[0\]\.Principal: .*without a principal.*\n- document\.Statement\[0\]\.Resource\[0\]: "arn:aws:s3:::other\/\*": a resource outside its bucket/,
    );
  });

  it('a bucket reference is refused', () => {
    expect(() => synth((s) => new BucketPolicy(s, 'lake', { bucket: new TerraformVariable(s, 'bucket', { type: 'string' }).stringValue, document: dataLakeBucketPolicy() }))).toThrow(
      /- bucket: .*is a reference/,
    );
  });
});

it('imports no provider resource from the package root', () => {
  const stack = new TerraformStack(Testing.app(), 't');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const { readFileSync, readdirSync } = jest.requireActual<typeof import('fs')>('fs');
  const dir = `${__dirname}/../../../modules/policy-types`;
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
    const text = readFileSync(`${dir}/${f}`, 'utf8');
    expect(text).not.toMatch(/from '@cdktf\/provider-aws'/);
    if (['scp.ts', 'managed-policy-arn.ts', 's3-bucket-policy.ts', 'example-corp.ts', 'document-input.ts'].includes(f)) expect(text).not.toMatch(/from 'cdktf'|@cdktf/);
  }
});
