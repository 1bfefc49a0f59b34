/**
 * ecr-docker-push (after Gruntwork's terraform-aws-ci `modules/iam-policies/ecr-docker-push`), as a pure
 * function: check whether an image tag already exists in the named ECR repositories, and push a new
 * image to them. Never create or delete a repository, never delete an image, never change a repository's
 * policy or settings.
 *
 * Actions (each name, its access level and its resource type checked against iam-data by `validatePolicy`):
 * - `ecr:GetAuthorizationToken` on `*`: `docker login` needs it before any push or pull, and it supports no
 *   resource-level permission (no resource type in the Service Authorization Reference, "Actions, resources,
 *   and condition keys for Amazon Elastic Container Registry",
 *   https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html).
 * - the push, on the repository ARNs only: `ecr:BatchCheckLayerAvailability`, `ecr:InitiateLayerUpload`,
 *   `ecr:UploadLayerPart`, `ecr:CompleteLayerUpload`, `ecr:PutImage` and `ecr:BatchGetImage`, the list in
 *   the ECR user guide's "IAM permissions for pushing an image to an Amazon ECR private repository"
 *   (https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-push-iam.html), which scopes them to the
 *   repository's full ARN;
 * - the tag look-up, on the repository ARNs only: `ecr:DescribeImages` (`aws ecr describe-images
 *   --image-ids imageTag=<tag>`, API_DescribeImages in the ECR API reference) and `ecr:BatchGetImage`
 *   (`aws ecr batch-get-image`, or a registry manifest request from `docker manifest inspect`), which the
 *   push list above already holds.
 */
import { type PolicyDocument, policyDocument } from '../core/policy-document';
import { many, type StatementTable, tableStatements } from '../private/policy-statements';
import { shape, shapeFindings } from '../core/input-shape';
import { throwIfAny } from '../core/policy-error';
import { type PolicyDestination, validatePolicy } from '../core/validate-policy';
import { namedArnListFindings, type NamedResourceKind } from './private/named-resource-arns';

export interface EcrDockerPushProps {
  /**
   * ARNs of the ECR repositories images are pushed to, e.g.
   * `arn:aws:ecr:eu-west-1:123456123456:repository/web`. One repository each: no wildcard.
   */
  readonly repositoryArns: readonly string[];
}

/** The JavaScript types of `EcrDockerPushProps`, checked first (and, with `CiPolicyProps`, all `EcrDockerPushPolicy` takes). */
export const ECR_DOCKER_PUSH_FIELDS = { repositoryArns: shape.list(shape.string()) };

/** The Sids, in the order the statements appear. */
export const ECR_DOCKER_PUSH_SIDS = ['EcrAuthorize', 'EcrPushImage'] as const;

/** The actions granted on the named repositories (the policy renders them in reverse order). */
export const ECR_PUSH_ACTIONS = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:BatchGetImage',
  'ecr:CompleteLayerUpload',
  'ecr:DescribeImages',
  'ecr:InitiateLayerUpload',
  'ecr:PutImage',
  'ecr:UploadLayerPart',
] as const;

/**
 * The statements, written once: `ecrDockerPushPolicy` renders them with the props' values, the Terraform
 * module (terraform-modules.ts) with its variables.
 */
export const ECR_DOCKER_PUSH_STATEMENTS: StatementTable<'repositoryArns'> = [
  { sid: 'EcrAuthorize', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] },
  { sid: 'EcrPushImage', actions: ECR_PUSH_ACTIONS, resources: [many('repositoryArns')] },
];

const REPOSITORY: NamedResourceKind = {
  service: 'ecr',
  resourceType: 'repository',
  what: 'ECR repository',
  example: 'arn:aws:ecr:eu-west-1:123456123456:repository/web',
  regional: true,
};

/**
 * The least-privilege policy to check for and push images to `props.repositoryArns`, validated for
 * `destination`. Throws a `PolicyValidationError` naming each bad input.
 */
export function ecrDockerPushPolicy(props: EcrDockerPushProps, destination: PolicyDestination = { context: 'ecrDockerPushPolicy', kind: 'identity' }): PolicyDocument {
  throwIfAny(destination.context, shapeFindings(props, shape.object(ECR_DOCKER_PUSH_FIELDS), ''));
  throwIfAny(destination.context, namedArnListFindings('repositoryArns', props.repositoryArns, REPOSITORY));
  const doc = policyDocument({ statements: tableStatements(ECR_DOCKER_PUSH_STATEMENTS, { repositoryArns: props.repositoryArns }) });
  validatePolicy(doc, destination.context, { kind: destination.kind, sizeLimit: destination.sizeLimit, ...(destination.sizeFix !== undefined && { sizeFix: destination.sizeFix }) });
  return doc;
}
