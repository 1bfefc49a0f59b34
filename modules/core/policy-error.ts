import { constructName } from './input-shape';
import { type AcknowledgeableFinding, isAcknowledgeable, needsReason, type RuleId } from './rules';

export type { AcknowledgeableFinding, AdmissionRule, ErrorRule, RuleId } from './rules';

/**
 * A finding the caller accepts: the rule's id alone (`'WILDCARD_RESOURCE'`), or the rule with the reason it
 * is accepted. The who-gets-in rules (`ANY_PRINCIPAL`, `CROSS_ACCOUNT`, the OIDC and Cognito rules) take the
 * second form only; the reason is written next to the resource and shown in the access report.
 */
export type Acknowledgement = AcknowledgeableFinding | AcknowledgementWithReason;

export interface AcknowledgementWithReason {
  /** The rule accepted. */
  readonly rule: AcknowledgeableFinding;
  /** Why: shown to reviewers next to what it lets in. */
  readonly reason: string;
}

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
  /**
   * The finding's stable rule id, when it has one (`RULES`). Only a rule that `isAcknowledgeable` may be
   * accepted in `acknowledge`.
   */
  readonly code?: RuleId;
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
  const lines = findings.map((f) => `- ${f.field}: ${describeValue(f.value)}: ${f.problem}. Fix: ${f.fix}${ruleNote(f.code, f.fix)}`);
  const count = findings.length === 1 ? '1 problem' : `${findings.length} problems`;
  return `${context}: ${count}\n${lines.join('\n')}`;
}

function ruleNote(code: RuleId | undefined, fix: string): string {
  if (code === undefined) return '';
  // A fix that already says how to accept the rule (naming the construct's own field, `acceptedIn`) is not
  // followed by a second, generic way.
  if (!isAcknowledgeable(code) || fix.includes(`'${code}'`)) return ` [${code}]`;
  if (needsReason(code)) return ` (or accept it with a reason: acknowledge { rule: '${code}', reason: '…' }) [${code}]`;
  return ` (or accept it by adding '${code}' to acknowledge)`;
}

/** The value as JSON, or its type where JSON has none (`undefined`, a function, a cycle). */
function describeValue(value: unknown): string {
  // A construct by its class and path: its JSON would be its whole tree, or a cycle.
  const construct = constructName(value);
  if (construct !== undefined) return `(${construct})`;
  try {
    const text = JSON.stringify(value);
    if (text !== undefined) return text;
  } catch {
    // a cycle or a BigInt: named by type below
  }
  return value === undefined ? 'undefined' : `(${typeof value})`;
}

/** Throws a `PolicyValidationError` when `findings` is not empty. */
export function throwIfAny(context: string, findings: readonly Finding[]): void {
  if (findings.length > 0) throw new PolicyValidationError(context, findings);
}
