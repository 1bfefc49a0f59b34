// IAM roles: a typed trust policy (pure, no cdktf), the `Role` construct and the `InstanceProfile` construct.
export {
  buildTrustPolicy,
  type BuiltTrustPolicy,
  checkTrustPolicy,
  type TrustPolicyCaller,
  type TrustPolicyCheck,
  TRUST_POLICY_PROPS_SHAPE,
  oidcProvider,
  type OidcTrust,
  SERVICES_WITHOUT_SOURCE_KEYS,
  trustPolicy,
  trustPolicyFindings,
  type TrustPolicyProps,
} from './trust-policy';
export { type AwsManagedPolicy, DEFAULT_MANAGED_POLICIES_PER_ROLE, type InlinePolicy, MAX_SESSION_DURATION_RANGE, Role, type RoleProps } from './role';
export { InstanceProfile, type InstanceProfileProps } from './instance-profile';
export { OidcProvider, type OidcProviderProps } from './oidc-provider';
export * from './ci-identity';
// What inputs naming a role, user, group, managed policy or boundary take besides the name: the construct
// that creates it (this library's or the provider's), read through a reference Terraform follows.
export type {
  GroupReference,
  IGroupReference,
  IManagedPolicies,
  IRoleReference,
  IUserReference,
  ManagedPolicyReference,
  PermissionsBoundaryReference,
  RoleReference,
  UserReference,
} from '../private/references';
