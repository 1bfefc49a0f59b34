/**
 * The access report: for every stack and every subject (role, user, group, resource policy, SCP, managed
 * policy attached to nothing here), what it may do, grouped by service with each action's access level,
 * its trust policy, its boundary, its risky grants, and for state-access principals what they may do in
 * Terraform's terms. This is the model, and its JSON is the report's JSON twin; `renderReport` writes
 * the Markdown.
 */
import { AWS_MANAGED_POLICIES_AS_OF } from '../core/aws-managed-policies';
import { iamDataPackageVersion } from '../core/iam-data';
import { type AdmissionEntry, admissionView, type AdmittedPrincipals, admittedPrincipals } from './admission-view';
import { type GrantRow, grantRows } from './grant-rows';
import { RISK_FLAGS, type RiskFlag, sortFlags } from './risk-flags';
import type { Attachment, SizeCheck, StackIam, Subject } from './stack-iam';
import { stateAccessView, type StateBucketView } from './state-access-view';
import { subjectGrants } from './subject-grants';
import { type EscalationFinding, subjectEscalationPaths } from './escalation/detector';
import { cmp } from '../core/order';

/** The whole report. */
export interface AccessReport {
  /** The iam-data version the actions and access levels come from. */
  readonly iamDataVersion: string;
  /** The date of the copy of AWS's managed policies an attached AWS managed policy is expanded from. */
  readonly awsManagedPoliciesAsOf: string;
  readonly stacks: readonly StackReport[];
}

export interface StackReport {
  readonly stack: string;
  readonly subjects: readonly SubjectReport[];
}

/** One policy of a subject. */
export interface PolicyEntry {
  readonly label: string;
  readonly attachment: Attachment;
  /** The Terraform address of the resource holding it, when it is in the stack. */
  readonly address?: string;
  /** The ARN, for a policy whose content is not in the stack. */
  readonly arn?: string;
  /** False for a policy whose content is not known (not in the stack, nor an AWS managed policy AWS offers): its grants are not listed. */
  readonly expanded: boolean;
  /** For an AWS managed policy, expanded: the version of its document (`v3`), in AWS's managed policies as of the report's `awsManagedPoliciesAsOf`. */
  readonly version?: string;
  /** The group it comes through, for a user. */
  readonly via?: string;
}

/** A size check, and whether the policy is over its limit. */
export interface SizeEntry extends SizeCheck {
  readonly over: boolean;
}

/** A subject as reported: what the stack says of it (as read into `Subject`), and what it may do. */
export interface SubjectReport extends Pick<Subject, 'id' | 'kind' | 'name' | 'path' | 'provider' | 'account' | 'addresses' | 'groups' | 'members' | 'instanceProfiles' | 'targets'> {
  readonly policies: readonly PolicyEntry[];
  /** What its policies allow and deny (a resource policy's or SCP's own statements). */
  readonly permissions: readonly GrantRow[];
  /** Who may assume it: a role's trust policy. */
  readonly trust?: readonly GrantRow[];
  /** Who its trust or bucket policy lets in that a reviewer must see: each finding, and the reason it was accepted with. */
  readonly admission: readonly AdmissionEntry[];
  /** Who each of its trust or bucket policies lets in, with a finding or not (roles and bucket policies). */
  readonly admitted?: readonly AdmittedPrincipals[];
  /** Its permissions boundary: it can only take permissions away. */
  readonly boundary?: { readonly policy: PolicyEntry; readonly rows: readonly GrantRow[] };
  readonly sizes: readonly SizeEntry[];
  /** The Terraform state it may apply, plan or read, for a state-access principal. */
  readonly terraformState?: readonly StateBucketView[];
  /** Every flag of its grants and policies. */
  readonly flags: readonly RiskFlag[];
  /** The privilege-escalation paths its grants complete (`escalation/`), when any: flagged `ESCALATION_PATH`. */
  readonly escalationPaths?: readonly EscalationFinding[];
}

/**
 * The report on `stacks`. Every list is sorted, so the same stacks always give the same report.
 */
export function accessReport(stacks: readonly StackIam[]): AccessReport {
  return {
    iamDataVersion: iamDataPackageVersion(),
    awsManagedPoliciesAsOf: AWS_MANAGED_POLICIES_AS_OF.updated,
    stacks: [...stacks].sort((a, b) => cmp(a.stack, b.stack)).map((s) => ({ stack: s.stack, subjects: s.subjects.map(subjectReport) })),
  };
}

function subjectReport(subject: Subject): SubjectReport {
  const grants = subjectGrants(subject);
  // An SCP or a boundary only ever takes permissions away: its wildcards are not risks.
  const restrictsOnly = subject.kind === 'service-control-policy';
  const permissions = withoutFlagsIf(restrictsOnly, grantRows(grants.permissions));
  const trust = subject.trustPolicy === undefined ? undefined : grantRows(grants.trust);
  const entry = (p: Subject['policies'][number]): PolicyEntry => ({
    label: p.label,
    attachment: p.attachment,
    ...(p.address !== undefined && { address: p.address }),
    ...(p.arn !== undefined && { arn: p.arn }),
    expanded: p.document !== undefined,
    ...(p.version !== undefined && { version: p.version }),
    ...(p.via !== undefined && { via: p.via }),
  });
  const policies = subject.policies.map(entry);
  const boundary = subject.boundary === undefined || grants.boundary === undefined ? undefined : { policy: entry(subject.boundary), rows: withoutFlagsIf(true, grantRows(grants.boundary.grants)) };
  const sizes = subject.sizes.map((s) => ({ ...s, over: s.size > s.limit }));
  const terraformState = stateAccessView(subject, grants.permissions);
  const flags = new Set<RiskFlag>([...permissions, ...(trust ?? [])].flatMap((r) => r.flags));
  const admission = admissionView(subject);
  const admitted = admittedPrincipals(subject);
  for (const entry of admission) {
    if ((RISK_FLAGS as readonly string[]).includes(entry.rule)) flags.add(entry.rule as RiskFlag);
    if (!entry.acknowledged) flags.add('NOT_ACKNOWLEDGED');
  }
  if (policies.some((p) => !p.expanded) || (boundary !== undefined && !boundary.policy.expanded)) flags.add('NOT_EXPANDED');
  if (sizes.some((s) => s.over)) flags.add('OVER_SIZE_LIMIT');
  const escalationPaths = restrictsOnly ? [] : subjectEscalationPaths(subject, grants);
  if (escalationPaths.length > 0) flags.add('ESCALATION_PATH');
  return {
    id: subject.id,
    kind: subject.kind,
    name: subject.name,
    ...(subject.path !== undefined && { path: subject.path }),
    provider: subject.provider,
    ...(subject.account !== undefined && { account: subject.account }),
    addresses: subject.addresses,
    policies,
    permissions,
    ...(trust !== undefined && { trust }),
    admission,
    ...(admitted.length > 0 && { admitted }),
    ...(boundary !== undefined && { boundary }),
    groups: subject.groups,
    members: subject.members,
    instanceProfiles: subject.instanceProfiles,
    targets: subject.targets,
    sizes,
    ...(terraformState !== undefined && { terraformState }),
    flags: sortFlags(flags),
    ...(escalationPaths.length > 0 && { escalationPaths }),
  };
}

function withoutFlagsIf(condition: boolean, rows: GrantRow[]): GrantRow[] {
  return condition ? rows.map((r) => ({ ...r, flags: [] })) : rows;
}

/** The report's JSON twin: the model, two-space indented, with a final newline. */
export function reportJson(report: AccessReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
