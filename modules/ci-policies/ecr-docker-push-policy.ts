import type { Construct } from 'constructs';
import { CiPolicy, type CiPolicyProps } from './ci-policy';
import { ECR_DOCKER_PUSH_FIELDS, ecrDockerPushPolicy, type EcrDockerPushProps } from './ecr-docker-push';
import { rejectReferences } from '../private/references';

export interface EcrDockerPushPolicyProps extends EcrDockerPushProps, CiPolicyProps {}

/**
 * `ecrDockerPushPolicy` as a customer managed policy (default name `ecr-docker-push`), attached to the
 * roles, users and groups given, with the outputs `json`, `arn` and `name`.
 */
export class EcrDockerPushPolicy extends CiPolicy {
  constructor(scope: Construct, id: string, props: EcrDockerPushPolicyProps) {
    super(scope, id, props, {
      defaultName: 'ecr-docker-push',
      description: 'Check whether an image tag exists in the named ECR repositories and push new images to them.',
      fields: ECR_DOCKER_PUSH_FIELDS,
      document: (destination) => {
        rejectReferences(destination.context, { repositoryArns: props.repositoryArns });
        return ecrDockerPushPolicy(props, destination);
      },
    });
  }
}
