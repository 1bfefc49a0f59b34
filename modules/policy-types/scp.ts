/**
 * Service control policies (AWS Organizations), as pure functions: the document and its checks, and the
 * shapes of the ids of the roots, OUs and accounts an SCP is attached to. No cdktf import.
 */
import { ACCOUNT_ID } from '../core/iam-identifiers';
import type { PolicyDocument } from '../core/policy-document';
import { type AcknowledgeableFinding, type Finding, throwIfAny } from '../core/policy-error';
import { validatePolicy } from '../core/validate-policy';
import { shape, shapeFindings } from '../core/input-shape';
import { canonicalInput, type PolicyInput, policyInputFindings } from './document-input';

/** Where an SCP is checked: its errors name `context` first. */
export interface ScpDestination {
  /** A construct path or a function name. */
  readonly context: string;
  /**
   * Size limit in characters as saved (white space counted; the constructs save the minified JSON).
   * @default - `POLICY_SIZE_LIMITS['service-control'].limit`
   */
  readonly sizeLimit?: number;
  /**
   * Findings accepted by name.
   * @default - none
   */
  readonly acknowledge?: readonly AcknowledgeableFinding[];
}

/**
 * The canonical SCP for `input`, checked as kind 'service-control': no Principal or NotPrincipal (an SCP
 * applies to the principals of the accounts it is attached to), action names and condition keys from
 * iam-data, and the size as saved. Deny statements with `Action: "*"` are not findings.
 */
export function serviceControlPolicy(input: PolicyInput, destination: ScpDestination = { context: 'serviceControlPolicy' }): PolicyDocument {
  throwIfAny(destination.context, policyInputFindings(input, 'input'));
  const doc = canonicalInput(input);
  validatePolicy(doc, destination.context, {
    kind: 'service-control',
    ...(destination.sizeLimit !== undefined && { sizeLimit: destination.sizeLimit }),
    ...(destination.acknowledge !== undefined && { acknowledge: destination.acknowledge }),
    sizeFix: 'split the statements across two SCPs attached to the same target, or shorten them',
  });
  return doc;
}

/**
 * Target ids, from the Organizations API reference (AttachPolicy, `TargetId`): a root is "r-" and 4 to
 * 32 lowercase letters or digits; an account is exactly 12 digits; an OU is "ou-", 4 to 32 lowercase
 * letters or digits (the id of its root), "-", and 8 to 32 more lowercase letters or digits.
 */
export const ORGANIZATIONS_TARGET_ID = {
  root: /^r-[0-9a-z]{4,32}$/,
  account: ACCOUNT_ID.regExp,
  organizationalUnit: /^ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}$/,
} as const;

export type OrganizationsTargetKind = keyof typeof ORGANIZATIONS_TARGET_ID;

/** What `id` is: a root, an OU or an account id; undefined when it is none of them. */
export function organizationsTargetKind(id: string): OrganizationsTargetKind | undefined {
  return (Object.keys(ORGANIZATIONS_TARGET_ID) as OrganizationsTargetKind[]).find((k) => ORGANIZATIONS_TARGET_ID[k].test(id));
}

/** Findings for a literal target id. */
export function organizationsTargetFindings(field: string, id: string): Finding[] {
  if (typeof id === 'string' && organizationsTargetKind(id) !== undefined) return [];
  return [
    {
      field,
      value: id,
      problem: 'not a root ("r-" + 4 to 32 lowercase letters or digits), OU ("ou-<root part>-<8 to 32 lowercase letters or digits>") or account id (12 digits)',
      fix: 'give the id AWS Organizations lists for the target (ListRoots, ListOrganizationalUnitsForParent, ListAccounts), e.g. "r-ab12", "ou-ab12-cd34ef56" or "123456789012"',
    },
  ];
}

/** Throws unless every one of `ids` is a target id. */
export function validateTargets(context: string, field: string, ids: readonly string[]): void {
  throwIfAny(context, shapeFindings(ids, shape.list(shape.any()), field));
  throwIfAny(
    context,
    ids.flatMap((id, i) => organizationsTargetFindings(`${field}[${i}]`, id)),
  );
}
