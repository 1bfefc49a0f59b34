# The generated iam-role module twice: the seed's ci-web role (stacks/ci-web.ts), assumed by EC2 instances
# through its instance profile, and a GitHub Actions deploy role with the state-access policy inline,
# built by the generated permissions-policy module. Needs the AWS provider and credentials:
# `terraform init && terraform apply` creates both roles, their policies and the instance profile.

provider "aws" {
  region = "eu-west-1"
}

resource "aws_iam_policy" "ci_web_secrets" {
  name = "ci-web-secrets"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "secretsmanager:GetSecretValue"
      Resource = "arn:aws:secretsmanager:eu-west-1:123456123456:secret:ci/*"
    }]
  })
}

module "ci_web" {
  source = "../../terraform-modules/iam-role"

  name  = "ci-web"
  trust = { services = ["ec2.amazonaws.com"] }

  # Keyed by names of your choosing: the attachments stay put when the list changes.
  managed_policy_arns = {
    secrets = aws_iam_policy.ci_web_secrets.arn
    ssm     = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
  }
  instance_profile = { name = "ci-web" }
}

module "state_access_policy" {
  source = "../../terraform-modules/permissions-policy"

  state_bucket_arn = "arn:aws:s3:::my-state-bucket"
  lock_table_arn   = "arn:aws:dynamodb:eu-west-1:123456123456:table/my-lock-table"
  can_apply        = [{ key = "terraform.tfstate" }]
}

module "github_deploy" {
  source = "../../terraform-modules/iam-role"

  name                 = "github-deploy"
  max_session_duration = 7200
  trust = {
    oidc = [{
      provider_arn = "arn:aws:iam::123456123456:oidc-provider/token.actions.githubusercontent.com"
      audience     = "sts.amazonaws.com"
      subjects     = ["repo:my-org/my-repo:ref:refs/heads/main"]
    }]
  }
  inline_policies = { "terraform-state-access" = module.state_access_policy.json }
}

output "ci_web_instance_profile_name" {
  value = module.ci_web.instance_profile_name
}

output "github_deploy_role_arn" {
  value = module.github_deploy.role_arn
}
