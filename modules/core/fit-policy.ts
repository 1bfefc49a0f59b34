/**
 * Policies that fit their size limits (IAM user guide, "IAM and AWS STS quotas", "IAM and AWS STS
 * character limits": a managed policy holds 6,144 characters, a role's inline policies 10,240 together, a
 * user's 2,048, a group's 5,120, white space not counted; see `POLICY_SIZE_LIMITS`).
 *
 * A document over its limit is first merged (`mergeStatements`), which allows exactly what it allowed;
 * when that is not enough and the caller allows it, its statements are spread over more documents for
 * the same principal. IAM allows a request when any of a principal's identity policies allows it and none
 * denies it (IAM user guide, "Policy evaluation logic"), so statements spread over several policies of one
 * principal allow and deny what they did in one. Nothing is ever dropped or widened: what cannot fit fails
 * with a `PolicyValidationError` naming the principal, the size, the limit and the fix.
 */
import { iamNameFindings } from './iam-names';
import { type MergeStatementsOptions, mergeStatements } from './merge-statements';
import { canonicalPolicy, type PolicyDocument, type PolicyStatement } from './policy-document';
import { type Finding, throwIfAny } from './policy-error';
import { POLICY_SIZE_LIMITS, type PolicyKind, policySize, type SizeUnit, textSize } from './policy-kind';
import { packStatements, type SourcedStatement } from './private/pack-statements';

export interface FitPoliciesOptions extends MergeStatementsOptions {
  /** What is being built, named first in every error: a construct path or a function name. */
  readonly context: string;
  /**
   * Where the documents go: decides how size is counted and the default limit.
   * @default 'managed'
   */
  readonly kind?: PolicyKind;
  /**
   * Largest size of each document, in the unit of `kind`.
   * @default - `POLICY_SIZE_LIMITS[kind].limit`
   */
  readonly limit?: number;
  /**
   * Most documents the statements may be spread over, all for the same principal.
   * @default 1 - merge only, never split
   */
  readonly maxDocuments?: number;
  /**
   * Advice for a document that cannot fit in `maxDocuments`.
   * @default - allow more documents, or grant with fewer patterns
   */
  readonly fix?: string;
}

/**
 * `document` as one or more documents each within the limit: the canonical document itself when it fits
 * (unchanged, not merged), else merged, else (up to `maxDocuments`) its merged statements packed into the
 * fewest documents by `packItems` (first-fit decreasing, then an exact search within a fixed node budget),
 * each keeping the Version, the Id and the statements' order. Throws a `PolicyValidationError` naming
 * `context` when a statement alone is over the limit or more documents than `maxDocuments` are needed.
 */
export function fitPolicies(document: PolicyDocument, options: FitPoliciesOptions): PolicyDocument[] {
  const kind = options.kind ?? 'managed';
  const { unit, appliesTo } = POLICY_SIZE_LIMITS[kind];
  const limit = options.limit ?? POLICY_SIZE_LIMITS[kind].limit;
  const given = canonicalPolicy(document);
  const givenSize = policySize(given, unit);
  if (givenSize <= limit) return [given];
  const merged = mergeStatements(given, options);
  const mergedSize = policySize(merged, unit);
  if (mergedSize <= limit) return [merged];

  const sourced = merged.Statement.map((statement) => sourcedStatement(statement, merged));
  const packed = packStatements(sourced, limit, unit);
  const over = `${mergedSize} ${unitName(unit)} is over the ${limit} allowed for ${appliesTo}${mergeNote(givenSize, mergedSize, unit)}`;
  throwIfAny(
    options.context,
    packed.tooLarge.map((i) => ({
      field: `Statement[${i}]`,
      value: merged.Statement[i].Sid ?? packed.aloneSize[i],
      problem: `${over}, and a document holding only this statement would be ${packed.aloneSize[i]} ${unitName(unit)}, so no split fits it`,
      fix: STATEMENT_TOO_LARGE_FIX,
    })),
  );
  const maxDocuments = options.maxDocuments ?? 1;
  const needed = packed.documents.length;
  throwIfAny(
    options.context,
    needed > maxDocuments
      ? [
          {
            field: '(policy size)',
            value: mergedSize,
            problem: `${over}; split within the limit it takes ${needed} documents, ${maxDocuments === 1 ? 'and no split is allowed' : `over the ${maxDocuments} allowed`}`,
            fix: options.fix ?? `allow ${needed} documents (maxDocuments), each attached to the same principal, or grant with fewer, broader patterns you have reviewed`,
          },
        ]
      : [],
  );
  return packed.documents;
}

/** A named policy of a principal: an inline policy, or a customer managed policy to create. */
export interface NamedPolicy {
  readonly name: string;
  readonly document: PolicyDocument;
}

/** Where a principal's inline statements go when they do not fit inline. */
export interface PolicyOverflow {
  /** Base name: the customer managed policies are named `<name>-2`, `<name>-3`, … */
  readonly name: string;
  /** Most managed policies (AWS and customer managed) the principal may have attached, e.g. `DEFAULT_MANAGED_POLICY_ATTACHMENTS.role`. */
  readonly attachmentLimit: number;
  /** Managed policies attached to it already. */
  readonly attached: number;
  /**
   * Largest size of each customer managed policy.
   * @default - `POLICY_SIZE_LIMITS.managed.limit` (6,144)
   */
  readonly limit?: number;
  /**
   * Advice when the overflow needs more attachments than are free.
   * @default - attach fewer managed policies, or grant with fewer patterns
   */
  readonly fix?: string;
}

/** The inline policy kinds: a principal's inline policies are limited together. */
export type InlinePolicyKind = 'role-inline' | 'user-inline' | 'group-inline';

export interface FitPrincipalPoliciesOptions extends MergeStatementsOptions {
  /** What is being built, named first in every error: a construct path or a function name. */
  readonly context: string;
  /** The principal, in words, for messages: `role ci-web`. */
  readonly principal: string;
  /** The principal's inline policy kind: decides the limit of their summed sizes. */
  readonly kind: InlinePolicyKind;
  /**
   * Largest size of the inline policies together.
   * @default - `POLICY_SIZE_LIMITS[kind].limit`
   */
  readonly limit?: number;
  /**
   * Where statements that do not fit inline may go.
   * @default - nowhere: fail when merging is not enough
   */
  readonly overflow?: PolicyOverflow;
  /**
   * The field findings name, where the policies came from.
   * @default 'inlinePolicies'
   */
  readonly field?: string;
  /**
   * Advice when the policies, merged, are over the limit and may not overflow.
   * @default - move statements to customer managed policies, or grant with fewer patterns
   */
  readonly fix?: string;
}

/** A principal's policies, fitted to their limits. */
export interface FittedPrincipalPolicies {
  /**
   * The inline policies to write, in the order given, each under its own name: as given (canonical) when
   * they fit, else merged, else those that keep statements after the overflow took its share.
   */
  readonly inline: NamedPolicy[];
  /** Customer managed policies to create and attach to the principal: empty unless the overflow is used. */
  readonly managed: NamedPolicy[];
  /** Whether merging changed the statements. */
  readonly merged: boolean;
  /** Why they cannot fit: empty when they do. */
  readonly findings: Finding[];
}

/**
 * A principal's inline `policies`, fitted to the limit of their summed sizes: unchanged (canonical) when
 * they fit; else each merged (statements of different policies are not merged, as each policy keeps its
 * name); else, when `overflow` is given, the statements are kept inline in order (policy by policy,
 * statement by statement) while they fit, and every statement from the first that does not fit on moves
 * to the fewest customer managed policies of `overflow.limit` (packed as `fitPolicies` packs; two
 * statements of different Version, Id or the same Sid never share one), named `<overflow.name>-2`, …
 * Findings, not an exception, say why they cannot fit, for the caller to report with its other findings.
 */
export function fitPrincipalPolicies(policies: readonly NamedPolicy[], options: FitPrincipalPoliciesOptions): FittedPrincipalPolicies {
  const { unit, appliesTo } = POLICY_SIZE_LIMITS[options.kind];
  const limit = options.limit ?? POLICY_SIZE_LIMITS[options.kind].limit;
  const field = options.field ?? 'inlinePolicies';
  const given = policies.map((p) => ({ name: p.name, document: canonicalPolicy(p.document) }));
  const givenSize = totalSize(given, unit);
  if (givenSize <= limit) return { inline: given, managed: [], merged: false, findings: [] };
  const merged = given.map((p) => ({ name: p.name, document: mergeStatements(p.document, options) }));
  const mergedSize = totalSize(merged, unit);
  const changed = mergedSize !== givenSize || merged.some((p, i) => p.document.Statement.length !== given[i].document.Statement.length);
  const result = (inline: NamedPolicy[], managed: NamedPolicy[], findings: Finding[]) => ({ inline, managed, merged: changed, findings });
  if (mergedSize <= limit) return result(merged, [], []);

  const over = `${mergedSize} ${unitName(unit)} is over the ${limit} allowed for ${appliesTo}${mergeNote(givenSize, mergedSize, unit)}`;
  const { overflow } = options;
  if (overflow === undefined) {
    return result(
      merged,
      [],
      [{ field, value: mergedSize, problem: over, fix: options.fix ?? 'move statements to customer managed policies, or grant with fewer, broader patterns you have reviewed' }],
    );
  }

  const { inline, moved } = keepWhileUnder(merged, limit, unit);
  const managedLimit = overflow.limit ?? POLICY_SIZE_LIMITS.managed.limit;
  const packed = packStatements(
    moved.map((m) => m.sourced),
    managedLimit,
    POLICY_SIZE_LIMITS.managed.unit,
  );
  if (packed.tooLarge.length > 0) {
    return result(
      merged,
      [],
      packed.tooLarge.map((k) => ({
        field: `${field}[${moved[k].policy}].document.Statement[${moved[k].statement}]`,
        value: moved[k].sourced.statement.Sid ?? packed.aloneSize[k],
        problem: `${over}, and a customer managed policy holding only this statement would be ${packed.aloneSize[k]} characters, over the ${managedLimit} allowed for ${POLICY_SIZE_LIMITS.managed.appliesTo}`,
        fix: STATEMENT_TOO_LARGE_FIX,
      })),
    );
  }
  const free = Math.max(0, overflow.attachmentLimit - overflow.attached);
  const needed = packed.documents.length;
  if (needed > free) {
    return result(
      merged,
      [],
      [
        {
          field,
          value: mergedSize,
          problem:
            `${over}; the statements that do not fit inline take ${needed} customer managed ${needed === 1 ? 'policy' : 'policies'}, ` +
            `and ${options.principal} has ${free} of its ${overflow.attachmentLimit} managed policy attachments free (${overflow.attached} taken)`,
          fix: overflow.fix ?? 'attach fewer managed policies, or grant with fewer, broader patterns you have reviewed',
        },
      ],
    );
  }
  const managed = packed.documents.map((document, k) => ({ name: `${overflow.name}-${k + 2}`, document }));
  const names = managed.flatMap((p) => iamNameFindings(`${field} (overflow policy name)`, p.name, 'policy'));
  return names.length > 0 ? result(merged, [], names) : result(inline, managed, []);
}

const STATEMENT_TOO_LARGE_FIX = 'give its Action or Resource list to several statements, or cover them with fewer patterns you have reviewed';

interface MovedStatement {
  readonly sourced: SourcedStatement;
  /** Position of its policy among those given. */
  readonly policy: number;
  /** Its position in that policy, merged. */
  readonly statement: number;
}

/** The longest prefix of the statements, policy by policy, whose policies fit `limit` together; the rest moved. */
function keepWhileUnder(policies: readonly NamedPolicy[], limit: number, unit: SizeUnit): { inline: NamedPolicy[]; moved: MovedStatement[] } {
  const inline: NamedPolicy[] = [];
  const moved: MovedStatement[] = [];
  let used = 0;
  let cut = false;
  policies.forEach((p, i) => {
    const kept: PolicyStatement[] = [];
    // A document's size is its empty form's plus each statement's and a comma between each two.
    let size = policySize({ ...p.document, Statement: [] }, unit) - 1;
    p.document.Statement.forEach((statement, j) => {
      const grown = size + textSize(JSON.stringify(statement), unit) + 1;
      if (!cut && used + grown <= limit) {
        kept.push(statement);
        size = grown;
      } else {
        cut = true;
        moved.push({ sourced: sourcedStatement(statement, p.document), policy: i, statement: j });
      }
    });
    if (kept.length > 0) {
      used += size;
      inline.push({ name: p.name, document: { ...p.document, Statement: kept } });
    }
  });
  return { inline, moved };
}

function sourcedStatement(statement: PolicyStatement, document: PolicyDocument): SourcedStatement {
  return { statement, version: document.Version, ...(document.Id !== undefined && { id: document.Id }) };
}

function totalSize(policies: readonly NamedPolicy[], unit: SizeUnit): number {
  return policies.reduce((sum, p) => sum + policySize(p.document, unit), 0);
}

function unitName(unit: SizeUnit): string {
  return unit === 'bytes' ? 'bytes' : 'characters';
}

function mergeNote(givenSize: number, mergedSize: number, unit: SizeUnit): string {
  return mergedSize === givenSize ? '' : `, after merging statements (${givenSize} ${unitName(unit)} as given)`;
}
