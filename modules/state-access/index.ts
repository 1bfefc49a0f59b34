// Least-privilege access to Terraform state in S3.
// `statePermissionsPolicy` and its types are pure (no cdktf); the two constructs turn them into resources.
export { statePermissionsPolicy, STATE_POLICY_ACKNOWLEDGED, STATE_POLICY_SIDS, type StateAccessGrant, type StatePermissionsProps } from './state-permissions';
export { StatePermissionsPolicy, type StatePermissionsPolicyProps } from './state-permissions-policy';
export { StateAccessRole, type StateAccessRoleProps } from './state-access-role';
