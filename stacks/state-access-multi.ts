import type { Construct } from 'constructs';
import { StateAccessRole } from '../modules/state-access';
import { ReproducibleStack, type ReproducibleStackProps } from './private/reproducible-stack';
import { accountTrustPolicy, SEED_LOCK_TABLE, SEED_STATE_BUCKET } from './private/seed-account';
import { ACCOUNT, iamNameCheck, REGION, stateBackendSettings, stateChecks } from './private/setting-checks';
import { type SettingProps, StackSettingSpecs } from './private/stack-settings';

/**
 * The settings of `state-access-multi`: each a prop, else `STATE_ACCESS_MULTI_<NAME>` in the environment,
 * else `stateAccessMulti.<name>` in the cdktf context, else the seed's value.
 */
export const STATE_ACCESS_MULTI_SETTINGS = new StackSettingSpecs('state-access-multi', {
  region: REGION,
  account: ACCOUNT,
  roleName: { fallback: 'developer-state-access', check: iamNameCheck('role') },
  ...stateBackendSettings(SEED_STATE_BUCKET, SEED_LOCK_TABLE),
  /** The workspace_key_prefix of the application's configurations: apply in `dev`, plan in `test` and `staging`. */
  appWorkspaceKeyPrefix: { fallback: 'applications/my-app', check: stateChecks.workspaceKeyPrefix },
  /** The keys applied in the default workspace. */
  sandboxKey: { fallback: 'sandbox/*', check: stateChecks.key },
  /** The workspace_key_prefix of the configuration read by terraform_remote_state. */
  networkWorkspaceKeyPrefix: { fallback: 'infra/network', check: stateChecks.workspaceKeyPrefix },
});

export type StateAccessMultiStackProps = ReproducibleStackProps & SettingProps<typeof STATE_ACCESS_MULTI_SETTINGS.specs>;

/**
 * The seed's second example: one developer role over the centralised state of several projects, with
 * different rights per configuration and workspace.
 */
export class StateAccessMultiStack extends ReproducibleStack {
  readonly accessRole: StateAccessRole;

  constructor(scope: Construct, name = 'state-access-multi', props: StateAccessMultiStackProps = {}) {
    const settings = STATE_ACCESS_MULTI_SETTINGS.read(scope, name, props);
    super(scope, name, { ...props, region: settings.region });
    const app = settings.appWorkspaceKeyPrefix;
    this.accessRole = new StateAccessRole(this, 'access_role', {
      name: settings.roleName,
      stateBucketArn: settings.stateBucketArn,
      lockTableArn: settings.lockTableArn,
      trustPolicy: accountTrustPolicy(settings.account),
      account: settings.account,
      outputPrefix: '',
      canApply: [
        // The "dev" workspace of configurations whose workspace_key_prefix is "applications/my-app";
        // not their default workspace.
        { key: 'terraform.tfstate', workspaceKeyPrefix: app, workspaces: ['dev'], allowDefaultWorkspace: false },
        // Any key under "sandbox/", default workspace only.
        { key: settings.sandboxKey, workspaces: [] },
      ],
      canPlan: [
        // Read and lock, never write, the "test" and "staging" workspaces of the same configurations.
        { key: 'terraform.tfstate', workspaceKeyPrefix: app, workspaces: ['test', 'staging'], allowDefaultWorkspace: false },
      ],
      canRead: [
        // Every workspace of "infra/network", for terraform_remote_state; no locks.
        { key: 'terraform.tfstate', workspaceKeyPrefix: settings.networkWorkspaceKeyPrefix },
      ],
    });
  }
}
