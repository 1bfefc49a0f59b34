/**
 * The one table of resource types: each type the review knows, with its reader (its access read into
 * subjects, or compared by content) or why it carries no access. A type on the read list is read because
 * the list *is* this table: the stack reader looks every resource's type up here and runs what it finds.
 * A type that is not here is an unreviewed resource: any change to it (added, removed, changed) is an
 * unreviewed access change, reported as widening.
 */
import {
  attachmentReader,
  inlinePolicyReader,
  readBucket,
  readBucketPolicy,
  readGroup,
  readGroupMembership,
  readInstanceProfile,
  readManagedPolicy,
  readOidcProvider,
  readOrganizationsPolicy,
  readOrganizationsPolicyAttachment,
  readPolicyAttachment,
  readRole,
  readUser,
  readUserGroupMembership,
} from './iam-readers';
import type { ReadContext, Resource } from './read-context';

/** A type whose resources a reader reads. */
export interface ReadType {
  readonly classification: 'read';
  /** What is read from it. */
  readonly reads: string;
  /** The arguments read, or known to carry no access. */
  readonly arguments: readonly string[];
  /**
   * An argument not in `arguments`: `refuse` fails the read (naming it: it could grant what the report
   * would not show); `unreviewed` makes the resource an unreviewed one, compared by content.
   */
  readonly otherArguments: 'refuse' | 'unreviewed';
  readonly read: (resource: Resource, ctx: ReadContext) => void;
}

/** A type known to carry no access: no policy, grant, principal, permission or ACL of any kind. */
export interface NoAccessType {
  readonly classification: 'no-access';
  /** Why it carries none. */
  readonly why: string;
}

export type TypeClassification = ReadType | NoAccessType;

const iam = (reads: string, args: readonly string[], read: ReadType['read']): ReadType => ({ classification: 'read', reads, arguments: args, otherArguments: 'refuse', read });
const noAccess = (why: string): NoAccessType => ({ classification: 'no-access', why });

/**
 * Every resource type the review classifies. The `no-access` entries are checked by a test against
 * `@cdktf/provider-aws` (each a resource type of the AWS provider, none with an argument named like a
 * policy, grant, principal, permission, ACL, role, key or secret).
 */
export const RESOURCE_TYPES: Readonly<Record<string, TypeClassification>> = {
  // IAM principals and their policies: read into subjects and grants.
  aws_iam_group: iam('a group: its name and path', ['name', 'path'], readGroup),
  aws_iam_group_membership: iam('users in one group (exclusive)', ['name', 'group', 'users'], readGroupMembership),
  aws_iam_group_policy: iam("a group's inline policy", ['name', 'group', 'policy'], inlinePolicyReader('group')),
  aws_iam_group_policy_attachment: iam('a managed policy attached to a group', ['group', 'policy_arn'], attachmentReader('group')),
  aws_iam_instance_profile: iam('the role behind an instance profile', ['name', 'path', 'role', 'tags'], readInstanceProfile),
  aws_iam_openid_connect_provider: iam('an OIDC provider: compared by content (its audiences and servers)', ['url', 'client_id_list', 'thumbprint_list', 'tags'], readOidcProvider),
  aws_iam_policy: iam('a customer managed policy: name, path, tags, document', ['name', 'path', 'description', 'policy', 'tags'], readManagedPolicy),
  aws_iam_policy_attachment: iam('a managed policy attached to roles, users and groups (exclusive)', ['name', 'users', 'roles', 'groups', 'policy_arn'], readPolicyAttachment),
  aws_iam_role: iam(
    'a role: name, path, tags, trust policy, permissions boundary',
    ['name', 'path', 'assume_role_policy', 'permissions_boundary', 'description', 'max_session_duration', 'force_detach_policies', 'tags'],
    readRole,
  ),
  aws_iam_role_policy: iam("a role's inline policy", ['name', 'role', 'policy'], inlinePolicyReader('role')),
  aws_iam_role_policy_attachment: iam('a managed policy attached to a role', ['role', 'policy_arn'], attachmentReader('role')),
  aws_iam_user: iam('a user: name, path, tags, permissions boundary', ['name', 'path', 'permissions_boundary', 'force_destroy', 'tags'], readUser),
  aws_iam_user_group_membership: iam('one user in groups', ['user', 'groups'], readUserGroupMembership),
  aws_iam_user_policy: iam("a user's inline policy", ['name', 'user', 'policy'], inlinePolicyReader('user')),
  aws_iam_user_policy_attachment: iam('a managed policy attached to a user', ['user', 'policy_arn'], attachmentReader('user')),
  // Organizations: service control policies read; other policy types compared by content.
  aws_organizations_policy: iam('a service control policy (other policy types: compared by content)', ['name', 'description', 'type', 'content', 'tags', 'skip_destroy'], readOrganizationsPolicy),
  aws_organizations_policy_attachment: iam("an SCP's target", ['policy_id', 'target_id', 'skip_destroy'], readOrganizationsPolicyAttachment),
  // S3: bucket policies read; a bucket's name read, its access-bearing arguments compared by content.
  aws_s3_bucket_policy: iam('a bucket policy', ['bucket', 'policy', 'region'], readBucketPolicy),
  aws_s3_bucket: {
    classification: 'read',
    reads: "a bucket's name (for the bucket policies that name it); any other argument (policy, acl, grant, encryption, replication, logging, versioning, …) makes it an unreviewed resource",
    arguments: ['bucket', 'bucket_prefix', 'force_destroy', 'object_lock_enabled', 'tags', 'region'],
    otherArguments: 'unreviewed',
    read: readBucket,
  },

  // Known to carry no access. Each holds configuration that decides no principal's permissions: no policy,
  // grant, principal, ACL, key or credential. Who may read or change it is decided by IAM policies, read above.
  aws_budgets_budget: noAccess('a cost budget: amounts, filters and whom to notify of spending'),
  aws_ce_anomaly_monitor: noAccess('a Cost Explorer anomaly monitor: which spending to watch'),
  aws_cloudwatch_composite_alarm: noAccess("an alarm combining other alarms' states; its actions are CloudWatch's, which grant nobody anything"),
  aws_cloudwatch_dashboard: noAccess('a dashboard: the layout of metric widgets'),
  aws_cloudwatch_log_metric_filter: noAccess('a filter that turns log events of a log group into metric values'),
  aws_cloudwatch_log_stream: noAccess('a named stream in a log group'),
  aws_cloudwatch_metric_alarm: noAccess("an alarm on a metric's threshold; its actions are CloudWatch's, which grant nobody anything"),
  aws_cloudwatch_query_definition: noAccess('a saved CloudWatch Logs Insights query'),
  aws_resourcegroups_group: noAccess('a resource group: a saved query over resources by type and tag'),
  aws_route53_health_check: noAccess('a health check probing an endpoint'),
  aws_servicequotas_service_quota: noAccess('a service quota value requested'),
  aws_synthetics_group: noAccess('a named group of CloudWatch Synthetics canaries'),
  aws_xray_sampling_rule: noAccess('an X-Ray sampling rule: which requests are traced'),
};

/** The resource types whose access is read (`read`), in order. */
export const READ_TYPES: readonly string[] = Object.keys(RESOURCE_TYPES)
  .filter((t) => RESOURCE_TYPES[t].classification === 'read')
  .sort();

/** The resource types known to carry no access, in order. */
export const NO_ACCESS_TYPES: readonly string[] = Object.keys(RESOURCE_TYPES)
  .filter((t) => RESOURCE_TYPES[t].classification === 'no-access')
  .sort();

/** Terraform meta-arguments that change nothing a policy grants (`count` and `for_each` do: see the reader). */
export const META_ARGUMENTS: readonly string[] = ['//', 'provider', 'depends_on', 'lifecycle'];
