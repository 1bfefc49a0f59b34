/**
 * A subject's grants, by the part of IAM's evaluation they take in: what its policies allow and deny,
 * who may assume it (a role's trust policy), and what bounds it (a permissions boundary). Policies whose
 * content is not in the stack are kept by ARN (`unexpanded`).
 */
import { documentGrants, type Grant } from './grants';
import type { AppliedPolicy, Subject } from './stack-iam';

/** The grants of one subject. */
export interface SubjectGrants {
  /** Its identity policies' grants; a resource policy's or an SCP's own. */
  readonly permissions: readonly Grant[];
  /** Its trust policy's grants (roles). */
  readonly trust: readonly Grant[];
  /** Its boundary, when it has one. */
  readonly boundary?: BoundaryGrants;
  /** ARNs of policies that apply to it but whose content is not in the stack, sorted. */
  readonly unexpanded: readonly string[];
}

/** A permissions boundary: its grants, or its ARN when its content is not in the stack. */
export interface BoundaryGrants {
  readonly policy: string;
  readonly grants: readonly Grant[];
  /** Set when the boundary's content is not in the stack. */
  readonly arn?: string;
}

/** Works out the grants of `subject`. */
export function subjectGrants(subject: Subject): SubjectGrants {
  const permissions: Grant[] = [];
  const unexpanded: string[] = [];
  for (const policy of subject.policies) {
    if (policy.document !== undefined) {
      // A loop, not push(...): a `*` policy alone is 22,000 grants per resource, past any argument limit.
      for (const grant of documentGrants(policy.document, { policy: policy.label, resourceless: 'any' })) permissions.push(grant);
    } else if (policy.arn !== undefined) unexpanded.push(policy.arn);
  }
  const trust = subject.trustPolicy?.document === undefined ? [] : documentGrants(subject.trustPolicy.document, { policy: 'trust policy', resourceless: 'self' });
  return {
    permissions,
    trust,
    ...(subject.boundary !== undefined && { boundary: boundaryGrants(subject.boundary) }),
    unexpanded: [...new Set(unexpanded)].sort(),
  };
}

function boundaryGrants(policy: AppliedPolicy): BoundaryGrants {
  if (policy.document === undefined) return { policy: policy.label, grants: [], ...(policy.arn !== undefined && { arn: policy.arn }) };
  return { policy: policy.label, grants: documentGrants(policy.document, { policy: `boundary ${policy.label}`, resourceless: 'any' }) };
}
