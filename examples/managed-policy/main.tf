# The CI policies as customer managed policies attached to a CI role, as Gruntwork's iam-policies modules
# and this project's CiPolicy constructs create them: each generated policy-only CI module builds its
# document, the generated managed-policy module creates the policy and attaches it, and the generated
# iam-role module creates the role. Needs the AWS provider and credentials: `terraform init && terraform
# apply` creates the role and three policies attached to it.

provider "aws" {
  region = "eu-west-1"
}

module "ci_role" {
  source = "../../terraform-modules/iam-role"

  name = "ci-deployer"
  trust = {
    oidc = [{
      provider_arn = "arn:aws:iam::123456123456:oidc-provider/token.actions.githubusercontent.com"
      audience     = "sts.amazonaws.com"
      subjects     = ["repo:my-org/web:ref:refs/heads/main"]
    }]
  }
}

module "ecr_push_policy" {
  source = "../../terraform-modules/ecr-docker-push-policy"

  repository_arns = ["arn:aws:ecr:eu-west-1:123456123456:repository/web"]
}

module "ecs_deploy_policy" {
  source = "../../terraform-modules/ecs-service-deployment-policy"

  service_arns             = ["arn:aws:ecs:eu-west-1:123456123456:service/main/web"]
  task_definition_families = ["web"]
  pass_role_arns           = ["arn:aws:iam::123456123456:role/web-task"]
  cluster_arn              = "arn:aws:ecs:eu-west-1:123456123456:cluster/main"
}

module "terragrunt_policy" {
  source = "../../terraform-modules/terragrunt-policy"

  state_bucket_arns = ["arn:aws:s3:::my-state-bucket"]
  lock_table_arns   = ["arn:aws:dynamodb:eu-west-1:123456123456:table/my-lock-table"]
}

module "ecr_push" {
  source = "../../terraform-modules/managed-policy"

  name            = "ecr-docker-push"
  description     = "Push images to the web repository."
  policy          = module.ecr_push_policy.json
  attach_to_roles = { ci = module.ci_role.role_name }
}

module "ecs_deploy" {
  source = "../../terraform-modules/managed-policy"

  name            = "ecs-service-deployment"
  description     = "Deploy the web service."
  policy          = module.ecs_deploy_policy.json
  attach_to_roles = { ci = module.ci_role.role_name }
}

module "terragrunt" {
  source = "../../terraform-modules/managed-policy"

  name            = "terragrunt"
  description     = "Run terragrunt against the state bucket and lock table."
  policy          = module.terragrunt_policy.json
  attach_to_roles = { ci = module.ci_role.role_name }
}

output "ci_role_arn" {
  value = module.ci_role.role_arn
}

output "policy_arns" {
  value = [module.ecr_push.arn, module.ecs_deploy.arn, module.terragrunt.arn]
}
