import { TerraformResource, TerraformStack, Token, Tokenization } from 'cdktf';
import { Construct } from 'constructs';
import { type Finding, throwIfAny } from '../core/policy-error';

/** Input fields and their values: one value, a list, or nothing. */
export type FieldValues = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Findings for the values that are cdktf references (tokens) to another resource's attribute: they are
 * resolved only at apply time, so whatever is built from them (a policy, a checked name) cannot be built
 * or checked at synth. Lists are checked element by element, as `field[i]`.
 */
export function referenceFindings(values: FieldValues): Finding[] {
  const findings: Finding[] = [];
  const check = (field: string, value: unknown) => {
    if (typeof value === 'string' && Token.isUnresolved(value)) {
      findings.push({
        field,
        value,
        problem: 'is a reference resolved only at apply time, so it cannot be built on or checked at synth',
        fix: 'pass the literal value (the ARN, name or key written out)',
      });
    }
  };
  for (const [field, value] of Object.entries(values)) {
    if (Array.isArray(value)) value.forEach((v: unknown, i: number) => check(`${field}[${i}]`, v));
    else check(field, value);
  }
  return findings;
}

/** Throws, naming `context`, when any of `values` is a reference. */
export function rejectReferences(context: string, values: FieldValues): void {
  throwIfAny(context, referenceFindings(values));
}

/*
 * Inputs that name a role, a user, a group or a managed policy take the name (or ARN) written out, a
 * reference to one, or the construct that creates it: this library's (`Role`, `StateAccessRole`,
 * `DeployGroup`, `CiPolicy`, `PermissionsBoundary`) or the provider's (`IamRole`, `IamUser`, `IamGroup`,
 * `IamPolicy`). A construct is read through its name or ARN attribute, a reference Terraform follows: the
 * resource that uses it is created after it, with no `dependsOn` to write.
 */

/** A role: this library's `Role` or `StateAccessRole`, or anything else that knows its role's name. */
export interface IRoleReference {
  /** The role's name (a reference to the role's `name` attribute, so Terraform orders the two). */
  readonly roleName: string;
}

/** A user, by what knows its name. */
export interface IUserReference {
  /** The user's name (a reference to the user's `name` attribute). */
  readonly userName: string;
}

/** A group: this library's `DeployGroup` or `JetsDeployGroup`, or anything else that knows its group's name. */
export interface IGroupReference {
  /** The group's name (a reference to the group's `name` attribute). */
  readonly groupName: string;
}

/** Customer managed policies made by one construct: a `CiPolicy` and the parts it was split into. */
export interface IManagedPolicies {
  /** Every policy's ARN, the first one first. Empty when the construct created no policy. */
  readonly policyArns: readonly string[];
}

/** A role, by name: `'ci'`, a `Role`, a `StateAccessRole`, a provider `IamRole` (or anything with `roleName`). */
export type RoleReference = string | IRoleReference | { readonly name: string; readonly terraformResourceType: string };
/** A user, by name: `'ci'`, a provider `IamUser` (or anything with `userName`). */
export type UserReference = string | IUserReference | { readonly name: string; readonly terraformResourceType: string };
/** A group, by name: `'deployers'`, a `DeployGroup`, a provider `IamGroup` (or anything with `groupName`). */
export type GroupReference = string | IGroupReference | { readonly name: string; readonly terraformResourceType: string };
/**
 * A managed policy, by ARN: the ARN written out, a `PermissionsBoundary` or a provider `IamPolicy` (anything
 * with `arn`), or a `CiPolicy` (every part of it, when it was split).
 */
export type ManagedPolicyReference = string | { readonly arn: string } | IManagedPolicies;
/** A permissions boundary, by ARN: the ARN written out, a `PermissionsBoundary`, or a provider `IamPolicy`. */
export type PermissionsBoundaryReference = string | { readonly arn: string };

type PrincipalKind = 'role' | 'user' | 'group';

const PRINCIPALS: { readonly [K in PrincipalKind]: { readonly property: string; readonly resourceType: string; readonly constructs: string } } = {
  role: { property: 'roleName', resourceType: 'aws_iam_role', constructs: 'a Role, a StateAccessRole or an aws_iam_role (IamRole)' },
  user: { property: 'userName', resourceType: 'aws_iam_user', constructs: 'an aws_iam_user (IamUser)' },
  group: { property: 'groupName', resourceType: 'aws_iam_group', constructs: 'a DeployGroup or an aws_iam_group (IamGroup)' },
};

/** A role, user or group resolved: the value Terraform gets, and the key of what is built for it. */
export interface ResolvedPrincipal {
  /** The name, or a reference to it. */
  readonly name: string;
  /**
   * A key for the construct ids of what is built for it, stable while the principal is the same one:
   * the IAM name when it is known at synth (written out, or the literal `name` of the resource referred
   * to), otherwise the address of the resource referred to, in parentheses (no IAM name holds them).
   */
  readonly key: string;
}

/**
 * The name of a role, user or group given as its name, a reference, or the construct that creates it; or
 * the findings that say why it is none of these (`field` names it).
 */
export function principalName(field: string, kind: PrincipalKind, ref: unknown): { name?: string; findings: Finding[] } {
  const spec = PRINCIPALS[kind];
  let name: unknown;
  if (typeof ref === 'string') name = ref;
  else if (typeof ref === 'object' && ref !== null) {
    const record = ref as Record<string, unknown>;
    if (typeof record[spec.property] === 'string') name = record[spec.property];
    else if (record.terraformResourceType === spec.resourceType && typeof record.name === 'string') name = record.name;
  }
  if (typeof name === 'string') return { name, findings: [] };
  return {
    findings: [{ field, value: describe(ref), problem: `is not a ${kind} name, nor ${spec.constructs}`, fix: `pass the ${kind}'s name, or the construct that creates it`, code: 'INPUT_TYPE' }],
  };
}

/** `principalName`, with a stable key for what is built for the principal (see `ResolvedPrincipal.key`). */
export function resolvePrincipal(field: string, kind: PrincipalKind, ref: unknown): { resolved?: ResolvedPrincipal; findings: Finding[] } {
  const { name, findings } = principalName(field, kind, ref);
  if (name === undefined) return { findings };
  const key = principalKey(name);
  if (key === undefined) {
    return {
      findings: [
        {
          field,
          value: name,
          problem: 'is a reference built from other values (a function call, say), which names no one resource, so what is built for it could be keyed only by position',
          fix: `pass the ${kind}'s name written out, the construct that creates it, or its name attribute`,
        },
      ],
    };
  }
  return { resolved: { name, key }, findings: [] };
}

/**
 * The ARNs of managed policies given as ARNs, references, or the constructs that create them (a `CiPolicy`
 * gives all its parts), each with a stable key; or the findings saying why one is none of these.
 */
export function resolveManagedPolicies(field: string, ref: unknown): { arns: { arn: string; key: string }[]; findings: Finding[] } {
  let arns: unknown[];
  if (typeof ref === 'string') arns = [ref];
  else if (typeof ref === 'object' && ref !== null && Array.isArray((ref as IManagedPolicies).policyArns)) {
    arns = [...(ref as IManagedPolicies).policyArns];
    if (arns.length === 0) {
      return {
        arns: [],
        findings: [{ field, value: describe(ref), problem: 'creates no managed policy (createResources: false)', fix: 'create the policy, or attach its JSON some other way' }],
      };
    }
  } else if (typeof ref === 'object' && ref !== null && typeof (ref as { arn?: unknown }).arn === 'string') arns = [(ref as { arn: string }).arn];
  else {
    return {
      arns: [],
      findings: [
        {
          field,
          value: describe(ref),
          problem: 'is not a managed policy ARN, nor a PermissionsBoundary, a CiPolicy or an aws_iam_policy (IamPolicy)',
          fix: "pass the policy's ARN, or the construct that creates it",
          code: 'INPUT_TYPE',
        },
      ],
    };
  }
  const resolved: { arn: string; key: string }[] = [];
  const findings: Finding[] = [];
  for (const arn of arns) {
    const key = typeof arn === 'string' ? managedPolicyKey(arn) : undefined;
    if (typeof arn !== 'string' || key === undefined) {
      findings.push({
        field,
        value: describe(arn),
        problem: 'is a reference built from other values (a function call, say), which names no one policy, so its attachment could be keyed only by position',
        fix: "pass the policy's ARN written out, the construct that creates it, or its arn attribute",
      });
    } else resolved.push({ arn, key });
  }
  return { arns: resolved, findings };
}

/** The ARN of a permissions boundary given as its ARN, a reference, or the construct that creates it. */
export function resolveBoundary(field: string, ref: unknown): { arn?: string; findings: Finding[] } {
  if (typeof ref === 'string') return { arn: ref, findings: [] };
  if (typeof ref === 'object' && ref !== null && typeof (ref as { arn?: unknown }).arn === 'string') return { arn: (ref as { arn: string }).arn, findings: [] };
  return {
    findings: [
      {
        field,
        value: describe(ref),
        problem: 'is not a managed policy ARN, nor a PermissionsBoundary or an aws_iam_policy (IamPolicy)',
        fix: "pass the boundary policy's ARN, or the construct that creates it",
        code: 'INPUT_TYPE',
      },
    ],
  };
}

/**
 * A stable key for a managed policy ARN: `policy_<path>_<name>` (the ARN's resource part, `/` and other
 * characters outside `[A-Za-z0-9_-]` as `_`), from the ARN written out or from the literal name and path
 * of the `aws_iam_policy` a reference points to; the referenced resource's address in parentheses when
 * neither is known; undefined for a reference that points to no one resource.
 */
export function managedPolicyKey(arn: string): string | undefined {
  if (!Token.isUnresolved(arn)) {
    const resource = /^arn:[^:]*:iam::[^:]*:(policy\/.*)$/.exec(arn)?.[1] ?? arn;
    return sanitize(resource);
  }
  const target = referenceTarget(arn);
  if (target === undefined) return undefined;
  const name = literalInput(target.resource, 'nameInput');
  if (target.resource?.terraformResourceType === 'aws_iam_policy' && name !== undefined) {
    const path = literalInput(target.resource, 'pathInput') ?? '/';
    return sanitize(`policy${path}${name}`);
  }
  return `(${target.address})`;
}

/** A principal's key (see `ResolvedPrincipal.key`); undefined for a reference to no one resource. */
function principalKey(name: string): string | undefined {
  if (!Token.isUnresolved(name)) return name;
  const target = referenceTarget(name);
  if (target === undefined) return undefined;
  return literalInput(target.resource, 'nameInput') ?? `(${target.address})`;
}

/** The address of the one resource a reference points to, in parentheses (`(aws_organizations_organizational_unit.ou)`). */
export function referenceKey(value: string): string | undefined {
  const target = referenceTarget(value);
  return target === undefined ? undefined : `(${target.address})`;
}

/** Construct ids keep these characters; the ARN's others (`/`, `+=,.@`) become `_`, as `DeployGroup` always wrote them. */
function sanitize(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]/g, '_');
}

/**
 * The resource a token refers to, when the token is one reference to one attribute of it
 * (`${aws_iam_role.ci.name}`): its address (`aws_iam_role.ci`), and the resource itself when it is a
 * resource of the stack the reference comes from. Undefined for anything else (a function call, a
 * string with a token inside).
 */
function referenceTarget(value: string): { address: string; resource?: TerraformResource } | undefined {
  const fragments = Tokenization.reverseString(value);
  if (fragments.length !== 1) return undefined;
  // cdktf's Reference (not exported) carries the address it resolves to and the stack it comes from.
  const token = fragments.firstToken as unknown as { identifier?: unknown; originStack?: unknown } | undefined;
  if (token === undefined || typeof token.identifier !== 'string') return undefined;
  const parts = token.identifier.split('.');
  const address = (parts[0] === 'data' ? parts.slice(0, 3) : parts.slice(0, 2)).join('.');
  const stack = token.originStack instanceof TerraformStack ? token.originStack : undefined;
  const resource = stack?.node.findAll().find((c): c is TerraformResource => c instanceof TerraformResource && `${c.terraformResourceType}.${c.friendlyUniqueId}` === address);
  return { address, ...(resource !== undefined && { resource }) };
}

/** A provider resource's configured input (`nameInput`, `pathInput`) when it is written out. */
function literalInput(resource: TerraformResource | undefined, input: string): string | undefined {
  if (resource === undefined) return undefined;
  const value: unknown = (resource as unknown as Record<string, unknown>)[input];
  return typeof value === 'string' && !Token.isUnresolved(value) ? value : undefined;
}

/** A value as a finding shows it: a construct by its path, not its whole tree. */
function describe(value: unknown): unknown {
  if (value instanceof Construct) return `(${value.constructor.name} ${value.node.path})`;
  return value;
}
