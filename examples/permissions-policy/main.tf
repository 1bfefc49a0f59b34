# The seed README's first example (george-richardson/terraform-aws-state-access-role), with the generated
# permissions-policy module. It needs no provider: `terraform init && terraform apply` prints the policy.
# Pass module.state_access_policy.json to an aws_iam_policy or aws_iam_role_policy.

module "state_access_policy" {
  source = "../../terraform-modules/permissions-policy"

  state_bucket_arn = "arn:aws:s3:::my-state-bucket"
  lock_table_arn   = "arn:aws:dynamodb:eu-west-1:123456123456:table/my-lock-table"

  can_apply = [
    { key = "terraform.tfstate" }
  ]

  # false: the seed's published policy, byte for byte; true (the default) also lets can_apply grants run
  # `terraform workspace new`.
  list_new_workspaces = false
}

output "policy_json" {
  value = module.state_access_policy.json
}
