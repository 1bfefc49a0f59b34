// Decides requests with @cloud-copilot/iam-simulate. AGPL-3.0-or-later: a devDependency, used by tests only.
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { PolicyDocument } from '../../modules/core';

export const SIMULATED_ACCOUNT = '123456789012';
export const SIMULATED_PRINCIPAL = `arn:aws:iam::${SIMULATED_ACCOUNT}:role/state-access`;

/** A request as IAM evaluates it. */
export interface SimulatedRequest {
  readonly action: string;
  readonly resource: string;
  readonly context: Readonly<Record<string, string | string[]>>;
}

/**
 * A KMS key is governed by its key policy first: IAM policies count only where it lets them. Every lab
 * key has the default key policy, which does ("Default key policy", AWS KMS developer guide:
 * the statement "Enable IAM User Permissions" gives the account's root principal kms:* on the key).
 */
const DEFAULT_KEY_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${SIMULATED_ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }],
};

let simulated = 0;

/** How many requests this worker has simulated so far. */
export function simulatedCount(): number {
  return simulated;
}

/** One request, as the simulator takes it: whose, which identity policies, and the resource's policy if any. */
export interface Decision {
  readonly principal: string;
  readonly account: string;
  readonly action: string;
  readonly resource: string;
  readonly context: Readonly<Record<string, string | string[]>>;
  readonly identityPolicies: readonly PolicyDocument[];
  readonly resourcePolicy?: unknown;
}

/**
 * Whether the simulator allows `decision`: IAM allows when an identity policy (or the resource policy)
 * allows and none denies. Throws when the simulator rejects the request itself (an unknown action or
 * context key). Every simulated decision of the tests goes through here.
 */
export async function decide(decision: Decision): Promise<boolean> {
  const result = (await runSimulation(
    {
      request: {
        principal: decision.principal,
        action: decision.action,
        resource: { resource: decision.resource, accountId: decision.account },
        contextVariables: { ...decision.context },
      },
      identityPolicies: decision.identityPolicies.map((policy, i) => ({ name: `policy-${i + 1}`, policy: policy as unknown as Record<string, unknown> })),
      ...(decision.resourcePolicy !== undefined && { resourcePolicy: decision.resourcePolicy }),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    } as Parameters<typeof runSimulation>[0],
    {},
  )) as { overallResult?: string };
  if (result.overallResult === undefined) {
    throw new Error(`the simulator rejected ${decision.action} on ${decision.resource}: ${JSON.stringify(result).slice(0, 500)}`);
  }
  return result.overallResult === 'Allowed';
}

/**
 * Whether `policy`, as the principal's only identity policy, allows `request` in the principal's own
 * account. Throws when the simulator rejects the request itself (an unknown action or context key).
 */
export async function isAllowed(policy: PolicyDocument, request: SimulatedRequest): Promise<boolean> {
  return isAllowedByPolicies([policy], request);
}

/**
 * Whether `policies`, together the principal's identity policies (its inline and managed policies), allow
 * `request` in the principal's own account: IAM allows when any of them allows and none denies. Throws as
 * `isAllowed` does.
 */
export async function isAllowedByPolicies(policies: readonly PolicyDocument[], request: SimulatedRequest): Promise<boolean> {
  simulated++;
  return decide({
    principal: SIMULATED_PRINCIPAL,
    account: SIMULATED_ACCOUNT,
    ...request,
    identityPolicies: policies,
    ...(request.action.startsWith('kms:') && { resourcePolicy: DEFAULT_KEY_POLICY }),
  });
}
