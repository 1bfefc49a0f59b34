import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { type ITerraformDependable, type TerraformOutput, Token } from 'cdktf';
import { Construct } from 'constructs';
import { awsManagedPolicyFindings } from '../core/aws-managed-policies';
import { partitionFindings } from '../core/iam-identifiers';
import { managedPolicyArnFindings } from '../core/managed-policy-arns';
import { iamNameFindings, iamPathFindings } from '../core/iam-names';
import { fitPrincipalPolicies, type NamedPolicy } from '../core/fit-policy';
import { acknowledgementFindings, type AcknowledgedFinding } from '../core/acknowledgements';
import { documentShapeFindings } from '../core/document-shape';
import { shape, shapeFindings } from '../core/input-shape';
import { canonicalPolicy, type PolicyDocument } from '../core/policy-document';
import { type Acknowledgement, type Finding, throwIfAny } from '../core/policy-error';
import { policyFindings } from '../core/validate-policy';
import { recordAdmission } from '../private/acknowledgements';
import { checkIamNameCollisions } from '../private/name-collisions';
import { overflowPolicies } from '../private/overflow-policies';
import { dependOnNamedPrincipals } from '../private/principal-dependencies';
import { type IRoleReference, managedPolicyKey, type ManagedPolicyReference, type PermissionsBoundaryReference, resolveBoundary, resolveManagedPolicies } from '../private/references';
import { stackOutput } from '../private/stack-output';
import { TRUST_POLICY_INPUT_FIELDS, trustPolicyInput } from '../private/trust-policy-input';
import type { TrustPolicyProps } from './trust-policy';
import { DEFAULT_MANAGED_POLICIES_PER_ROLE, MAX_SESSION_DURATION_RANGE } from './role-quotas';

export { DEFAULT_MANAGED_POLICIES_PER_ROLE, MAX_SESSION_DURATION_RANGE };

// A managed policy ARN is core/iam-identifiers.ts's MANAGED_POLICY_ARN. A permissions boundary is a managed
// policy ARN (CreateRole: PermissionsBoundary, "The ARN of the managed policy").

/** An AWS managed policy, by name and path, e.g. `{ name: 'AWS_ConfigRole', path: '/service-role/' }`. */
export interface AwsManagedPolicy {
  /** Name of the policy, e.g. `ReadOnlyAccess`. */
  readonly name: string;
  /** Path of the policy, as AWS lists it (`/` or `/service-role/`, …): not guessed here. */
  readonly path: string;
}

/** One inline policy (`aws_iam_role_policy`). */
export interface InlinePolicy {
  /** Name of the policy, unique within the role. */
  readonly name: string;
  /** The policy. Checked as a role inline policy and written in canonical form. */
  readonly document: PolicyDocument;
  /**
   * Findings you accept by name for this policy, e.g. `WILDCARD_RESOURCE` for an action AWS grants only on `*`.
   * @default - none
   */
  readonly acknowledge?: readonly Acknowledgement[];
}

export interface RoleProps {
  /** Name of the role: 1 to 64 characters of letters, digits and `+=,.@_-`. */
  readonly name: string;
  /**
   * Path of the role.
   * @default '/'
   */
  readonly path?: string;
  /**
   * Who may assume the role: the principals (built by `trustPolicy`), a policy document, its JSON text, or
   * a reference to one. Principals, documents and text are checked as a trust policy and written in
   * canonical form; a reference is passed through.
   */
  readonly trustPolicy: TrustPolicyProps | PolicyDocument | string;
  /**
   * Trust-policy findings you accept: by rule id (`SERVICE_PRINCIPAL_UNSCOPED`), or, for the who-gets-in
   * rules, with a reason (`{ rule: 'CROSS_ACCOUNT', reason: '…' }`), which is written next to the role for
   * the access report. (With principals, their `acknowledge` works too; both are honoured.)
   * @default - none
   */
  readonly trustPolicyAcknowledge?: readonly Acknowledgement[];
  /**
   * The 12-digit ID of the account the role is created in: trust in principals of other accounts is a
   * `CROSS_ACCOUNT` finding, and the CI presets build their OIDC provider ARNs in it. (With principals,
   * their `account` works too.)
   * @default - not known: every principal named by account is a `CROSS_ACCOUNT` finding
   */
  readonly account?: string;
  /**
   * Resources the role is created after: the `OidcProvider` its trust policy names (IAM refuses a trust
   * policy naming a federated provider that does not exist yet).
   * @default - none
   */
  readonly dependsOn?: readonly ITerraformDependable[];
  /**
   * Inline policies, each an `aws_iam_role_policy`. Their sizes are summed against the role inline limit.
   * @default [] - none
   */
  readonly inlinePolicies?: readonly InlinePolicy[];
  /**
   * Customer managed policies to attach (`aws_iam_role_policy_attachment`): by ARN, by reference to an
   * `aws_iam_policy`'s `arn`, or the construct that creates it (an `IamPolicy`, a `PermissionsBoundary`,
   * a `CiPolicy`, whose every part is attached when it was split). Each attachment is keyed by the
   * policy's path and name (`attachment_policy_<path>_<name>`), known from a written ARN or from the
   * policy resource's literal name, so removing or reordering policies replaces no other attachment.
   * @default [] - none
   */
  readonly managedPolicyArns?: readonly ManagedPolicyReference[];
  /**
   * AWS managed policies to attach: a full ARN (`arn:aws:iam::aws:policy/ReadOnlyAccess`) or a name and a path.
   * @default [] - none
   */
  readonly awsManagedPolicies?: readonly (AwsManagedPolicy | string)[];
  /**
   * Most managed policies (customer and AWS) the role may have attached.
   * @default DEFAULT_MANAGED_POLICIES_PER_ROLE (10)
   */
  readonly maxManagedPolicies?: number;
  /**
   * When the inline policies are over the role inline limit (10,240 characters summed) even after their
   * statements are merged, keep what fits inline and move the other statements to customer managed
   * policies named `<name>-2`, `<name>-3`, … at the role's path, attached to this role; they count against
   * `maxManagedPolicies`. Without it such a role fails at synth. (Merging happens either way, and only for
   * inline policies over the limit: see `fitPrincipalPolicies`.)
   * @default false
   */
  readonly overflowToManagedPolicies?: boolean;
  /**
   * The managed policy that bounds the role's permissions: its ARN (a reference is passed through), or the
   * construct that creates it (a `PermissionsBoundary` or an `IamPolicy`).
   * @default - no permissions boundary
   */
  readonly permissionsBoundary?: PermissionsBoundaryReference;
  /**
   * Longest session, in seconds, for `sts:AssumeRole` callers: 3600 to 43200. EC2 instance credentials do
   * not use it (EC2 user guide, "IAM roles for Amazon EC2").
   * @default - AWS's default, 3600
   */
  readonly maxSessionDuration?: number;
  /**
   * Tags of the role.
   * @default - no tags
   */
  readonly tags?: { readonly [key: string]: string };
  /**
   * Partition of the ARNs built from `awsManagedPolicies` names.
   * @default 'aws'
   */
  readonly partition?: string;
  /**
   * Write the Terraform outputs `<prefix>role_arn` and `<prefix>role_name`: `''` gives the HCL module's
   * `role_arn`, `'ci_'` gives `ci_role_arn`. A library construct writes no top-level outputs unless asked,
   * so that two roles can share a stack; `roleArn` and `roleName` are there either way.
   * @default - no outputs
   */
  readonly outputPrefix?: string;
}

const ACKNOWLEDGE = shape.list(shape.any());

/** The fields of `RoleProps` and their JavaScript types (`StateAccessRole` takes most of them too). */
export const ROLE_PROPS_FIELDS = {
  name: shape.string(),
  path: shape.optional(shape.string()),
  ...TRUST_POLICY_INPUT_FIELDS,
  inlinePolicies: shape.optional(
    shape.list(
      shape.object(
        { name: shape.string(), document: shape.record(shape.any()), acknowledge: shape.optional(ACKNOWLEDGE) },
        { strict: true, example: "{ name: 'deploy', document: { Version: '2012-10-17', Statement: [...] } }" },
      ),
    ),
  ),
  // ARNs or the constructs that create the policies: each checked by resolveManagedPolicies.
  managedPolicyArns: shape.optional(shape.list(shape.any())),
  awsManagedPolicies: shape.optional(shape.list(shape.oneOf('an ARN, or { name, path }', shape.string(), shape.object({ name: shape.string(), path: shape.any() })))),
  maxManagedPolicies: shape.optional(shape.number()),
  overflowToManagedPolicies: shape.optional(shape.boolean()),
  permissionsBoundary: shape.optional(shape.any()),
  maxSessionDuration: shape.optional(shape.number()),
  tags: shape.optional(shape.record(shape.string())),
  partition: shape.optional(shape.string()),
  outputPrefix: shape.optional(shape.string()),
};

/** The JavaScript types of `RoleProps`, checked before anything reads them; any other field is refused. */
const ROLE_PROPS_SHAPE = shape.object(ROLE_PROPS_FIELDS, { strict: true, example: "{ name: 'ci', trustPolicy: { services: ['ec2.amazonaws.com'] } }" });

/**
 * An IAM role: `aws_iam_role` with a checked trust policy, its inline policies (`aws_iam_role_policy`,
 * keyed by policy name) and its managed policy attachments (`aws_iam_role_policy_attachment`, keyed by
 * the policy's path and name), and, when `outputPrefix` is given, the outputs `role_arn` and `role_name`.
 */
export class Role extends Construct implements IRoleReference {
  readonly role: IamRole;
  /** The trust policy as written into the role. */
  readonly trustPolicyJson: string;
  /** The trust-policy findings accepted in `trustPolicyAcknowledge` (or the principals' `acknowledge`), as written next to the role. */
  readonly trustPolicyAcknowledged: readonly AcknowledgedFinding[];
  /** The inline policies, by name. */
  readonly inlinePolicies: ReadonlyMap<string, IamRolePolicy>;
  /** The managed policy attachments, in the order given (customer managed first), then the overflow policies'. */
  readonly attachments: readonly IamRolePolicyAttachment[];
  /** The customer managed policies the inline statements over the limit moved to (`overflowToManagedPolicies`). */
  readonly overflowPolicies: readonly IamPolicy[];
  /** Output `role_arn` (after `outputPrefix`), when an `outputPrefix` was given. */
  readonly roleArnOutput: TerraformOutput | undefined;
  /** Output `role_name` (after `outputPrefix`), when an `outputPrefix` was given. */
  readonly roleNameOutput: TerraformOutput | undefined;

  constructor(scope: Construct, id: string, props: RoleProps) {
    super(scope, id);
    const context = this.node.path;
    throwIfAny(context, shapeFindings(props, ROLE_PROPS_SHAPE, ''));
    const findings: Finding[] = [...iamNameFindings('name', props.name, 'role'), ...iamPathFindings('path', props.path)];
    findings.push(...acknowledgementFindings('trustPolicyAcknowledge', props.trustPolicyAcknowledge));
    const trust = trustPolicyInput(props.trustPolicy, {
      acknowledge: props.trustPolicyAcknowledge ?? [],
      ...(props.account !== undefined && { account: props.account }),
      // Fixes name the class the caller wrote (`StateAccessRole` extends this one).
      construct: new.target.name,
    });
    findings.push(...trust.findings);
    findings.push(...sessionFindings(props.maxSessionDuration));
    const boundary = props.permissionsBoundary === undefined ? { findings: [] } : resolveBoundary('permissionsBoundary', props.permissionsBoundary);
    findings.push(...boundary.findings);
    if (boundary.arn !== undefined && !Token.isUnresolved(boundary.arn)) {
      findings.push(...policyArnFindings('permissionsBoundary', boundary.arn, 'any'));
    }
    const managed = managedPolicyArns(props);
    const inline = inlineFindings(props, context, managed.arns.length);
    findings.push(...inline.findings, ...managed.findings);
    throwIfAny(context, findings);

    this.trustPolicyJson = trust.json;
    this.trustPolicyAcknowledged = trust.acknowledged;
    this.role = new IamRole(this, 'role', {
      name: props.name,
      ...(props.path !== undefined && { path: props.path }),
      assumeRolePolicy: this.trustPolicyJson,
      ...(props.maxSessionDuration !== undefined && { maxSessionDuration: props.maxSessionDuration }),
      ...(boundary.arn !== undefined && { permissionsBoundary: boundary.arn }),
      ...(props.tags !== undefined && { tags: { ...props.tags } }),
      ...(props.dependsOn !== undefined && { dependsOn: [...props.dependsOn] }),
    });
    // IAM refuses a trust policy naming a role or user that does not exist yet: those of the stack it names by ARN are added to depends_on at synth.
    dependOnNamedPrincipals(this.role, this.trustPolicyJson);
    recordAdmission(this.role, { ...(trust.account !== undefined && { account: trust.account }), acknowledged: trust.acknowledged });
    const policies = new Map<string, IamRolePolicy>();
    // Keyed by name, unique within the role (checked above): removing or reordering one policy leaves the
    // others' Terraform addresses as they were.
    (props.inlinePolicies ?? []).forEach((p) => {
      const json = inline.json.get(p.name);
      if (json !== undefined) policies.set(p.name, new IamRolePolicy(this, `inline_${p.name}`, { name: p.name, role: this.role.name, policy: json }));
    });
    this.inlinePolicies = policies;
    const attachments = managed.arns.map(({ arn: policyArn, key }) => new IamRolePolicyAttachment(this, `attachment_${key}`, { role: this.role.name, policyArn }));
    const overflow = overflowPolicies(this, inline.overflow, {
      principal: `role ${props.name}`,
      limit: 'the role inline size limit',
      ...(props.path !== undefined && { path: props.path }),
      attach: (scope, policyArn) => new IamRolePolicyAttachment(scope, 'attachment', { role: this.role.name, policyArn }),
    });
    this.overflowPolicies = overflow.policies;
    this.attachments = [...attachments, ...overflow.attachments];
    this.roleArnOutput = stackOutput(this, props.outputPrefix, 'role_arn', this.role.arn, 'The ARN of the IAM role.');
    this.roleNameOutput = stackOutput(this, props.outputPrefix, 'role_name', this.role.name, 'The name of the IAM role.');
    checkIamNameCollisions(this);
  }

  get roleArn(): string {
    return this.role.arn;
  }

  get roleName(): string {
    return this.role.name;
  }
}

function sessionFindings(seconds: number | undefined): Finding[] {
  if (seconds === undefined) return [];
  const { min, max } = MAX_SESSION_DURATION_RANGE;
  if (Number.isInteger(seconds) && seconds >= min && seconds <= max) return [];
  return [
    {
      field: 'maxSessionDuration',
      value: seconds,
      problem: `IAM takes a whole number of seconds from ${min} (1 hour) to ${max} (12 hours)`,
      fix: `set it between ${min} and ${max}, or leave it out for ${min}`,
    },
  ];
}

/** Findings for a literal managed policy ARN; `owner` says whose policy it must be (`managedPolicyArnFindings`, with this construct's fixes). */
function policyArnFindings(field: string, arn: string, owner: 'any' | 'customer' | 'aws'): Finding[] {
  return managedPolicyArnFindings(
    field,
    arn,
    owner === 'aws'
      ? { owner, example: 'arn:aws:iam::aws:policy/ReadOnlyAccess', orElse: 'give { name, path }', otherOwnerFix: 'move it to managedPolicyArns' }
      : { owner, example: 'arn:aws:iam::123456123456:policy/ci-web', orElse: "pass the aws_iam_policy's arn", otherOwnerFix: 'move it to awsManagedPolicies' },
  );
}

/**
 * The inline policies' JSON by name and their findings. Over the role inline limit, they are merged and,
 * with `overflowToManagedPolicies`, cut down with the rest moved to customer managed policies (`overflow`).
 */
function inlineFindings(props: RoleProps, context: string, attached: number): { json: Map<string, string>; overflow: NamedPolicy[]; findings: Finding[] } {
  const policies = props.inlinePolicies ?? [];
  const findings: Finding[] = [];
  const names = new Map<string, number>();
  const documents = policies.map((p, i) => {
    const at = `inlinePolicies[${i}]`;
    findings.push(...iamNameFindings(`${at}.name`, p.name, 'rolePolicy'));
    const first = names.get(p.name);
    if (first !== undefined) {
      findings.push({ field: `${at}.name`, value: p.name, problem: `inlinePolicies[${first}] has the same name, and would be overwritten`, fix: 'give each inline policy its own name' });
    } else names.set(p.name, i);
    const shapeProblems = documentShapeFindings(p.document, `${at}.document`);
    if (shapeProblems.length > 0) {
      findings.push(...shapeProblems);
      return { name: p.name, document: { Version: '2012-10-17', Statement: [] } };
    }
    const doc = canonicalPolicy(p.document);
    // Sizes are checked below, summed over the role's inline policies, as IAM counts them.
    const found = policyFindings(doc, { kind: 'role-inline', acknowledge: p.acknowledge ?? [], sizeLimit: Number.MAX_SAFE_INTEGER });
    findings.push(...found.map((f) => ({ ...f, field: `${at}.document.${f.field}` })));
    return { name: p.name, document: doc };
  });
  const max = props.maxManagedPolicies ?? DEFAULT_MANAGED_POLICIES_PER_ROLE;
  const fitted = fitPrincipalPolicies(documents, {
    context,
    principal: `role ${props.name}`,
    kind: 'role-inline',
    fix:
      'split the policies, moving some to customer managed policies (managedPolicyArns), or set overflowToManagedPolicies to move the statements ' +
      'that do not fit to customer managed policies attached to the role, or grant with fewer, broader patterns you have reviewed',
    ...(props.overflowToManagedPolicies === true && {
      overflow: {
        name: props.name,
        attachmentLimit: max,
        attached,
        fix: 'attach fewer managed policies, or raise the quota and set maxManagedPolicies, or grant with fewer, broader patterns you have reviewed',
      },
    }),
  });
  findings.push(...fitted.findings);
  return { json: new Map(fitted.inline.map((p) => [p.name, JSON.stringify(p.document)])), overflow: fitted.managed, findings };
}

function managedPolicyArns(props: RoleProps): { arns: { arn: string; key: string }[]; findings: Finding[] } {
  const findings: Finding[] = [];
  const arns: { arn: string; key: string; field: string }[] = [];
  const partition = props.partition ?? 'aws';
  findings.push(...partitionFindings('partition', partition));
  (props.managedPolicyArns ?? []).forEach((ref, i) => {
    const field = `managedPolicyArns[${i}]`;
    const resolved = resolveManagedPolicies(field, ref);
    findings.push(...resolved.findings);
    for (const { arn, key } of resolved.arns) {
      if (!Token.isUnresolved(arn)) findings.push(...policyArnFindings(field, arn, 'customer'));
      arns.push({ arn, key, field });
    }
  });
  (props.awsManagedPolicies ?? []).forEach((policy, i) => {
    const at = `awsManagedPolicies[${i}]`;
    if (typeof policy === 'string') {
      if (!Token.isUnresolved(policy)) {
        findings.push(...policyArnFindings(at, policy, 'aws'));
      }
      const resolved = resolveManagedPolicies(at, policy);
      findings.push(...resolved.findings);
      arns.push(...resolved.arns.map((a) => ({ ...a, field: at })));
      return;
    }
    const nameFindings = iamNameFindings(`${at}.name`, policy.name, 'policy');
    const pathFindings =
      policy.path === undefined
        ? [
            {
              field: `${at}.path`,
              value: policy.path,
              problem: 'AWS managed policies have paths of their own (/, /service-role/, /job-function/, …)',
              fix: "give the path AWS lists for the policy, e.g. '/service-role/'",
            },
          ]
        : iamPathFindings(`${at}.path`, policy.path);
    findings.push(...nameFindings, ...pathFindings);
    const arn = `arn:${partition}:iam::aws:policy${policy.path ?? '/'}${policy.name}`;
    if (nameFindings.length === 0 && pathFindings.length === 0) findings.push(...awsManagedPolicyFindings(at, arn));
    arns.push({ arn, key: managedPolicyKey(arn)!, field: at });
  });
  // Each attachment is keyed by the policy's path and name: two entries with one key are one policy
  // given twice, or an AWS managed and a customer managed policy of the same path and name.
  const seen = new Map<string, { arn: string; field: string }>();
  for (const { arn, key, field } of arns) {
    const first = seen.get(key);
    if (first === undefined) seen.set(key, { arn, field });
    else if (first.arn === arn || Token.isUnresolved(arn) || Token.isUnresolved(first.arn)) {
      findings.push({ field: '(managed policies)', value: Token.isUnresolved(arn) ? field : arn, problem: 'attached twice', fix: 'list each managed policy once' });
    } else {
      findings.push({
        field,
        value: arn,
        problem: `has the path and name of ${first.field} (${first.arn}), by which its attachment is keyed`,
        fix: 'rename the customer managed policy, so that no two attached policies share a path and a name',
      });
    }
  }
  const max = props.maxManagedPolicies ?? DEFAULT_MANAGED_POLICIES_PER_ROLE;
  if (arns.length > max) {
    findings.push({
      field: '(managed policies)',
      value: arns.length,
      problem: `${arns.length} managed policies is over the ${max} a role may have attached`,
      fix: 'combine policies, or raise the quota and set maxManagedPolicies',
    });
  }
  return { arns: arns.map(({ arn, key }) => ({ arn, key })), findings };
}
