import { Token } from 'cdktf';
import { type Finding, throwIfAny } from '../../core/policy-error';

/**
 * The policies name resources by their ARNs, so those must be known at synth: a reference to another
 * resource's attribute (a token) is resolved only at apply time and can be neither checked nor rendered.
 * `values` maps each input field to its value or list of values.
 */
export function rejectReferences(context: string, values: Readonly<Record<string, string | readonly string[] | undefined>>): void {
  const findings: Finding[] = [];
  const check = (field: string, value: unknown) => {
    if (typeof value === 'string' && Token.isUnresolved(value)) {
      findings.push({
        field,
        value,
        problem: 'is a reference resolved only at apply time, so the policy cannot be built or checked at synth',
        fix: 'pass the literal value (the ARN or name written out)',
      });
    }
  };
  for (const [field, value] of Object.entries(values)) {
    if (Array.isArray(value)) value.forEach((v: unknown, i: number) => check(`${field}[${i}]`, v));
    else check(field, value);
  }
  throwIfAny(context, findings);
}
