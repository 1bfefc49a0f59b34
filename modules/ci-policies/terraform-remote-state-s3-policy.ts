import type { Construct } from 'constructs';
import { CiPolicy, type CiPolicyProps } from './ci-policy';
import { STATE_PERMISSIONS_FIELDS } from '../state-access/private/grants';
import { terraformRemoteStateS3Policy, type TerraformRemoteStateS3PolicyProps } from './terraform-remote-state-s3';

export interface TerraformRemoteStateS3PolicyConstructProps extends TerraformRemoteStateS3PolicyProps, CiPolicyProps {}

/** `terraformRemoteStateS3Policy` as a managed policy, attached where asked. */
export class TerraformRemoteStateS3Policy extends CiPolicy {
  constructor(scope: Construct, id: string, props: TerraformRemoteStateS3PolicyConstructProps) {
    super(scope, id, props, {
      defaultName: 'terraform-remote-state-s3',
      description: 'Use Terraform remote state in S3: read, write and lock the named state only.',
      fields: STATE_PERMISSIONS_FIELDS,
      document: (destination) => terraformRemoteStateS3Policy(props, destination),
    });
  }
}
