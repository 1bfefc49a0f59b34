/**
 * What the three CI policy modules' generators share (terraform-ecr-docker-push-policy.ts,
 * terraform-ecs-service-deployment-policy.ts, terraform-terragrunt-policy.ts): the ARN shapes their variables
 * are checked against, the validations of a list of ARNs, the `json` output and the files of a policy-only
 * module with its README. Pure: no cdktf, no file system.
 *
 * The validation blocks mirror the checks of `named-resource-arns.ts` (an ARN of the resource type's
 * template, from iam-data, with no wildcard, no empty name or path segment, a region and an account where
 * the type has them; a list named once each, not empty unless optional) as RE2 patterns. Not mirrored:
 * `validatePolicy`'s size limit and Service Authorization Reference checks, which AWS makes on attachment.
 */
import {
  expr,
  generatedNote,
  matches,
  outputBlocks,
  type OutputDefinition,
  policyModuleFiles,
  readmeTables,
  REQUIRED_TERRAFORM_VERSION,
  type Validation,
  type VariableDefinition,
} from '../../private/terraform-module-files';

// --- ARN shapes (RE2), after the ARN templates in iam-data and the checks of named-resource-arns.ts --------

/**
 * A name segment: no wildcard, no `/`, not empty. The templates' variables match any text (`.*`, or
 * `[^/]*` / `[^:]*` before a `/` or `:`), so `:` is allowed in the resource part.
 */
const SEGMENT = '[^/*?]+';
/** Partition, region and account: not empty, no `:`. */
const PART = '[^:]+';

/** One kind of resource a list or value names, and its full-ARN pattern. */
export interface ArnKind {
  readonly what: string;
  readonly example: string;
  /** An RE2 pattern a valid ARN of this kind matches (no wildcard, no empty segment). */
  readonly pattern: string;
}

export const REPOSITORY: ArnKind = {
  what: 'ECR repository',
  example: 'arn:aws:ecr:eu-west-1:123456123456:repository/web',
  // repository/${RepositoryName}: a name may hold `/` (namespaces), each segment not empty.
  pattern: `^arn:${PART}:ecr:${PART}:${PART}:repository/${SEGMENT}(/${SEGMENT})*$`,
};
export const SERVICE: ArnKind = {
  what: 'ECS service',
  example: 'arn:aws:ecs:eu-west-1:123456123456:service/main/web',
  // service/${ClusterName}/${ServiceName}, and no other `/` (ecsServiceDeploymentPolicy's own check).
  pattern: `^arn:${PART}:ecs:${PART}:${PART}:service/${SEGMENT}/${SEGMENT}$`,
};
export const CLUSTER: ArnKind = {
  what: 'ECS cluster',
  example: 'arn:aws:ecs:eu-west-1:123456123456:cluster/main',
  pattern: `^arn:${PART}:ecs:${PART}:${PART}:cluster/${SEGMENT}$`,
};
export const ROLE: ArnKind = {
  what: 'IAM role',
  example: 'arn:aws:iam::123456123456:role/web-task',
  // role/${RoleNameWithPath}: no region.
  pattern: `^arn:${PART}:iam::${PART}:role/${SEGMENT}(/${SEGMENT})*$`,
};
export const STATE_BUCKET: ArnKind = {
  what: 'S3 bucket',
  example: 'arn:aws:s3:::my-state-bucket',
  // ${BucketName} holds no `/`: there an object ARN starts. No region, no account.
  pattern: `^arn:${PART}:s3:::${SEGMENT}$`,
};
export const LOCK_TABLE: ArnKind = {
  what: 'DynamoDB table',
  example: 'arn:aws:dynamodb:eu-west-1:123456789012:table/my-lock-table',
  // table/${TableName} holds no `/`: there a stream or index ARN starts.
  pattern: `^arn:${PART}:dynamodb:${PART}:${PART}:table/${SEGMENT}$`,
};

export const WILDCARD = '[*?]';

/** A pattern of ARNs that get a message of their own instead of the "not an ARN" one. */
export interface ArnHint {
  readonly pattern: string;
  readonly error_message: string;
}

/** The validations of a list of ARNs of `kind`, each named once; unless `optional`, not empty. */
export function arnListValidations(name: string, kind: ArnKind, optional = false, hint?: ArnHint): Validation[] {
  const each = (test: string) => expr(`alltrue([for a in var.${name} : ${test}])`);
  return [
    ...(optional
      ? []
      : [
          {
            condition: expr(`length(var.${name}) > 0`),
            error_message: `${name}: the list is empty, so the policy would grant nothing on any ${kind.what}; name at least one, e.g. ["${kind.example}"].`,
          },
        ]),
    {
      condition: each(`!${matches(WILDCARD, 'a')}`),
      error_message: `${name}: an ARN holds a wildcard, so it would grant every ${kind.what} it matches (and any created later), not one named; name each ${kind.what} by its full ARN, e.g. ${kind.example}.`,
    },
    ...(hint === undefined
      ? []
      : [
          {
            condition: each(`!${matches(hint.pattern, 'a')}`),
            error_message: hint.error_message,
          },
        ]),
    {
      condition: each(`${matches(WILDCARD, 'a')} || ${hint === undefined ? '' : `${matches(hint.pattern, 'a')} || `}${matches(kind.pattern, 'a')}`),
      error_message: `${name}: not an ${kind.what} ARN (with a region and an account where the type has them, and no empty name or path segment); write it like ${kind.example}.`,
    },
    {
      condition: expr(`length(distinct(var.${name})) == length(var.${name})`),
      error_message: `${name}: an ARN is listed twice; list it once.`,
    },
  ];
}

const OUTPUTS: readonly OutputDefinition[] = [
  {
    name: 'json',
    description: 'The policy document, as canonical minified JSON.',
    value: 'local.document',
  },
];

export interface ModuleSpec {
  readonly dir: string;
  readonly title: string;
  readonly summary: readonly string[];
  readonly example: readonly string[];
  readonly variables: readonly VariableDefinition[];
  readonly locals: Record<string, string>;
}

export function ciPolicyModuleFiles(spec: ModuleSpec): Record<string, string> {
  // Each module names the generator it is written from: modules/ci-policies/terraform-<folder>.ts.
  const note = generatedNote(`modules/ci-policies/terraform-${spec.dir.replace(/^terraform-modules\//, '')}.ts`);
  const readme = [
    `# ${spec.title}`,
    '',
    note,
    '',
    ...spec.summary,
    '',
    'It needs no provider: pass `json` to an `aws_iam_policy` or `aws_iam_role_policy`. Bad inputs fail `terraform plan`',
    `with a validation error naming the variable and the fix. Requires Terraform \`${REQUIRED_TERRAFORM_VERSION}\`. Unlike the`,
    'TypeScript function, the module does not check the policy against the size limits of IAM policies or the Service',
    'Authorization Reference; AWS does when the policy is attached.',
    '',
    '```hcl',
    ...spec.example,
    '```',
    '',
    ...readmeTables(spec.variables, OUTPUTS),
  ].join('\n');
  return policyModuleFiles(spec.dir, {
    note,
    readme,
    locals: spec.locals,
    variables: spec.variables,
    outputs: outputBlocks(OUTPUTS),
  });
}
