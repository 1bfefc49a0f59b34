# Who a bucket policy admits, with the generated policy-admission module: the application role of another
# account may read the data lake, and everyone may read its public/ prefix. Both are accepted, each with a
# reason; without them `terraform plan` fails, naming CROSS_ACCOUNT and ANY_PRINCIPAL. It needs no provider:
# `terraform init && terraform apply` prints the policy and what was accepted.

module "admission" {
  source = "../../terraform-modules/policy-admission"

  account = "123456123456"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Action    = "s3:GetObject"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::111111111111:role/application-roles/ApplicationRole" }
        Resource  = "arn:aws:s3:::data-lake-bucket/*"
      },
      {
        Action    = "s3:GetObject"
        Effect    = "Allow"
        Principal = "*"
        Resource  = "arn:aws:s3:::data-lake-bucket/public/*"
      },
    ]
  })
  acknowledge = [
    { rule = "CROSS_ACCOUNT", reason = "the application account reads the data lake" },
    { rule = "ANY_PRINCIPAL", reason = "public/ holds the published data sets" },
  ]
}

output "policy_json" {
  value = module.admission.json
}

output "acknowledged" {
  value = module.admission.acknowledged
}
