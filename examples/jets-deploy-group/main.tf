# The seed's Jets deploy group (the Jets documentation's "Minimal Deploy IAM Policy", run as the seed's
# create-group, put-group-policy, attach-group-policy, create-user and add-user-to-group) with the
# generated jets-deploy-group module. Needs the AWS provider and credentials: `terraform init && terraform
# apply` creates the group Jets, its inline policy JetsPolicy, the AWS_ConfigRole attachment and the user.

provider "aws" {
  region = "us-east-1"
}

module "jets_group" {
  source = "../../terraform-modules/jets-deploy-group"

  prefix = "my-cool-prefix"
  users  = [{ name = "tung" }]

  # Only for an application that uses AWS Config rules, as the seed says.
  managed_policy_arns = {
    config = "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole"
  }

  # Not in the seed: iam:PassRole only to Lambda, in a statement of its own.
  pass_role_to_services = ["lambda.amazonaws.com"]
}

output "group_arn" {
  value = module.jets_group.group_arn
}

output "user_names" {
  value = module.jets_group.user_names
}
