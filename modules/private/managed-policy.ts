import { IamGroupPolicyAttachment } from '@cdktf/provider-aws/lib/iam-group-policy-attachment';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { IamUserPolicyAttachment } from '@cdktf/provider-aws/lib/iam-user-policy-attachment';
import { type TerraformOutput, Token } from 'cdktf';
import { Construct } from 'constructs';
import { fitPolicies } from '../core/fit-policy';
import { type Field, type Shape, shape, shapeFindings } from '../core/input-shape';
import { iamNameFindings, iamPathFindings } from '../core/iam-names';
import type { PolicyDocument } from '../core/policy-document';
import { type Finding, PolicyValidationError, throwIfAny } from '../core/policy-error';
import { POLICY_SIZE_LIMITS, policySize } from '../core/policy-kind';
import type { PolicyDestination } from '../core/validate-policy';
import { checkIamNameCollisions } from './name-collisions';
import { type GroupReference, type IManagedPolicies, resolvePrincipal, type ResolvedPrincipal, type RoleReference, type UserReference } from './references';
import { stackOutput } from './stack-output';

/**
 * What every construct on `ManagedPolicy` takes (the CI policies' `CiPolicyProps`, the delegated role creation
 * policy's), after Gruntwork's iam-policies modules.
 */
export interface ManagedPolicyProps {
  /**
   * Name of the managed policy.
   * @default - the module's name, e.g. 'ecr-docker-push'
   */
  readonly name?: string;
  /**
   * Path of the managed policy.
   * @default '/'
   */
  readonly path?: string;
  /**
   * Description of the managed policy.
   * @default - what the module grants, in one sentence
   */
  readonly description?: string;
  /**
   * Create the managed policy and its attachments. With `false` nothing is created, and the policy is
   * still checked and still output as `json` (Gruntwork's `create_resources`, since module-ci v0.16.5 and
   * v0.23.2).
   * @default true
   */
  readonly createResources?: boolean;
  /**
   * Roles to attach the policy to (`aws_iam_role_policy_attachment`): names, references, or the constructs
   * that create them (a `Role`, a `StateAccessRole`, an `IamRole`). Each attachment is keyed by the role's
   * name (`role-<name>`; for a reference whose name is not written out, the address of the resource it
   * refers to), never by position.
   * @default []
   */
  readonly attachToRoles?: readonly RoleReference[];
  /**
   * Users to attach the policy to (`aws_iam_user_policy_attachment`): names, references, or `IamUser`s,
   * keyed as roles are.
   * @default []
   */
  readonly attachToUsers?: readonly UserReference[];
  /**
   * Groups to attach the policy to (`aws_iam_group_policy_attachment`): names, references, or the
   * constructs that create them (a `DeployGroup`, an `IamGroup`), keyed as roles are.
   * @default []
   */
  readonly attachToGroups?: readonly GroupReference[];
  /**
   * Most customer managed policies the grants may be split into when the document, its statements merged,
   * is still over the 6,144 characters of one: the fewest that fit are created, named `<name>`,
   * `<name>-2`, …, each attached to every role, user and group above, where each counts against that
   * principal's managed policy quota (`DEFAULT_MANAGED_POLICY_ATTACHMENTS`: 10 each by default). Above 1,
   * the document is built with no size check of its own, so it may be of any size: what cannot fit (a
   * statement over 6,144 characters alone, or more policies than this) fails at synth.
   * @default 1 - never split: a policy that does not fit fails at synth
   */
  readonly maxPolicies?: number;
  /**
   * Write the Terraform outputs of Gruntwork's modules, each name after this prefix: `json` (and `json_<n>`
   * for the parts of a split policy), and, when created, `arn` and `name` (`arn_<n>`, `name_<n>`). `''`
   * gives the modules' names; `'ecr_'` gives `ecr_json`.
   * @default - no outputs
   */
  readonly outputPrefix?: string;
}

/** The JavaScript types of `ManagedPolicyProps`, which every construct on `ManagedPolicy` takes besides its module's own. */
const MANAGED_POLICY_FIELDS: Readonly<Record<string, Field>> = {
  name: shape.optional(shape.string()),
  path: shape.optional(shape.string()),
  description: shape.optional(shape.string()),
  createResources: shape.optional(shape.boolean()),
  // Names, references or constructs: each checked by resolvePrincipal.
  attachToRoles: shape.optional(shape.list(shape.any())),
  attachToUsers: shape.optional(shape.list(shape.any())),
  attachToGroups: shape.optional(shape.list(shape.any())),
  maxPolicies: shape.optional(shape.number()),
  outputPrefix: shape.optional(shape.string()),
};

/** What a module passes to `ManagedPolicy`: its own defaults and how to build its document. */
export interface ManagedPolicyModule {
  readonly defaultName: string;
  readonly description: string;
  /**
   * The JavaScript types of the module's own props. Given, they and `ManagedPolicyProps` are all the props
   * taken: any other field is refused (`INPUT_TYPE`), so that a misspelt one is not silently ignored.
   * @default - the module's props are its document builder's to check, and other fields are not refused
   */
  readonly fields?: Readonly<Record<string, Field | Shape>>;
  /** Builds and checks the module's document for `destination` (a managed policy under this construct). */
  readonly document: (destination: PolicyDestination) => PolicyDocument;
}

/**
 * A module's document as a customer managed policy (split into several when `maxPolicies` allows), attached
 * where asked, and, with an `outputPrefix`, the outputs Gruntwork's modules have (`json` always; `arn` and
 * `name` when created): the plumbing shared by the CI policies (`CiPolicy`) and `DelegatedRoleCreationPolicy`.
 * Pass it where a managed policy is taken (`Role`'s `managedPolicyArns`): every part is attached.
 */
export class ManagedPolicy extends Construct implements IManagedPolicies {
  /** The policy document (the first, when the grants were split: see `documents`). */
  readonly document: PolicyDocument;
  /** Its canonical JSON, as written into the policy. */
  readonly json: string;
  /** Every document: one, or more when `maxPolicies` let an oversized document be split. */
  readonly documents: readonly PolicyDocument[];
  /** The managed policy, unless `createResources` is false. */
  readonly policy?: IamPolicy;
  /** The managed policies after the first (`<name>-2`, …), when the grants were split. */
  readonly additionalPolicies: readonly IamPolicy[];
  /** Output `json` (after `outputPrefix`), when an `outputPrefix` was given. */
  readonly jsonOutput: TerraformOutput | undefined;

  constructor(scope: Construct, id: string, props: ManagedPolicyProps, module: ManagedPolicyModule) {
    super(scope, id);
    const context = this.node.path;
    // Types first: a construct where a list goes, or 'no' for createResources, named before anything reads them.
    throwIfAny(
      context,
      shapeFindings(props, shape.object({ ...MANAGED_POLICY_FIELDS, ...module.fields }, { strict: module.fields !== undefined, example: "{ name: 'ci', attachToRoles: [role], … }" }), ''),
    );
    const name = props.name ?? module.defaultName;
    const principals = (field: string, kind: 'role' | 'user' | 'group', refs: readonly unknown[] | undefined) => {
      const resolved = (refs ?? []).map((ref, i) => resolvePrincipal(`${field}[${i}]`, kind, ref));
      return { list: resolved.flatMap((r) => (r.resolved === undefined ? [] : [r.resolved])), findings: resolved.flatMap((r) => r.findings) };
    };
    const roles = principals('attachToRoles', 'role', props.attachToRoles);
    const users = principals('attachToUsers', 'user', props.attachToUsers);
    const groups = principals('attachToGroups', 'group', props.attachToGroups);
    const attachTo = { roles: roles.list, users: users.list, groups: groups.list };
    throwIfAny(context, [
      ...roles.findings,
      ...users.findings,
      ...groups.findings,
      ...duplicateKeyFindings('attachToRoles', roles.list),
      ...duplicateKeyFindings('attachToUsers', users.list),
      ...duplicateKeyFindings('attachToGroups', groups.list),
      ...iamNameFindings('name', name, 'policy'),
      ...iamPathFindings('path', props.path),
      ...maxPoliciesFindings(props.maxPolicies),
      ...(props.createResources === false && attachTo.roles.length + attachTo.users.length + attachTo.groups.length > 0
        ? [{ field: 'createResources', value: false, problem: 'nothing is created, so nothing can be attached', fix: 'remove the attachTo* lists, or create the policy' }]
        : []),
    ]);
    this.documents = moduleDocuments(module, context, props.maxPolicies ?? 1, attachTo);
    this.document = this.documents[0];
    this.json = JSON.stringify(this.document);
    const prefix = props.outputPrefix;
    this.jsonOutput = stackOutput(this, prefix, 'json', this.json, 'The policy document, as JSON.');
    const more = this.documents.slice(1).map((document, i) => ({ n: i + 2, json: JSON.stringify(document) }));
    more.forEach(({ n, json }) => stackOutput(this, prefix, `json_${n}`, json, `Policy document ${n} of the split grants, as JSON.`));
    this.additionalPolicies = [];
    if (props.createResources === false) return;
    checkIamNameCollisions(this);

    const policy = new IamPolicy(this, 'policy', {
      name,
      description: props.description ?? module.description,
      ...(props.path !== undefined && { path: props.path }),
      policy: this.json,
    });
    this.policy = policy;
    attach(this, attachTo, policy.arn);
    stackOutput(this, prefix, 'arn', policy.arn, 'The ARN of the policy.');
    stackOutput(this, prefix, 'name', policy.name, 'The name of the policy.');
    // Each further policy in a scope of its own, so its attachments keep the first policy's ids.
    this.additionalPolicies = more.map(({ n, json }) => {
      const scope = new Construct(this, `policy_${n}`);
      const extra = new IamPolicy(scope, 'policy', {
        name: `${name}-${n}`,
        description: `${props.description ?? module.description} (part ${n} of ${this.documents.length})`,
        ...(props.path !== undefined && { path: props.path }),
        policy: json,
      });
      attach(scope, attachTo, extra.arn);
      stackOutput(scope, prefix, `arn_${n}`, extra.arn, `The ARN of policy ${n} of the split grants.`);
      stackOutput(scope, prefix, `name_${n}`, extra.name, `The name of policy ${n} of the split grants.`);
      return extra;
    });
  }

  /** The ARNs of the managed policies created: the first, then the parts it was split into; none with `createResources: false`. */
  get policyArns(): readonly string[] {
    return this.policy === undefined ? [] : [this.policy.arn, ...this.additionalPolicies.map((p) => p.arn)];
  }
}

interface AttachTo {
  readonly roles: readonly ResolvedPrincipal[];
  readonly users: readonly ResolvedPrincipal[];
  readonly groups: readonly ResolvedPrincipal[];
}

/**
 * The policy's attachments, under `scope`, each keyed by its principal's key (`role-ci`), so that
 * removing or reordering principals replaces no other attachment in Terraform.
 */
function attach(scope: Construct, to: AttachTo, policyArn: string): void {
  to.roles.forEach(({ name, key }) => new IamRolePolicyAttachment(scope, `role-${key}`, { role: name, policyArn }));
  to.users.forEach(({ name, key }) => new IamUserPolicyAttachment(scope, `user-${key}`, { user: name, policyArn }));
  to.groups.forEach(({ name, key }) => new IamGroupPolicyAttachment(scope, `group-${key}`, { group: name, policyArn }));
}

/** A principal listed twice (by name, or by two references to one resource) would be attached twice. */
function duplicateKeyFindings(field: string, principals: readonly ResolvedPrincipal[]): Finding[] {
  const first = new Map<string, number>();
  const findings: Finding[] = [];
  principals.forEach(({ name, key }, i) => {
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, i);
    else findings.push({ field: `${field}[${i}]`, value: Token.isUnresolved(name) ? key : name, problem: `${field}[${earlier}] is the same`, fix: 'list each once' });
  });
  return findings;
}

const SIZE_FIX = 'split the grants across two policies (each managed policy holds 6,144 characters)';

/**
 * Above this size a document merging cannot bring within one managed policy fails, with `maxPolicies` 1,
 * with the module's own size message, as it did before `PolicyDestination.sizeLimit` let it be built
 * unchecked (it was built again as an identity policy, within this limit): messages stay as they were.
 */
const SINGLE_POLICY_MESSAGE_ABOVE = POLICY_SIZE_LIMITS.identity.limit;

/**
 * The module's document as one managed policy or more. With `maxPolicies` over 1 it is built with no size
 * check (`sizeLimit: Infinity`; every other check applies) and fitted at any size: merged, then split into
 * at most `maxPolicies` of 6,144 characters. With 1 it is built checked as one managed policy, and when its
 * size is the one problem, built again unchecked and merged; it fails when merging is not enough.
 */
function moduleDocuments(module: ManagedPolicyModule, context: string, maxPolicies: number, attachTo: AttachTo): PolicyDocument[] {
  const unchecked = () => module.document({ context, kind: 'managed', sizeLimit: Infinity, sizeFix: SIZE_FIX });
  const attached = Object.entries(attachTo).flatMap(([kind, list]: [string, readonly ResolvedPrincipal[]]) =>
    list.map((p) => `${kind.slice(0, -1)} ${Token.isUnresolved(p.name) ? '(a reference)' : p.name}`),
  );
  const fit = (document: PolicyDocument) =>
    fitPolicies(document, {
      context,
      kind: 'managed',
      maxDocuments: maxPolicies,
      fix:
        `set maxPolicies to split the grants into several managed policies${attached.length > 0 ? `, each attached to ${attached.join(', ')} (one attachment more each)` : ''}, ` +
        'or grant with fewer, broader patterns you have reviewed',
    });
  if (maxPolicies > 1) return fit(unchecked());
  try {
    return [module.document({ context, kind: 'managed', sizeFix: SIZE_FIX })];
  } catch (e) {
    if (!(e instanceof PolicyValidationError) || e.findings.some((f) => f.field !== '(policy size)')) throw e;
    const document = unchecked();
    try {
      return fit(document);
    } catch (unfit) {
      throw policySize(document, POLICY_SIZE_LIMITS.managed.unit) > SINGLE_POLICY_MESSAGE_ABOVE ? e : unfit;
    }
  }
}

function maxPoliciesFindings(maxPolicies: number | undefined): Finding[] {
  if (maxPolicies === undefined || (Number.isInteger(maxPolicies) && maxPolicies >= 1)) return [];
  return [{ field: 'maxPolicies', value: maxPolicies, problem: 'is not a whole number of policies, 1 or more', fix: 'set it to 1 (no split) or more' }];
}
