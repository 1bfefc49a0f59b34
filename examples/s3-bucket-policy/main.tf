# Example Corp's data lake bucket policy (the AWS Security Blog's "IAM policy types" post, policy 6): the
# application role of another account may read the bucket's objects. With the generated s3-bucket-policy
# module. Needs the AWS provider and credentials: `terraform init && terraform apply` puts the policy on
# the bucket.

provider "aws" {
  region = "eu-west-1"
}

data "aws_iam_policy_document" "data_lake" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::data-lake-bucket/*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111111111111:role/application-roles/ApplicationRole"]
    }
  }
}

module "data_lake_policy" {
  source = "../../terraform-modules/s3-bucket-policy"

  bucket  = "data-lake-bucket"
  policy  = data.aws_iam_policy_document.data_lake.json
  account = "123456123456"
  # The application role is another account's: accepted with a reason, or terraform plan fails (CROSS_ACCOUNT).
  acknowledge = [
    { rule = "CROSS_ACCOUNT", reason = "the application account reads the data lake" },
  ]
}
