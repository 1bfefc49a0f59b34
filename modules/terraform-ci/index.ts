// Terraform in CI: a plan role and an apply role for one repository's workflows. `githubTerraformTrusts` is
// pure (no cdktf); `GitHubTerraformRoles` turns it into two roles with their state and permissions policies.
export { type ApplyTrust, type GitHubRepository, githubTerraformTrusts, type GitHubTerraformTrustsProps, type PlanTrust } from './github-terraform-trusts';
export { GitHubTerraformRoles, type GitHubTerraformRolesProps, STATE_POLICY_NAME, type TerraformRolePermissions, type TerraformStateBackend } from './github-terraform-roles';
