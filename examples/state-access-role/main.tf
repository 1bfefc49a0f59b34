# The seed README's first example (george-richardson/terraform-aws-state-access-role) with the generated
# state-access-role module: change `source`, keep every variable. Needs the AWS provider and credentials:
# `terraform init && terraform apply` creates the role `state-access` and its inline policy.

provider "aws" {
  region = "eu-west-1"
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456123456:root"]
    }
  }
}

module "access_role" {
  source = "../../terraform-modules/state-access-role"

  name             = "state-access"
  state_bucket_arn = "arn:aws:s3:::my-state-bucket"
  lock_table_arn   = "arn:aws:dynamodb:eu-west-1:123456123456:table/my-lock-table"
  trust_policy     = data.aws_iam_policy_document.trust.json
  can_apply = [{
    key = "terraform.tfstate"
  }]
}

output "role_arn" {
  value = module.access_role.role_arn
}
