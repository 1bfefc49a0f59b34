import type { Construct } from 'constructs';
import { githubActionsOidcProvider, OidcProvider } from '../modules/iam-role';
import { GitHubTerraformRoles, STATE_POLICY_NAME } from '../modules/terraform-ci';
import { keepAddress } from './private/keep-address';
import { ReproducibleStack, type ReproducibleStackProps } from './private/reproducible-stack';
import { SEED_ACCOUNT, SEED_LOCK_TABLE_ARN, SEED_STATE_BUCKET_ARN } from './private/seed-account';

/** The bucket the example repository's Terraform manages. */
const ASSETS_BUCKET_ARN = 'arn:aws:s3:::my-org-web-assets';

/** What Terraform reads to refresh the bucket: its configuration, never its objects. */
const BUCKET_READS = ['s3:GetBucket*', 's3:GetAccelerateConfiguration', 's3:GetEncryptionConfiguration', 's3:GetLifecycleConfiguration', 's3:GetReplicationConfiguration', 's3:ListBucket'];
/** What applying its configuration changes: the bucket, its versioning, encryption, public access block and tags. */
const BUCKET_CHANGES = ['s3:CreateBucket', 's3:DeleteBucket', 's3:PutBucketVersioning', 's3:PutEncryptionConfiguration', 's3:PutBucketPublicAccessBlock', 's3:PutBucketTagging'];

/**
 * Terraform in GitHub Actions for the repository `my-org/infra`, which manages one S3 bucket: the OIDC
 * provider of GitHub's tokens, a plan role for its pull requests (plan the state, read the bucket's
 * configuration) and an apply role for its `production` environment only (apply the state, change the
 * bucket). The repository is named by its immutable IDs, as GitHub writes the subject of repositories
 * created since July 2026; a pull request, from a fork or a feature branch, can never assume the apply role.
 */
export class CiTerraformGithubStack extends ReproducibleStack {
  readonly roles: GitHubTerraformRoles;
  readonly oidcProvider: OidcProvider;

  constructor(scope: Construct, name = 'ci-terraform-github', props: ReproducibleStackProps = {}) {
    super(scope, name, props);
    this.oidcProvider = new OidcProvider(this, 'github', githubActionsOidcProvider());
    this.roles = new GitHubTerraformRoles(this, 'infra', {
      name: 'infra',
      account: SEED_ACCOUNT,
      oidcProvider: this.oidcProvider,
      repository: { owner: 'my-org', repository: 'infra', ownerId: '123456', repositoryId: '456789' },
      apply: { environments: ['production'] },
      state: { stateBucketArn: SEED_STATE_BUCKET_ARN, lockTableArn: SEED_LOCK_TABLE_ARN },
      configurations: [{ key: 'infra/terraform.tfstate', workspaces: [] }],
      planPermissions: {
        inlinePolicies: [{ name: 'terraform-plan-read', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: BUCKET_READS, Resource: ASSETS_BUCKET_ARN }] } }],
      },
      applyPermissions: {
        inlinePolicies: [
          { name: 'terraform-apply-deploy', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: [...BUCKET_READS, ...BUCKET_CHANGES], Resource: ASSETS_BUCKET_ARN }] } },
        ],
      },
      outputPrefix: '',
    });
    // The inline policies were keyed by position (inline_0, inline_1) before they were keyed by name.
    const { planRole, applyRole } = this.roles;
    keepAddress(planRole.inlinePolicies.get(STATE_POLICY_NAME), 'infra_plan_inline_0_0E551BB1');
    keepAddress(planRole.inlinePolicies.get('terraform-plan-read'), 'infra_plan_inline_1_39F88233');
    keepAddress(applyRole.inlinePolicies.get(STATE_POLICY_NAME), 'infra_apply_inline_0_6FD2ED92');
    keepAddress(applyRole.inlinePolicies.get('terraform-apply-deploy'), 'infra_apply_inline_1_A8E6E183');
  }
}
