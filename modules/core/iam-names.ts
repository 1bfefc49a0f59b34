import { IAM_NAME_LIMITS, iamName, isIamPath } from './iam-identifiers';
import type { Finding } from './policy-error';

/**
 * Findings for the names and paths of IAM entities, whose patterns and lengths are `iam-identifiers.ts`'s
 * (IAM API reference, CreateRole, CreatePolicy: `RoleName`, `PolicyName` and `Path`).
 */

export { IAM_NAME_LIMITS } from './iam-identifiers';

const NAME_LABELS: { readonly [K in keyof typeof IAM_NAME_LIMITS]: string } = {
  role: 'role',
  policy: 'policy',
  rolePolicy: 'policy',
  user: 'user',
  group: 'group',
  instanceProfile: 'instance profile',
};

/** Findings for the name of an IAM entity of `kind`. */
export function iamNameFindings(field: string, name: string, kind: keyof typeof IAM_NAME_LIMITS): Finding[] {
  const max = IAM_NAME_LIMITS[kind];
  if (typeof name !== 'string' || !iamName(kind).test(name)) {
    return [
      {
        field,
        value: name,
        problem: `an IAM ${NAME_LABELS[kind]} name is 1 to ${max} characters of letters, digits and +=,.@_-`,
        fix: 'rename it within those characters',
      },
    ];
  }
  return [];
}

/** Findings for an IAM path. */
export function iamPathFindings(field: string, path: string | undefined): Finding[] {
  if (path === undefined) return [];
  if (!isIamPath(path)) {
    return [{ field, value: path, problem: 'an IAM path starts and ends with "/" and holds printable ASCII only', fix: 'write it like "/ci/" or "/"' }];
  }
  return [];
}
