/**
 * The role quotas `Role` and the `iam-role` Terraform module both check. Pure: no cdktf, so the module's
 * generator reads the same figures as the construct.
 */
import { DEFAULT_MANAGED_POLICY_ATTACHMENTS } from '../core/attachment-limits';

/**
 * Managed policies attached to one role, by default (IAM user guide, "IAM and AWS STS quotas", "Managed
 * policies attached to an IAM role"; AWS re:Post knowledge center "iam-increase-policy-size": the default
 * is 10, raised up to 20 through a Service Quotas request). Pass `maxManagedPolicies` when yours is raised.
 */
export const DEFAULT_MANAGED_POLICIES_PER_ROLE = DEFAULT_MANAGED_POLICY_ATTACHMENTS.role;

/**
 * `MaxSessionDuration` bounds, in seconds (IAM API reference, CreateRole and UpdateRole: "Valid Range:
 * Minimum value of 3600. Maximum value of 43200."). One hour is the default when it is not given.
 */
export const MAX_SESSION_DURATION_RANGE = { min: 3_600, max: 43_200 } as const;
