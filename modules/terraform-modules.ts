/**
 * Every Terraform module `npm run modules` writes under `terraform-modules/`, with the generator that is
 * its one source of truth. Pure: no cdktf, no file system; the script writes the files, the tests read
 * the same list.
 */
import { ECR_DOCKER_PUSH_POLICY_MODULE_DIR, ecrDockerPushPolicyModuleFiles } from './ci-policies/terraform-ecr-docker-push-policy';
import { ECS_SERVICE_DEPLOYMENT_POLICY_MODULE_DIR, ecsServiceDeploymentPolicyModuleFiles } from './ci-policies/terraform-ecs-service-deployment-policy';
import { TERRAGRUNT_POLICY_MODULE_DIR, terragruntPolicyModuleFiles } from './ci-policies/terraform-terragrunt-policy';
import { PERMISSIONS_POLICY_MODULE_DIR, permissionsPolicyModuleFiles } from './state-access/terraform-permissions-policy';
import { STATE_ACCESS_ROLE_MODULE_DIR, stateAccessRoleModuleFiles } from './state-access/terraform-state-access-role';
import { JETS_DEPLOY_POLICY_MODULE_DIR, jetsDeployPolicyModuleFiles } from './deploy-group/terraform-jets-deploy-policy';
import { DELEGATED_ROLE_CREATION_POLICY_MODULE_DIR, delegatedRoleCreationPolicyModuleFiles } from './delegated-role-creation/terraform-delegated-role-creation-policy';
import { TRUST_POLICY_MODULE_DIR, trustPolicyModuleFiles } from './iam-role/terraform-trust-policy';
import { IAM_ROLE_MODULE_DIR, iamRoleModuleFiles } from './iam-role/terraform-iam-role';
import { JETS_DEPLOY_GROUP_MODULE_DIR, jetsDeployGroupModuleFiles } from './deploy-group/terraform-jets-deploy-group';
import { PERMISSIONS_BOUNDARY_MODULE_DIR, permissionsBoundaryModuleFiles } from './policy-types/terraform-permissions-boundary';
import { S3_BUCKET_POLICY_MODULE_DIR, s3BucketPolicyModuleFiles } from './policy-types/terraform-s3-bucket-policy';
import { SERVICE_CONTROL_POLICY_MODULE_DIR, serviceControlPolicyModuleFiles } from './policy-types/terraform-service-control-policy';
import { MANAGED_POLICY_MODULE_DIR, managedPolicyModuleFiles } from './ci-policies/terraform-managed-policy';
import { POLICY_ADMISSION_MODULE_DIR, policyAdmissionModuleFiles } from './private/terraform-policy-admission';
import { AWS_MANAGED_POLICIES_MODULE_DIR, awsManagedPoliciesModuleFiles } from './private/terraform-aws-managed-policies';
import { hclModuleFiles } from './private/terraform-hcl';

/** One generated module: its folder, relative to the project root, and its files by path. */
export interface GeneratedTerraformModule {
  readonly dir: string;
  readonly files: Record<string, string>;
}

/**
 * Every generated module, in a stable order, as committed: HCL `.tf` files written from the configuration each
 * generator composes in Terraform's JSON syntax (private/terraform-hcl.ts), and its README.
 */
export function generatedTerraformModules(): GeneratedTerraformModule[] {
  return terraformModuleConfigurations().map(({ dir, files }) => ({ dir, files: hclModuleFiles(files) }));
}

/**
 * Every generated module as its generator composes it: the configuration in Terraform's JSON syntax
 * (`*.tf.json`), the form the tests read a module's blocks from.
 */
export function terraformModuleConfigurations(): GeneratedTerraformModule[] {
  return [
    { dir: PERMISSIONS_POLICY_MODULE_DIR, files: permissionsPolicyModuleFiles() },
    { dir: STATE_ACCESS_ROLE_MODULE_DIR, files: stateAccessRoleModuleFiles() },
    { dir: ECR_DOCKER_PUSH_POLICY_MODULE_DIR, files: ecrDockerPushPolicyModuleFiles() },
    { dir: ECS_SERVICE_DEPLOYMENT_POLICY_MODULE_DIR, files: ecsServiceDeploymentPolicyModuleFiles() },
    { dir: TERRAGRUNT_POLICY_MODULE_DIR, files: terragruntPolicyModuleFiles() },
    { dir: JETS_DEPLOY_POLICY_MODULE_DIR, files: jetsDeployPolicyModuleFiles() },
    { dir: DELEGATED_ROLE_CREATION_POLICY_MODULE_DIR, files: delegatedRoleCreationPolicyModuleFiles() },
    { dir: POLICY_ADMISSION_MODULE_DIR, files: policyAdmissionModuleFiles() },
    { dir: TRUST_POLICY_MODULE_DIR, files: trustPolicyModuleFiles() },
    { dir: IAM_ROLE_MODULE_DIR, files: iamRoleModuleFiles() },
    { dir: JETS_DEPLOY_GROUP_MODULE_DIR, files: jetsDeployGroupModuleFiles() },
    { dir: SERVICE_CONTROL_POLICY_MODULE_DIR, files: serviceControlPolicyModuleFiles() },
    { dir: PERMISSIONS_BOUNDARY_MODULE_DIR, files: permissionsBoundaryModuleFiles() },
    { dir: S3_BUCKET_POLICY_MODULE_DIR, files: s3BucketPolicyModuleFiles() },
    { dir: MANAGED_POLICY_MODULE_DIR, files: managedPolicyModuleFiles() },
    { dir: AWS_MANAGED_POLICIES_MODULE_DIR, files: awsManagedPoliciesModuleFiles() },
  ];
}
