# Trust policies with the generated trust-policy module: GitHub Actions deploying from one branch and EC2
# instances, then one role's trust per CI preset. It needs no provider: `terraform init && terraform apply`
# prints the policies. Pass a module's json to an aws_iam_role's assume_role_policy, or use ../iam-role's
# trust, which takes the same variables.

locals {
  # The account the roles are in: the presets build their OIDC provider ARNs in it, and a principal of
  # any other account would need an acknowledgement with a reason (CROSS_ACCOUNT).
  account = "123456123456"
}

module "trust" {
  source = "../../terraform-modules/trust-policy"

  # EC2 sends no aws:SourceAccount when it assumes an instance profile's role: no condition is needed.
  services = ["ec2.amazonaws.com"]

  oidc = [{
    provider_arn = "arn:aws:iam::123456123456:oidc-provider/token.actions.githubusercontent.com"
    audience     = "sts.amazonaws.com"
    subjects     = ["repo:my-org/my-repo:ref:refs/heads/main"]
  }]
}

# GitHub Actions by names: the main branch, and jobs of the production environment.
module "github_actions" {
  source  = "../../terraform-modules/trust-policy"
  account = local.account

  github_actions = [{ owner = "my-org", repository = "infra", branches = ["main"], environments = ["production"] }]
}

# GitHub Actions by immutable IDs: a deleted and re-created owner or repository of the same name gets nothing.
module "github_actions_ids" {
  source  = "../../terraform-modules/trust-policy"
  account = local.account

  github_actions = [{ owner = "my-org", repository = "infra", owner_id = "123456", repository_id = "456789", tags = ["v*"] }]
}

# GitLab.com: protected branches of one project, pinned by its ID too.
module "gitlab" {
  source  = "../../terraform-modules/trust-policy"
  account = local.account

  gitlab = [{ project_path = "my-group/infra", branches = ["main"], protected_refs_only = true, project_id = "42" }]
}

# CircleCI: two projects of one organization, through the organization's own issuer.
module "circleci" {
  source  = "../../terraform-modules/trust-policy"
  account = local.account

  circleci = [{
    organization_id = "1f2e3d4c-5b6a-4978-8877-665544332211"
    project_ids     = ["0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d", "abcdef01-2345-4678-9abc-def012345678"]
  }]
}

# Bitbucket Pipelines: deployments of one repository to its production environment.
module "bitbucket_pipelines" {
  source  = "../../terraform-modules/trust-policy"
  account = local.account

  bitbucket_pipelines = [{
    workspace                    = "my-workspace"
    workspace_uuid               = "{1de489be-5a52-4b1c-9a3e-0123456789ab}"
    repository_uuid              = "{2de489be-5a52-4b1c-9a3e-0123456789ab}"
    deployment_environment_uuids = ["{3de489be-5a52-4b1c-9a3e-0123456789ab}"]
  }]
}

# Buildkite: the main branch of one pipeline.
module "buildkite" {
  source  = "../../terraform-modules/trust-policy"
  account = local.account

  buildkite = [{ organization = "my-org", pipelines = ["deploy"], branches = ["main"] }]
}

# HCP Terraform: plans of one workspace (applies get a role of their own).
module "hcp_terraform" {
  source  = "../../terraform-modules/trust-policy"
  account = local.account

  terraform_cloud = [{ organization = "my-org", workspaces = ["network"], run_phases = ["plan"] }]
}

output "trust_policy_json" {
  value = module.trust.json
}

output "github_actions_json" {
  value = module.github_actions.json
}

output "github_actions_ids_json" {
  value = module.github_actions_ids.json
}

output "gitlab_json" {
  value = module.gitlab.json
}

output "circleci_json" {
  value = module.circleci.json
}

output "bitbucket_pipelines_json" {
  value = module.bitbucket_pipelines.json
}

output "buildkite_json" {
  value = module.buildkite.json
}

output "hcp_terraform_json" {
  value = module.hcp_terraform.json
}
