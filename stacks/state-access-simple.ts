import type { Construct } from 'constructs';
import { StateAccessRole } from '../modules/state-access';
import { ReproducibleStack, type ReproducibleStackProps } from './private/reproducible-stack';
import { accountTrustPolicy, SEED_LOCK_TABLE, SEED_STATE_BUCKET } from './private/seed-account';
import { ACCOUNT, iamNameCheck, REGION, stateBackendSettings, stateChecks } from './private/setting-checks';
import { type SettingProps, StackSettingSpecs } from './private/stack-settings';

/**
 * The settings of `state-access-simple`: each a prop, else `STATE_ACCESS_SIMPLE_<NAME>` in the environment,
 * else `stateAccessSimple.<name>` in the cdktf context, else the seed's value.
 */
export const STATE_ACCESS_SIMPLE_SETTINGS = new StackSettingSpecs('state-access-simple', {
  region: REGION,
  /** The account of the role, the state bucket and the lock table; the role trusts it. */
  account: ACCOUNT,
  roleName: { fallback: 'state-access', check: iamNameCheck('role') },
  ...stateBackendSettings(SEED_STATE_BUCKET, SEED_LOCK_TABLE),
  /** The key of the state the role may read, write and lock, in every workspace. */
  stateKey: { fallback: 'terraform.tfstate', check: stateChecks.key },
});

export type StateAccessSimpleStackProps = ReproducibleStackProps & SettingProps<typeof STATE_ACCESS_SIMPLE_SETTINGS.specs>;

/**
 * The seed's first example: a role that may read, write and lock the state at `terraform.tfstate`, in
 * the default workspace and every named one, with DynamoDB locking.
 */
export class StateAccessSimpleStack extends ReproducibleStack {
  readonly accessRole: StateAccessRole;

  constructor(scope: Construct, name = 'state-access-simple', props: StateAccessSimpleStackProps = {}) {
    const settings = STATE_ACCESS_SIMPLE_SETTINGS.read(scope, name, props);
    super(scope, name, { ...props, region: settings.region });
    this.accessRole = new StateAccessRole(this, 'access_role', {
      name: settings.roleName,
      stateBucketArn: settings.stateBucketArn,
      lockTableArn: settings.lockTableArn,
      trustPolicy: accountTrustPolicy(settings.account),
      account: settings.account,
      outputPrefix: '',
      canApply: [{ key: settings.stateKey }],
    });
  }
}
