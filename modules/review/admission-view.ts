/**
 * Who each trust and bucket policy of a stack lets in, as the access report shows it: the findings of the
 * core's admission check (`admissionFindings`), each with the reason the construct that wrote the policy was
 * given for accepting it, or marked as accepted by nobody. Pure: no cdktf.
 *
 * The check is run again on the synthesized policy, not read from the construct's record: a policy that
 * reached the stack some other way (a reference, hand-written JSON, an HCL module) is checked all the same,
 * and a record that no longer matches the policy covers nothing.
 */
import { admissionFindings } from '../core/admission';
import type { PolicyDocument, PolicyStatement } from '../core/policy-document';
import { principalsOf, principalText } from './grants';
import type { RuleId } from '../core/rules';
import type { AppliedPolicy, Subject } from './stack-iam';

/** One finding of who a policy lets in. */
export interface AdmissionEntry {
  readonly rule: RuleId;
  /** The policy, as the report names it (`trust policy of ci`). */
  readonly policy: string;
  /** Where in the policy, e.g. `Statement[0].Principal.AWS`. */
  readonly field: string;
  readonly problem: string;
  /** Whether the construct that wrote the policy was told to accept it. */
  readonly acknowledged: boolean;
  /** The reason it was accepted with. */
  readonly reason?: string;
}

/** Who one trust or bucket policy lets in: the principals its Allow statements name. */
export interface AdmittedPrincipals {
  /** The policy, as the report names it (`trust policy of ci`). */
  readonly policy: string;
  /** Each principal of an Allow, as text (`AWS arn:…`, `Service ec2.amazonaws.com`, `*`, `not (…)`), sorted. */
  readonly principals: readonly string[];
  /** Some of those Allows have a condition: the principals get in only under it. */
  readonly conditional: boolean;
}

/** The trust policy of a role, the policies of a bucket policy: those whose content is in the stack. */
function admissionPolicies(subject: Subject): AppliedPolicy[] {
  const policies: AppliedPolicy[] = subject.kind === 'role' ? (subject.trustPolicy === undefined ? [] : [subject.trustPolicy]) : subject.kind === 'bucket-policy' ? [...subject.policies] : [];
  return policies.filter((policy) => policy.document !== undefined);
}

/** The admission findings of `subject`'s trust policy or bucket policy, in document order. */
export function admissionView(subject: Subject): AdmissionEntry[] {
  return admissionPolicies(subject).flatMap((policy) => policyEntries(subject, policy, policy.document!));
}

/** Who each trust or bucket policy of `subject` lets in, finding or not; empty for other subjects. */
export function admittedPrincipals(subject: Subject): AdmittedPrincipals[] {
  return admissionPolicies(subject).map((policy) => {
    const doc = policy.document!;
    const statements: PolicyStatement[] = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement as unknown as PolicyStatement];
    const allows = statements.filter((s) => s.Effect === 'Allow' && (s.Principal !== undefined || s.NotPrincipal !== undefined));
    const principals = allows.flatMap((s) =>
      s.NotPrincipal !== undefined ? [`not (${principalsOf(s.NotPrincipal).map(principalText).sort().join(', ')})`] : principalsOf(s.Principal!).map(principalText),
    );
    return { policy: policy.label, principals: [...new Set(principals)].sort(), conditional: allows.some((s) => s.Condition !== undefined && Object.keys(s.Condition).length > 0) };
  });
}

function policyEntries(subject: Subject, policy: AppliedPolicy, document: PolicyDocument): AdmissionEntry[] {
  const recorded = policy.admission;
  const entries: AdmissionEntry[] = [];
  if (subject.account !== undefined && recorded?.account !== undefined && subject.account !== recorded.account) {
    entries.push({
      rule: 'CROSS_ACCOUNT',
      policy: policy.label,
      field: '(account)',
      problem: `was checked at synth as in account ${recorded.account}, but its provider deploys to account ${subject.account}`,
      acknowledged: false,
    });
  }
  const account = subject.account ?? recorded?.account;
  for (const finding of admissionFindings(document, account === undefined ? {} : { account })) {
    const match = recorded?.acknowledged.find((a) => a.rule === finding.code && a.field === finding.field);
    entries.push({
      rule: finding.code!,
      policy: policy.label,
      field: finding.field,
      problem: finding.problem,
      acknowledged: match !== undefined,
      ...(match?.reason !== undefined && { reason: match.reason }),
    });
  }
  return entries;
}
