/**
 * Reading a synthesized stack (`cdk.tf.json`) into its *subjects*: each role, user and group with every
 * policy that applies to it (inline, attached, inherited from a group, its trust policy and boundary),
 * each resource policy, each service control policy, and each managed policy attached to nothing here.
 *
 * Everything is read from the stack's own JSON: no AWS call, no file. What cannot be read for certain
 * (a policy built from a reference, an IAM resource type or attribute this reader does not know, `count`
 * or `for_each`) fails with an error naming the stack, the resource, the value and what to do, rather
 * than being left out of the report: a missing grant would read as "not allowed". An AWS managed policy
 * is expanded from the library's copy of AWS's managed policies (`core/aws-managed-policies.ts`, no AWS
 * call); left unexpanded, named by ARN and marked so, are a customer managed policy not created in the
 * stack and an AWS managed ARN that is not one of AWS's current policies.
 */
import { ADMISSION_COMMENT_KEY } from '../core/acknowledgements';
import { AWS_MANAGED_POLICIES_AS_OF, awsManagedPolicyDocument } from '../core/aws-managed-policies';
import { type PolicyDocument } from '../core/policy-document';
import { type Finding, throwIfAny } from '../core/policy-error';
import { POLICY_SIZE_LIMITS, type PolicyKind, textSize } from '../core/policy-kind';
import { documentProblem, looksLikePolicy } from './private/policy-text';
import { literalText, referenceOf } from './private/terraform-json';

/** What a subject is. */
export type SubjectKind = 'role' | 'user' | 'group' | 'managed-policy' | 'bucket-policy' | 'service-control-policy';

/** How a policy reaches its subject. */
export type Attachment =
  /** Written into the subject (`aws_iam_role_policy`, …), or the subject's own document. */
  | 'inline'
  /** A customer managed policy of this stack (`aws_iam_policy`), attached. */
  | 'managed'
  /**
   * An AWS managed policy (`arn:aws:iam::aws:policy/…`): its content is not in the stack, and is read from
   * the library's copy of AWS's managed policies (`awsManagedPolicyDocument`), when AWS offers it.
   */
  | 'aws-managed'
  /** A customer managed policy not created in this stack, attached by ARN: its content is not in the stack. */
  | 'by-arn';

/** One policy as it applies to a subject. */
export interface AppliedPolicy {
  readonly attachment: Attachment;
  /** How the report names it: `inline JetsPolicy`, `managed ci-web-secrets`, `AWS managed arn:…`. */
  readonly label: string;
  /** The Terraform address of the resource that holds the document, when it is in the stack. */
  readonly address?: string;
  /** The ARN, for a policy whose content is not in the stack. */
  readonly arn?: string;
  /** The document: in the stack, or the latest version of an AWS managed policy AWS offers. */
  readonly document?: PolicyDocument;
  /** The version of an AWS managed policy's document (`v3`), as of `AWS_MANAGED_POLICIES_AS_OF`. */
  readonly version?: string;
  /** The group it comes through, for a user's policy inherited from a group. */
  readonly via?: string;
  /**
   * What the construct that wrote it checked who the policy admits against: the resource's `"//"` comment
   * (which Terraform ignores), `admission`. Absent for a resource no construct of this project wrote.
   */
  readonly admission?: RecordedAdmission;
}

/** A trust or resource policy's admission check, as the construct that wrote it records it (`modules/private/acknowledgements.ts`). */
export interface RecordedAdmission {
  /** The account the construct was told the role or resource is in. */
  readonly account?: string;
  readonly acknowledged: readonly RecordedAcknowledgement[];
}

/** One accepted finding, as a construct records it next to the resource (`modules/private/acknowledgements.ts`). */
export interface RecordedAcknowledgement {
  readonly rule: string;
  /** The document field the finding is at, e.g. `Statement[0].Principal.AWS`. */
  readonly field: string;
  readonly reason?: string;
}

/** A policy's size against the limit of where it is, as IAM, Organizations or S3 count it. */
export interface SizeCheck {
  /** What is measured, e.g. `inline policies of role ci-web, summed`. */
  readonly what: string;
  readonly size: number;
  readonly limit: number;
  readonly unit: string;
}

/** One subject of a stack: something whose permissions the report lists and the diff compares. */
export interface Subject {
  /** Stable across versions of the stack: kind, provider and name (never a construct id). */
  readonly id: string;
  readonly kind: SubjectKind;
  /** The IAM name; a bucket policy's bucket; an SCP's name. */
  readonly name: string;
  /** The IAM path, when set. */
  readonly path?: string;
  /** The Terraform provider: `aws`, or `aws.<alias>`. */
  readonly provider: string;
  /** The account, when the provider is pinned to one (`allowed_account_ids`). */
  readonly account?: string;
  /** Terraform addresses of the resources that create it; empty when the stack only names it. */
  readonly addresses: readonly string[];
  /** The policies that decide what it may do (for a resource policy or an SCP: its own document). */
  readonly policies: readonly AppliedPolicy[];
  /** A role's trust policy: who may assume it. */
  readonly trustPolicy?: AppliedPolicy;
  /** The permissions boundary of a role or user. */
  readonly boundary?: AppliedPolicy;
  /** A user's groups, by name, sorted. */
  readonly groups: readonly string[];
  /** A group's member users, by name, sorted. */
  readonly members: readonly string[];
  /** A role's instance profiles, by name, sorted. */
  readonly instanceProfiles: readonly string[];
  /** An SCP's targets (roots, OUs, accounts), sorted. */
  readonly targets: readonly string[];
  readonly sizes: readonly SizeCheck[];
}

/** A stack, read. */
export interface StackIam {
  readonly stack: string;
  /** Sorted by kind, provider, name. */
  readonly subjects: readonly Subject[];
}

/** The resource types read here: every one the project's constructs create that bears on IAM. */
export const READ_RESOURCE_TYPES = [
  'aws_iam_group',
  'aws_iam_group_policy',
  'aws_iam_group_policy_attachment',
  'aws_iam_instance_profile',
  'aws_iam_openid_connect_provider',
  'aws_iam_policy',
  'aws_iam_role',
  'aws_iam_role_policy',
  'aws_iam_role_policy_attachment',
  'aws_iam_user',
  'aws_iam_user_group_membership',
  'aws_iam_user_policy',
  'aws_iam_user_policy_attachment',
  'aws_organizations_policy',
  'aws_organizations_policy_attachment',
  'aws_s3_bucket_policy',
] as const;

type ReadType = (typeof READ_RESOURCE_TYPES)[number];

/**
 * The arguments read, or known to have no bearing on who may do what, for each type. Any other argument
 * (`inline_policy`, `managed_policy_arns`, `name_prefix`, …) fails: it could grant what the report does
 * not show.
 */
const KNOWN_ARGUMENTS: { readonly [T in ReadType]: readonly string[] } = {
  aws_iam_group: ['name', 'path'],
  aws_iam_group_policy: ['name', 'group', 'policy'],
  aws_iam_group_policy_attachment: ['group', 'policy_arn'],
  aws_iam_instance_profile: ['name', 'path', 'role', 'tags'],
  // An identity provider grants nothing itself: the roles that trust it do, and are read with it.
  aws_iam_openid_connect_provider: ['url', 'client_id_list', 'thumbprint_list', 'tags'],
  aws_iam_policy: ['name', 'path', 'description', 'policy', 'tags'],
  aws_iam_role: ['name', 'path', 'assume_role_policy', 'permissions_boundary', 'description', 'max_session_duration', 'force_detach_policies', 'tags'],
  aws_iam_role_policy: ['name', 'role', 'policy'],
  aws_iam_role_policy_attachment: ['role', 'policy_arn'],
  aws_iam_user: ['name', 'path', 'permissions_boundary', 'force_destroy', 'tags'],
  aws_iam_user_group_membership: ['user', 'groups'],
  aws_iam_user_policy: ['name', 'user', 'policy'],
  aws_iam_user_policy_attachment: ['user', 'policy_arn'],
  aws_organizations_policy: ['name', 'description', 'type', 'content', 'tags', 'skip_destroy'],
  aws_organizations_policy_attachment: ['policy_id', 'target_id', 'skip_destroy'],
  aws_s3_bucket_policy: ['bucket', 'policy'],
};

/** Terraform meta-arguments that change nothing a policy grants. */
const META_ARGUMENTS = ['//', 'provider', 'depends_on', 'lifecycle'];

const EXTEND_FIX = 'extend modules/review/stack-iam.ts to read it, or write the value out literally';

/** A stack's `cdk.tf.json`, as far as the reader looks at it. */
interface TerraformJson {
  readonly provider?: { readonly aws?: readonly { readonly alias?: string; readonly allowed_account_ids?: readonly string[] }[] };
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
}

interface Resource {
  readonly type: string;
  readonly name: string;
  readonly address: string;
  readonly body: Record<string, unknown>;
  readonly provider: string;
}

/**
 * Reads the synthesized stack `stack` (its parsed `cdk.tf.json`). `context` names the command for
 * errors (`npm run report`). Throws a `PolicyValidationError` listing everything it cannot read.
 */
export function readStack(stack: string, json: unknown, context: string): StackIam {
  return new StackReader(stack, json as TerraformJson, `${context}: stack ${stack}`).read();
}

/** One synthesized stack's file, as a CLI reads it from `cdktf.out/stacks/<stack>/cdk.tf.json`. */
export interface SynthesizedStackFile {
  readonly stack: string;
  /** The file's text. */
  readonly text: string;
  /** Where it was read from, relative to the project, for errors. */
  readonly file: string;
}

/** Reads every stack file; throws naming the file when one is not JSON, or what `readStack` cannot read. */
export function readSynthesizedStacks(files: readonly SynthesizedStackFile[], context: string): StackIam[] {
  return [...files]
    .sort((a, b) => cmp(a.stack, b.stack))
    .map((f) => {
      let json: unknown;
      try {
        json = JSON.parse(f.text);
      } catch (e) {
        throwIfAny(`${context}: stack ${f.stack}`, [{ field: f.file, value: f.text.slice(0, 80), problem: `is not JSON (${(e as Error).message})`, fix: 'synthesize the stacks again (npm run synth)' }]);
      }
      return readStack(f.stack, json, context);
    });
}

interface Entity {
  readonly resource: Resource;
  readonly name: string;
  readonly path?: string;
}

class StackReader {
  private readonly findings: Finding[] = [];
  private readonly resources: Resource[] = [];
  private readonly accounts = new Map<string, string>();

  constructor(
    private readonly stack: string,
    private readonly json: TerraformJson,
    private readonly context: string,
  ) {}

  read(): StackIam {
    if (typeof this.json !== 'object' || this.json === null || Array.isArray(this.json)) {
      throwIfAny(this.context, [{ field: 'cdk.tf.json', value: typeof this.json, problem: 'is not a JSON object', fix: 'synthesize the stack again (npm run synth)' }]);
    }
    this.readProviders();
    this.collectResources();
    throwIfAny(this.context, this.findings);
    const subjects = this.subjects();
    throwIfAny(this.context, this.findings);
    return { stack: this.stack, subjects: subjects.sort(compareSubjects) };
  }

  private report(field: string, value: unknown, problem: string, fix: string): void {
    this.findings.push({ field, value, problem, fix });
  }

  private readProviders(): void {
    for (const config of this.json.provider?.aws ?? []) {
      const provider = config.alias === undefined ? 'aws' : `aws.${config.alias}`;
      const ids = config.allowed_account_ids ?? [];
      if (ids.length === 1) this.accounts.set(provider, ids[0]);
    }
  }

  private collectResources(): void {
    const all = this.json.resource ?? {};
    for (const type of Object.keys(all).sort()) {
      for (const name of Object.keys(all[type]).sort()) {
        const body = all[type][name];
        const address = `${type}.${name}`;
        const provider = typeof body.provider === 'string' ? body.provider : 'aws';
        const resource: Resource = { type, name, address, body, provider };
        if ((READ_RESOURCE_TYPES as readonly string[]).includes(type)) {
          this.checkArguments(resource);
          this.resources.push(resource);
        } else this.checkUnread(resource);
      }
    }
  }

  private checkArguments(resource: Resource): void {
    const known = KNOWN_ARGUMENTS[resource.type as ReadType];
    for (const argument of Object.keys(resource.body)) {
      if (known.includes(argument) || META_ARGUMENTS.includes(argument)) continue;
      const problem =
        argument === 'count' || argument === 'for_each'
          ? `${argument} makes the number of ${resource.type} resources known only at plan time`
          : `the review does not read ${resource.type}'s argument ${argument}, which could grant what the report would not show`;
      this.report(`${resource.address}.${argument}`, resource.body[argument], problem, EXTEND_FIX);
    }
  }

  /**
   * A resource of a type not read here must carry no policy: no IAM resource at all, and no string that
   * is a policy document or an argument named like one (`policy`, `access_policy`, …).
   */
  private checkUnread(resource: Resource): void {
    if (resource.type.startsWith('aws_iam_') || resource.type.startsWith('aws_organizations_')) {
      this.report(resource.address, resource.type, `the review does not read ${resource.type}, which bears on who may do what`, EXTEND_FIX);
      return;
    }
    const visit = (value: unknown, field: string, key: string): void => {
      if (typeof value === 'string') {
        if (/(^|_)policy$/.test(key) || looksLikePolicy(value)) {
          this.report(field, value.slice(0, 120), `the review does not read ${resource.type}, and this holds a policy`, EXTEND_FIX);
        }
      } else if (Array.isArray(value)) value.forEach((v, i) => visit(v, `${field}[${i}]`, key));
      else if (value !== null && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) if (k !== '//') visit(v, `${field}.${k}`, k);
      }
    };
    for (const [key, value] of Object.entries(resource.body)) if (key !== '//') visit(value, `${resource.address}.${key}`, key);
  }

  private ofType(type: ReadType): Resource[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** A literal string argument; reports and returns undefined when absent or a reference. */
  private literal(resource: Resource, argument: string, required: boolean): string | undefined {
    const value = resource.body[argument];
    if (value === undefined) {
      if (required) this.report(`${resource.address}.${argument}`, value, 'is not set', `set ${argument} to a literal value`);
      return undefined;
    }
    const text = typeof value === 'string' ? literalText(value) : undefined;
    if (text === undefined) {
      this.report(`${resource.address}.${argument}`, value, 'is not a literal: the value is known only at apply time', EXTEND_FIX);
    }
    return text;
  }

  /** The policy text of `argument`, parsed and checked to be a document the grants model can read. */
  private policyDocument(resource: Resource, argument: string): { document: PolicyDocument; text: string } | undefined {
    const field = `${resource.address}.${argument}`;
    const value = resource.body[argument];
    const text = typeof value === 'string' ? literalText(value) : undefined;
    if (text === undefined) {
      this.report(
        field,
        value,
        'the policy is built from a Terraform reference or template, so its content is known only at apply time',
        'write the policy as a literal document (the constructs render documents and JSON text literally), or extend modules/review/stack-iam.ts',
      );
      return undefined;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      this.report(field, text.slice(0, 120), `is not JSON (${(e as Error).message})`, 'write the policy as JSON');
      return undefined;
    }
    const problem = documentProblem(parsed);
    if (problem !== undefined) {
      this.report(field, text.slice(0, 120), `is not a policy document the review can read: ${problem}`, 'write a policy document (Version, Statement with Effect, Action or NotAction, …)');
      return undefined;
    }
    return { document: parsed as PolicyDocument, text };
  }

  /**
   * The entity `value` names: a reference `${<type>.<name>.<attribute>}` to one of this stack's
   * resources, or a literal name, matched by name among this stack's entities under the same provider.
   */
  private entityRef(resource: Resource, argument: string, value: unknown, type: ReadType, attribute: string, entities: Map<string, Entity>): { key: string; entity?: Entity; name: string } | undefined {
    const field = `${resource.address}.${argument}`;
    const ref = referenceOf(value);
    if (ref !== undefined) {
      const entity = ref.type === type && ref.attribute === attribute ? entities.get(`${ref.type}.${ref.name}`) : undefined;
      if (entity === undefined) {
        this.report(field, value, `is a reference the review cannot follow (it reads ${type}.<name>.${attribute} of this stack)`, EXTEND_FIX);
        return undefined;
      }
      return { key: this.subjectKey(type, entity.resource.provider, entity.name), entity, name: entity.name };
    }
    const name = typeof value === 'string' ? literalText(value) : undefined;
    if (name === undefined || name === '') {
      this.report(field, value, 'is neither a literal name nor a reference to this stack', EXTEND_FIX);
      return undefined;
    }
    const entity = [...entities.values()].find((e) => e.name === name && e.resource.provider === resource.provider);
    return { key: this.subjectKey(type, resource.provider, name), ...(entity !== undefined && { entity }), name };
  }

  private subjectKey(type: string, provider: string, name: string): string {
    const kind = type === 'aws_iam_role' ? 'role' : type === 'aws_iam_user' ? 'user' : type === 'aws_iam_group' ? 'group' : type;
    return `${kind} ${provider} ${name}`;
  }

  private subjects(): Subject[] {
    const entitiesOf = (type: ReadType) => {
      const map = new Map<string, Entity>();
      for (const r of this.ofType(type)) {
        const name = this.literal(r, 'name', true);
        const path = r.body.path === undefined ? undefined : this.literal(r, 'path', false);
        if (name !== undefined) map.set(r.address, { resource: r, name, ...(path !== undefined && { path }) });
      }
      return map;
    };
    const roles = entitiesOf('aws_iam_role');
    const users = entitiesOf('aws_iam_user');
    const groups = entitiesOf('aws_iam_group');
    const policies = entitiesOf('aws_iam_policy');
    const policyDocuments = new Map<string, { document: PolicyDocument; text: string }>();
    for (const [address, entity] of policies) {
      const read = this.policyDocument(entity.resource, 'policy');
      if (read !== undefined) policyDocuments.set(address, read);
    }
    const attachedPolicies = new Set<string>();

    const builders = new Map<string, SubjectBuilder>();
    const builder = (key: string, kind: SubjectKind, name: string, provider: string, entity?: Entity): SubjectBuilder => {
      let b = builders.get(key);
      if (b === undefined) {
        b = new SubjectBuilder(key, kind, name, provider, this.accounts.get(provider));
        builders.set(key, b);
      }
      if (entity !== undefined) b.define(entity);
      return b;
    };
    for (const e of roles.values()) builder(this.subjectKey('aws_iam_role', e.resource.provider, e.name), 'role', e.name, e.resource.provider, e);
    for (const e of users.values()) builder(this.subjectKey('aws_iam_user', e.resource.provider, e.name), 'user', e.name, e.resource.provider, e);
    for (const e of groups.values()) builder(this.subjectKey('aws_iam_group', e.resource.provider, e.name), 'group', e.name, e.resource.provider, e);

    /** The policy a `policy_arn` (or boundary) names: one of this stack's, or one known only by ARN. */
    const managedPolicy = (resource: Resource, argument: string): AppliedPolicy | undefined => {
      const value = resource.body[argument];
      const ref = referenceOf(value);
      if (ref !== undefined) {
        const entity = ref.type === 'aws_iam_policy' && ref.attribute === 'arn' ? policies.get(`${ref.type}.${ref.name}`) : undefined;
        const read = entity === undefined ? undefined : policyDocuments.get(entity.resource.address);
        if (entity === undefined) {
          this.report(`${resource.address}.${argument}`, value, 'is a reference the review cannot follow (it reads aws_iam_policy.<name>.arn of this stack)', EXTEND_FIX);
          return undefined;
        }
        attachedPolicies.add(entity.resource.address);
        return read === undefined ? undefined : { attachment: 'managed', label: `managed ${entity.name}`, address: entity.resource.address, document: read.document };
      }
      const arn = this.literal(resource, argument, true);
      if (arn === undefined) return undefined;
      const match = /^arn:[a-z-]+:iam::(aws|\d{12}):policy(\/(?:.*\/)?)([^/]+)$/.exec(arn);
      if (match === null) {
        this.report(`${resource.address}.${argument}`, arn, 'is not a managed policy ARN', 'write arn:<partition>:iam::<account or "aws">:policy/<path><name>');
        return undefined;
      }
      const [, owner, path, name] = match;
      if (owner === 'aws') {
        // Expanded from the library's copy of AWS's managed policies; one AWS does not offer (today) stays by ARN.
        const known = awsManagedPolicyDocument(arn);
        if (known === undefined) return { attachment: 'aws-managed', label: `AWS managed ${arn} (not one of AWS's managed policies as of ${AWS_MANAGED_POLICIES_AS_OF.updated})`, arn };
        return { attachment: 'aws-managed', label: `AWS managed ${arn}`, arn, document: known.document, version: known.version };
      }
      // A customer policy of this stack, named by ARN: same account (the provider's), path and name.
      const entity = [...policies.values()].find(
        (p) => p.name === name && (p.path ?? '/') === path && this.accounts.get(p.resource.provider) === owner && p.resource.provider === resource.provider,
      );
      const read = entity === undefined ? undefined : policyDocuments.get(entity.resource.address);
      if (entity !== undefined && read !== undefined) {
        attachedPolicies.add(entity.resource.address);
        return { attachment: 'managed', label: `managed ${entity.name}`, address: entity.resource.address, document: read.document };
      }
      return { attachment: 'by-arn', label: `managed by ARN ${arn}`, arn };
    };

    // Roles: trust policy and boundary.
    for (const e of roles.values()) {
      const b = builder(this.subjectKey('aws_iam_role', e.resource.provider, e.name), 'role', e.name, e.resource.provider);
      const trust = this.policyDocument(e.resource, 'assume_role_policy');
      if (trust !== undefined) {
        const admission = recordedAdmission(e.resource);
        b.trustPolicy = { attachment: 'inline', label: `trust policy of ${e.name}`, address: e.resource.address, document: trust.document, ...(admission !== undefined && { admission }) };
        b.size(`trust policy of role ${e.name}`, 'trust', trust.text);
      }
      if (e.resource.body.permissions_boundary !== undefined) b.boundary = managedPolicy(e.resource, 'permissions_boundary');
    }
    for (const e of users.values()) {
      const b = builder(this.subjectKey('aws_iam_user', e.resource.provider, e.name), 'user', e.name, e.resource.provider);
      if (e.resource.body.permissions_boundary !== undefined) b.boundary = managedPolicy(e.resource, 'permissions_boundary');
    }

    // Inline policies and attachments.
    const inline: [ReadType, string, ReadType, Map<string, Entity>, SubjectKind][] = [
      ['aws_iam_role_policy', 'role', 'aws_iam_role', roles, 'role'],
      ['aws_iam_user_policy', 'user', 'aws_iam_user', users, 'user'],
      ['aws_iam_group_policy', 'group', 'aws_iam_group', groups, 'group'],
    ];
    for (const [type, argument, entityType, entities, kind] of inline) {
      for (const r of this.ofType(type)) {
        const target = this.entityRef(r, argument, r.body[argument], entityType, 'name', entities);
        const name = this.literal(r, 'name', true);
        const read = this.policyDocument(r, 'policy');
        if (target === undefined || name === undefined || read === undefined) continue;
        const b = builder(target.key, kind, target.name, target.entity?.resource.provider ?? r.provider, target.entity);
        b.policies.push({ attachment: 'inline', label: `inline ${name}`, address: r.address, document: read.document });
        b.inlineTexts.push(read.text);
      }
    }
    const attachments: [ReadType, string, ReadType, Map<string, Entity>, SubjectKind][] = [
      ['aws_iam_role_policy_attachment', 'role', 'aws_iam_role', roles, 'role'],
      ['aws_iam_user_policy_attachment', 'user', 'aws_iam_user', users, 'user'],
      ['aws_iam_group_policy_attachment', 'group', 'aws_iam_group', groups, 'group'],
    ];
    for (const [type, argument, entityType, entities, kind] of attachments) {
      for (const r of this.ofType(type)) {
        const target = this.entityRef(r, argument, r.body[argument], entityType, 'name', entities);
        const policy = managedPolicy(r, 'policy_arn');
        if (target === undefined || policy === undefined) continue;
        builder(target.key, kind, target.name, target.entity?.resource.provider ?? r.provider, target.entity).policies.push(policy);
      }
    }

    // Group memberships and instance profiles.
    for (const r of this.ofType('aws_iam_user_group_membership')) {
      const user = this.entityRef(r, 'user', r.body.user, 'aws_iam_user', 'name', users);
      const list = Array.isArray(r.body.groups) ? r.body.groups : undefined;
      if (list === undefined) this.report(`${r.address}.groups`, r.body.groups, 'is not a list of groups', EXTEND_FIX);
      if (user === undefined || list === undefined) continue;
      const u = builder(user.key, 'user', user.name, user.entity?.resource.provider ?? r.provider, user.entity);
      list.forEach((value, i) => {
        const group = this.entityRef(r, `groups[${i}]`, value, 'aws_iam_group', 'name', groups);
        if (group === undefined) return;
        const g = builder(group.key, 'group', group.name, group.entity?.resource.provider ?? r.provider, group.entity);
        u.groupKeys.add(group.key);
        g.memberNames.add(user.name);
      });
    }
    for (const r of this.ofType('aws_iam_instance_profile')) {
      const role = r.body.role === undefined ? undefined : this.entityRef(r, 'role', r.body.role, 'aws_iam_role', 'name', roles);
      const name = this.literal(r, 'name', true);
      if (role === undefined || name === undefined) continue;
      builder(role.key, 'role', role.name, role.entity?.resource.provider ?? r.provider, role.entity).profileNames.add(name);
    }

    // Resource policies and SCPs: the policy is the subject.
    for (const r of this.ofType('aws_s3_bucket_policy')) {
      const bucket = this.bucketName(r);
      const read = this.policyDocument(r, 'policy');
      if (bucket === undefined || read === undefined) continue;
      const b = builder(`bucket-policy ${r.provider} ${bucket}`, 'bucket-policy', bucket, r.provider);
      b.addresses.add(r.address);
      const admission = recordedAdmission(r);
      b.policies.push({ attachment: 'inline', label: `bucket policy of ${bucket}`, address: r.address, document: read.document, ...(admission !== undefined && { admission }) });
      b.size(`bucket policy of ${bucket}`, 's3-bucket', read.text);
    }
    const scps = new Map<string, SubjectBuilder>();
    for (const r of this.ofType('aws_organizations_policy')) {
      const name = this.literal(r, 'name', true);
      const type = r.body.type ?? 'SERVICE_CONTROL_POLICY';
      if (type !== 'SERVICE_CONTROL_POLICY') {
        this.report(`${r.address}.type`, type, 'the review reads service control policies only', 'extend modules/review/stack-iam.ts for this policy type');
        continue;
      }
      const read = this.policyDocument(r, 'content');
      if (name === undefined || read === undefined) continue;
      const b = builder(`service-control-policy ${r.provider} ${name}`, 'service-control-policy', name, r.provider);
      b.addresses.add(r.address);
      b.policies.push({ attachment: 'inline', label: `SCP ${name}`, address: r.address, document: read.document });
      b.size(`SCP ${name}`, 'service-control', read.text);
      scps.set(r.address, b);
    }
    for (const r of this.ofType('aws_organizations_policy_attachment')) {
      const ref = referenceOf(r.body.policy_id);
      const scp = ref !== undefined && ref.type === 'aws_organizations_policy' && ref.attribute === 'id' ? scps.get(`${ref.type}.${ref.name}`) : undefined;
      if (scp === undefined) {
        this.report(`${r.address}.policy_id`, r.body.policy_id, 'names no service control policy of this stack (aws_organizations_policy.<name>.id)', EXTEND_FIX);
        continue;
      }
      const target = r.body.target_id;
      if (typeof target !== 'string') {
        this.report(`${r.address}.target_id`, target, 'is not a string', 'set target_id to a root, OU or account ID');
        continue;
      }
      scp.targetIds.add(target);
    }

    // Managed policies attached to nothing in this stack: perhaps attached elsewhere, so reported alone.
    const managedSizes = new Map<string, SizeCheck>();
    for (const [address, entity] of policies) {
      const read = policyDocuments.get(address);
      if (read === undefined) continue;
      managedSizes.set(address, sizeCheck(`managed policy ${entity.name}`, 'managed', read.text));
      if (attachedPolicies.has(address)) continue;
      const b = builder(this.subjectKey('managed-policy', entity.resource.provider, entity.name), 'managed-policy', entity.name, entity.resource.provider, entity);
      b.policies.push({ attachment: 'inline', label: `managed ${entity.name}`, address, document: read.document });
    }

    // Users inherit their groups' policies.
    for (const b of builders.values()) {
      for (const key of [...b.groupKeys].sort()) {
        const group = builders.get(key)!;
        for (const p of group.policies) b.policies.push({ ...p, via: `group ${group.name}`, label: `${p.label} (via group ${group.name})` });
      }
    }
    return [...builders.values()].map((b) => b.build(builders, managedSizes));
  }

  private bucketName(r: Resource): string | undefined {
    const ref = referenceOf(r.body.bucket);
    if (ref !== undefined) {
      const bucket = ref.type === 'aws_s3_bucket' && (ref.attribute === 'id' || ref.attribute === 'bucket') ? this.json.resource?.aws_s3_bucket?.[ref.name]?.bucket : undefined;
      const name = typeof bucket === 'string' ? literalText(bucket) : undefined;
      if (name === undefined) this.report(`${r.address}.bucket`, r.body.bucket, 'names no bucket of this stack with a literal name', EXTEND_FIX);
      return name;
    }
    return this.literal(r, 'bucket', true);
  }
}

/** Collects one subject's parts while the stack is read. */
class SubjectBuilder {
  readonly addresses = new Set<string>();
  readonly policies: AppliedPolicy[] = [];
  readonly inlineTexts: string[] = [];
  readonly groupKeys = new Set<string>();
  readonly memberNames = new Set<string>();
  readonly profileNames = new Set<string>();
  readonly targetIds = new Set<string>();
  readonly sizes: SizeCheck[] = [];
  trustPolicy?: AppliedPolicy;
  boundary?: AppliedPolicy;
  path?: string;

  constructor(
    readonly id: string,
    readonly kind: SubjectKind,
    readonly name: string,
    readonly provider: string,
    readonly account: string | undefined,
  ) {}

  define(entity: Entity): void {
    this.addresses.add(entity.resource.address);
    if (entity.path !== undefined) this.path = entity.path;
  }

  size(what: string, kind: PolicyKind, text: string): void {
    this.sizes.push(sizeCheck(what, kind, text));
  }

  build(all: ReadonlyMap<string, SubjectBuilder>, managedSizes: ReadonlyMap<string, SizeCheck>): Subject {
    const sizes = [...this.sizes];
    // Each managed policy of this stack that applies here (directly, through a group, as the boundary), once.
    for (const p of [...this.policies, ...(this.boundary === undefined ? [] : [this.boundary])]) {
      const check = p.address === undefined ? undefined : managedSizes.get(p.address);
      if (check !== undefined && !sizes.includes(check)) sizes.push(check);
    }
    if (this.inlineTexts.length > 0 && (this.kind === 'role' || this.kind === 'user' || this.kind === 'group')) {
      const kind: PolicyKind = this.kind === 'role' ? 'role-inline' : this.kind === 'user' ? 'user-inline' : 'group-inline';
      const { limit, unit } = POLICY_SIZE_LIMITS[kind];
      const size = this.inlineTexts.reduce((sum, text) => sum + measured(text, unit), 0);
      sizes.push({ what: `inline policies of ${this.kind} ${this.name}, summed`, size, limit, unit });
    }
    return {
      id: this.id,
      kind: this.kind,
      name: this.name,
      ...(this.path !== undefined && { path: this.path }),
      provider: this.provider,
      ...(this.account !== undefined && { account: this.account }),
      addresses: [...this.addresses].sort(),
      policies: [...this.policies].sort((a, b) => cmp(a.label, b.label) || cmp(a.address ?? '', b.address ?? '')),
      ...(this.trustPolicy !== undefined && { trustPolicy: this.trustPolicy }),
      ...(this.boundary !== undefined && { boundary: this.boundary }),
      groups: [...this.groupKeys].map((k) => all.get(k)!.name).sort(),
      members: [...this.memberNames].sort(),
      instanceProfiles: [...this.profileNames].sort(),
      targets: [...this.targetIds].sort(),
      sizes: sizes.sort((a, b) => cmp(a.what, b.what)),
    };
  }
}

/**
 * What a construct recorded in the resource's `"//"` comment about the policy's admission check. Entries
 * that are not `{ rule, field, reason? }` of strings, and an account that is not 12 digits, are left out: a
 * finding they would cover is then shown as not acknowledged, never the other way round.
 */
function recordedAdmission(resource: Resource): RecordedAdmission | undefined {
  const comment = resource.body['//'];
  const record = comment !== null && typeof comment === 'object' ? (comment as Record<string, unknown>)[ADMISSION_COMMENT_KEY] : undefined;
  if (record === null || typeof record !== 'object') return undefined;
  const { account, acknowledged } = record as Record<string, unknown>;
  const list: unknown[] = Array.isArray(acknowledged) ? acknowledged : [];
  const entries = list.flatMap((entry: unknown): RecordedAcknowledgement[] => {
    if (entry === null || typeof entry !== 'object') return [];
    const { rule, field, reason } = entry as Record<string, unknown>;
    if (typeof rule !== 'string' || typeof field !== 'string' || (reason !== undefined && typeof reason !== 'string')) return [];
    return [{ rule, field, ...(typeof reason === 'string' && { reason }) }];
  });
  return { ...(typeof account === 'string' && /^\d{12}$/.test(account) && { account }), acknowledged: entries };
}

function sizeCheck(what: string, kind: PolicyKind, text: string): SizeCheck {
  const { limit, unit } = POLICY_SIZE_LIMITS[kind];
  return { what, size: measured(text, unit), limit, unit };
}

/**
 * IAM counts a policy's characters without white space; the policy is saved minified, so its size is
 * that of its minified JSON (`characters`). Organizations counts what was sent, S3 the bytes.
 */
function measured(text: string, unit: 'characters' | 'characters-as-saved' | 'bytes'): number {
  if (unit === 'characters') return textSize(JSON.stringify(JSON.parse(text)), unit);
  return textSize(text, unit);
}

const KIND_ORDER: readonly SubjectKind[] = ['role', 'user', 'group', 'managed-policy', 'bucket-policy', 'service-control-policy'];

function compareSubjects(a: Subject, b: Subject): number {
  return cmp(KIND_ORDER.indexOf(a.kind), KIND_ORDER.indexOf(b.kind)) || cmp(a.provider, b.provider) || cmp(a.name, b.name);
}

function cmp<T extends string | number>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
