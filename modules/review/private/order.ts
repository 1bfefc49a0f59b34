import type { SubjectKind } from '../stack-iam';

/**
 * The order of the review's subjects, by kind, in the report, the diff and the stack reader alike: the
 * principals, then the resource policies, then what the review does not model (`unreviewed`), last.
 */
export const SUBJECT_KIND_ORDER: readonly SubjectKind[] = ['role', 'user', 'group', 'managed-policy', 'bucket-policy', 'service-control-policy', 'unreviewed'];

/** Orders two subject kinds as `SUBJECT_KIND_ORDER` lists them. */
export function compareSubjectKinds(a: SubjectKind, b: SubjectKind): number {
  return SUBJECT_KIND_ORDER.indexOf(a) - SUBJECT_KIND_ORDER.indexOf(b);
}
