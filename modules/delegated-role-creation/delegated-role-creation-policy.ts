import type { Construct } from 'constructs';
import { ManagedPolicy, type ManagedPolicyProps } from '../private/managed-policy';
import { rejectReferences } from '../private/references';
import { DELEGATED_ROLE_CREATION_FIELDS, delegatedRoleCreationPolicy, type DelegatedRoleCreationProps } from './delegated-role-creation';

export interface DelegatedRoleCreationPolicyProps extends DelegatedRoleCreationProps, ManagedPolicyProps {}

/**
 * `delegatedRoleCreationPolicy` as a customer managed policy (default name `delegated-role-creation`),
 * attached to the roles, users and groups given (the pipeline's role), with the outputs `json`, `arn` and
 * `name`. Every input that ends up in the policy must be written out: a reference could not be checked.
 */
export class DelegatedRoleCreationPolicy extends ManagedPolicy {
  constructor(scope: Construct, id: string, props: DelegatedRoleCreationPolicyProps) {
    super(scope, id, props, {
      defaultName: 'delegated-role-creation',
      description: 'Create and manage IAM roles, policies and instance profiles under delegated paths, only with the permissions boundary attached.',
      fields: DELEGATED_ROLE_CREATION_FIELDS,
      document: (destination) => {
        rejectReferences(destination.context, {
          account: props.account,
          rolePath: props.rolePath,
          policyPath: props.policyPath,
          instanceProfilePath: props.instanceProfilePath,
          permissionsBoundaryArn: props.permissionsBoundaryArn,
          passedToServices: props.passedToServices,
          serviceLinkedRoleServices: props.serviceLinkedRoleServices,
        });
        return delegatedRoleCreationPolicy(props, destination);
      },
    });
  }
}
