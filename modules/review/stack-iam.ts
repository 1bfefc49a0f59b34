/**
 * Reading synthesized stacks (`cdk.tf.json`) into their *subjects*: each role, user and group with every
 * policy that applies to it (inline, attached, inherited from a group, its trust policy and boundary),
 * each resource policy, each service control policy, each managed policy attached to nothing here, and
 * each part of the stack whose access the review does not model (an *unreviewed* subject).
 *
 * Everything is read from the stacks' own JSON: no AWS call, no file. The reading fails closed:
 * - every resource type is in one table (`private/readers/resource-table.ts`): read by its reader, or
 *   known to carry no access; a type that is not in it, a module call, a provisioner, a data source of
 *   another provider, a block type the review does not know, is an unreviewed subject, compared by
 *   content, so that any change to it is reported as widening;
 * - a policy built from a reference or a template (`${data.aws_iam_policy_document.x.json}`,
 *   `${jsonencode(…)}`) is a policy of unknown content, compared by the digest of all it is built from;
 * - what cannot be read for certain (an argument of an IAM type the reader does not know, `count` or
 *   `for_each` on one, a reference it cannot follow, two resources that replace each other in AWS, JSON
 *   that Terraform reads otherwise than `JSON.parse` does) fails with an error naming the stack, the
 *   resource, the value and what to do: a missing grant would read as "not allowed".
 * An AWS managed policy is expanded from the library's copy of AWS's managed policies
 * (`core/aws-managed-policies.ts`, no AWS call); left unexpanded, named by ARN and marked so, are a
 * customer managed policy not created in the stack and an AWS managed ARN that is not one of AWS's
 * current policies.
 */
import { iamNameCollisions, type IamNameEntry } from '../core/name-collisions';
import { type PolicyDocument } from '../core/policy-document';
import { type Finding, throwIfAny } from '../core/policy-error';
import { type AssembledStack, assemble, buildStack, linkStacks } from './private/readers/assemble';
import { readStackFacts } from './private/readers/read-stack';
import { NO_ACCESS_TYPES, READ_TYPES } from './private/readers/resource-table';
import { duplicateKeys } from './private/readers/terraform-config';
import { cmp } from '../core/order';

/** What a subject is. `unreviewed`: a part of the stack whose access the review does not model. */
export type SubjectKind = 'role' | 'user' | 'group' | 'managed-policy' | 'bucket-policy' | 'service-control-policy' | 'unreviewed';

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
  | 'by-arn'
  /**
   * What the review does not read: a policy built from references (its content is known at plan time
   * only), or, for an unreviewed subject, the resource itself. Its subject has an `unmodelled` part for it.
   */
  | 'unknown';

/** One policy as it applies to a subject. */
export interface AppliedPolicy {
  readonly attachment: Attachment;
  /** How the report names it: `inline JetsPolicy`, `managed ci-web-secrets`, `AWS managed arn:…`. */
  readonly label: string;
  /** The Terraform address of the resource that holds the document, when it is in the stack. */
  readonly address?: string;
  /** The ARN, for a policy whose content is not in the stack. */
  readonly arn?: string;
  /**
   * The document: in the stack, or the latest version of an AWS managed policy AWS offers. A document
   * without `"Version": "2012-10-17"` has its `${…}` rewritten `${$}{…}`, as IAM reads them: literal text.
   */
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

/**
 * Something that bears on a subject's access but that the review does not model in grants: a policy built
 * from references, tags built from references, the policies of a group no stack of the app creates, an
 * unreviewed subject's own content. The diff compares it by `digest`: one added, removed or changed is an
 * unreviewed access change, reported as widening.
 */
export interface UnmodelledPart {
  /** Stable across versions: `inline deploy`, `trust policy of ci`, `group admins`, `aws_lambda_permission.invoke`. */
  readonly key: string;
  /** What it is and why it is not modelled. */
  readonly why: string;
  /** A digest of its content and of every block of the stack it refers to. */
  readonly digest: string;
  /**
   * What its content depends on that the stack's JSON does not hold (a variable's value, a file, a local
   * module's files): the diff cannot tell whether a change touches it, so it reports it every time.
   */
  readonly outside?: readonly string[];
  /** Taking it away grants nothing (an `import` block only ever adopts): its removal does not widen. */
  readonly removalNarrows?: boolean;
}

/** One subject of a stack: something whose permissions the report lists and the diff compares. */
export interface Subject {
  /** Stable across versions of the stack: kind, provider and name (never a construct id). */
  readonly id: string;
  readonly kind: SubjectKind;
  /** The IAM name; a bucket policy's bucket; an SCP's name; an unreviewed subject's address. */
  readonly name: string;
  /** The IAM path, when set. */
  readonly path?: string;
  /** The Terraform provider: `aws`, or `aws.<alias>` (another provider's name for an unreviewed subject). */
  readonly provider: string;
  /** The account, when the provider is pinned to one (`allowed_account_ids`). */
  readonly account?: string;
  /**
   * Terraform addresses of the resources that create it; empty when the stack only names it (a role, user
   * or group that lives elsewhere: what the stack gives it and takes from it still counts).
   */
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
  /**
   * A role's, user's or managed policy's tags, its provider's `default_tags` merged in (the resource's
   * win): conditions on `aws:PrincipalTag` and `aws:ResourceTag` read them.
   */
  readonly tags?: Readonly<Record<string, string>>;
  /** What bears on its access that the review does not model, sorted by key. */
  readonly unmodelled?: readonly UnmodelledPart[];
}

/** An instance profile of a stack, and the role in it. */
export interface InstanceProfileEntry {
  readonly name: string;
  readonly provider: string;
  /** The role's name, when it has one. */
  readonly role?: string;
}

/** A stack, read. */
export interface StackIam {
  readonly stack: string;
  /** Sorted by kind, provider, name. */
  readonly subjects: readonly Subject[];
  /** Its instance profiles, with or without a role, sorted by provider and name. */
  readonly instanceProfiles?: readonly InstanceProfileEntry[];
}

/** The resource types read (every one the project's constructs create that bears on IAM, and more): the readers' table. */
export const READ_RESOURCE_TYPES: readonly string[] = READ_TYPES;

/** The resource types known to carry no access (`RESOURCE_TYPES` in `private/readers/resource-table.ts` says why, each). */
export const NO_ACCESS_RESOURCE_TYPES: readonly string[] = NO_ACCESS_TYPES;

/**
 * Reads the synthesized stack `stack` (its parsed `cdk.tf.json`). `context` names the command for
 * errors (`npm run report`). Throws a `PolicyValidationError` listing everything it cannot read.
 */
export function readStack(stack: string, json: unknown, context: string): StackIam {
  return readAll([{ stack, json }], context)[0];
}

/** One synthesized stack's file, as a CLI reads it from `cdktf.out/stacks/<stack>/cdk.tf.json`. */
export interface SynthesizedStackFile {
  readonly stack: string;
  /** The file's text. */
  readonly text: string;
  /** Where it was read from, relative to the project, for errors. */
  readonly file: string;
}

/**
 * Reads every stack file of one app; throws naming the file when one is not JSON, holds a key twice in an
 * object (Terraform reads both, `JSON.parse` only the last), or what the reader cannot read. The stacks
 * are read together: a user's group created by another stack of the same account is followed there, and
 * two stacks that write the same name where AWS keeps one fail.
 */
export function readSynthesizedStacks(files: readonly SynthesizedStackFile[], context: string): StackIam[] {
  const parsed = [...files]
    .sort((a, b) => cmp(a.stack, b.stack))
    .map((f) => {
      const where = `${context}: stack ${f.stack}`;
      let json: unknown;
      try {
        json = JSON.parse(f.text);
      } catch (e) {
        throwIfAny(where, [{ field: f.file, value: f.text.slice(0, 80), problem: `is not JSON (${(e as Error).message})`, fix: 'synthesize the stacks again (npm run synth)' }]);
      }
      throwIfAny(
        where,
        duplicateKeys(f.text).map(({ path, key }) => ({
          field: `${f.file}${path === '' ? '' : ` at ${path}`}`,
          value: key,
          problem: `holds the key ${JSON.stringify(key)} twice in one object: Terraform reads both (HCL's JSON syntax keeps duplicate properties), a JSON parser only the last`,
          fix: 'write the two as one, or as an array of objects',
        })),
      );
      return { stack: f.stack, json };
    });
  return readAll(parsed, context);
}

function readAll(stacks: readonly { stack: string; json: unknown }[], context: string): StackIam[] {
  const assembled: AssembledStack[] = [];
  for (const { stack, json } of stacks) {
    const where = `${context}: stack ${stack}`;
    const facts = readStackFacts(stack, json);
    // Linked even when something could not be read, so that one error lists every problem of the stack.
    const one = assemble(facts);
    throwIfAny(where, facts.findings);
    throwIfAny(where, overwrites(one.names, false));
    assembled.push(one);
  }
  throwIfAny(
    context,
    overwrites(
      assembled.flatMap((s) => s.names.map((n) => ({ ...n, path: `stack ${s.stack}: ${n.path}` }))),
      true,
    ),
  );
  linkStacks(assembled);
  return assembled.map(buildStack);
}

/**
 * Two resources that replace each other in AWS, or of which the second fails (`IAM_NAME_COLLISION`, the
 * check the constructs run at synth, `core/name-collisions.ts`): two inline policies of one name on one
 * principal, two bucket policies of one bucket, two roles of one name, … Read as both applying, they would
 * show grants that AWS does not keep.
 */
function overwrites(names: readonly IamNameEntry[], acrossStacksOnly: boolean): Finding[] {
  return iamNameCollisions(names, { acrossStacksOnly }).map(({ path, finding }) => ({ ...finding, field: `${path} ${finding.field}` }));
}
