# Gruntwork's ecr-docker-push policy for one repository, with the generated ecr-docker-push-policy module.
# It needs no provider: `terraform init && terraform apply` prints the policy. Pass module.ecr_push.json to
# an aws_iam_policy (or ../managed-policy) attached to the CI role or user that pushes images.

module "ecr_push" {
  source = "../../terraform-modules/ecr-docker-push-policy"

  repository_arns = ["arn:aws:ecr:eu-west-1:123456123456:repository/web"]
}

output "policy_json" {
  value = module.ecr_push.json
}
