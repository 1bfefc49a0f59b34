# A permissions boundary, and a role bounded by it, with the generated permissions-boundary and iam-role
# modules: the role may never do more than read objects of one bucket, whatever policies it is given.
# Needs the AWS provider and credentials: `terraform init && terraform apply` creates both.

provider "aws" {
  region = "eu-west-1"
}

module "boundary" {
  source = "../../terraform-modules/permissions-boundary"

  name = "application-boundary"
  path = "/boundaries/"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "s3:GetObject"
      Resource = "arn:aws:s3:::data-lake-bucket/*"
    }]
  })
}

module "application_role" {
  source = "../../terraform-modules/iam-role"

  name                 = "application"
  trust                = { services = ["ec2.amazonaws.com"] }
  permissions_boundary = module.boundary.boundary_arn
  instance_profile     = { name = "application" }
}

output "boundary_arn" {
  value = module.boundary.boundary_arn
}
