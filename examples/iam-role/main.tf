# The generated iam-role module three times: the seed's ci-web role (stacks/ci-web.ts), assumed by EC2
# instances through its instance profile; a GitHub Actions deploy role with the state-access policy inline,
# built by the generated permissions-policy module; and a role another account assumes. Needs the AWS
# provider and credentials: `terraform init && terraform apply` creates the roles, their policies and the
# instance profile.

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

# The GitHub Actions preset: workflows of the main branch of my-org/my-repo, through the OIDC provider of the
# role's account (the account is needed to build its ARN, and to tell other accounts' principals apart).
module "github_deploy" {
  source = "../../terraform-modules/iam-role"

  name                 = "github-deploy"
  account              = "123456123456"
  max_session_duration = 7200
  trust = {
    github_actions = [{ owner = "my-org", repository = "my-repo", branches = ["main"] }]
  }
  inline_policies = { "terraform-state-access" = module.state_access_policy.json }
}

# A role another account's deployer assumes: CROSS_ACCOUNT, accepted with a reason (written to the output
# trust_policy_acknowledged); without the acknowledgement, terraform plan fails naming the rule.
module "tooling_deploy" {
  source = "../../terraform-modules/iam-role"

  name    = "tooling-deploy"
  account = "123456123456"
  trust   = { roles = ["arn:aws:iam::210987654321:role/deployer"] }
  trust_policy_acknowledge = [
    { rule = "CROSS_ACCOUNT", reason = "the tooling account's deployer applies this stack" },
  ]
  managed_policy_arns = { readonly = "arn:aws:iam::aws:policy/ReadOnlyAccess" }
}

output "ci_web_instance_profile_name" {
  value = module.ci_web.instance_profile_name
}

output "github_deploy_role_arn" {
  value = module.github_deploy.role_arn
}

output "tooling_deploy_acknowledged" {
  value = module.tooling_deploy.trust_policy_acknowledged
}
