# Example Corp's CI/CD pipeline (Policy 4 of AWS's "How and when to use AWS IAM policy types"): create and
# change roles under /application-roles/ only with the PermissionsBoundary policy as their boundary. It
# needs no provider: `terraform init && terraform apply` prints the policy.

module "pipeline" {
  source = "../../terraform-modules/delegated-role-creation-policy"

  account                      = "111111111111"
  role_path                    = "/application-roles/"
  policy_path                  = "/application-role-policies/"
  instance_profile_path        = "/application-instance-profiles/"
  permissions_boundary_arn     = "arn:aws:iam::111111111111:policy/PermissionsBoundary"
  passed_to_services           = ["ec2.amazonaws.com"]
  service_linked_role_services = ["autoscaling.amazonaws.com"]
}

output "policy_json" {
  value = module.pipeline.json
}
