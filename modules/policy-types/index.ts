// Policy types: service control policies, permissions boundaries, AWS managed policy ARNs and S3 bucket
// policies, with the Example Corp policies of the AWS Security Blog's "IAM policy types" post.
// Pure functions (scp, managed-policy-arn, s3-bucket-policy, example-corp) import no cdktf.
export { canonicalInput, policyInputFindings, type PolicyInput } from './document-input';
export { serviceControlPolicy, type ScpDestination, ORGANIZATIONS_TARGET_ID, type OrganizationsTargetKind, organizationsTargetKind, organizationsTargetFindings, validateTargets } from './scp';
export { ServiceControlPolicy, type ServiceControlPolicyProps, DEFAULT_SCPS_PER_TARGET } from './service-control-policy';
export { type IPermissionsBoundary, permissionsBoundaryArnFindings, boundaryArnOf, awsManagedPolicyArn } from './managed-policy-arn';
export { PermissionsBoundary, type PermissionsBoundaryProps, permissionsBoundaryFindings, permissionsBoundaryArn } from './permissions-boundary';
export { bucketPolicy, bucketPolicyFindings, bucketNameFindings, checkBucketPolicy, type BucketPolicyDestination } from './s3-bucket-policy';
export { BucketPolicy, type BucketPolicyProps } from './bucket-policy';
export {
  exampleCorpScp,
  exampleCorpBoundary,
  type ExampleCorpBoundaryProps,
  EXAMPLE_CORP_BOUNDARY_ACTIONS,
  BOUNDARY_ACKNOWLEDGED,
  developerReadOnlyPolicy,
  DEVELOPER_READ_ONLY_ACTIONS,
  DEVELOPER_READ_ONLY_ACKNOWLEDGED,
  applicationRolePolicy,
  type ApplicationRolePolicyProps,
  dataLakeBucketPolicy,
  DATA_LAKE_ACKNOWLEDGED,
  type DataLakeBucketPolicyProps,
  EXAMPLE_CORP_READ_ONLY_ACCESS_ARN,
} from './example-corp';
