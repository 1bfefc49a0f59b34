import type { Construct } from 'constructs';
import { StateAccessRole } from '../modules/state-access';
import { ReproducibleStack, type ReproducibleStackProps } from './private/reproducible-stack';
import { ACCOUNT_TRUST_POLICY, SEED_ACCOUNT, SEED_LOCK_TABLE_ARN, SEED_STATE_BUCKET_ARN } from './private/seed-account';

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
      stateBucketArn: SEED_STATE_BUCKET_ARN,
      lockTableArn: SEED_LOCK_TABLE_ARN,
      trustPolicy: ACCOUNT_TRUST_POLICY,
      account: SEED_ACCOUNT,
      outputPrefix: '',
      canApply: [{ key: 'terraform.tfstate' }],
    });
  }
}
