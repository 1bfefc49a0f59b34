import { Token } from 'cdktf';
import { acceptedIn, type AcknowledgedFinding, applyAcknowledgements } from '../core/acknowledgements';
import { documentShapeFindings } from '../core/document-shape';
import { shape } from '../core/input-shape';
import { canonicalPolicy, type PolicyDocument } from '../core/policy-document';
import type { Acknowledgement, Finding } from '../core/policy-error';
import { buildTrustPolicy, checkTrustPolicy, type TrustPolicyProps } from '../iam-role/trust-policy';

/** A trust policy as a role construct takes it: the principals, a document, its JSON text, or a reference. */
export type TrustPolicyInput = TrustPolicyProps | PolicyDocument | string;

/**
 * The JavaScript types of the fields every role construct takes for its trust (`trustPolicy`,
 * `trustPolicyAcknowledge`, `account`, `dependsOn`), for its props' shape. What is inside `trustPolicy` is
 * checked by `trustPolicyInput`.
 */
export const TRUST_POLICY_INPUT_FIELDS = {
  trustPolicy: shape.oneOf('the principals, a policy document, or its JSON text', shape.record(shape.any()), shape.string()),
  trustPolicyAcknowledge: shape.optional(shape.list(shape.any())),
  account: shape.optional(shape.string()),
  // Resources and other constructs Terraform can order by: anything with an `fqn`, as cdktf's ITerraformDependable.
  dependsOn: shape.optional(shape.list(shape.object({ fqn: shape.string() }, { example: "provider.provider (an OidcProvider's resource)" }))),
};

/** What the construct adds to the input: its own `trustPolicyAcknowledge` and `account`. */
export interface TrustPolicyInputOptions {
  readonly acknowledge: readonly Acknowledgement[];
  readonly account?: string;
  /** The input's field name in errors. @default 'trustPolicy' */
  readonly field?: string;
  /** The construct taking it (`Role`, `StateAccessRole`), named in fixes that point to its own props. @default 'Role' */
  readonly construct?: string;
}

/** The trust policy written into the role, every finding for it, and what the caller accepted. */
export interface TrustPolicyResult {
  readonly json: string;
  readonly findings: Finding[];
  readonly acknowledged: AcknowledgedFinding[];
  /** The account the policy was checked as being in, when one was given. */
  readonly account?: string;
}

function isDocument(value: object): value is PolicyDocument {
  return 'Statement' in value || 'Version' in value;
}

/**
 * `trustPolicy` checked as a role's trust policy and written in canonical form. Principals are built by
 * `buildTrustPolicy`; a document or its text is checked by `checkTrustPolicy` (who it admits included); a
 * reference (an `aws_iam_policy_document`'s `json`) is passed through only when `REFERENCE_UNCHECKED` is
 * accepted with a reason, since its content is known only at apply.
 */
export function trustPolicyInput(trustPolicy: TrustPolicyInput, options: TrustPolicyInputOptions): TrustPolicyResult {
  const field = options.field ?? 'trustPolicy';
  // Fixes name the construct's own props: its `account`, and `trustPolicyAcknowledge` to accept a finding.
  const inputs = (account: string | undefined) => ({ acknowledge: 'trustPolicyAcknowledge', account: 'account', resource: 'the role', accountGiven: account !== undefined });
  const fail = (value: unknown, problem: string): TrustPolicyResult => ({
    json: '',
    findings: [{ field, value, problem, fix: 'pass the principals, the policy document, or its JSON text', code: 'INPUT_TYPE' }],
    acknowledged: [],
  });
  if (typeof trustPolicy === 'string' && Token.isUnresolved(trustPolicy)) {
    // Its content is known only at apply: neither this check nor the access report can read it, so it is
    // written only when the caller accepts that with a reason.
    const unchecked: Finding = {
      field,
      value: trustPolicy,
      problem: 'is a reference resolved only at apply time: who it lets in cannot be checked at synth, nor read by the access report',
      fix: 'pass the principals, the policy document or its JSON text',
      code: 'REFERENCE_UNCHECKED',
    };
    const applied = applyAcknowledgements([unchecked], options.acknowledge);
    return {
      json: trustPolicy,
      findings: acceptedIn(applied.findings, inputs(options.account)),
      acknowledged: applied.acknowledged,
      ...(options.account !== undefined && { account: options.account }),
    };
  }
  if (typeof trustPolicy === 'object' && trustPolicy !== null && !Array.isArray(trustPolicy) && !isDocument(trustPolicy)) {
    const trust = trustPolicy as TrustPolicyProps;
    const accountFindings: Finding[] =
      trust.account !== undefined && options.account !== undefined && trust.account !== options.account
        ? [{ field: `${field}.account`, value: trust.account, problem: `differs from the role's account, ${options.account}`, fix: 'give the account once, or the same in both' }]
        : [];
    const account = trust.account ?? options.account;
    const built = buildTrustPolicy({ ...trust, ...(account !== undefined && { account }) }, `${field}.`, options.acknowledge, {
      construct: options.construct ?? 'Role',
      acknowledgeField: 'trustPolicyAcknowledge',
    });
    return { json: JSON.stringify(built.document), findings: [...accountFindings, ...built.findings], acknowledged: built.acknowledged, ...(account !== undefined && { account }) };
  }
  let parsed: unknown = trustPolicy;
  if (typeof trustPolicy === 'string') {
    try {
      parsed = JSON.parse(trustPolicy);
    } catch (e) {
      return fail(trustPolicy.slice(0, 80), `is not JSON (${(e as Error).message})`);
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return fail(parsed, 'a policy is a JSON object with Version and Statement');
  const shapeProblems = documentShapeFindings(parsed, field);
  if (shapeProblems.length > 0) return { json: '', findings: shapeProblems, acknowledged: [] };
  const doc = canonicalPolicy(parsed);
  const checked = checkTrustPolicy(doc, { acknowledge: options.acknowledge, ...(options.account !== undefined && { account: options.account }) });
  return {
    json: JSON.stringify(doc),
    findings: acceptedIn(
      checked.findings.map((f) => ({ ...f, field: `${field}.${f.field}` })),
      inputs(options.account),
    ),
    acknowledged: checked.acknowledged,
    ...(options.account !== undefined && { account: options.account }),
  };
}
