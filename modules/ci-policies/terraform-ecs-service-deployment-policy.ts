/**
 * `terraform-modules/ecs-service-deployment-policy/`: `ecsServiceDeploymentPolicy` (ecs-service-deployment.ts) as a plain, policy-only Terraform module.
 * Generated from this file, the one source of truth for its variables, validation and README; the
 * statements are the policy's own table, written as locals by private/terraform-statements.ts. What the
 * three CI policy modules share is in private/policy-module-parts.ts. Pure: no cdktf, no file system.
 */
import { expr, hclString, matches, type VariableDefinition } from '../private/terraform-module-files';
import { statementLocals } from '../private/terraform-statements';
import { ECS_SERVICE_DEPLOYMENT_STATEMENTS } from './ecs-service-deployment';
import { arnListValidations, CLUSTER, ciPolicyModuleFiles, ROLE, SERVICE, WILDCARD } from './private/policy-module-parts';

export const ECS_SERVICE_DEPLOYMENT_POLICY_MODULE_DIR = 'terraform-modules/ecs-service-deployment-policy';

/** A service ARN in the short format, service/<service> (ecs-service-deployment.ts's `shortArnHint`). */
const SHORT_SERVICE = `^arn:[^:]+:ecs:[^:]*:[^:]*:service/[^/*?]+$`;

/** RegisterTaskDefinition's `family`: up to 255 letters, digits, underscores and hyphens. */
const FAMILY = '^[A-Za-z0-9_-]{1,255}$';

// --- ecs-service-deployment-policy --------------------------------------------------------------------

/** `s`'s cluster ARN (ecs-service-deployment.ts's `clusterOf`), for a service ARN of the long format. */
function clusterOf(s: string): string {
  const parts = `regex(${hclString('^(arn:[^:]+:ecs:[^:]+:[^:]+:)service/([^/]+)/')}, ${s})`;
  return `"\${${parts}[0]}cluster/\${${parts}[1]}"`;
}

export const ECS_SERVICE_DEPLOYMENT_POLICY_VARIABLES: readonly VariableDefinition[] = [
  {
    name: 'service_arns',
    description: 'ARNs of the ECS services to deploy to, in the long ARN format `arn:aws:ecs:<region>:<account>:service/<cluster>/<service>`. One service each: no wildcard.',
    type: 'list(string)',
    nullable: false,
    validations: [
      ...arnListValidations('service_arns', SERVICE, false, {
        pattern: SHORT_SERVICE,
        error_message: `service_arns: an ARN is in the short format, service/<service>; use the long format service/<cluster>/<service> (the account must have opted in to it), e.g. ${SERVICE.example}.`,
      }),
      {
        // Only when cluster_arn and every service ARN are valid, as ecsServiceDeploymentPolicy checks.
        condition: expr(
          `var.cluster_arn == null || !${matches(CLUSTER.pattern, 'var.cluster_arn')} || !alltrue([for a in var.service_arns : ${matches(SERVICE.pattern, 'a')}]) || ` +
            `alltrue([for a in var.service_arns : try(${clusterOf('a')} == var.cluster_arn, false)])`,
        ),
        error_message: 'service_arns: a service is not of cluster_arn, so the ecs:cluster condition would deny it; list only services of cluster_arn, or leave cluster_arn null.',
      },
    ],
  },
  {
    name: 'task_definition_families',
    description:
      "Task definition families the deployment registers new revisions of (the task definition's `family`). Each is granted on every revision, in the regions and accounts of `service_arns`.",
    type: 'list(string)',
    nullable: false,
    validations: [
      {
        condition: expr('length(var.task_definition_families) > 0'),
        error_message: 'task_definition_families: the list is empty, so no task definition could be registered; name the families the deployment registers revisions of, e.g. ["web"].',
      },
      {
        condition: expr(`alltrue([for f in var.task_definition_families : !${matches(WILDCARD, 'f')}])`),
        error_message: 'task_definition_families: a family holds a wildcard, so it would grant every family it matches, not one named; write the family\'s name alone, e.g. "web".',
      },
      {
        condition: expr(`alltrue([for f in var.task_definition_families : ${matches(WILDCARD, 'f')} || ${matches(FAMILY, 'f')}])`),
        error_message:
          'task_definition_families: not a task definition family: up to 255 letters, digits, hyphens and underscores; write the family\'s name alone, e.g. "web" (not an ARN, no revision).',
      },
      {
        condition: expr('length(distinct(var.task_definition_families)) == length(var.task_definition_families)'),
        error_message: 'task_definition_families: a family is listed twice; list it once.',
      },
    ],
  },
  {
    name: 'pass_role_arns',
    description:
      'ARNs of the task and execution roles the new task definitions name, which the deployment passes to `ecs-tasks.amazonaws.com`, e.g. `arn:aws:iam::123456123456:role/web-task`. No wildcard.',
    type: 'list(string)',
    nullable: false,
    validations: arnListValidations('pass_role_arns', ROLE),
  },
  {
    name: 'cluster_arn',
    description:
      'ARN of the ECS cluster the services run in, e.g. `arn:aws:ecs:eu-west-1:123456123456:cluster/main`. Adds an `ArnEquals` condition on `ecs:cluster` to the service statement; every service must be in it. `null`: no ecs:cluster condition.',
    type: 'string',
    default: null,
    nullable: true,
    validations: [
      {
        condition: expr(`var.cluster_arn == null || !${matches(WILDCARD, 'var.cluster_arn')}`),
        error_message: `cluster_arn: holds a wildcard, so it would grant every ECS cluster it matches (and any created later), not one named; name the cluster by its full ARN, e.g. ${CLUSTER.example}.`,
      },
      {
        condition: expr(`var.cluster_arn == null || ${matches(WILDCARD, 'var.cluster_arn')} || ${matches(CLUSTER.pattern, 'var.cluster_arn')}`),
        error_message: `cluster_arn: not an ECS cluster ARN (cluster/<cluster>, with a region and an account); write it like ${CLUSTER.example}.`,
      },
    ],
  },
];

function ecsLocals(): Record<string, string> {
  return statementLocals(
    ECS_SERVICE_DEPLOYMENT_STATEMENTS,
    {
      scopes: 'local.scopes',
      taskDefinitionFamilies: 'var.task_definition_families',
      serviceArns: 'var.service_arns',
      passRoleArns: 'var.pass_role_arns',
      clusterArn: 'var.cluster_arn',
    },
    {
      // Task definitions live in a region and account: those of the services (arn:<partition>:ecs:<region>:<account>).
      scopes: expr('sort(distinct([for a in var.service_arns : join(":", slice(split(":", a), 0, 5))]))'),
    },
  );
}

export function ecsServiceDeploymentPolicyModuleFiles(): Record<string, string> {
  return ciPolicyModuleFiles({
    dir: ECS_SERVICE_DEPLOYMENT_POLICY_MODULE_DIR,
    title: 'ecs-service-deployment-policy',
    summary: [
      'Deploy new task definition revisions to named, existing ECS services, as plain Terraform: the same document, byte',
      "for byte, as `ecsServiceDeploymentPolicy` in `modules/ci-policies` (after Gruntwork's terraform-aws-ci",
      '`ecs-service-deployment`). The task definition families are granted in each region and account of the services.',
    ],
    example: [
      'module "ecs_deploy_policy" {',
      '  source = "./terraform-modules/ecs-service-deployment-policy"',
      '',
      '  service_arns             = ["arn:aws:ecs:eu-west-1:123456123456:service/main/web"]',
      '  task_definition_families = ["web"]',
      '  pass_role_arns           = ["arn:aws:iam::123456123456:role/web-task"]',
      '  cluster_arn              = "arn:aws:ecs:eu-west-1:123456123456:cluster/main"',
      '}',
    ],
    variables: ECS_SERVICE_DEPLOYMENT_POLICY_VARIABLES,
    locals: ecsLocals(),
  });
}
