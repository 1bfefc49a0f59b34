import type { Construct } from 'constructs';
import { StateAccessRole } from '../modules/state-access';
import { ReproducibleStack, type ReproducibleStackProps } from './private/reproducible-stack';
import { ACCOUNT_TRUST_POLICY, SEED_ACCOUNT, SEED_LOCK_TABLE_ARN, SEED_STATE_BUCKET_ARN } from './private/seed-account';

/**
 * The seed's second example: one developer role over the centralised state of several projects, with
 * different rights per configuration and workspace.
 */
export class StateAccessMultiStack extends ReproducibleStack {
  readonly accessRole: StateAccessRole;

  constructor(scope: Construct, name = 'state-access-multi', props: ReproducibleStackProps = {}) {
    super(scope, name, props);
    this.accessRole = new StateAccessRole(this, 'access_role', {
      name: 'developer-state-access',
      stateBucketArn: SEED_STATE_BUCKET_ARN,
      lockTableArn: SEED_LOCK_TABLE_ARN,
      trustPolicy: ACCOUNT_TRUST_POLICY,
      account: SEED_ACCOUNT,
      outputPrefix: '',
      canApply: [
        // The "dev" workspace of configurations whose workspace_key_prefix is "applications/my-app";
        // not their default workspace.
        { key: 'terraform.tfstate', workspaceKeyPrefix: 'applications/my-app', workspaces: ['dev'], allowDefaultWorkspace: false },
        // Any key under "sandbox/", default workspace only.
        { key: 'sandbox/*', workspaces: [] },
      ],
      canPlan: [
        // Read and lock, never write, the "test" and "staging" workspaces of the same configurations.
        { key: 'terraform.tfstate', workspaceKeyPrefix: 'applications/my-app', workspaces: ['test', 'staging'], allowDefaultWorkspace: false },
      ],
      canRead: [
        // Every workspace of "infra/network", for terraform_remote_state; no locks.
        { key: 'terraform.tfstate', workspaceKeyPrefix: 'infra/network' },
      ],
    });
  }
}
