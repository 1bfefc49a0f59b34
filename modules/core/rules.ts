/**
 * The stable rule ids of the findings a caller may need to name: in `acknowledge`, in a review, in a
 * search of the logs. An id never changes meaning; a rule that is dropped keeps its id unused.
 *
 * Three kinds of rule:
 * - risks a caller may accept by naming the rule (`acknowledge: ['WILDCARD_RESOURCE']`);
 * - risks that decide who may use a role or a resource at all ("who gets in"): accepted only with a reason,
 *   `acknowledge: [{ rule: 'CROSS_ACCOUNT', reason: 'the CI account deploys here' }]`, and the reason is
 *   written next to the resource for the access report;
 * - errors that cannot be accepted: the policy would not do what it says.
 */

/** Rules a caller may accept by naming them in `acknowledge`. */
export type AcknowledgeableFinding =
  /** `*` or `service:*` in `Action`. */
  | 'WILDCARD_ACTION'
  /** `Resource: "*"` for an action that supports resource-level permissions. */
  | 'WILDCARD_RESOURCE'
  /** `iam:PassRole` on `*`, or without an `iam:PassedToService` condition. */
  | 'PASS_ROLE_UNSCOPED'
  /** `Allow` with `NotAction`, `NotResource` or `NotPrincipal`: grants everything not listed. */
  | 'ALLOW_WITH_NOT'
  /** `ForAllValues:` on a key with no `Null` guard: true when the request carries no such key. */
  | 'FOR_ALL_VALUES_UNGUARDED'
  /** A service principal in a trust or resource policy without `aws:SourceArn` or `aws:SourceAccount`. */
  | 'SERVICE_PRINCIPAL_UNSCOPED'
  | AdmissionRule;

/**
 * "Who gets in": an Allow that admits principals nobody may have meant. Accepted only with a reason.
 */
export type AdmissionRule =
  /** `Principal: "*"`, `{"AWS": "*"}` or `NotPrincipal` in an Allow, with no condition pinning an organization, account or source. */
  | 'ANY_PRINCIPAL'
  /** A web identity (OIDC) principal whose tokens are not pinned to an audience (`<provider>:aud`). */
  | 'OIDC_AUDIENCE_UNPINNED'
  /** A web identity principal whose tokens are not pinned to a subject (`<provider>:sub` or a claim naming the repository, project or pipeline). */
  | 'OIDC_SUBJECT_UNPINNED'
  /** A subject pattern that admits any owner: another organization's repositories, projects or workspaces. */
  | 'OIDC_SUBJECT_ANY_OWNER'
  /** A Cognito identity pool principal without `cognito-identity.amazonaws.com:aud` and `amr` conditions. */
  | 'COGNITO_UNPINNED'
  /** A principal in another account than the role's or the resource's, or in an account not known to be its. */
  | 'CROSS_ACCOUNT'
  /** A trust policy given as a reference, known only at apply: who it lets in cannot be checked at synth. */
  | 'REFERENCE_UNCHECKED';

/** Rules that are always errors: accepting them would leave a policy that does not do what it says. */
export type ErrorRule =
  /** A wildcard inside a principal's name or ARN: IAM matches principals exactly, or `*` for all. */
  | 'PRINCIPAL_WILDCARD'
  /** `ForAllValues:` on a token claim, which holds one value: true when the token lacks the claim. */
  | 'OIDC_CLAIM_FOR_ALL_VALUES'
  /** An input of the wrong JavaScript type (a string where a list is expected, props missing), or a prop the construct does not take. */
  | 'INPUT_TYPE'
  /** An `acknowledge` entry that names no acknowledgeable rule, or a who-gets-in rule without a reason. */
  | 'ACKNOWLEDGEMENT_INVALID'
  /**
   * Two resources of a stack or an app writing the same name where IAM keeps one: a role, user, group,
   * managed policy or instance profile of an account, an inline policy of a principal, a bucket's policy.
   */
  | 'IAM_NAME_COLLISION'
  /**
   * An AWS managed policy ARN that names no policy AWS offers today: misspelt, on the wrong path, or
   * deprecated (a deprecated policy can no longer be attached to a new principal).
   */
  | 'AWS_MANAGED_POLICY_UNKNOWN';

export type RuleId = AcknowledgeableFinding | ErrorRule;

export interface RuleDefinition {
  /** One line: what the rule finds. */
  readonly finds: string;
  /** `none`: an error; `name`: accepted by naming it; `reason`: accepted only with a reason. */
  readonly accepted: 'none' | 'name' | 'reason';
}

/** Every rule, in the order the README's Errors section lists them. */
export const RULES: { readonly [R in RuleId]: RuleDefinition } = {
  ANY_PRINCIPAL: {
    finds: 'an Allow for `Principal: "*"`, `{"AWS": "*"}` or `NotPrincipal`, with no condition pinning an organization, account, source account or source ARN to fixed values',
    accepted: 'reason',
  },
  OIDC_AUDIENCE_UNPINNED: { finds: 'a web identity (OIDC) principal with no fixed `<provider>:aud` condition: tokens minted for any audience', accepted: 'reason' },
  OIDC_SUBJECT_UNPINNED: {
    finds: 'a web identity principal with no `<provider>:sub` condition (or one of wildcards only), and no claim naming the repository, project or pipeline',
    accepted: 'reason',
  },
  OIDC_SUBJECT_ANY_OWNER: {
    finds: "a subject pattern with a wildcard before the owner's end (`repo:*`, `repo:*/…`, `*:*`, `organization:*`) and no claim pinning the owner: any organization's tokens",
    accepted: 'reason',
  },
  COGNITO_UNPINNED: {
    finds: 'a `cognito-identity.amazonaws.com` principal without `cognito-identity.amazonaws.com:aud` (the identity pool) and `amr` (authenticated or not) conditions',
    accepted: 'reason',
  },
  CROSS_ACCOUNT: { finds: "a principal of another account than the role's or the resource's, or of an account when that one is not given", accepted: 'reason' },
  REFERENCE_UNCHECKED: {
    finds: "a trust policy given as a reference (an `aws_iam_policy_document`'s `json`), known only at apply: who it lets in cannot be checked at synth, nor read by the access report",
    accepted: 'reason',
  },
  WILDCARD_ACTION: { finds: '`*` or `service:*` in `Action`', accepted: 'name' },
  WILDCARD_RESOURCE: { finds: '`Resource: "*"` for an action that supports resource-level permissions', accepted: 'name' },
  PASS_ROLE_UNSCOPED: { finds: '`iam:PassRole` on `*`, or without an `iam:PassedToService` condition', accepted: 'name' },
  ALLOW_WITH_NOT: { finds: '`Allow` with `NotAction`, `NotResource` or `NotPrincipal`', accepted: 'name' },
  FOR_ALL_VALUES_UNGUARDED: { finds: '`ForAllValues:` on a multivalued key with no `Null` guard: true when the request has no such key', accepted: 'name' },
  SERVICE_PRINCIPAL_UNSCOPED: { finds: 'a service principal without `aws:SourceArn` or `aws:SourceAccount` (confused deputy)', accepted: 'name' },
  PRINCIPAL_WILDCARD: { finds: 'a wildcard inside a principal (`arn:aws:iam::*:root`): IAM takes `*` alone or exact principals', accepted: 'none' },
  OIDC_CLAIM_FOR_ALL_VALUES: { finds: '`ForAllValues:` on a token claim: true when the token has no such claim', accepted: 'none' },
  INPUT_TYPE: { finds: 'an input of the wrong type (a string where a list is expected, missing props), or a prop the construct does not take', accepted: 'none' },
  ACKNOWLEDGEMENT_INVALID: { finds: 'an `acknowledge` entry naming no acknowledgeable rule, or a who-gets-in rule without a reason', accepted: 'none' },
  IAM_NAME_COLLISION: {
    finds:
      'two resources of one stack, or of two stacks in one account, writing the same role, user, group, managed policy or instance profile name, OIDC provider URL, organization policy name (within its type), inline policy name on one principal, or policy of one bucket',
    accepted: 'none',
  },
  AWS_MANAGED_POLICY_UNKNOWN: {
    finds: "an AWS managed policy ARN (`arn:aws:iam::aws:policy/…`) that names none of AWS's current managed policies: misspelt, on the wrong path, or deprecated",
    accepted: 'none',
  },
};

/** Whether a finding of `rule` may be accepted in `acknowledge`. */
export function isAcknowledgeable(rule: RuleId): rule is AcknowledgeableFinding {
  const definition: RuleDefinition | undefined = RULES[rule];
  return definition !== undefined && definition.accepted !== 'none';
}

/** Whether accepting `rule` takes a reason. */
export function needsReason(rule: RuleId): boolean {
  return RULES[rule]?.accepted === 'reason';
}
