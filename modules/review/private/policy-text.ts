/**
 * Checks on the policy text found in a stack: whether a string is a policy at all (for resource types
 * the review does not read), and whether a policy is one the grants model can read (a grammar check, not
 * `validatePolicy`: a stack's policies were validated when synthesized; this only makes sure nothing in
 * them would be silently misread).
 */

/** Whether `text` is the JSON of a policy document (an object with a `Statement`). */
export function looksLikePolicy(text: string): boolean {
  if (!text.includes('Statement')) return false;
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null && 'Statement' in parsed;
  } catch {
    return false;
  }
}

/** What keeps `value` from being a document the grants model reads, if anything. */
export function documentProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const statements = (value as { Statement?: unknown }).Statement;
  if (statements === undefined) return 'no Statement';
  const list = Array.isArray(statements) ? statements : [statements];
  for (let i = 0; i < list.length; i++) {
    const s = list[i] as Record<string, unknown>;
    const at = `Statement[${i}]`;
    if (typeof s !== 'object' || s === null || Array.isArray(s)) return `${at} is not an object`;
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') return `${at}.Effect is ${JSON.stringify(s.Effect)}, not Allow or Deny`;
    if ((s.Action === undefined) === (s.NotAction === undefined)) return `${at} needs exactly one of Action and NotAction`;
    if (s.Resource !== undefined && s.NotResource !== undefined) return `${at} has both Resource and NotResource`;
    if (s.Principal !== undefined && s.NotPrincipal !== undefined) return `${at} has both Principal and NotPrincipal`;
    for (const field of ['Action', 'NotAction', 'Resource', 'NotResource'] as const) {
      if (s[field] !== undefined && !isStringOrList(s[field])) return `${at}.${field} is not a string or a list of strings`;
    }
    for (const field of ['Principal', 'NotPrincipal'] as const) {
      const p = s[field];
      if (p === undefined || p === '*') continue;
      if (typeof p !== 'object' || p === null || Array.isArray(p) || !Object.values(p).every(isStringOrList)) return `${at}.${field} is not "*" or a map of principal lists`;
    }
    const condition = s.Condition;
    if (condition !== undefined) {
      if (typeof condition !== 'object' || condition === null || Array.isArray(condition)) return `${at}.Condition is not an object`;
      for (const keys of Object.values(condition)) {
        if (typeof keys !== 'object' || keys === null || Array.isArray(keys)) return `${at}.Condition holds an operator without keys`;
        for (const v of Object.values(keys)) {
          const values = Array.isArray(v) ? v : [v];
          if (!values.every((x) => ['string', 'boolean', 'number'].includes(typeof x))) return `${at}.Condition holds a value that is not a string, number or boolean`;
        }
      }
    }
  }
  return undefined;
}

function isStringOrList(value: unknown): boolean {
  return typeof value === 'string' || (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string'));
}
