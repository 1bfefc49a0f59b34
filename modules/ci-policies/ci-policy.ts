import type { Construct } from 'constructs';
import { ManagedPolicy, type ManagedPolicyModule, type ManagedPolicyProps } from '../private/managed-policy';

/**
 * What every CI policy construct takes, after Gruntwork's iam-policies modules: name, path, description,
 * `createResources`, `attachToRoles/Users/Groups`, `maxPolicies`, `outputPrefix` (each described on
 * `ManagedPolicyProps`, the shared managed policy's props, in modules/private/managed-policy.ts).
 */
export interface CiPolicyProps extends ManagedPolicyProps {}

/** What a module passes to `CiPolicy`: its own defaults and how to build its document. */
export interface CiPolicyModule extends ManagedPolicyModule {}

/**
 * A CI policy as a customer managed policy, attached where asked, and, with an `outputPrefix`, the outputs
 * Gruntwork's modules have (`json` always; `arn` and `name` when created). The modules' constructs extend
 * this one. Pass it where a managed policy is taken (`Role`'s `managedPolicyArns`): every part is attached.
 * Everything it does is the shared `ManagedPolicy`'s (modules/private/managed-policy.ts).
 */
export class CiPolicy extends ManagedPolicy {
  constructor(scope: Construct, id: string, props: CiPolicyProps, module: CiPolicyModule) {
    super(scope, id, props, module);
  }
}
