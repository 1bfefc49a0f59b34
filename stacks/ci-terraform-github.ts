import type { Construct } from 'constructs';
import { githubActionsOidcProvider, OidcProvider } from '../modules/iam-role';
import { GitHubTerraformRoles, STATE_POLICY_NAME } from '../modules/terraform-ci';
import { keepAddress } from './private/keep-address';
import { ReproducibleStack, type ReproducibleStackProps } from './private/reproducible-stack';
import { SEED_LOCK_TABLE, SEED_STATE_BUCKET } from './private/seed-account';
import { ACCOUNT, bucketNameCheck, githubCheck, iamNameCheck, REGION, stateBackendSettings, stateChecks } from './private/setting-checks';
import { type SettingProps, StackSettingSpecs } from './private/stack-settings';

/** What Terraform reads to refresh the bucket: its configuration, never its objects. */
const BUCKET_READS = ['s3:GetBucket*', 's3:GetAccelerateConfiguration', 's3:GetEncryptionConfiguration', 's3:GetLifecycleConfiguration', 's3:GetReplicationConfiguration', 's3:ListBucket'];
/** What applying its configuration changes: the bucket, its versioning, encryption, public access block and tags. */
const BUCKET_CHANGES = ['s3:CreateBucket', 's3:DeleteBucket', 's3:PutBucketVersioning', 's3:PutEncryptionConfiguration', 's3:PutBucketPublicAccessBlock', 's3:PutBucketTagging'];

/**
 * The settings of `ci-terraform-github`: each a prop, else `CI_TERRAFORM_GITHUB_<NAME>` in the environment,
 * else `ciTerraformGithub.<name>` in the cdktf context, else the seed's value.
 */
export const CI_TERRAFORM_GITHUB_SETTINGS = new StackSettingSpecs('ci-terraform-github', {
  region: REGION,
  /** The account of the roles and the OIDC provider. */
  account: ACCOUNT,
  /** The roles are `<rolesName>-plan` and `<rolesName>-apply`. */
  rolesName: { fallback: 'infra', check: iamNameCheck('role', '-apply') },
  owner: { fallback: 'my-org', check: githubCheck('owner') },
  repository: { fallback: 'infra', check: githubCheck('repository') },
  ownerId: { fallback: '123456', check: githubCheck('ownerId') },
  repositoryId: { fallback: '456789', check: githubCheck('repositoryId') },
  /** The deployment environment whose jobs may assume the apply role. */
  applyEnvironment: { fallback: 'production', check: githubCheck('environments') },
  ...stateBackendSettings(SEED_STATE_BUCKET, SEED_LOCK_TABLE),
  /** The key of the repository's state, in the default workspace. */
  stateKey: { fallback: 'infra/terraform.tfstate', check: stateChecks.key },
  /** The bucket the repository's Terraform manages. */
  assetsBucket: { fallback: 'my-org-web-assets', check: bucketNameCheck },
});

export type CiTerraformGithubStackProps = ReproducibleStackProps & SettingProps<typeof CI_TERRAFORM_GITHUB_SETTINGS.specs>;

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

  constructor(scope: Construct, name = 'ci-terraform-github', props: CiTerraformGithubStackProps = {}) {
    const settings = CI_TERRAFORM_GITHUB_SETTINGS.read(scope, name, props);
    super(scope, name, { ...props, region: settings.region });
    const { owner, repository, ownerId, repositoryId } = settings;
    const assetsBucketArn = `arn:aws:s3:::${settings.assetsBucket}`;
    this.oidcProvider = new OidcProvider(this, 'github', githubActionsOidcProvider());
    this.roles = new GitHubTerraformRoles(this, 'infra', {
      name: settings.rolesName,
      account: settings.account,
      oidcProvider: this.oidcProvider,
      repository: { owner, repository, ownerId, repositoryId },
      apply: { environments: [settings.applyEnvironment] },
      state: { stateBucketArn: settings.stateBucketArn, lockTableArn: settings.lockTableArn },
      configurations: [{ key: settings.stateKey, workspaces: [] }],
      planPermissions: {
        inlinePolicies: [{ name: 'terraform-plan-read', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: BUCKET_READS, Resource: assetsBucketArn }] } }],
      },
      applyPermissions: {
        inlinePolicies: [
          { name: 'terraform-apply-deploy', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: [...BUCKET_READS, ...BUCKET_CHANGES], Resource: assetsBucketArn }] } },
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
