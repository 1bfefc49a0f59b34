import type { PolicyDocument } from './policy-document';

/**
 * Where a policy goes. Grammar, size and the checks that apply depend on it.
 * Sizes from the IAM quotas page (docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html),
 * the Organizations quotas page (docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html),
 * the S3 user guide (bucket policies: 20 KB) and the KMS developer guide (key policies: 32 KB).
 */
export type PolicyKind = 'role-inline' | 'user-inline' | 'group-inline' | 'managed' | 'identity' | 'trust' | 'service-control' | 'resource-control' | 's3-bucket' | 'kms-key';

/** How a kind's size is measured. */
export type SizeUnit =
  /** Characters of the minified JSON: IAM ignores white space when it counts. */
  | 'characters'
  /** Characters as saved, white space included (Organizations counts what was sent). */
  | 'characters-as-saved'
  /** UTF-8 bytes. */
  | 'bytes';

export interface PolicySizeLimit {
  /** The largest size allowed. */
  readonly limit: number;
  readonly unit: SizeUnit;
  /** What the limit applies to, for error messages. */
  readonly appliesTo: string;
}

/**
 * The default size limits. Quotas change (the SCP limit doubled in May 2026): callers pass their own
 * limit where theirs differs, rather than editing a literal somewhere else.
 */
export const POLICY_SIZE_LIMITS: { readonly [K in PolicyKind]: PolicySizeLimit } = {
  'role-inline': { limit: 10_240, unit: 'characters', appliesTo: 'the inline policies of one role, summed' },
  'user-inline': { limit: 2_048, unit: 'characters', appliesTo: 'the inline policies of one user, summed' },
  'group-inline': { limit: 5_120, unit: 'characters', appliesTo: 'the inline policies of one group, summed' },
  managed: { limit: 6_144, unit: 'characters', appliesTo: 'a customer managed policy' },
  // The largest any identity policy may be: a role's inline policies. Used where the destination is not known.
  identity: { limit: 10_240, unit: 'characters', appliesTo: 'any identity policy (the role inline limit)' },
  trust: { limit: 2_048, unit: 'characters', appliesTo: 'a role trust policy (default quota; adjustable to 8,192)' },
  'service-control': { limit: 10_240, unit: 'characters-as-saved', appliesTo: 'a service control policy' },
  'resource-control': { limit: 5_120, unit: 'characters-as-saved', appliesTo: 'a resource control policy' },
  's3-bucket': { limit: 20_480, unit: 'bytes', appliesTo: 'an S3 bucket policy' },
  'kms-key': { limit: 32_768, unit: 'bytes', appliesTo: 'a KMS key policy' },
};

/** Kinds attached to an IAM identity: no Principal, and a Resource or NotResource in every statement. */
export const IDENTITY_POLICY_KINDS: ReadonlySet<PolicyKind> = new Set<PolicyKind>(['role-inline', 'user-inline', 'group-inline', 'managed', 'identity']);

/**
 * The size of `doc` as `unit` counts it. Documents are saved as their minified JSON (the constructs write
 * `JSON.stringify(doc)`), so "as saved" is that text too.
 */
export function policySize(doc: PolicyDocument, unit: SizeUnit): number {
  return textSize(JSON.stringify(doc), unit);
}

/** The size of a policy's saved JSON `text` as `unit` counts it. */
export function textSize(text: string, unit: SizeUnit): number {
  return unit === 'bytes' ? Buffer.byteLength(text, 'utf8') : text.length;
}
