# An SCP that stops member accounts from leaving the organization, attached to one OU, with the generated
# service-control-policy module. Needs the AWS provider and credentials of the organization's management
# account: `terraform init && terraform apply` creates the policy and its attachment.

provider "aws" {
  region = "us-east-1"
}

data "aws_iam_policy_document" "deny_leaving" {
  statement {
    effect    = "Deny"
    actions   = ["organizations:LeaveOrganization"]
    resources = ["*"]
  }
}

module "deny_leaving" {
  source = "../../terraform-modules/service-control-policy"

  name        = "deny-leave-organization"
  description = "Member accounts stay in the organization."
  policy      = data.aws_iam_policy_document.deny_leaving.json

  # Keyed by names of your choosing: the attachments stay put when the map changes.
  targets = { workloads = "ou-ab12-cd34ef56" }
}

output "scp_id" {
  value = module.deny_leaving.scp_id
}
