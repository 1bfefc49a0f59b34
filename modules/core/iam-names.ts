import type { Finding } from './policy-error';

/**
 * Names and paths of IAM entities, from the IAM API reference (CreateRole, CreatePolicy: `RoleName`,
 * `PolicyName` and `Path` patterns and lengths).
 */

// RoleName, PolicyName, UserName, GroupName, InstanceProfileName: [\w+=,.@-]+, 1 to 64 characters
// (roles, users) or 128 (policies, groups, instance profiles): CreateRole, CreatePolicy, CreateUser,
// CreateGroup and CreateInstanceProfile in the IAM API reference.
const ENTITY_NAME = /^[\w+=,.@-]+$/;
// Path: "/" alone, or "/" + printable ASCII (U+0021 to U+007E) + "/", 1 to 512 characters.
const ENTITY_PATH = /^(\/|\/[\u0021-\u007e]+\/)$/;

export const IAM_NAME_LIMITS = { role: 64, policy: 128, rolePolicy: 128, user: 64, group: 128, instanceProfile: 128 } as const;

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
  if (typeof name !== 'string' || name.length === 0 || name.length > max || !ENTITY_NAME.test(name)) {
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
  if (typeof path !== 'string' || path.length > 512 || !ENTITY_PATH.test(path)) {
    return [{ field, value: path, problem: 'an IAM path starts and ends with "/" and holds printable ASCII only', fix: 'write it like "/ci/" or "/"' }];
  }
  return [];
}
