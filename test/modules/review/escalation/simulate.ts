// Decides a request of a given principal with @cloud-copilot/iam-simulate (AGPL-3.0-or-later, a devDependency,
// tests only): the escalation tests need a user as well as a role, and a trust policy for sts:AssumeRole.
import type { PolicyDocument } from '../../../../modules/core';
import { decide, SIMULATED_ACCOUNT } from '../../../support/simulator';

export const ACCOUNT = SIMULATED_ACCOUNT;

/** A request as IAM evaluates it. */
export interface Request {
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, string | string[]>>;
}

/**
 * Whether `policy`, as `principal`'s only identity policy, allows `request` in the principal's account.
 * A user's requests carry `aws:username`. An `sts:AssumeRole` is checked against a trust policy that admits
 * the account (a role trusting its account's root leaves the decision to the caller's identity policy).
 * Throws when the simulator rejects the request itself (an unknown action or context key).
 */
export async function allows(principal: string, policy: PolicyDocument, request: Request): Promise<boolean> {
  const user = /:user\/(?:.*\/)?([^/]+)$/.exec(principal)?.[1];
  return decide({
    principal,
    account: ACCOUNT,
    action: request.action,
    resource: request.resource,
    context: { ...(user !== undefined && { 'aws:username': user }), ...(request.context ?? {}) },
    identityPolicies: [policy],
    ...(request.action.toLowerCase() === 'sts:assumerole' && {
      resourcePolicy: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }],
      },
    }),
  });
}
