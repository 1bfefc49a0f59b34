/**
 * Findings a caller may accept by naming them in `acknowledge`. Everything else validation finds is an
 * error that cannot be waived, because it makes the policy invalid or makes it grant something other
 * than it says.
 */
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
  | 'SERVICE_PRINCIPAL_UNSCOPED';

/** One problem with a policy or with the input it was built from. */
export interface Finding {
  /** Where: a field of the input (`canApply[0].key`) or of the document (`Statement[1].Resource[0]`). */
  readonly field: string;
  /** The offending value, as given. */
  readonly value: unknown;
  /** What is wrong with it. */
  readonly problem: string;
  /** What to do instead. */
  readonly fix: string;
  /** Set when the caller may accept this finding by naming the code. */
  readonly code?: AcknowledgeableFinding;
}

/**
 * Bad input or a bad policy. The message lists every finding, each with its field, value and fix, after
 * the name of what was being built (a construct path, or a function name).
 */
export class PolicyValidationError extends Error {
  constructor(
    readonly context: string,
    readonly findings: readonly Finding[],
  ) {
    super(formatFindings(context, findings));
    this.name = 'PolicyValidationError';
  }

  /** The same findings, reported from a more specific place (a construct's path). */
  withContext(context: string): PolicyValidationError {
    return new PolicyValidationError(context, this.findings);
  }
}

function formatFindings(context: string, findings: readonly Finding[]): string {
  const lines = findings.map(
    (f) =>
      `- ${f.field}: ${JSON.stringify(f.value)}: ${f.problem}. Fix: ${f.fix}` +
      (f.code ? ` (or accept it by adding '${f.code}' to acknowledge)` : ''),
  );
  const count = findings.length === 1 ? '1 problem' : `${findings.length} problems`;
  return `${context}: ${count}\n${lines.join('\n')}`;
}

/** Throws a `PolicyValidationError` when `findings` is not empty. */
export function throwIfAny(context: string, findings: readonly Finding[]): void {
  if (findings.length > 0) throw new PolicyValidationError(context, findings);
}
