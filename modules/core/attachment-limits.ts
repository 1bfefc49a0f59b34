/** An IAM principal that managed policies are attached to. */
export type PrincipalType = 'role' | 'user' | 'group';

/**
 * Managed policies (AWS and customer managed together) that may be attached to one principal by default:
 * IAM user guide, "IAM and AWS STS quotas" (docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html),
 * "IAM object quotas": "Managed policies attached to an IAM role", "... IAM user" and "... IAM group", 10
 * each. The role and user quotas can be raised through Service Quotas: callers pass their own figure then.
 */
export const DEFAULT_MANAGED_POLICY_ATTACHMENTS: { readonly [P in PrincipalType]: number } = {
  role: 10,
  user: 10,
  group: 10,
};
