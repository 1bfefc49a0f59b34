# What Terragrunt's remote_state block checks on an existing state bucket and lock table (Gruntwork's
# terragrunt policy, without bootstrap: the bucket and table exist). It needs no provider:
# `terraform init && terraform apply` prints the policy. Terraform's own state access is a separate policy:
# see ../permissions-policy.

module "terragrunt" {
  source = "../../terraform-modules/terragrunt-policy"

  state_bucket_arns = ["arn:aws:s3:::ci-terraform-state"]
  lock_table_arns   = ["arn:aws:dynamodb:eu-west-1:123456123456:table/ci-terraform-locks"]
}

output "policy_json" {
  value = module.terragrunt.json
}
