/**
 * Decides `sts:AssumeRoleWithWebIdentity` requests with @cloud-copilot/iam-simulate (AGPL-3.0-or-later: a
 * devDependency, used by tests only): a trust policy is the role's resource policy, the request's principal
 * is the IAM OIDC provider the token came through (the `Federated` principal), and the token's claims are
 * the request's context, keyed as STS exposes them (`<provider>:<claim>`, e.g.
 * `token.actions.githubusercontent.com:sub`).
 *
 * Why the claim keys are renamed. iam-simulate accepts only the context keys iam-data lists for the action,
 * and it silently ignores the others (it reports them in `ignoredContextKeys` and evaluates the policy as if
 * the key were absent). iam-data lists some providers' claims for `sts:AssumeRoleWithWebIdentity`
 * (`gitlab.com:project_id`, `token.actions.githubusercontent.com:repository_id`, …), but not the ones every
 * trust policy depends on: GitHub's `aud` and `sub`, `gitlab.com:sub`, `app.terraform.io:sub`, Bitbucket's
 * and Buildkite's `aud` and `sub`. A condition on an ignored key then sees no value, so every token would be
 * denied and a test that expects "denied" would pass for the wrong reason.
 *
 * So every provider claim key `K` is renamed `aws:PrincipalTag/K`, in the policy's conditions and in the
 * request's context alike. `aws:PrincipalTag/${TagKey}` is a global single-valued `String` key the simulator
 * evaluates with the same operator semantics as any `String` key: StringEquals and StringLike are
 * case-sensitive on the value, StringLike reads `*` and `?` as wildcards, a missing key makes them false,
 * `ForAllValues:` is true when the key is absent. Every claim a preset conditions on is a `String` key in
 * iam-data (or unlisted, and a JWT string claim), so the renamed request is decided as STS decides the real
 * one. The tag key's own rules (length, characters) do not matter: the renamed key exists only here.
 *
 * A provider claim key is one whose part before the first `:` holds a `.`: a provider is an issuer's host
 * and path (`gitlab.com`, `oidc.circleci.com/org/<id>`), while AWS's own key prefixes are service names
 * (`aws`, `sts`). What this relies on is checked on every request, and the request fails rather than
 * passing quietly: no context key may be ignored, the overall result must be one of Allowed,
 * ImplicitlyDenied and ExplicitlyDenied, a renamed key must not collide (case-insensitively, as IAM reads
 * key names) with another key of the same condition block or context, and a renamed key may appear only
 * under a String operator or `Null`.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { PolicyDocument } from '../../modules/core';

/** The account the role, and the OIDC providers it trusts, are in. */
export const WEB_IDENTITY_ACCOUNT = '123456789012';
export const WEB_IDENTITY_ROLE_ARN = `arn:aws:iam::${WEB_IDENTITY_ACCOUNT}:role/ci-deploy`;

/** One `sts:AssumeRoleWithWebIdentity` request. */
export interface WebIdentityRequest {
  /** ARN of the IAM OIDC provider the token came through, e.g. `arn:aws:iam::123456789012:oidc-provider/gitlab.com`. */
  readonly principal: string;
  /** The token's claims as condition keys: `<provider>:<claim>` → value. */
  readonly context: Readonly<Record<string, string>>;
}

/** What the simulator said. */
export interface WebIdentityDecision {
  readonly allowed: boolean;
  readonly overallResult: string;
  readonly ignoredContextKeys: readonly string[];
}

const RENAMED_PREFIX = 'aws:PrincipalTag/';
const DECISIONS = new Set(['Allowed', 'ImplicitlyDenied', 'ExplicitlyDenied']);
const STRING_OPERATOR = /^(?:(?:ForAllValues|ForAnyValue):)?String(?:Not)?(?:Equals|Like)(?:IgnoreCase)?(?:IfExists)?$|^Null$/;

let decided = 0;

/** How many requests this worker has decided with `mayAssumeRoleWithWebIdentity`. */
export function webIdentityDecisions(): number {
  return decided;
}

/** Whether `key` is an OIDC provider's claim key (`<provider>:<claim>`, the provider holding a `.`). */
export function isProviderClaimKey(key: string): boolean {
  const colon = key.indexOf(':');
  return colon > 0 && key.slice(0, colon).includes('.');
}

/** The key the simulator evaluates in place of `key`: `aws:PrincipalTag/<key>` for a provider claim key, else `key`. */
export function simulatedKey(key: string): string {
  return isProviderClaimKey(key) ? `${RENAMED_PREFIX}${key}` : key;
}

/** Renames the keys of one map (a condition block or the context), failing on a collision. */
function renameKeys<T>(map: Readonly<Record<string, T>>, where: string): Record<string, T> {
  const renamed: Record<string, T> = {};
  const seen = new Map<string, string>();
  for (const [key, value] of Object.entries(map)) {
    const to = simulatedKey(key);
    const folded = to.toLowerCase();
    const before = seen.get(folded);
    if (before !== undefined) throw new Error(`renaming claim keys: ${key} (as ${to}) collides with ${before} in ${where}`);
    seen.set(folded, key);
    renamed[to] = value;
  }
  return renamed;
}

/** `policy` with every provider claim key renamed (see the file comment). */
export function renamedPolicy(policy: PolicyDocument): Record<string, unknown> {
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  return {
    ...policy,
    Statement: statements.map((statement, i) => {
      if (statement.Condition === undefined) return statement;
      const condition: Record<string, Record<string, unknown>> = {};
      for (const [operator, block] of Object.entries(statement.Condition as Record<string, Record<string, unknown>>)) {
        const keys = Object.keys(block);
        if (keys.some(isProviderClaimKey) && !STRING_OPERATOR.test(operator)) {
          throw new Error(`renaming claim keys: Statement[${i}] tests ${keys.join(', ')} with ${operator}; aws:PrincipalTag keys are Strings, so only String operators and Null keep their meaning`);
        }
        condition[operator] = renameKeys(block, `Statement[${i}].Condition.${operator}`);
      }
      return { ...statement, Condition: condition };
    }),
  };
}

/** `context` with every provider claim key renamed; every value must be one string (a claim, or a tag, is single-valued). */
export function renamedContext(context: Readonly<Record<string, string>>): Record<string, string> {
  for (const [key, value] of Object.entries(context)) {
    if (typeof value !== 'string') throw new Error(`renaming claim keys: ${key} is ${JSON.stringify(value)}, not one string`);
  }
  return renameKeys(context, 'the request context');
}

/** The simulator's raw decision for `request` against `trust`, as given: no renaming, no checks. */
export async function simulateWebIdentity(trust: PolicyDocument | Record<string, unknown>, request: WebIdentityRequest): Promise<WebIdentityDecision> {
  const result = (await runSimulation(
    {
      request: {
        principal: request.principal,
        action: 'sts:AssumeRoleWithWebIdentity',
        resource: { resource: WEB_IDENTITY_ROLE_ARN, accountId: WEB_IDENTITY_ACCOUNT },
        contextVariables: { ...request.context },
      },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: trust as unknown as Record<string, unknown>,
    } as Parameters<typeof runSimulation>[0],
    {},
  )) as { resultType?: string; overallResult?: string; result?: { ignoredContextKeys?: string[] }; errors?: unknown };
  if (result.resultType !== 'single' || result.overallResult === undefined) {
    throw new Error(`the simulator did not decide the request: ${JSON.stringify(result).slice(0, 800)}`);
  }
  return { allowed: result.overallResult === 'Allowed', overallResult: result.overallResult, ignoredContextKeys: result.result?.ignoredContextKeys ?? [] };
}

/**
 * Whether `trust` lets the token of `request` assume the role, with the claim keys renamed (see the file
 * comment). Throws when the simulator ignored a context key, decided something other than allowed or
 * denied, or a renamed key collides.
 */
export async function mayAssumeRoleWithWebIdentity(trust: PolicyDocument, request: WebIdentityRequest): Promise<boolean> {
  decided++;
  const decision = await simulateWebIdentity(renamedPolicy(trust), { principal: request.principal, context: renamedContext(request.context) });
  if (decision.ignoredContextKeys.length > 0) {
    throw new Error(`the simulator ignored the context keys ${decision.ignoredContextKeys.join(', ')}: a condition on them would see no value`);
  }
  if (!DECISIONS.has(decision.overallResult)) throw new Error(`the simulator decided ${decision.overallResult}, neither allowed nor denied`);
  return decision.allowed;
}
