import { arnResourceTypes, parseArn } from '../../core/arn';
import type { Finding } from '../../core/policy-error';

/**
 * Findings for a list of ARNs that must each name one resource of `type` (as the Service Authorization
 * Reference names resource types: `bucket`, `table`, …) of `service`. A wildcard is refused: these lists
 * name what may be used, and a pattern would grant what nobody named.
 */
export function checkArnsOfType(
  field: string,
  arns: readonly string[],
  service: string,
  type: string,
  example: string,
  required: boolean,
): Finding[] {
  if (arns.length === 0) {
    return required ? [{ field, value: arns, problem: 'the list is empty: the policy would grant nothing', fix: `name at least one, e.g. ${example}` }] : [];
  }
  const findings: Finding[] = [];
  arns.forEach((arn, i) => {
    const at = `${field}[${i}]`;
    const parsed = parseArn(arn);
    if (parsed === undefined || parsed.service !== service || !arnResourceTypes(arn).includes(type)) {
      findings.push({ field: at, value: arn, problem: `not the ARN of a ${service} ${type}`, fix: `write it like ${example}` });
    } else if (/[*?]/.test(arn)) {
      findings.push({ field: at, value: arn, problem: 'a wildcard grants every resource it matches, not one', fix: 'name each resource' });
    }
  });
  const seen = new Set<string>();
  arns.forEach((arn, i) => {
    if (seen.has(arn)) findings.push({ field: `${field}[${i}]`, value: arn, problem: 'listed twice', fix: 'list it once' });
    seen.add(arn);
  });
  return findings;
}
