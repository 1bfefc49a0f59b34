# Gruntwork's ecs-service-deployment policy: deploy new revisions of the task definition family "web" to the
# service "web" of the cluster "main", passing its task and execution roles to ECS tasks. It needs no
# provider: `terraform init && terraform apply` prints the policy.

module "ecs_deploy" {
  source = "../../terraform-modules/ecs-service-deployment-policy"

  service_arns             = ["arn:aws:ecs:eu-west-1:123456123456:service/main/web"]
  task_definition_families = ["web"]
  pass_role_arns = [
    "arn:aws:iam::123456123456:role/web-task",
    "arn:aws:iam::123456123456:role/web-execution",
  ]
  cluster_arn = "arn:aws:ecs:eu-west-1:123456123456:cluster/main"
}

output "policy_json" {
  value = module.ecs_deploy.json
}
