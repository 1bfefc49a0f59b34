import type { Construct } from 'constructs';
import { StateAccessRole } from '../modules/state-access';
import { ReproducibleStack, type ReproducibleStackProps } from './private/reproducible-stack';

/**
 * The seed's first example: a role that may read, write and lock the state at `terraform.tfstate`, in
 * the default workspace and every named one, with DynamoDB locking.
 */
export class StateAccessSimpleStack extends ReproducibleStack {
  readonly accessRole: StateAccessRole;

  constructor(scope: Construct, name = 'state-access-simple', props: ReproducibleStackProps = {}) {
    super(scope, name, props);
    this.accessRole = new StateAccessRole(this, 'access_role', {
      name: 'state-access',
      stateBucketArn: 'arn:aws:s3:::my-state-bucket',
      lockTableArn: 'arn:aws:dynamodb:eu-west-1:123456123456:table/my-lock-table',
      // Who may assume it: principals of the account, as far as their own policies let them.
      trustPolicy: {
        Version: '2012-10-17',
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456123456:root' } }],
      },
      canApply: [{ key: 'terraform.tfstate' }],
    });
  }
}
