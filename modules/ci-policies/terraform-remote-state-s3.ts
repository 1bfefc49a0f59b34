/**
 * What a CI job needs to run Terraform with its state in S3, after Gruntwork's
 * `terraform-remote-state-s3` iam-policy. It is the state-access module's policy, not written again: the
 * grants name the configurations the job may apply, plan or read (typically `canApply` for a deploy job).
 */
import type { PolicyDocument } from '../core/policy-document';
import type { PolicyDestination } from '../core/validate-policy';
import { renderStatePolicy, type StatePermissionsProps } from '../state-access/state-permissions';

export type TerraformRemoteStateS3PolicyProps = StatePermissionsProps;

export function terraformRemoteStateS3Policy(props: TerraformRemoteStateS3PolicyProps, destination: PolicyDestination = { context: 'terraformRemoteStateS3Policy', kind: 'identity' }): PolicyDocument {
  return renderStatePolicy(props, {
    ...destination,
    sizeFix: destination.sizeFix ?? 'set allowFullBucketList to drop the s3:prefix list, or cover keys with fewer wildcard patterns',
  });
}
