import { IAM_NAME_LIMITS, iamName } from '../../core/iam-identifiers';
import type { Finding } from '../../core/policy-error';

/**
 * User and group names, with a message that names the API (core/iam-identifiers.ts has the pattern and lengths).
 * From the IAM API reference: CreateUser `UserName` and CreateGroup `GroupName` are both
 * `[\w+=,.@-]+`, 1 to 64 characters for a user and 1 to 128 for a group; "IAM user, group, role, and
 * policy names must be unique within the account. Names are not distinguished by case." (CreateGroup).
 */
export const IAM_ENTITY_NAME_LIMITS = { user: IAM_NAME_LIMITS.user, group: IAM_NAME_LIMITS.group } as const;

/** Findings for an IAM user or group name. */
export function iamEntityNameFindings(field: string, name: string, kind: keyof typeof IAM_ENTITY_NAME_LIMITS): Finding[] {
  const max = IAM_ENTITY_NAME_LIMITS[kind];
  if (typeof name !== 'string' || !iamName(kind).test(name)) {
    return [
      {
        field,
        value: name,
        problem: `an IAM ${kind} name is 1 to ${max} characters of letters, digits and +=,.@_- (IAM API reference, Create${kind === 'user' ? 'User' : 'Group'})`,
        fix: 'rename it within those characters',
      },
    ];
  }
  return [];
}

/** Findings for names that IAM would take as the same one: names are not distinguished by case. */
export function duplicateNameFindings(field: string, names: readonly string[], what: string): Finding[] {
  const seen = new Map<string, number>();
  const findings: Finding[] = [];
  names.forEach((name, i) => {
    if (typeof name !== 'string') return;
    const key = name.toLowerCase();
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else {
      findings.push({
        field: `${field}[${i}]`,
        value: name,
        problem: `${field}[${first}] is ${JSON.stringify(names[first])}: IAM ${what} names are not distinguished by case, so both name one ${what}`,
        fix: 'list each once',
      });
    }
  });
  return findings;
}
