# The Jets documentation's "Minimal Deploy IAM Policy" for the project prefix my-cool-prefix (the seed's
# MY_PREFIX), with iam:PassRole scoped to Lambda. It needs no provider: `terraform init && terraform apply`
# prints the policy. ../jets-deploy-group creates the group with it.

module "jets_deploy" {
  source = "../../terraform-modules/jets-deploy-policy"

  prefix                = "my-cool-prefix"
  pass_role_to_services = ["lambda.amazonaws.com"]
}

output "policy_json" {
  value = module.jets_deploy.json
}
