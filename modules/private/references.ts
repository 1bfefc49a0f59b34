import { Token } from 'cdktf';
import { type Finding, throwIfAny } from '../core/policy-error';

/** Input fields and their values: one value, a list, or nothing. */
export type FieldValues = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Findings for the values that are cdktf references (tokens) to another resource's attribute: they are
 * resolved only at apply time, so whatever is built from them (a policy, a checked name) cannot be built
 * or checked at synth. Lists are checked element by element, as `field[i]`.
 */
export function referenceFindings(values: FieldValues): Finding[] {
  const findings: Finding[] = [];
  const check = (field: string, value: unknown) => {
    if (typeof value === 'string' && Token.isUnresolved(value)) {
      findings.push({
        field,
        value,
        problem: 'is a reference resolved only at apply time, so it cannot be built on or checked at synth',
        fix: 'pass the literal value (the ARN, name or key written out)',
      });
    }
  };
  for (const [field, value] of Object.entries(values)) {
    if (Array.isArray(value)) value.forEach((v: unknown, i: number) => check(`${field}[${i}]`, v));
    else check(field, value);
  }
  return findings;
}

/** Throws, naming `context`, when any of `values` is a reference. */
export function rejectReferences(context: string, values: FieldValues): void {
  throwIfAny(context, referenceFindings(values));
}
