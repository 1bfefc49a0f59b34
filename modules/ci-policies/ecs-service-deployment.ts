/**
 * ecs-service-deployment (after Gruntwork's terraform-aws-ci `modules/iam-policies/ecs-service-deployment`),
 * as a pure function: deploy a new task definition revision to named, existing ECS services. Nothing that
 * creates or deletes a service, a cluster or a task definition family's other resources.
 *
 * Facts from iam-data (the Service Authorization Reference, "Actions, resources, and condition keys for
 * Amazon Elastic Container Service",
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html),
 * each checked again by `validatePolicy`:
 * - `ecs:RegisterTaskDefinition` requires the `task-definition` resource type
 *   (`arn:${Partition}:ecs:${Region}:${Account}:task-definition/${TaskDefinitionFamilyName}:${TaskDefinitionRevisionNumber}`),
 *   so it is granted on the named families only, any revision: ECS numbers each new revision of a family
 *   in sequence as it registers it (RegisterTaskDefinition and TaskDefinition.family, ECS API reference),
 *   so the revision a deployment registers is not known in advance.
 * - `ecs:DescribeTaskDefinition` has no resource type: it is granted only on `*`.
 * - `ecs:UpdateService` and `ecs:DescribeServices` require the `service` resource type
 *   (`arn:${Partition}:ecs:${Region}:${Account}:service/${ClusterName}/${ServiceName}`, the long ARN format)
 *   and both accept `ecs:cluster` ("Filters access by the ARN of an Amazon ECS cluster", type ARN): on
 *   UpdateService through its `service` resource type, on DescribeServices as an action key.
 * - `iam:PassRole` requires the `role` resource type and accepts `iam:PassedToService` (String). ECS tasks
 *   take their task and execution roles as the service principal `ecs-tasks.amazonaws.com` (ECS developer
 *   guide, "Amazon ECS task IAM role" and "Amazon ECS task execution IAM role", whose trust policies name it).
 */
import { type PolicyDocument, policyDocument, sortedDistinct, type StatementProps } from '../core/policy-document';
import { arn, isSet, many, not, one, type StatementRow, type StatementTable, tableStatements } from '../private/policy-statements';
import { shape, shapeFindings } from '../core/input-shape';
import { type Finding, throwIfAny } from '../core/policy-error';
import { type PolicyDestination, validatePolicy } from '../core/validate-policy';
import { namedArnFindings, namedArnListFindings, type NamedResourceKind, parsedNamedArn } from './private/named-resource-arns';

export interface EcsServiceDeploymentProps {
  /**
   * ARNs of the ECS services to deploy to, in the long ARN format
   * `arn:aws:ecs:<region>:<account>:service/<cluster>/<service>`. One service each: no wildcard.
   */
  readonly serviceArns: readonly string[];
  /**
   * Task definition families the deployment registers new revisions of (the task definition's `family`).
   * Each is granted on every revision, in the regions and accounts of `serviceArns`.
   */
  readonly taskDefinitionFamilies: readonly string[];
  /**
   * ARNs of the task and execution roles the new task definitions name, which the deployment passes to
   * `ecs-tasks.amazonaws.com`, e.g. `arn:aws:iam::123456123456:role/web-task`. No wildcard.
   */
  readonly passRoleArns: readonly string[];
  /**
   * ARN of the ECS cluster the services run in, e.g. `arn:aws:ecs:eu-west-1:123456123456:cluster/main`.
   * Adds an `ArnEquals` condition on `ecs:cluster` to the service statement; every service must be in it.
   * @default - no ecs:cluster condition (the service ARNs name their clusters already)
   */
  readonly clusterArn?: string;
}

/** The JavaScript types of `EcsServiceDeploymentProps`, checked first (and, with `CiPolicyProps`, all `EcsServiceDeploymentPolicy` takes). */
export const ECS_SERVICE_DEPLOYMENT_FIELDS = {
  serviceArns: shape.list(shape.string()),
  taskDefinitionFamilies: shape.list(shape.string()),
  passRoleArns: shape.list(shape.string()),
  clusterArn: shape.optional(shape.string()),
};

/** The Sids, in the order the statements appear. */
export const ECS_SERVICE_DEPLOYMENT_SIDS = ['EcsRegisterTaskDefinition', 'EcsDescribeTaskDefinition', 'EcsUpdateService', 'PassTaskRoles'] as const;

/** The service principal ECS tasks assume their task and execution roles as. */
export const ECS_TASKS_SERVICE_PRINCIPAL = 'ecs-tasks.amazonaws.com';

const SERVICE: NamedResourceKind = {
  service: 'ecs',
  resourceType: 'service',
  what: 'ECS service',
  example: 'arn:aws:ecs:eu-west-1:123456123456:service/main/web',
  regional: true,
};
const CLUSTER: NamedResourceKind = {
  service: 'ecs',
  resourceType: 'cluster',
  what: 'ECS cluster',
  example: 'arn:aws:ecs:eu-west-1:123456123456:cluster/main',
  regional: true,
};
const ROLE: NamedResourceKind = {
  service: 'iam',
  resourceType: 'role',
  what: 'IAM role',
  example: 'arn:aws:iam::123456123456:role/web-task',
  regional: false,
};

/** "Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens" (RegisterTaskDefinition, `family`). */
const FAMILY = /^[A-Za-z0-9_-]{1,255}$/;

/**
 * The least-privilege policy to deploy new task definition revisions of `props.taskDefinitionFamilies`
 * to `props.serviceArns`, validated for `destination`. Throws a `PolicyValidationError` naming each bad input.
 */
export function ecsServiceDeploymentPolicy(props: EcsServiceDeploymentProps, destination: PolicyDestination = { context: 'ecsServiceDeploymentPolicy', kind: 'identity' }): PolicyDocument {
  throwIfAny(destination.context, shapeFindings(props, shape.object(ECS_SERVICE_DEPLOYMENT_FIELDS), ''));
  throwIfAny(destination.context, inputFindings(props));
  const doc = policyDocument({ statements: deploymentStatements(props) });
  validatePolicy(doc, destination.context, { kind: destination.kind, sizeLimit: destination.sizeLimit, ...(destination.sizeFix !== undefined && { sizeFix: destination.sizeFix }) });
  return doc;
}

function inputFindings(props: EcsServiceDeploymentProps): Finding[] {
  const findings: Finding[] = [
    ...namedArnListFindings('serviceArns', props.serviceArns, SERVICE).map(shortArnHint),
    ...familyFindings(props.taskDefinitionFamilies),
    ...namedArnListFindings('passRoleArns', props.passRoleArns, ROLE),
  ];
  const servicesValid = findings.every((f) => !f.field.startsWith('serviceArns'));
  // A service ARN's resource is service/<cluster>/<service>; a short-format ARN (service/<service>) fits
  // no template above, and a further / would put it in no cluster ECS names.
  if (servicesValid) {
    props.serviceArns.forEach((arn, i) => {
      if (parsedNamedArn(arn).resource.split('/').length !== 3) {
        findings.push({ field: `serviceArns[${i}]`, value: arn, problem: 'a service ARN is service/<cluster>/<service>, with no other /', fix: `write it like ${SERVICE.example}` });
      }
    });
  }
  if (props.clusterArn !== undefined) {
    const clusterFindings = namedArnFindings('clusterArn', props.clusterArn, CLUSTER);
    if (clusterFindings.length === 0 && parsedNamedArn(props.clusterArn).resource.split('/').length !== 2) {
      clusterFindings.push({ field: 'clusterArn', value: props.clusterArn, problem: 'a cluster ARN is cluster/<cluster>, with no other /', fix: `write it like ${CLUSTER.example}` });
    }
    findings.push(...clusterFindings);
    if (clusterFindings.length === 0 && servicesValid) {
      props.serviceArns.forEach((arn, i) => {
        const cluster = clusterOf(arn);
        if (cluster !== props.clusterArn) {
          findings.push({
            field: `serviceArns[${i}]`,
            value: arn,
            problem: `is a service of ${cluster}, not of clusterArn ${props.clusterArn}, so the ecs:cluster condition would deny it`,
            fix: 'list only services of clusterArn, or leave clusterArn out',
          });
        }
      });
    }
  }
  return findings;
}

/**
 * A service ARN in the short format (service/<service>, before the long ARN format): IAM matches the
 * service's ARN as ECS writes it, which for an account opted in to the long format names the cluster.
 */
function shortArnHint(finding: Finding): Finding {
  const short = typeof finding.value === 'string' && /^arn:[^:]+:ecs:[^:]*:[^:]*:service\/[^/*?]+$/.test(finding.value);
  return short
    ? {
        ...finding,
        problem: `${finding.problem}: it is in the short format, service/<service>`,
        fix: `use the long format service/<cluster>/<service> (the account must have opted in to it), e.g. ${SERVICE.example}`,
      }
    : finding;
}

function familyFindings(families: readonly string[] | undefined): Finding[] {
  if (families === undefined || !Array.isArray(families) || families.length === 0) {
    return [
      {
        field: 'taskDefinitionFamilies',
        value: families ?? [],
        problem: 'the list is empty, so no task definition could be registered',
        fix: "name the families the deployment registers revisions of, e.g. ['web']",
      },
    ];
  }
  const findings: Finding[] = [];
  const seen = new Set<string>();
  families.forEach((family, i) => {
    const field = `taskDefinitionFamilies[${i}]`;
    if (typeof family !== 'string' || !FAMILY.test(family)) {
      findings.push({
        field,
        value: family,
        problem: /[*?]/.test(String(family))
          ? 'holds a wildcard, so it would grant every family it matches, not one named'
          : 'not a task definition family: up to 255 letters, digits, hyphens and underscores',
        fix: "write the family's name alone, e.g. 'web' (not an ARN, no revision)",
      });
    } else if (seen.has(family)) findings.push({ field, value: family, problem: 'listed twice', fix: 'list it once' });
    seen.add(family);
  });
  return findings;
}

/** The ARN of the cluster a (long-format) service ARN names. */
function clusterOf(serviceArn: string): string {
  const { partition, region, account, resource } = parsedNamedArn(serviceArn);
  return `arn:${partition}:ecs:${region}:${account}:cluster/${resource.split('/')[1]}`;
}

/** The values the statements read: the props, and the regions and accounts of the services (`scopes`). */
export type EcsServiceDeploymentValue = 'scopes' | 'taskDefinitionFamilies' | 'serviceArns' | 'passRoleArns' | 'clusterArn';

const UPDATE_SERVICE: StatementRow<EcsServiceDeploymentValue> = {
  sid: 'EcsUpdateService',
  actions: ['ecs:UpdateService', 'ecs:DescribeServices'],
  resources: [many('serviceArns')],
};

/**
 * The statements, written once: `ecsServiceDeploymentPolicy` renders them with the props' values, the
 * Terraform module (terraform-modules.ts) with its variables. `scopes` are `arn:<partition>:ecs:<region>:
 * <account>` of each service, sorted and distinct: task definitions live in a region and account, and the
 * services' own are where they are deployed from. EcsUpdateService is one statement, with the ecs:cluster
 * condition or without it.
 */
export const ECS_SERVICE_DEPLOYMENT_STATEMENTS: StatementTable<EcsServiceDeploymentValue> = [
  { sid: 'EcsRegisterTaskDefinition', actions: ['ecs:RegisterTaskDefinition'], resources: [arn`${many('scopes')}:task-definition/${many('taskDefinitionFamilies')}:*`] },
  { sid: 'EcsDescribeTaskDefinition', actions: ['ecs:DescribeTaskDefinition'], resources: ['*'] },
  { ...UPDATE_SERVICE, name: 'ecs_update_service', when: not(isSet('clusterArn')) },
  {
    ...UPDATE_SERVICE,
    name: 'ecs_update_service_in_cluster',
    when: isSet('clusterArn'),
    conditions: [{ test: 'ArnEquals', variable: 'ecs:cluster', values: [one('clusterArn')] }],
  },
  {
    sid: 'PassTaskRoles',
    actions: ['iam:PassRole'],
    resources: [many('passRoleArns')],
    conditions: [{ test: 'StringEquals', variable: 'iam:PassedToService', values: [ECS_TASKS_SERVICE_PRINCIPAL] }],
  },
];

function deploymentStatements(props: EcsServiceDeploymentProps): StatementProps[] {
  const scopes = sortedDistinct(
    props.serviceArns.map((arn) => {
      const { partition, region, account } = parsedNamedArn(arn);
      return `arn:${partition}:ecs:${region}:${account}`;
    }),
  );
  return tableStatements(ECS_SERVICE_DEPLOYMENT_STATEMENTS, {
    scopes,
    taskDefinitionFamilies: props.taskDefinitionFamilies,
    serviceArns: props.serviceArns,
    passRoleArns: props.passRoleArns,
    clusterArn: props.clusterArn,
  });
}
