// Decides requests against the pipeline policy with @cloud-copilot/iam-simulate (a devDependency, tests
// only), returning the overall result so that a test can tell an explicit Deny from a missing Allow, and
// taking the permissions boundary of the principal where one applies.
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { PolicyDocument } from '../../../modules/core';

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

export interface Request {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, string | string[]>>;
  /** The principal's permissions boundary. @default - none */
  readonly boundary?: PolicyDocument | Record<string, unknown>;
}

export async function decide(identityPolicy: PolicyDocument | Record<string, unknown>, request: Request): Promise<Decision> {
  const account = request.principal.split(':')[4];
  const result = (await runSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: account },
        contextVariables: { ...(request.context ?? {}) },
      },
      identityPolicies: [{ name: 'identity', policy: identityPolicy as unknown as Record<string, unknown> }],
      ...(request.boundary !== undefined && { permissionBoundaryPolicies: [{ name: 'boundary', policy: request.boundary as unknown as Record<string, unknown> }] }),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    } as Parameters<typeof runSimulation>[0],
    {},
  )) as { overallResult?: Decision };
  if (result.overallResult === undefined) {
    throw new Error(`the simulator rejected ${request.action} on ${request.resource}: ${JSON.stringify(result).slice(0, 600)}`);
  }
  return result.overallResult;
}
