/**
 * The policies of "Example Corp" from the AWS Security Blog post "IAM policy types: How and when to use
 * them" (the project's seed `aws-iam-policy-types.txt`), as pure functions with the seed's values as
 * defaults. Policy numbers are the seed's: 1 SCP, 2 permissions boundary, 3 developer read-only policy,
 * 5 application role policy, 6 data lake bucket policy (4, the CI/CD pipeline policy, is in
 * delegated-role-creation; 7, ReadOnlyAccess, is `EXAMPLE_CORP_READ_ONLY_ACCESS_ARN`).
 *
 * Fixes to the seed, each tested under `fix: …`:
 * - Policy 2's second copy lacks the comma after `"Id": "PermissionsBoundaryPolicy"` (not JSON); the first
 *   copy has it, and both are otherwise the same: `exampleCorpBoundary` is that policy.
 * - Policy 5's two bucket ARNs are broken over two lines (`"arn:aws:s3:::DOC-EXAMPLE-` / `BUCKET1/*"`), a
 *   raw newline inside a JSON string (not JSON); joined: `arn:aws:s3:::DOC-EXAMPLE-BUCKET1/*`.
 * Every action of the seed exists in iam-data and every resource fits its actions (the core's
 * `policyFindings` reports nothing else); the Sid-less statements stay Sid-less.
 */
import type { PolicyDocument } from '../core/policy-document';
import { shape, shapeFindings } from '../core/input-shape';
import { type AcknowledgeableFinding, type Acknowledgement, throwIfAny } from '../core/policy-error';
import { validatePolicy, type PolicyDestination } from '../core/validate-policy';
import { policyDocument } from '../core/policy-document';
import { awsManagedPolicyArn } from './managed-policy-arn';
import { serviceControlPolicy, type ScpDestination } from './scp';
import { bucketPolicy, type BucketPolicyDestination } from './s3-bucket-policy';

/** Policy 1: denies every request not sent over TLS, and leaving the organization. For the root. */
export function exampleCorpScp(destination: ScpDestination = { context: 'exampleCorpScp' }): PolicyDocument {
  return serviceControlPolicy(
    {
      id: 'ServiceControlPolicy',
      statements: [
        {
          sid: 'DenyIfRequestIsNotUsingSSL',
          effect: 'Deny',
          // Deny on "*" is what a guardrail is: the core flags only Allow wildcards.
          actions: ['*'],
          resources: ['*'],
          conditions: [{ test: 'BoolIfExists', variable: 'aws:SecureTransport', values: ['false'] }],
        },
        { sid: 'PreventLeavingTheOrganization', effect: 'Deny', actions: ['organizations:LeaveOrganization'], resources: ['*'] },
      ],
    },
    destination,
  );
}

/** Policy 2's actions: the S3, SQS and CloudWatch Logs data access the Central Cloud Team approved. */
export const EXAMPLE_CORP_BOUNDARY_ACTIONS: readonly string[] = [
  's3:PutObject',
  's3:GetObject',
  'sqs:ChangeMessageVisibility',
  'sqs:DeleteMessage',
  'sqs:ReceiveMessage',
  'sqs:SendMessage',
  'sqs:PurgeQueue',
  'sqs:GetQueueUrl',
  'logs:PutLogEvents',
];

/**
 * `Resource: "*"` in a boundary: a boundary is a ceiling, not a grant (a role gets only what its
 * identity policies and its boundary both allow), so `*` there limits actions, never resources. Accepted
 * by name.
 */
export const BOUNDARY_ACKNOWLEDGED: readonly AcknowledgeableFinding[] = ['WILDCARD_RESOURCE'];

export interface ExampleCorpBoundaryProps {
  /**
   * The approved actions, as the Central Cloud Team adds services.
   * @default EXAMPLE_CORP_BOUNDARY_ACTIONS
   */
  readonly actions?: readonly string[];
}

/** Policy 2: the permissions boundary of every role the CI/CD pipeline creates. */
export function exampleCorpBoundary(props: ExampleCorpBoundaryProps = {}, destination: PolicyDestination = { context: 'exampleCorpBoundary', kind: 'managed' }): PolicyDocument {
  throwIfAny(destination.context, shapeFindings(props, shape.object({ actions: shape.optional(shape.list(shape.string())) }), ''));
  const doc = policyDocument({
    id: 'PermissionsBoundaryPolicy',
    statements: [{ actions: props.actions ?? EXAMPLE_CORP_BOUNDARY_ACTIONS, resources: ['*'] }],
  });
  validatePolicy(doc, destination.context, { kind: destination.kind, acknowledge: BOUNDARY_ACKNOWLEDGED, ...(destination.sizeLimit !== undefined && { sizeLimit: destination.sizeLimit }) });
  return doc;
}

/** Policy 3's actions: read-only EC2, S3, SQS, CloudFormation, CloudWatch and CloudWatch Logs. */
export const DEVELOPER_READ_ONLY_ACTIONS: readonly string[] = [
  'cloudformation:Describe*',
  'cloudformation:Get*',
  'cloudformation:List*',
  'cloudwatch:Describe*',
  'cloudwatch:Get*',
  'cloudwatch:List*',
  'ec2:Describe*',
  'ec2:Get*',
  'ec2:List*',
  'ec2:Search*',
  's3:Describe*',
  's3:Get*',
  's3:List*',
  'sqs:Get*',
  'sqs:List*',
  'logs:Describe*',
  'logs:FilterLogEvents',
  'logs:Get*',
  'logs:List*',
  'logs:StartQuery',
  'logs:StopQuery',
];

/**
 * `Resource: "*"` for the developer role: the seed grants read access to every resource of the listed
 * services in the account, by design (troubleshooting). Accepted by name.
 */
export const DEVELOPER_READ_ONLY_ACKNOWLEDGED: readonly AcknowledgeableFinding[] = ['WILDCARD_RESOURCE'];

/** Policy 3: the DeveloperReadOnlyRole's baseline policy. */
export function developerReadOnlyPolicy(destination: PolicyDestination = { context: 'developerReadOnlyPolicy', kind: 'identity' }): PolicyDocument {
  const doc = policyDocument({ id: 'DeveloperRoleBaselinePolicy', statements: [{ actions: DEVELOPER_READ_ONLY_ACTIONS, resources: ['*'] }] });
  validatePolicy(doc, destination.context, { kind: destination.kind, acknowledge: DEVELOPER_READ_ONLY_ACKNOWLEDGED, ...(destination.sizeLimit !== undefined && { sizeLimit: destination.sizeLimit }) });
  return doc;
}

export interface ApplicationRolePolicyProps {
  /**
   * The application's own bucket (read and write), in the application account.
   * @default 'DOC-EXAMPLE-BUCKET1'
   */
  readonly appBucket?: string;
  /**
   * The data lake's bucket (read only), in the data lake account.
   * @default 'DOC-EXAMPLE-BUCKET2'
   */
  readonly dataLakeBucket?: string;
  /**
   * @default 'aws'
   */
  readonly partition?: string;
}

/** Policy 5: the ApplicationRole's policy, under the Policy 2 boundary. */
export function applicationRolePolicy(props: ApplicationRolePolicyProps = {}, destination: PolicyDestination = { context: 'applicationRolePolicy', kind: 'identity' }): PolicyDocument {
  const text = shape.optional(shape.string());
  throwIfAny(destination.context, shapeFindings(props, shape.object({ appBucket: text, dataLakeBucket: text, partition: text }), ''));
  const partition = props.partition ?? 'aws';
  const doc = policyDocument({
    id: 'ApplicationRolePolicy',
    statements: [
      // Fix: the seed breaks this ARN over two lines ("DOC-EXAMPLE-" / "BUCKET1/*").
      { actions: ['s3:PutObject', 's3:GetObject'], resources: [`arn:${partition}:s3:::${props.appBucket ?? 'DOC-EXAMPLE-BUCKET1'}/*`] },
      // Fix: the same for "DOC-EXAMPLE-" / "BUCKET2/*".
      { actions: ['s3:GetObject'], resources: [`arn:${partition}:s3:::${props.dataLakeBucket ?? 'DOC-EXAMPLE-BUCKET2'}/*`] },
    ],
  });
  validatePolicy(doc, destination.context, { kind: destination.kind, ...(destination.sizeLimit !== undefined && { sizeLimit: destination.sizeLimit }) });
  return doc;
}

export interface DataLakeBucketPolicyProps {
  /**
   * The data lake bucket.
   * @default 'DOC-EXAMPLE-BUCKET2'
   */
  readonly bucket?: string;
  /**
   * The application account (12 digits).
   * @default '111111111111'
   */
  readonly applicationAccount?: string;
  /**
   * The data lake account, where the bucket is (12 digits).
   * @default '222222222222'
   */
  readonly dataLakeAccount?: string;
  /**
   * Name of the application's role in that account.
   * @default 'ApplicationRole'
   */
  readonly roleName?: string;
  /**
   * Path of that role.
   * @default '/application-roles/'
   */
  readonly rolePath?: string;
  /**
   * @default 'aws'
   */
  readonly partition?: string;
}

/**
 * What policy 6 is for: another account's role reads the data lake. The bucket policy names a principal of
 * the application account, in the data lake account's bucket: a `CROSS_ACCOUNT` finding, accepted with the
 * seed's reason, which the access report shows next to the grant.
 */
export const DATA_LAKE_ACKNOWLEDGED: readonly Acknowledgement[] = [
  { rule: 'CROSS_ACCOUNT', reason: "Example Corp's application role, in the application account, reads the data lake account's bucket (the seed's policy 6)" },
];

/** Policy 6: the data lake bucket's policy, letting the application role in another account read objects. */
export function dataLakeBucketPolicy(
  props: DataLakeBucketPolicyProps = {},
  destination: BucketPolicyDestination = { context: 'dataLakeBucketPolicy', account: props?.dataLakeAccount ?? '222222222222', acknowledge: DATA_LAKE_ACKNOWLEDGED },
): PolicyDocument {
  const text = shape.optional(shape.string());
  throwIfAny(destination.context, shapeFindings(props, shape.object({ bucket: text, applicationAccount: text, dataLakeAccount: text, roleName: text, rolePath: text, partition: text }), ''));
  const partition = props.partition ?? 'aws';
  const bucket = props.bucket ?? 'DOC-EXAMPLE-BUCKET2';
  const role = `arn:${partition}:iam::${props.applicationAccount ?? '111111111111'}:role${props.rolePath ?? '/application-roles/'}${props.roleName ?? 'ApplicationRole'}`;
  return bucketPolicy(
    { statements: [{ principals: [{ type: 'AWS', identifiers: [role] }], actions: ['s3:GetObject'], resources: [`arn:${partition}:s3:::${bucket}/*`] }] },
    bucket,
    destination,
    partition,
  );
}

/** Policy 7: the AWS managed ReadOnlyAccess policy of the CentralCloudTeamReadonlyRole. */
export const EXAMPLE_CORP_READ_ONLY_ACCESS_ARN = awsManagedPolicyArn('ReadOnlyAccess');
