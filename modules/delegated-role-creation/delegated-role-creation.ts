/**
 * Delegated role creation (the CI/CD pipeline's identity policy, Policy 4 of AWS's "How and when to use
 * AWS IAM policy types" example, Example Corp), as a pure function: a pipeline may create and manage
 * roles, policies and instance profiles only under given paths, only with a given permissions boundary
 * attached, may pass only roles under its path, and may create only the named service-linked roles.
 *
 * Facts from iam-data (Service Authorization Reference, "Actions, resources, and condition keys for AWS
 * Identity and Access Management"), each checked again by `validatePolicy`:
 * - `iam:PermissionsBoundary` (ARN) is accepted by CreateRole, PutRolePolicy, DeleteRolePolicy,
 *   AttachRolePolicy, DetachRolePolicy, PutRolePermissionsBoundary, DeleteRolePermissionsBoundary,
 *   UpdateAssumeRolePolicy, DeleteRole, GetRole (and UpdateRole); not by TagRole, UntagRole, GetRolePolicy,
 *   PassRole or any policy / instance-profile action. So the boundary condition sits only on statements
 *   whose every action takes it.
 * - `iam:PolicyARN` (ARN) is accepted by AttachRolePolicy and DetachRolePolicy only.
 * - `iam:AWSServiceName` (String) is accepted by CreateServiceLinkedRole only.
 * - `iam:PassedToService` (String) is accepted by PassRole.
 * - Every action here takes a `role`, `policy` or `instance-profile` resource
 *   (`arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}` and alike), except `iam:ListRoles` (`*`).
 *
 * Facts from the IAM API reference, not in iam-data:
 * - AddRoleToInstanceProfile: "The caller of this operation must be granted the PassRole permission on
 *   the IAM role by a permissions policy." So the instance-profile grant adds no role beyond PassRole's.
 * - DeleteRolePermissionsBoundary: "Deleting the permissions boundary for a role might increase its
 *   permissions."
 * - Service-linked roles live under `/aws-service-role/<service principal>/` (IAM User Guide, "Using
 *   service-linked roles"; the seed's own text: "which are created in the path /aws-service-role/").
 */
import { isAccountId, parseManagedPolicyArn } from '../core/iam-identifiers';
import { iamPathFindings } from '../core/iam-names';
import { managedPolicyArnFindings } from '../core/managed-policy-arns';
import { shape, shapeFindings } from '../core/input-shape';
import { type PolicyDocument, policyDocument, type StatementProps } from '../core/policy-document';
import { arn, many, nonEmpty, one, type StatementTable, tableStatements } from '../private/policy-statements';
import { type AcknowledgeableFinding, type Finding, throwIfAny } from '../core/policy-error';
import { type PolicyDestination, validatePolicy } from '../core/validate-policy';

export interface DelegatedRoleCreationProps {
  /** The 12-digit ID of the account the pipeline creates roles in, e.g. `111111111111`. */
  readonly account: string;
  /**
   * IAM path of the roles the pipeline may create, change, delete and pass, e.g. `/application-roles/`.
   * Starts and ends with `/`; not `/` alone (that would be every role of the account) and not under
   * `/aws-service-role/` (service-linked roles have their own statements).
   */
  readonly rolePath: string;
  /**
   * IAM path of the customer managed policies the pipeline may create, change, delete and attach to its
   * roles, e.g. `/application-role-policies/`.
   * @default - `rolePath`
   */
  readonly policyPath?: string;
  /**
   * IAM path of the instance profiles the pipeline may create, delete and put its roles in, e.g.
   * `/application-instance-profiles/`.
   * @default - `rolePath`
   */
  readonly instanceProfilePath?: string;
  /**
   * ARN of the managed policy every role the pipeline creates or changes must carry as its permissions
   * boundary: `arn:aws:iam::<account>:policy/<path><name>` (or an AWS managed policy,
   * `arn:aws:iam::aws:policy/<name>`).
   */
  readonly permissionsBoundaryArn: string;
  /**
   * Service principals the pipeline may pass its roles to (`iam:PassedToService`), e.g.
   * `['ec2.amazonaws.com']` for the instance profile of an application's EC2 instances. At least one.
   */
  readonly passedToServices: readonly string[];
  /**
   * Service principals whose service-linked roles the pipeline may create (`iam:CreateServiceLinkedRole`
   * with `iam:AWSServiceName`), pass to that service, and delete, e.g. `['autoscaling.amazonaws.com']`.
   * @default [] - no service-linked role statement
   */
  readonly serviceLinkedRoleServices?: readonly string[];
}

/** The JavaScript types of `DelegatedRoleCreationProps`, checked first (and, with `ManagedPolicyProps`, all `DelegatedRoleCreationPolicy` takes). */
export const DELEGATED_ROLE_CREATION_FIELDS = {
  account: shape.string(),
  rolePath: shape.string(),
  policyPath: shape.optional(shape.string()),
  instanceProfilePath: shape.optional(shape.string()),
  permissionsBoundaryArn: shape.string(),
  passedToServices: shape.list(shape.string()),
  serviceLinkedRoleServices: shape.optional(shape.list(shape.string())),
};

/** The Sids, in the order the statements appear (those for service-linked roles only when some are named). */
export const DELEGATED_ROLE_CREATION_SIDS = [
  'ChangeRolesOnlyWithBoundary',
  'AttachPathPoliciesOnlyWithBoundary',
  'ManagePathRoles',
  'ManagePathPolicies',
  'ManagePathInstanceProfiles',
  'PassPathRoles',
  'PassServiceLinkedRoles',
  'CreateServiceLinkedRoles',
  'DeleteServiceLinkedRoles',
  'ListRoles',
  'ReadRoles',
  'DenyBoundaryRemoval',
  'DenyBoundaryPolicyChanges',
] as const;

/** The IAM path every service-linked role is created under. */
export const SERVICE_LINKED_ROLE_PATH = '/aws-service-role/';

/** A service principal as IAM writes it: `<name>.amazonaws.com`, the name lower-case with dots and hyphens. */
const SERVICE_PRINCIPAL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.amazonaws\.com$/;

/**
 * The least-privilege delegated-role-creation policy for `props`, validated for `destination`. Throws a
 * `PolicyValidationError` naming each bad input.
 */
export function delegatedRoleCreationPolicy(props: DelegatedRoleCreationProps, destination: PolicyDestination = { context: 'delegatedRoleCreationPolicy', kind: 'identity' }): PolicyDocument {
  return checkedPolicy(delegatedRoleCreationStatements(props, destination.context), destination, []);
}

/** The statements of `delegatedRoleCreationPolicy`, to combine with a pipeline's other grants. Checks the input. */
export function delegatedRoleCreationStatements(props: DelegatedRoleCreationProps, context = 'delegatedRoleCreationStatements'): StatementProps[] {
  throwIfAny(context, inputFindings(props));
  return statements(props);
}

/** The seed's Example Corp values. */
export const EXAMPLE_CORP_PIPELINE: DelegatedRoleCreationProps = {
  account: '111111111111',
  rolePath: '/application-roles/',
  policyPath: '/application-role-policies/',
  instanceProfilePath: '/application-instance-profiles/',
  permissionsBoundaryArn: 'arn:aws:iam::111111111111:policy/PermissionsBoundary',
  // The seed passes its roles to any service; its application role is an EC2 instance's (Policy 5).
  passedToServices: ['ec2.amazonaws.com'],
  serviceLinkedRoleServices: ['autoscaling.amazonaws.com'],
};

/**
 * The seed's whole Policy 4: its two deployment statements as published (every action of seven services
 * on `*`, and the public SSM parameters under `/aws/service/`), which are outside this module's concern
 * and are acknowledged here as the wildcards they are, then `delegatedRoleCreationStatements` for
 * `props` (the seed's values by default). With the seed's `Id`.
 */
export function exampleCorpPipelinePolicy(
  props: Partial<DelegatedRoleCreationProps> = {},
  destination: PolicyDestination = { context: 'exampleCorpPipelinePolicy', kind: 'identity' },
): PolicyDocument {
  const merged: DelegatedRoleCreationProps = { ...EXAMPLE_CORP_PIPELINE, ...props };
  return checkedPolicy(
    [
      {
        sid: 'DeployApplicationResources',
        actions: ['ec2:*', 'sqs:*', 's3:*', 'cloudwatch:*', 'cloudformation:*', 'logs:*', 'autoscaling:*'],
        resources: ['*'],
      },
      // Public parameters have no account in their ARN (arn:aws:ssm:<region>::parameter/aws/service/...).
      { sid: 'ReadPublicParameters', actions: ['ssm:GetParameter*'], resources: ['arn:aws:ssm:*::parameter/aws/service/*'] },
      ...delegatedRoleCreationStatements(merged, destination.context),
    ],
    destination,
    ['WILDCARD_ACTION', 'WILDCARD_RESOURCE'],
    'CICDPipelineBaselinePolicy',
  );
}

function checkedPolicy(statements: StatementProps[], destination: PolicyDestination, acknowledge: AcknowledgeableFinding[], id?: string): PolicyDocument {
  const doc = policyDocument({ ...(id !== undefined && { id }), statements });
  validatePolicy(doc, destination.context, {
    kind: destination.kind,
    acknowledge,
    ...(destination.sizeLimit !== undefined && { sizeLimit: destination.sizeLimit }),
    ...(destination.sizeFix !== undefined && { sizeFix: destination.sizeFix }),
  });
  return doc;
}

function inputFindings(props: DelegatedRoleCreationProps): Finding[] {
  const types = shapeFindings(props, shape.object(DELEGATED_ROLE_CREATION_FIELDS), '');
  if (types.length > 0) return types;
  const findings: Finding[] = [];
  const accountOk = isAccountId(props.account);
  if (!accountOk) {
    findings.push({ field: 'account', value: props.account, problem: 'an AWS account ID is 12 digits', fix: "write the account's 12-digit ID, e.g. '111111111111'" });
  }
  findings.push(...pathFindings('rolePath', props.rolePath, true));
  if (props.policyPath !== undefined) findings.push(...pathFindings('policyPath', props.policyPath, false));
  if (props.instanceProfilePath !== undefined) findings.push(...pathFindings('instanceProfilePath', props.instanceProfilePath, false));
  findings.push(...boundaryFindings(props.permissionsBoundaryArn, accountOk ? props.account : undefined));
  findings.push(...serviceListFindings('passedToServices', props.passedToServices, "e.g. ['ec2.amazonaws.com']"));
  if (props.serviceLinkedRoleServices !== undefined) {
    findings.push(...serviceListFindings('serviceLinkedRoleServices', props.serviceLinkedRoleServices, "e.g. ['autoscaling.amazonaws.com'], or leave it out"));
  }
  return findings;
}

function pathFindings(field: string, path: string, isRolePath: boolean): Finding[] {
  if (typeof path !== 'string') return [{ field, value: path, problem: 'an IAM path is a string', fix: 'write it like "/application-roles/"' }];
  const base = iamPathFindings(field, path);
  if (base.length > 0) return base;
  if (/[*?]/.test(path)) {
    return [{ field, value: path, problem: 'holds * or ?, which in a resource ARN match other paths too', fix: 'write the path itself, without wildcards' }];
  }
  if (path === '/') {
    return [{ field, value: path, problem: 'the root path holds every entity of the account, so nothing would be delegated only', fix: 'use a path of its own, e.g. "/application-roles/"' }];
  }
  if (path.toLowerCase().startsWith(SERVICE_LINKED_ROLE_PATH)) {
    return [
      {
        field,
        value: path,
        problem: `${SERVICE_LINKED_ROLE_PATH} holds the service-linked roles AWS services create`,
        fix: isRolePath ? 'use a path of its own, and name services in serviceLinkedRoleServices' : 'use a path of its own',
      },
    ];
  }
  return [];
}

/**
 * The boundary: a managed policy of `account` or an AWS managed one (`managedPolicyArnFindings`), of the
 * aws partition, as this module writes aws ARNs only.
 */
function boundaryFindings(arn: string, account: string | undefined): Finding[] {
  const field = 'permissionsBoundaryArn';
  const example = `arn:aws:iam::${account ?? '111111111111'}:policy/PermissionsBoundary`;
  const partition = parseManagedPolicyArn(arn)?.partition;
  if (partition !== undefined && partition !== 'aws') {
    return [{ field, value: arn, problem: `is in partition ${partition}; this module writes aws ARNs only`, fix: `use a policy of the aws partition, e.g. "${example}"` }];
  }
  return managedPolicyArnFindings(field, arn, { ...(account !== undefined && { account }), example });
}

function serviceListFindings(field: string, services: readonly string[], example: string): Finding[] {
  if (!Array.isArray(services) || services.length === 0) {
    return [{ field, value: services ?? [], problem: 'the list is empty', fix: `name at least one service principal, ${example}` }];
  }
  const findings: Finding[] = [];
  const seen = new Set<string>();
  services.forEach((service, i) => {
    if (typeof service !== 'string' || !SERVICE_PRINCIPAL.test(service)) {
      findings.push({
        field: `${field}[${i}]`,
        value: service,
        problem: /[*?]/.test(String(service)) ? 'holds a wildcard, so it would match services not named' : 'not a service principal (<service>.amazonaws.com, lower case)',
        fix: `write the service principal, ${example}`,
      });
    } else if (seen.has(service)) findings.push({ field: `${field}[${i}]`, value: service, problem: 'listed twice', fix: 'list it once' });
    seen.add(service);
  });
  return findings;
}

/**
 * The values the statements read: the props, with `policyPath` and `instanceProfilePath` defaulted to
 * `rolePath` and `serviceLinkedRoleServices` to `[]`.
 */
export type DelegatedRoleCreationValue = 'account' | 'rolePath' | 'policyPath' | 'instanceProfilePath' | 'permissionsBoundaryArn' | 'passedToServices' | 'serviceLinkedRoleServices';

const ACCOUNT = one<DelegatedRoleCreationValue>('account');
const ROLES = arn`arn:aws:iam::${ACCOUNT}:role${one('rolePath')}*`;
const POLICIES = arn`arn:aws:iam::${ACCOUNT}:policy${one('policyPath')}*`;
const SERVICE_LINKED_ROLES = arn`arn:aws:iam::${ACCOUNT}:role${SERVICE_LINKED_ROLE_PATH}${many('serviceLinkedRoleServices')}/*`;
const BOUNDARY = one<DelegatedRoleCreationValue>('permissionsBoundaryArn');
const WITH_BOUNDARY = { test: 'ArnEquals', variable: 'iam:PermissionsBoundary', values: [BOUNDARY] };
const SOME_SERVICE_LINKED_ROLES = nonEmpty<DelegatedRoleCreationValue>('serviceLinkedRoleServices');

/**
 * The statements, in `DELEGATED_ROLE_CREATION_SIDS` order, written once: `delegatedRoleCreationStatements`
 * renders them with the props' values, the Terraform module (terraform-delegated-role-creation-policy.ts) with its variables.
 */
export const DELEGATED_ROLE_CREATION_STATEMENTS: StatementTable<DelegatedRoleCreationValue> = [
  // Guards: create a role, or change its permissions, trust or boundary, only under rolePath and only
  // when the role has (CreateRole, PutRolePermissionsBoundary: is given) exactly this boundary. Every
  // action here takes iam:PermissionsBoundary (iam-data). A request without a boundary has no such key
  // and ArnEquals does not match, so it is denied.
  // UpdateAssumeRolePolicy (not in the seed) is granted on the same terms: it lets the pipeline change who
  // may assume one of its own bounded roles, which CreateRole already lets it choose at creation (and the
  // pipeline could create a role trusting itself): the ceiling stays the boundary. Without it, Terraform
  // can change a role's trust policy only by replacing the role. Outside the path, or on a role without
  // the boundary, it is denied: that would be assuming a role of higher privilege.
  {
    sid: 'ChangeRolesOnlyWithBoundary',
    actions: ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:PutRolePermissionsBoundary', 'iam:UpdateAssumeRolePolicy'],
    resources: [ROLES],
    conditions: [WITH_BOUNDARY],
  },
  // Guard: attach (and detach) only the pipeline's own managed policies, only to its bounded roles.
  {
    sid: 'AttachPathPoliciesOnlyWithBoundary',
    actions: ['iam:AttachRolePolicy', 'iam:DetachRolePolicy'],
    resources: [ROLES],
    conditions: [WITH_BOUNDARY, { test: 'ArnLike', variable: 'iam:PolicyARN', values: [POLICIES] }],
  },
  // Delete, tag and read roles under the path. TagRole, UntagRole and GetRolePolicy take no
  // iam:PermissionsBoundary key; deleting or reading grants no privilege.
  { sid: 'ManagePathRoles', actions: ['iam:DeleteRole', 'iam:TagRole', 'iam:UntagRole', 'iam:GetRolePolicy'], resources: [ROLES] },
  // Guard: create and change managed policies only under policyPath. The boundary policy itself is
  // protected by DenyBoundaryPolicyChanges even when it lies under that path.
  {
    sid: 'ManagePathPolicies',
    actions: [
      'iam:CreatePolicy',
      'iam:DeletePolicy',
      'iam:CreatePolicyVersion',
      'iam:DeletePolicyVersion',
      'iam:GetPolicy',
      'iam:TagPolicy',
      'iam:UntagPolicy',
      'iam:SetDefaultPolicyVersion',
      'iam:ListPolicyVersions',
    ],
    resources: [POLICIES],
  },
  // Instance profiles under their path. Adding a role to one needs PassRole on that role (IAM API
  // reference, AddRoleToInstanceProfile), which PassPathRoles grants only under rolePath.
  {
    sid: 'ManagePathInstanceProfiles',
    actions: ['iam:CreateInstanceProfile', 'iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'],
    resources: [arn`arn:aws:iam::${ACCOUNT}:instance-profile${one('instanceProfilePath')}*`],
  },
  // Guard: pass only the pipeline's own roles, and only to the services named (the seed: to any service).
  {
    sid: 'PassPathRoles',
    actions: ['iam:PassRole'],
    resources: [ROLES],
    conditions: [{ test: 'StringEquals', variable: 'iam:PassedToService', values: [many('passedToServices')] }],
  },
  // A service-linked role can be assumed only by its service, so it is passed only to the services named.
  {
    sid: 'PassServiceLinkedRoles',
    actions: ['iam:PassRole'],
    resources: [SERVICE_LINKED_ROLES],
    conditions: [{ test: 'StringEquals', variable: 'iam:PassedToService', values: [many('serviceLinkedRoleServices')] }],
    when: SOME_SERVICE_LINKED_ROLES,
  },
  // Guard: create only the named services' service-linked roles.
  {
    sid: 'CreateServiceLinkedRoles',
    actions: ['iam:CreateServiceLinkedRole'],
    resources: [SERVICE_LINKED_ROLES],
    conditions: [{ test: 'StringEquals', variable: 'iam:AWSServiceName', values: [many('serviceLinkedRoleServices')] }],
    when: SOME_SERVICE_LINKED_ROLES,
  },
  {
    sid: 'DeleteServiceLinkedRoles',
    actions: ['iam:DeleteServiceLinkedRole', 'iam:GetServiceLinkedRoleDeletionStatus'],
    resources: [SERVICE_LINKED_ROLES],
    when: SOME_SERVICE_LINKED_ROLES,
  },
  { sid: 'ListRoles', actions: ['iam:ListRoles'], resources: ['*'] },
  { sid: 'ReadRoles', actions: ['iam:GetRole'], resources: [ROLES, arn`arn:aws:iam::${ACCOUNT}:role${SERVICE_LINKED_ROLE_PATH}*`] },
  // Guard: never remove a boundary, from any role of the account ("Deleting the permissions boundary for
  // a role might increase its permissions", IAM API reference). Explicit, so that no other policy of the
  // pipeline's can grant it.
  { sid: 'DenyBoundaryRemoval', effect: 'Deny', actions: ['iam:DeleteRolePermissionsBoundary'], resources: [arn`arn:aws:iam::${ACCOUNT}:role/*`] },
  // Guard: never rewrite or delete the boundary policy itself, which would widen every bounded role.
  {
    sid: 'DenyBoundaryPolicyChanges',
    effect: 'Deny',
    actions: ['iam:CreatePolicyVersion', 'iam:DeletePolicy', 'iam:DeletePolicyVersion', 'iam:SetDefaultPolicyVersion'],
    resources: [BOUNDARY],
  },
];

function statements(props: DelegatedRoleCreationProps): StatementProps[] {
  return tableStatements(DELEGATED_ROLE_CREATION_STATEMENTS, {
    account: props.account,
    rolePath: props.rolePath,
    policyPath: props.policyPath ?? props.rolePath,
    instanceProfilePath: props.instanceProfilePath ?? props.rolePath,
    permissionsBoundaryArn: props.permissionsBoundaryArn,
    passedToServices: props.passedToServices,
    serviceLinkedRoleServices: props.serviceLinkedRoleServices ?? [],
  });
}
