// Least-privilege policies for CI jobs, after Gruntwork's terraform-aws-ci iam-policies modules.
// The pure functions (one file each) build and check the documents; the *-policy constructs turn them
// into managed policies through CiPolicy.
export { CiPolicy, type CiPolicyModule, type CiPolicyProps } from './ci-policy';
export { terraformRemoteStateS3Policy, type TerraformRemoteStateS3PolicyProps } from './terraform-remote-state-s3';
export { TerraformRemoteStateS3Policy, type TerraformRemoteStateS3PolicyConstructProps } from './terraform-remote-state-s3-policy';
export { terragruntPolicy, type TerragruntPolicyProps } from './terragrunt';
export { TerragruntPolicy, type TerragruntPolicyConstructProps } from './terragrunt-policy';
export { ecrDockerPushPolicy, ECR_DOCKER_PUSH_SIDS, ECR_PUSH_ACTIONS, type EcrDockerPushProps } from './ecr-docker-push';
export { EcrDockerPushPolicy, type EcrDockerPushPolicyProps } from './ecr-docker-push-policy';
export { ecsServiceDeploymentPolicy, ECS_SERVICE_DEPLOYMENT_SIDS, ECS_TASKS_SERVICE_PRINCIPAL, type EcsServiceDeploymentProps } from './ecs-service-deployment';
export { EcsServiceDeploymentPolicy, type EcsServiceDeploymentPolicyProps } from './ecs-service-deployment-policy';
