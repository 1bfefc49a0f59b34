/**
 * `terraform-modules/ecr-docker-push-policy/`: `ecrDockerPushPolicy` (ecr-docker-push.ts) as a plain, policy-only Terraform module.
 * Generated from this file, the one source of truth for its variables, validation and README; the
 * statements are the policy's own table, written as locals by private/terraform-statements.ts. What the
 * three CI policy modules share is in private/policy-module-parts.ts. Pure: no cdktf, no file system.
 */
import { type VariableDefinition } from '../private/terraform-module-files';
import { statementLocals } from '../private/terraform-statements';
import { ECR_DOCKER_PUSH_STATEMENTS } from './ecr-docker-push';
import { arnListValidations, ciPolicyModuleFiles, REPOSITORY } from './private/policy-module-parts';

export const ECR_DOCKER_PUSH_POLICY_MODULE_DIR = 'terraform-modules/ecr-docker-push-policy';

// --- ecr-docker-push-policy ---------------------------------------------------------------------------

export const ECR_DOCKER_PUSH_POLICY_VARIABLES: readonly VariableDefinition[] = [
  {
    name: 'repository_arns',
    description: 'ARNs of the ECR repositories images are pushed to, e.g. `arn:aws:ecr:eu-west-1:123456123456:repository/web`. One repository each: no wildcard.',
    type: 'list(string)',
    nullable: false,
    validations: arnListValidations('repository_arns', REPOSITORY),
  },
];

function ecrLocals(): Record<string, string> {
  return statementLocals(ECR_DOCKER_PUSH_STATEMENTS, { repositoryArns: 'var.repository_arns' });
}

export function ecrDockerPushPolicyModuleFiles(): Record<string, string> {
  return ciPolicyModuleFiles({
    dir: ECR_DOCKER_PUSH_POLICY_MODULE_DIR,
    title: 'ecr-docker-push-policy',
    summary: [
      'Check for and push images to named ECR repositories, as plain Terraform: the same document, byte for byte, as',
      "`ecrDockerPushPolicy` in `modules/ci-policies` (after Gruntwork's terraform-aws-ci `ecr-docker-push`).",
    ],
    example: ['module "ecr_push_policy" {', '  source = "./terraform-modules/ecr-docker-push-policy"', '', '  repository_arns = ["arn:aws:ecr:eu-west-1:123456123456:repository/web"]', '}'],
    variables: ECR_DOCKER_PUSH_POLICY_VARIABLES,
    locals: ecrLocals(),
  });
}
