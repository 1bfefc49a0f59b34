// Delegated role creation: a CI/CD pipeline may create roles only under its paths and only with the
// permissions boundary attached (Policy 4 of AWS's IAM policy types example). The pure function builds
// and checks the document; the construct turns it into a managed policy through ManagedPolicy
// (modules/private/managed-policy.ts), the CI policies' CiPolicy's base.
export {
  DELEGATED_ROLE_CREATION_SIDS,
  delegatedRoleCreationPolicy,
  delegatedRoleCreationStatements,
  type DelegatedRoleCreationProps,
  EXAMPLE_CORP_PIPELINE,
  exampleCorpPipelinePolicy,
  SERVICE_LINKED_ROLE_PATH,
} from './delegated-role-creation';
export { DelegatedRoleCreationPolicy, type DelegatedRoleCreationPolicyProps } from './delegated-role-creation-policy';
