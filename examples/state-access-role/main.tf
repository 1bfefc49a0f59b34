# The seed README's two examples (george-richardson/terraform-aws-state-access-role) with the generated
# state-access-role module: change `source`, keep every variable. Needs the AWS provider and credentials:
# `terraform init && terraform apply` creates the roles `state-access` and `developer-state-access`, each
# with its inline policy.

provider "aws" {
  region = "eu-west-1"
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456123456:root"]
    }
  }
}

module "access_role" {
  source = "../../terraform-modules/state-access-role"

  name             = "state-access"
  state_bucket_arn = "arn:aws:s3:::my-state-bucket"
  lock_table_arn   = "arn:aws:dynamodb:eu-west-1:123456123456:table/my-lock-table"
  trust_policy     = data.aws_iam_policy_document.trust.json
  # The role's account: the trust policy's principals are checked against it (CROSS_ACCOUNT otherwise).
  account = "123456123456"
  can_apply = [{
    key = "terraform.tfstate"
  }]
}

# The seed's second example: the centralised state of several projects and workspaces.
module "developer_access_role" {
  source = "../../terraform-modules/state-access-role"

  name             = "developer-state-access"
  state_bucket_arn = "arn:aws:s3:::my-state-bucket"
  lock_table_arn   = "arn:aws:dynamodb:eu-west-1:123456123456:table/my-lock-table"
  trust_policy     = data.aws_iam_policy_document.trust.json
  account          = "123456123456"
  can_apply = [
    # Apply in the "dev" workspace of configurations with workspace_key_prefix "applications/my-app",
    # and not in their default workspace.
    {
      key                     = "terraform.tfstate"
      workspace_key_prefix    = "applications/my-app"
      workspaces              = ["dev"]
      allow_default_workspace = false
    },
    # Apply with any key under sandbox/, without workspaces.
    {
      key        = "sandbox/*"
      workspaces = []
    }
  ]
  can_plan = [
    # Plan (read the state, take the lock, write no state) in "test" and "staging".
    {
      key                     = "terraform.tfstate"
      workspace_key_prefix    = "applications/my-app"
      workspaces              = ["test", "staging"]
      allow_default_workspace = false
    }
  ]
  can_read = [
    # Read every workspace of infra/network (a terraform_remote_state data source); no locking.
    {
      key                  = "terraform.tfstate"
      workspace_key_prefix = "infra/network"
    }
  ]

  # Beyond the seed: the role settings iam-role takes (permissions_boundary and managed_policy_arns too).
  max_session_duration = 7200
  tags = {
    team = "platform"
  }
}

output "role_arn" {
  value = module.access_role.role_arn
}

output "developer_role_arn" {
  value = module.developer_access_role.role_arn
}
