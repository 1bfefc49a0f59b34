/**
 * Risky grants, flagged for a reviewer. Flags describe what a grant allows, not how it is written, so a
 * policy and its rewrite (a wildcard replaced by its expansion) carry the same flags; the two that follow
 * the writing, `NOT_ACTION` and `NOT_RESOURCE`, are flagged because such a statement keeps granting every
 * action or resource AWS adds later. Denies are never flagged: a broad deny takes away.
 */
import { ACCOUNT_ID, PARTITION } from '../core/iam-identifiers';
import type { Grant } from './grants';
import { hasPatternWildcard } from './private/wildcards';
import { categoryFlags } from './escalation/categories';

export type RiskFlag =
  /** An action of the "Permissions management" access level: it changes who may do what. */
  | 'PERMISSIONS_MANAGEMENT'
  /** `iam:PassRole`: hands a role's permissions to a service. */
  | 'PASS_ROLE'
  /** Every action of every service. */
  | 'ANY_ACTION'
  /** Every action of one service. */
  | 'SERVICE_WILDCARD'
  /** `Resource: "*"` for an action that supports resource-level permissions. */
  | 'ANY_RESOURCE'
  /** A wildcard inside a resource ARN. */
  | 'RESOURCE_WILDCARD'
  /** An Allow written with `NotAction`. */
  | 'NOT_ACTION'
  /** An Allow written with `NotResource`. */
  | 'NOT_RESOURCE'
  /** A trust or resource policy grant for `*`, anyone. */
  | 'ANY_PRINCIPAL'
  /** An Allow written with `NotPrincipal`. */
  | 'NOT_PRINCIPAL'
  /** An action iam-data does not list: its access level is unknown. */
  | 'UNKNOWN_ACTION'
  /** A policy whose content is not in the stack (an AWS managed policy, a policy by ARN): not expanded. */
  | 'NOT_EXPANDED'
  /** A policy over the size IAM allows where it is attached: applying it would fail. */
  | 'OVER_SIZE_LIMIT'
  /** A principal of another account, or of an account the policy's own is not known to be. */
  | 'CROSS_ACCOUNT'
  /** A web identity principal whose tokens are not pinned to an audience. */
  | 'OIDC_AUDIENCE_UNPINNED'
  /** A web identity principal whose tokens are not pinned to a subject. */
  | 'OIDC_SUBJECT_UNPINNED'
  /** A web identity subject pattern that admits any owner. */
  | 'OIDC_SUBJECT_ANY_OWNER'
  /** A Cognito identity pool trust without `aud` and `amr` conditions. */
  | 'COGNITO_UNPINNED'
  /** A finding of who gets in that no construct was told to accept. */
  | 'NOT_ACKNOWLEDGED'
  // Categories (escalation/): paths and grants a reviewer must see whatever their access level.
  /** The principal's grants complete a known privilege-escalation path (`escalation/catalog.ts`). */
  | 'ESCALATION_PATH'
  /** Makes or resets a credential of another identity (an access key, a console password, …). */
  | 'CREDENTIALS_EXPOSURE'
  /** Shares data outside the account, or reads every object, secret, parameter or item of a kind. */
  | 'DATA_EXFILTRATION'
  /** A Deny taken away (in the diff): what it denied may now be allowed. */
  | 'DENY_REMOVED';

/** The order flags are listed in. */
export const RISK_FLAGS: readonly RiskFlag[] = [
  'ANY_ACTION',
  'SERVICE_WILDCARD',
  'NOT_ACTION',
  'ESCALATION_PATH',
  'PERMISSIONS_MANAGEMENT',
  'PASS_ROLE',
  'CREDENTIALS_EXPOSURE',
  'DATA_EXFILTRATION',
  'DENY_REMOVED',
  'ANY_RESOURCE',
  'NOT_RESOURCE',
  'RESOURCE_WILDCARD',
  'ANY_PRINCIPAL',
  'NOT_PRINCIPAL',
  'CROSS_ACCOUNT',
  'OIDC_AUDIENCE_UNPINNED',
  'OIDC_SUBJECT_UNPINNED',
  'OIDC_SUBJECT_ANY_OWNER',
  'COGNITO_UNPINNED',
  'NOT_ACKNOWLEDGED',
  'UNKNOWN_ACTION',
  'NOT_EXPANDED',
  'OVER_SIZE_LIMIT',
];

/** What each flag means, for the report's legend. */
export const RISK_FLAG_MEANINGS: { readonly [F in RiskFlag]: string } = {
  ANY_ACTION: 'every action of every service',
  SERVICE_WILDCARD: 'every action of the service',
  NOT_ACTION: 'an Allow with NotAction: also every action AWS adds later',
  PERMISSIONS_MANAGEMENT: 'a permissions-management action: changes who may do what',
  PASS_ROLE: 'iam:PassRole: hands a role to a service',
  ANY_RESOURCE: 'Resource "*" for an action that supports resource-level permissions',
  NOT_RESOURCE: 'an Allow with NotResource: also every resource created later',
  RESOURCE_WILDCARD: 'a wildcard in the resource ARN',
  ANY_PRINCIPAL: 'Principal "*": anyone',
  NOT_PRINCIPAL: 'an Allow with NotPrincipal: everyone else',
  UNKNOWN_ACTION: 'an action iam-data does not list',
  NOT_EXPANDED: "the policy's content is not in the stack, so it is not expanded",
  OVER_SIZE_LIMIT: 'over the size IAM allows: applying it fails',
  CROSS_ACCOUNT: "a principal of another account than the role's or the bucket's, or of an account when that one is not known",
  OIDC_AUDIENCE_UNPINNED: 'web identity tokens of any audience get in',
  OIDC_SUBJECT_UNPINNED: 'web identity tokens of any repository, project or pipeline get in',
  OIDC_SUBJECT_ANY_OWNER: "web identity tokens of any owner's repositories get in",
  COGNITO_UNPINNED: 'identities of any Cognito identity pool, or guests, get in',
  NOT_ACKNOWLEDGED: 'a finding of who gets in that no construct was told to accept: see "Who gets in"',
  ESCALATION_PATH: 'its grants complete a known privilege-escalation path: see "Privilege-escalation paths"',
  CREDENTIALS_EXPOSURE: "makes or resets another identity's credentials (access key, console password, …)",
  DATA_EXFILTRATION: 'shares data outside the account, or reads every object, secret, parameter or item of a kind',
  DENY_REMOVED: 'a Deny taken away: what it denied may now be allowed',
};

/** The flags of one grant (whole-service flags are given to groups of grants: see `serviceFlags`). */
export function grantFlags(grant: Grant): RiskFlag[] {
  if (grant.effect !== 'Allow') return [];
  const flags = new Set<RiskFlag>();
  if (grant.action.accessLevel === 'Permissions management') flags.add('PERMISSIONS_MANAGEMENT');
  if (grant.action.id === 'iam:passrole') flags.add('PASS_ROLE');
  if (!grant.action.known) flags.add('UNKNOWN_ACTION');
  if (grant.origin.notAction) flags.add('NOT_ACTION');
  const resource = grant.resource;
  if (resource.kind === 'not') flags.add('NOT_RESOURCE');
  if (resource.kind === 'pattern') {
    if (/^\*+$/.test(resource.pattern)) {
      if (grant.action.resourceLevel) flags.add('ANY_RESOURCE');
    } else if (hasPatternWildcard(resource.pattern) && !isLogGroupArnWithStreams(resource.pattern)) flags.add('RESOURCE_WILDCARD');
  }
  if (grant.principal?.kind === 'any' || (grant.principal?.kind === 'id' && grant.principal.id === '*')) flags.add('ANY_PRINCIPAL');
  if (grant.principal?.kind === 'not') flags.add('NOT_PRINCIPAL');
  for (const flag of categoryFlags(grant)) flags.add(flag);
  return sortFlags(flags);
}

// Partition and account as core/iam-identifiers.ts writes them.
const LOG_GROUP_ARN_WITH_STREAMS = new RegExp(`^arn:${PARTITION.js}:logs:[a-z0-9-]+:${ACCOUNT_ID.js}:log-group:[A-Za-z0-9_\\-/.#]{1,512}:\\*$`);

/**
 * A CloudWatch Logs log group's ARN in the form AWS documents for IAM policies, `arn:aws:logs:<region>:
 * <account>:log-group:<name>:*`, every part literal. "Overview of managing access permissions to your
 * CloudWatch Logs resources" (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/iam-access-control-overview-cwl.html)
 * gives the log group's ARN both without and with the trailing `:*`, and says to use the second "when
 * specifying permissions in IAM policies for all other API actions" (all but the tagging ones). Its `*`
 * is no wildcard over log groups: a log group's name has only `a-z A-Z 0-9 _ - / . #` (CreateLogGroup,
 * CloudWatch Logs API reference), never a colon, so the pattern matches that one log group's ARN and its
 * log streams' (`…:log-group:<name>:log-stream:<stream>`, iam-data's `log-stream` resource type) and
 * nothing else. Anything else (a wildcard in the name, the region or the account; `:log-stream:*`; another
 * service) is flagged as before.
 */
export function isLogGroupArnWithStreams(pattern: string): boolean {
  return LOG_GROUP_ARN_WITH_STREAMS.test(pattern);
}

/** Flags in the order of `RISK_FLAGS`, each once. */
export function sortFlags(flags: Iterable<RiskFlag>): RiskFlag[] {
  const set = new Set(flags);
  return RISK_FLAGS.filter((f) => set.has(f));
}
