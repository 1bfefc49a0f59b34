/**
 * What a caller accepts in `acknowledge`, checked, and applied to findings. Pure: no cdktf.
 */
import { cmp } from './order';
import type { Acknowledgement, Finding } from './policy-error';
import { type AcknowledgeableFinding, isAcknowledgeable, needsReason, RULES, type RuleId } from './rules';

/** A finding accepted by the caller, as recorded next to the resource and shown in the access report. */
export interface AcknowledgedFinding {
  readonly rule: AcknowledgeableFinding;
  /** Where, as the finding names it (`Statement[0].Principal.AWS`). */
  readonly field: string;
  /** What the rule found there. */
  readonly problem: string;
  /** The caller's reason; absent for a rule accepted by name. */
  readonly reason?: string;
}

/**
 * Where, in a resource's Terraform JSON comment (`"//"`, which Terraform ignores), a construct records what
 * it checked its policy's admission against, and the access report reads it.
 */
export const ADMISSION_COMMENT_KEY = 'admission';

/** Longest reason taken: a sentence or two, for the report. */
export const MAX_REASON_LENGTH = 500;

/**
 * Findings for the `acknowledge` input at `field`: a list, each entry a rule that may be accepted, written
 * as its id or as `{ rule, reason }`; the who-gets-in rules only with a reason. Catches what the types
 * cannot, for callers in JavaScript or with values built at run time.
 */
export function acknowledgementFindings(field: string, value: unknown): Finding[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    return [{ field, value, problem: 'is not a list', fix: "give a list, e.g. ['WILDCARD_RESOURCE'] or [{ rule: 'CROSS_ACCOUNT', reason: '…' }]", code: 'INPUT_TYPE' }];
  }
  const findings: Finding[] = [];
  value.forEach((entry: unknown, i) => {
    const at = `${field}[${i}]`;
    const rule = typeof entry === 'string' ? entry : typeof entry === 'object' && entry !== null ? (entry as { rule?: unknown }).rule : undefined;
    if (typeof rule !== 'string' || !isKnownAcknowledgeable(rule)) {
      findings.push({
        field: at,
        value: entry,
        problem: 'names no rule that may be acknowledged',
        fix: `use one of ${acknowledgeableRules().join(', ')}`,
        code: 'ACKNOWLEDGEMENT_INVALID',
      });
      return;
    }
    if (typeof entry === 'string') {
      if (needsReason(rule)) {
        findings.push({
          field: at,
          value: entry,
          problem: `${rule} decides who may get in, and is accepted only with a reason a reviewer can read`,
          fix: `write { rule: '${rule}', reason: '<why these principals may get in>' }`,
          code: 'ACKNOWLEDGEMENT_INVALID',
        });
      }
      return;
    }
    const reason = (entry as { reason?: unknown }).reason;
    if (typeof reason !== 'string' || reason.trim() === '' || reason.length > MAX_REASON_LENGTH || /[^\t\n\r\u0020-\u00ff]/.test(reason)) {
      findings.push({
        field: `${at}.reason`,
        value: reason,
        problem: `a reason is a non-empty text of at most ${MAX_REASON_LENGTH} characters (tab, LF, CR and U+0020 to U+00FF)`,
        fix: 'say in a sentence why the finding is accepted',
        code: 'ACKNOWLEDGEMENT_INVALID',
      });
    }
  });
  return findings;
}

/**
 * `findings` split into those still in force and those `acknowledge` accepts. A who-gets-in rule accepted
 * without a reason stays in force (the entry points also report the entry itself).
 */
export function applyAcknowledgements(findings: readonly Finding[], acknowledge: readonly Acknowledgement[] | undefined): { findings: Finding[]; acknowledged: AcknowledgedFinding[] } {
  const accepted = acceptedRules(acknowledge);
  const open: Finding[] = [];
  const acknowledged: AcknowledgedFinding[] = [];
  for (const f of findings) {
    const code = f.code;
    const entry = code === undefined || !isAcknowledgeable(code) ? undefined : accepted.get(code);
    if (code === undefined || entry === undefined || !isAcknowledgeable(code) || (needsReason(code) && entry.reason === undefined)) {
      open.push(f);
      continue;
    }
    acknowledged.push({ rule: code, field: f.field, problem: f.problem, ...(entry.reason !== undefined && { reason: entry.reason }) });
  }
  return { findings: open, acknowledged };
}

/** The rules `acknowledge` accepts, each with the first reason given for it. Malformed entries are skipped. */
function acceptedRules(acknowledge: readonly Acknowledgement[] | undefined): Map<RuleId, { reason?: string }> {
  const accepted = new Map<RuleId, { reason?: string }>();
  if (!Array.isArray(acknowledge)) return accepted;
  for (const entry of acknowledge as readonly unknown[]) {
    if (typeof entry === 'string') {
      if (isKnownAcknowledgeable(entry) && !accepted.has(entry)) accepted.set(entry, {});
    } else if (typeof entry === 'object' && entry !== null) {
      const { rule, reason } = entry as { rule?: unknown; reason?: unknown };
      if (typeof rule !== 'string' || !isKnownAcknowledgeable(rule)) continue;
      const hasReason = typeof reason === 'string' && reason.trim() !== '';
      if (hasReason && accepted.get(rule)?.reason === undefined) accepted.set(rule, { reason });
      else if (!accepted.has(rule)) accepted.set(rule, {});
    }
  }
  return accepted;
}

function isKnownAcknowledgeable(rule: string): rule is AcknowledgeableFinding {
  return Object.prototype.hasOwnProperty.call(RULES, rule) && isAcknowledgeable(rule as RuleId);
}

/** Every rule that may be acknowledged, in `RULES` order. */
export function acknowledgeableRules(): AcknowledgeableFinding[] {
  return (Object.keys(RULES) as RuleId[]).filter(isAcknowledgeable);
}

/** The same findings, sorted for writing out: by field, then rule. */
export function sortedAcknowledged(list: readonly AcknowledgedFinding[]): AcknowledgedFinding[] {
  return [...list].sort((a, b) => cmp(a.field, b.field) || cmp(a.rule, b.rule));
}

/** The caller's own names for what settles a finding: the construct's or function's props, not the core's. */
export interface AcceptanceInputs {
  /** The field findings are accepted in: `acknowledge` (`trustPolicy()`, `BucketPolicy`), `trustPolicyAcknowledge` (`Role`). */
  readonly acknowledge: string;
  /** The field of the account the policy's role or bucket is in: `account`. */
  readonly account: string;
  /** What is in that account, for the fix: `the role`, `the bucket`. */
  readonly resource: string;
  /** Whether the caller gave that account (a `CROSS_ACCOUNT` finding then means another account). */
  readonly accountGiven: boolean;
}

/**
 * `findings` with each acknowledgeable one's fix saying, once, how to settle it through the caller's own
 * props: a `Role` accepts in `trustPolicyAcknowledge`, `trustPolicy()` in `acknowledge`; a `CROSS_ACCOUNT`
 * finding with no account given says to give the caller's `account`. The core's own fix texts stay as they
 * are, since the Terraform modules mirror them (terraform-policy-admission.ts); the error message then adds
 * no generic note after a fix that names its rule (`PolicyValidationError`).
 */
export function acceptedIn(findings: readonly Finding[], inputs: AcceptanceInputs): Finding[] {
  return findings.map((f) => {
    if (f.code === undefined || !isAcknowledgeable(f.code) || f.fix.includes(`'${f.code}'`)) return f;
    const accept = needsReason(f.code) ? `accept it with a reason: ${inputs.acknowledge}: [{ rule: '${f.code}', reason: '…' }]` : `accept it by adding '${f.code}' to ${inputs.acknowledge}`;
    if (f.code === 'CROSS_ACCOUNT') {
      const fix = inputs.accountGiven
        ? `name only principals of ${inputs.resource}'s own account; or, if this one is meant to get in, ${accept}`
        : `give ${inputs.account}, the 12-digit ID of the account ${inputs.resource} is in; or, if another account is meant to get in, ${accept}`;
      return { ...f, fix };
    }
    return { ...f, fix: `${f.fix} (or ${accept})` };
  });
}
