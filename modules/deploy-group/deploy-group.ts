import { IamGroup } from '@cdktf/provider-aws/lib/iam-group';
import { IamGroupPolicy } from '@cdktf/provider-aws/lib/iam-group-policy';
import { IamGroupPolicyAttachment } from '@cdktf/provider-aws/lib/iam-group-policy-attachment';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import { IamUserGroupMembership } from '@cdktf/provider-aws/lib/iam-user-group-membership';
import { type TerraformOutput, Token } from 'cdktf';
import { Construct } from 'constructs';
import { checkIamNameCollisions } from '../private/name-collisions';
import { type IGroupReference, type ManagedPolicyReference, referenceFindings, resolveManagedPolicies } from '../private/references';
import { DEFAULT_MANAGED_POLICY_ATTACHMENTS } from '../core/attachment-limits';
import { fitPrincipalPolicies, type NamedPolicy } from '../core/fit-policy';
import { documentShapeFindings } from '../core/document-shape';
import { managedPolicyArnFindings } from '../core/managed-policy-arns';
import { iamNameFindings, iamPathFindings } from '../core/iam-names';
import { type Field, shape, shapeFindings } from '../core/input-shape';
import { canonicalPolicy, type PolicyDocument } from '../core/policy-document';
import { type AcknowledgeableFinding, type Finding, throwIfAny } from '../core/policy-error';
import { POLICY_SIZE_LIMITS, policySize } from '../core/policy-kind';
import { policyFindings } from '../core/validate-policy';
import { overflowPolicies } from '../private/overflow-policies';
import { stackOutput } from '../private/stack-output';
import { duplicateNameFindings, iamEntityNameFindings } from './private/iam-entity-names';

/** A policy to put inline on the group (`aws_iam_group_policy`, the seed's `put-group-policy`). */
export interface GroupInlinePolicy {
  /** Name of the inline policy (PutGroupPolicy `PolicyName`: 1 to 128 of letters, digits and +=,.@_-). */
  readonly name: string;
  /** The policy. Checked as a group inline policy and written in canonical form. */
  readonly document: PolicyDocument;
  /**
   * Findings of this policy you accept by name (a wildcard you asked for, say).
   * @default - none
   */
  readonly acknowledge?: readonly AcknowledgeableFinding[];
}

/** A user to create and add to the group. */
export interface GroupUser {
  /** Name of the user (CreateUser `UserName`: 1 to 64 of letters, digits and +=,.@_-). */
  readonly name: string;
  /**
   * Path of the user.
   * @default '/'
   */
  readonly path?: string;
}

export interface DeployGroupProps {
  /** Name of the group (CreateGroup `GroupName`: 1 to 128 of letters, digits and +=,.@_-). */
  readonly name: string;
  /**
   * Path of the group.
   * @default '/'
   */
  readonly path?: string;
  /**
   * Policies put inline on the group. Their minified JSON, summed, must fit the 5,120 characters IAM allows
   * for one group's inline policies (IAM quotas page).
   * @default [] - none
   */
  readonly inlinePolicies?: readonly GroupInlinePolicy[];
  /**
   * Managed policies to attach to the group (`aws_iam_group_policy_attachment`): ARNs, AWS managed
   * (`arn:aws:iam::aws:policy/…`) or customer managed (`arn:aws:iam::<account>:policy/…`), references (an
   * `aws_iam_policy`'s `arn`, passed through unchecked), or the constructs that create them (an
   * `IamPolicy`, a `CiPolicy`: every part of it). Each attachment is keyed by the policy's path and name
   * (`attachment_policy_<path>_<name>`), never by position.
   * @default [] - none
   */
  readonly managedPolicyArns?: readonly ManagedPolicyReference[];
  /**
   * When the inline policies are over the group inline limit (5,120 characters summed) even after their
   * statements are merged, keep what fits inline and move the other statements to customer managed
   * policies named `<name>-2`, `<name>-3`, … at the group's path, attached to this group; with
   * `managedPolicyArns` they must stay within the 10 managed policies a group may have attached
   * (`DEFAULT_MANAGED_POLICY_ATTACHMENTS.group`). Without it such a group fails at synth. (Merging happens
   * either way, and only for inline policies over the limit: see `fitPrincipalPolicies`.)
   * @default false
   */
  readonly overflowToManagedPolicies?: boolean;
  /**
   * Users to create (`aws_iam_user`) and add to the group (`aws_iam_user_group_membership`, one per user:
   * it adds the user without taking the group's other members away, as the seed's `add-user-to-group`).
   * A name is a user at path `/`. An explicit empty list is refused: omit `users` to create the group alone.
   * @default - no users: the group alone, members added elsewhere
   */
  readonly users?: readonly (string | GroupUser)[];
  /**
   * Write the Terraform outputs `<prefix>group_name`, `<prefix>group_arn` and (with users)
   * `<prefix>user_names`: `''` gives the HCL module's names, `'ci_'` gives `ci_group_name`.
   * @default - no outputs
   */
  readonly outputPrefix?: string;
}

/** Users, as names or `{ name, path }`. */
const USERS = shape.list(shape.oneOf('a user name, or { name, path }', shape.string(), shape.object({ name: shape.string(), path: shape.optional(shape.string()) }, { strict: true })));

/** The fields `DeployGroup` and `JetsDeployGroup` both take, and their JavaScript types. */
export const GROUP_FIELDS: Readonly<Record<string, Field>> = {
  path: shape.optional(shape.string()),
  // ARNs or the constructs that create the policies: each checked by resolveManagedPolicies.
  managedPolicyArns: shape.optional(shape.list(shape.any())),
  overflowToManagedPolicies: shape.optional(shape.boolean()),
  users: shape.optional(USERS),
  outputPrefix: shape.optional(shape.string()),
};

/** Every field `DeployGroup` takes and its JavaScript type: any other is refused. */
const PROPS_SHAPE = shape.object(
  {
    name: shape.string(),
    ...GROUP_FIELDS,
    inlinePolicies: shape.optional(
      shape.list(
        shape.object(
          { name: shape.string(), document: shape.record(shape.any()), acknowledge: shape.optional(shape.list(shape.any())) },
          { strict: true, example: "{ name: 'deploy', document: { Version: '2012-10-17', Statement: [...] } }" },
        ),
      ),
    ),
  },
  { strict: true, example: "{ name: 'deployers', users: ['tung'] }" },
);

/**
 * An IAM group with its inline policies, its managed policy attachments and its member users: the seed's
 * `create-group`, `put-group-policy`, `attach-group-policy`, `create-user` and `add-user-to-group`.
 * Every name, path, policy and ARN is checked at synth; an error names this construct's path, the field,
 * the value and the fix.
 */
export class DeployGroup extends Construct implements IGroupReference {
  readonly group: IamGroup;
  readonly inlinePolicies: readonly IamGroupPolicy[];
  /** The managed policy attachments, in the order given, then the overflow policies'. */
  readonly policyAttachments: readonly IamGroupPolicyAttachment[];
  /** The customer managed policies the inline statements over the limit moved to (`overflowToManagedPolicies`). */
  readonly overflowPolicies: readonly IamPolicy[];
  readonly users: readonly IamUser[];
  readonly memberships: readonly IamUserGroupMembership[];
  /** Each inline policy's JSON as written into its resource, by policy name. */
  readonly inlinePolicyJson: Readonly<Record<string, string>>;
  /** Output `group_name` (after `outputPrefix`), when an `outputPrefix` was given. */
  readonly groupNameOutput: TerraformOutput | undefined;
  /** Output `group_arn` (after `outputPrefix`), when an `outputPrefix` was given. */
  readonly groupArnOutput: TerraformOutput | undefined;
  /** Output `user_names` (after `outputPrefix`), when an `outputPrefix` was given and there are users. */
  readonly userNamesOutput?: TerraformOutput;

  constructor(scope: Construct, id: string, props: DeployGroupProps) {
    super(scope, id);
    const context = this.node.path;
    throwIfAny(context, shapeFindings(props, PROPS_SHAPE, ''));
    // A document of the wrong shape (a number of actions, a string statement) is named before it is rendered.
    throwIfAny(
      context,
      (props.inlinePolicies ?? []).flatMap((p, i) => documentShapeFindings(p.document, `inlinePolicies[${i}].document`)),
    );
    const users = (props.users ?? []).map((u) => (typeof u === 'string' ? { name: u } : u));
    const inline = props.inlinePolicies ?? [];
    const resolved = (props.managedPolicyArns ?? []).map((ref, i) => ({ field: `managedPolicyArns[${i}]`, ...resolveManagedPolicies(`managedPolicyArns[${i}]`, ref) }));
    const policies = resolved.flatMap((r) => r.arns.map((a) => ({ ...a, field: r.field })));
    throwIfAny(context, [
      ...resolved.flatMap((r) => r.findings),
      ...literalFindings(props, users),
      ...iamEntityNameFindings('name', props.name, 'group'),
      ...iamPathFindings('path', props.path),
      ...userFindings(props.users, users),
      ...inlinePolicyFindings(inline),
      ...attachmentFindings(policies),
    ]);
    const documents = inline.map((p) => canonicalPolicy(p.document));
    const fitted = fitInlinePolicies(props, context, documents, policies.length);
    throwIfAny(context, fitted.findings);

    this.group = new IamGroup(this, 'group', { name: props.name, ...(props.path !== undefined && { path: props.path }) });
    const json: Record<string, string> = {};
    this.inlinePolicies = fitted.inline.map((p) => {
      json[p.name] = JSON.stringify(p.document);
      return new IamGroupPolicy(this, `policy_${p.name}`, { name: p.name, group: this.group.name, policy: json[p.name] });
    });
    this.inlinePolicyJson = json;
    // Keyed by the policy's path and name, so removing or reordering one replaces no other attachment.
    const attachments = policies.map(({ arn, key }) => new IamGroupPolicyAttachment(this, `attachment_${key}`, { group: this.group.name, policyArn: arn }));
    const overflow = overflowPolicies(this, fitted.overflow, {
      principal: `group ${props.name}`,
      limit: 'the group inline size limit',
      ...(props.path !== undefined && { path: props.path }),
      attach: (scope, policyArn) => new IamGroupPolicyAttachment(scope, 'attachment', { group: this.group.name, policyArn }),
    });
    this.overflowPolicies = overflow.policies;
    this.policyAttachments = [...attachments, ...overflow.attachments];
    this.users = users.map((u) => new IamUser(this, `user_${u.name}`, { name: u.name, ...(u.path !== undefined && { path: u.path }) }));
    this.memberships = this.users.map((user, i) => new IamUserGroupMembership(this, `membership_${users[i].name}`, { user: user.name, groups: [this.group.name] }));

    const prefix = props.outputPrefix;
    this.groupNameOutput = stackOutput(this, prefix, 'group_name', this.group.name, 'The name of the IAM group.');
    this.groupArnOutput = stackOutput(this, prefix, 'group_arn', this.group.arn, 'The ARN of the IAM group.');
    if (this.users.length > 0) {
      this.userNamesOutput = stackOutput(this, prefix, 'user_names', Token.asString(this.users.map((u) => u.name)), 'The names of the IAM users created and added to the group.');
    }
    checkIamNameCollisions(this);
  }

  get groupName(): string {
    return this.group.name;
  }

  get groupArn(): string {
    return this.group.arn;
  }
}

/** Names, paths and ARNs other than managed policy ARNs must be known at synth to be checked. */
function literalFindings(props: DeployGroupProps, users: readonly GroupUser[]): Finding[] {
  return referenceFindings({
    name: props.name,
    path: props.path,
    ...Object.fromEntries(
      users.flatMap((u, i) => [
        [`users[${i}].name`, u.name],
        [`users[${i}].path`, u.path],
      ]),
    ),
    ...Object.fromEntries((props.inlinePolicies ?? []).map((p, i) => [`inlinePolicies[${i}].name`, p.name])),
  });
}

function userFindings(given: DeployGroupProps['users'], users: readonly GroupUser[]): Finding[] {
  if (given !== undefined && given.length === 0) {
    return [
      {
        field: 'users',
        value: [],
        problem: 'an empty list adds nobody to the group, so its policies reach no one',
        fix: 'list the users, e.g. ["tung"], or omit users to create the group alone and add members elsewhere',
      },
    ];
  }
  return [
    ...users.flatMap((u, i) => [...iamEntityNameFindings(`users[${i}].name`, u.name, 'user'), ...iamPathFindings(`users[${i}].path`, u.path)]),
    ...duplicateNameFindings(
      'users',
      users.map((u) => u.name),
      'user',
    ),
  ];
}

function inlinePolicyFindings(inline: readonly GroupInlinePolicy[]): Finding[] {
  const findings = inline.flatMap((p, i) => iamNameFindings(`inlinePolicies[${i}].name`, p.name, 'rolePolicy'));
  inline.forEach((p, i) => {
    const first = inline.findIndex((q) => q.name === p.name);
    if (first !== i) {
      findings.push({
        field: `inlinePolicies[${i}].name`,
        value: p.name,
        problem: `inlinePolicies[${first}] has the same name; the second would overwrite the first`,
        fix: 'give each inline policy its own name, or merge their statements',
      });
    }
  });
  return findings;
}

/** Advice when the inline policies, merged, are over the group inline limit and may not overflow. */
const SIZE_FIX =
  'split the policy, moving part to managedPolicyArns (a customer managed policy may hold 6,144 characters), or set overflowToManagedPolicies ' +
  'to move the statements that do not fit to customer managed policies attached to the group, or merge statements';

/**
 * The inline policies to write, the overflow policies and the findings. Over the group inline limit, the
 * policies are merged and, with `overflowToManagedPolicies`, cut down with the rest moved to customer
 * managed policies. When they still cannot fit, nothing merged and no overflow was asked for, the size
 * findings are the ones a group has always reported.
 */
function fitInlinePolicies(props: DeployGroupProps, context: string, documents: readonly PolicyDocument[], attached: number): { inline: NamedPolicy[]; overflow: NamedPolicy[]; findings: Finding[] } {
  const inline = props.inlinePolicies ?? [];
  const fitted = fitPrincipalPolicies(
    inline.map((p, i) => ({ name: p.name, document: documents[i] })),
    {
      context,
      principal: `group ${props.name}`,
      kind: 'group-inline',
      fix: SIZE_FIX,
      ...(props.overflowToManagedPolicies === true && {
        overflow: {
          name: props.name,
          attachmentLimit: DEFAULT_MANAGED_POLICY_ATTACHMENTS.group,
          attached,
          fix: 'attach fewer managed policies, or grant with fewer, broader patterns you have reviewed',
        },
      }),
    },
  );
  if (fitted.findings.length > 0 && !fitted.merged && props.overflowToManagedPolicies !== true) {
    return { inline: [], overflow: [], findings: inlineDocumentFindings(inline, documents) };
  }
  return { inline: fitted.inline, overflow: fitted.managed, findings: [...inlineDocumentFindings(inline, documents, false), ...fitted.findings] };
}

function inlineDocumentFindings(inline: readonly GroupInlinePolicy[], documents: readonly PolicyDocument[], checkSizes = true): Finding[] {
  const findings = documents.flatMap((doc, i) =>
    policyFindings(doc, {
      kind: 'group-inline',
      acknowledge: inline[i].acknowledge ?? [],
      // Sizes are the fit's to check when the policies are fitted.
      ...(checkSizes ? { sizeFix: SIZE_FIX } : { sizeLimit: Number.MAX_SAFE_INTEGER }),
    }).map((f) => ({
      ...f,
      field: `inlinePolicies[${i}].document.${f.field}`,
    })),
  );
  const { limit, unit, appliesTo } = POLICY_SIZE_LIMITS['group-inline'];
  const total = documents.reduce((sum, doc) => sum + policySize(doc, unit), 0);
  if (checkSizes && documents.length > 1 && total > limit) {
    findings.push({
      field: 'inlinePolicies',
      value: total,
      problem: `${total} characters together is over the ${limit} allowed for ${appliesTo}`,
      fix: SIZE_FIX,
    });
  }
  return findings;
}

/**
 * The managed policies to attach: each literal ARN a managed policy's, AWS or customer managed
 * (`managedPolicyArnFindings`: AttachGroupPolicy takes one policy's ARN), and each policy listed once.
 */
function attachmentFindings(policies: readonly { arn: string; key: string; field: string }[]): Finding[] {
  const findings: Finding[] = [];
  policies.forEach(({ arn, field }) => {
    if (typeof arn === 'string' && Token.isUnresolved(arn)) return;
    findings.push(...managedPolicyArnFindings(field, arn, { example: 'arn:aws:iam::aws:policy/service-role/AWS_ConfigRole', orElse: "pass the aws_iam_policy's arn" }));
  });
  // Attachments are keyed by the policy's path and name: one key twice is one policy listed twice, or two
  // policies (an AWS managed and a customer managed one) of the same path and name.
  const first = new Map<string, { arn: string; field: string }>();
  for (const { arn, key, field } of policies) {
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, { arn, field });
    else if (earlier.arn === arn || Token.isUnresolved(arn) || Token.isUnresolved(earlier.arn)) {
      findings.push({ field, value: Token.isUnresolved(arn) ? key : arn, problem: `${earlier.field} is the same policy`, fix: 'list each policy once' });
    } else {
      findings.push({
        field,
        value: arn,
        problem: `has the path and name of ${earlier.field} (${earlier.arn}), by which its attachment is keyed`,
        fix: 'rename the customer managed policy, so that no two attached policies share a path and a name',
      });
    }
  }
  return findings;
}
