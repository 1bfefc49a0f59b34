# A trust policy for GitHub Actions deploying from one branch, and for EC2 instances, with the generated
# trust-policy module. It needs no provider: `terraform init && terraform apply` prints the policy. Pass
# module.trust.json to an aws_iam_role's assume_role_policy, or to ../iam-role's trust_policy.

module "trust" {
  source = "../../terraform-modules/trust-policy"

  # EC2 sends no aws:SourceAccount when it assumes an instance profile's role: no condition is needed.
  services = ["ec2.amazonaws.com"]

  oidc = [{
    provider_arn = "arn:aws:iam::123456123456:oidc-provider/token.actions.githubusercontent.com"
    audience     = "sts.amazonaws.com"
    subjects     = ["repo:my-org/my-repo:ref:refs/heads/main"]
  }]
}

output "trust_policy_json" {
  value = module.trust.json
}
