import type { Construct } from 'constructs';
import { CiPolicy, type CiPolicyProps } from './ci-policy';
import { ECS_SERVICE_DEPLOYMENT_FIELDS, ecsServiceDeploymentPolicy, type EcsServiceDeploymentProps } from './ecs-service-deployment';
import { rejectReferences } from '../private/references';

export interface EcsServiceDeploymentPolicyProps extends EcsServiceDeploymentProps, CiPolicyProps {}

/**
 * `ecsServiceDeploymentPolicy` as a customer managed policy (default name `ecs-service-deployment`),
 * attached to the roles, users and groups given, with the outputs `json`, `arn` and `name`.
 */
export class EcsServiceDeploymentPolicy extends CiPolicy {
  constructor(scope: Construct, id: string, props: EcsServiceDeploymentPolicyProps) {
    super(scope, id, props, {
      defaultName: 'ecs-service-deployment',
      description: 'Deploy new task definition revisions to the named existing ECS services.',
      fields: ECS_SERVICE_DEPLOYMENT_FIELDS,
      document: (destination) => {
        rejectReferences(destination.context, {
          serviceArns: props.serviceArns,
          taskDefinitionFamilies: props.taskDefinitionFamilies,
          passRoleArns: props.passRoleArns,
          clusterArn: props.clusterArn,
        });
        return ecsServiceDeploymentPolicy(props, destination);
      },
    });
  }
}
