# The list of AWS's current managed policies the other modules check AWS managed ARNs against. It needs no
# provider: `terraform init && terraform apply` prints whether each ARN below names a policy AWS offers,
# and the one AWS offers under another path or case.

locals {
  arns = {
    read_only = "arn:aws:iam::aws:policy/ReadOnlyAccess"
    ssm_core  = "arn:aws:iam::aws:policy/service-role/AmazonSSMManagedInstanceCore" # AWS lists it at the root path
    config    = "arn:aws:iam::aws:policy/service-role/AWSConfigRole"                # deprecated: AWS_ConfigRole replaced it
  }
}

module "aws_managed_policies" {
  source = "../../terraform-modules/aws-managed-policies"
}

output "current" {
  description = "Whether each ARN names a policy AWS offers today."
  value       = { for k, arn in local.arns : k => contains(module.aws_managed_policies.paths_and_names, regex("^arn:[^:]+:iam::aws:policy(/.*)$", arn)[0]) }
}

output "offered_as" {
  description = "The path and name under which AWS offers each policy of that name, whatever the path or case given."
  value       = { for k, arn in local.arns : k => lookup(module.aws_managed_policies.by_lower_name, lower(regex("[^/]+$", arn)), null) }
}

output "as_of" {
  value = module.aws_managed_policies.as_of
}
