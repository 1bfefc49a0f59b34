/**
 * The permission diff for people and machines. One model, `diffReview`, is the JSON (`diffJson`) and
 * what both texts are written from: as text for a terminal or a CI log (`renderDiff`: per stack and
 * subject, each group of added (`+`) and removed (`-`) grants with its kind of change, `WIDENS` on every
 * change that widens permissions, and the risk flags of what is added), and as Markdown for a
 * pull-request comment (`renderDiffMarkdown`: the verdict and the counts first, the subjects' changes
 * folded, cut to fit a comment).
 */
import { cmp } from '../core/order';
import { type GrantRow, grantRows } from './grant-rows';
import { fitMarkdown, type MarkdownBlock, plural } from './markdown-budget';
import type { Grant } from './grants';
import type { GrantChange, GrantPart, PermissionDiff, SubjectDiff } from './permission-diff';
import type { MarkdownLimit } from './render-report';
import { RISK_FLAGS, type RiskFlag, sortFlags } from './risk-flags';
import { changeFlags } from './escalation/categories';
import { newEscalationPathLine } from './escalation/detector';
import { principalName } from './escalation/render';

/** What the diff compared, for its first line. */
export interface DiffSides {
  /** E.g. `HEAD (1a2b3c4)`. */
  readonly before: string;
  /** E.g. `the working tree`. */
  readonly after: string;
  /** What a reader must know about what was compared, said right after the title, e.g. `HEAD~1 (96978cf) has no app at infra: everything is new`. */
  readonly note?: string;
}

/**
 * A group of grants added or removed: one row, as the report groups grants (`GrantRow`, its tag read as
 * the kind of change); the risk flags only of what is added (removals, boundaries and SCPs only restrict).
 */
export interface DiffGrantLine extends Omit<GrantRow, 'tag'> {
  readonly part: GrantPart;
  readonly change: 'added' | 'removed';
  readonly widens: boolean;
  /** The kind of change, e.g. `new action`, `Deny removed`. */
  readonly why: string;
}

/** A change that is not a grant: a boundary, an SCP's target, a policy not expanded. */
export interface DiffOtherLine {
  readonly part: 'other';
  readonly description: string;
  readonly widens: boolean;
}

export type DiffLine = DiffGrantLine | DiffOtherLine;

/** A subject with its changes. */
export interface DiffSubject {
  readonly stack: string;
  /** The stack was added or removed as a whole. */
  readonly stackStatus: 'added' | 'removed' | 'changed';
  readonly id: string;
  readonly kind: SubjectDiff['kind'];
  readonly name: string;
  readonly provider: string;
  readonly account?: string;
  readonly status: 'added' | 'removed' | 'changed';
  readonly widens: boolean;
  readonly lines: readonly DiffLine[];
}

/** A risky line: something added that carries risk flags. */
export interface FlaggedLine {
  readonly stack: string;
  readonly kind: SubjectDiff['kind'];
  readonly name: string;
  /** E.g. `+ Allow iam Write: PassRole on *` (at most three resources named). */
  readonly line: string;
  readonly flags: readonly RiskFlag[];
}

/**
 * The diff as one JSON-ready object: the verdict and the exit code it implies, the counts, the subjects
 * that can now do more (`widened`) and those that changed without widening (`narrowed`: grants removed,
 * Denies added, subjects removed), and the risky lines among what is added.
 */
export interface DiffReview {
  readonly format: 'least-privilege-iam/permission-diff';
  readonly formatVersion: 1;
  readonly before: string;
  readonly after: string;
  /** `DiffSides.note`, when there is one (a ref without the app: everything is new). */
  readonly note?: string;
  /** `widens`: some change widens permissions (exit 1); `does-not-widen`: none does (exit 0). */
  readonly verdict: 'widens' | 'does-not-widen';
  readonly exitCode: 0 | 1;
  readonly summary: {
    readonly stacks: number;
    readonly subjects: number;
    readonly changes: number;
    readonly widening: number;
    readonly widenedSubjects: number;
    readonly narrowedSubjects: number;
    /** How many added lines carry each flag, in the flags' order. */
    readonly riskFlags: { readonly [F in RiskFlag]?: number };
  };
  readonly widened: readonly DiffSubject[];
  readonly narrowed: readonly DiffSubject[];
  readonly flagged: readonly FlaggedLine[];
  /** The privilege-escalation paths the change opens (`escalation/`), when any: each widens. */
  readonly escalations?: readonly NewEscalationPath[];
}

/** A path a principal completes after the change and did not before. */
export interface NewEscalationPath {
  readonly stack: string;
  readonly kind: SubjectDiff['kind'];
  readonly name: string;
  /** The path's id in the escalation catalogue (pathfinding.cloud's). */
  readonly id: string;
  readonly title: string;
  /** `NEW ESCALATION PATH <id>: <principal> via <actions>`. */
  readonly line: string;
  /** Each grant that completes it: action, resource, policy, conditions. */
  readonly via: NonNullable<SubjectDiff['escalations']>[number]['via'];
}

const KIND_TITLES: Record<SubjectDiff['kind'], string> = {
  role: 'role',
  user: 'user',
  group: 'group',
  'managed-policy': 'managed policy',
  'bucket-policy': 'bucket policy',
  'service-control-policy': 'service control policy',
  unreviewed: 'unreviewed',
};

const PART_TITLES: Record<GrantChange['part'], string> = {
  permissions: '',
  trust: 'trust policy: ',
  boundary: 'permissions boundary: ',
};

const linesOfSubject = new WeakMap<SubjectDiff, DiffLine[]>();

/**
 * The lines of one subject's changes: trust, permissions, boundary, then the others; added before removed,
 * widening first. Worked out once per subject (the text, the Markdown and the JSON are all written from
 * them, and a change to a `*` policy can be a million grants).
 */
function subjectLines(subject: SubjectDiff): DiffLine[] {
  let lines = linesOfSubject.get(subject);
  if (lines === undefined) {
    lines = linesOf(subject);
    linesOfSubject.set(subject, lines);
  }
  return lines;
}

function linesOf(subject: SubjectDiff): DiffLine[] {
  const lines: DiffLine[] = [];
  for (const part of ['trust', 'permissions', 'boundary'] as const) {
    // The grants by kind of change (the row's tag): rows never mix tags and are sorted by tag first, so
    // each tag's rows, in the order of the tags, are the rows of all of them.
    const byTag = new Map<string, Grant[]>();
    // A run of changes of one kind (a `*` statement's, a million of them) shares one list: no string per change.
    let last: { readonly change: GrantChange; readonly flags: string; readonly list: Grant[] } | undefined;
    for (const c of subject.grants) {
      if (c.part !== part) continue;
      // Last in the tag: the flags of who a trust or resource policy lets in, and of a Deny removed (escalation/categories.ts).
      const flagList = changeFlags(c, subject);
      const flags = flagList.length === 0 ? '' : flagList.join(',');
      if (last === undefined || last.change.change !== c.change || last.change.widens !== c.widens || last.change.why !== c.why || last.flags !== flags) {
        const tag = `${c.change === 'added' ? 0 : 1}${c.widens ? 0 : 1}\u0000${c.change}\u0000${c.widens}\u0000${c.why}\u0000${flags}`;
        let list = byTag.get(tag);
        if (list === undefined) {
          list = [];
          byTag.set(tag, list);
        }
        last = { change: c, flags, list };
      }
      last.list.push(c.grant);
    }
    for (const tag of [...byTag.keys()].sort(cmp)) {
      for (const row of grantRows(byTag.get(tag)!, () => tag)) {
        const [, change, widens, why, extra] = row.tag.split('\u0000');
        const changeFlagList = extra === '' ? [] : (extra.split(',') as RiskFlag[]);
        // An SCP or a boundary only restricts: what it allows is no risk by itself; nor is what is taken away.
        const risky = change === 'added' && part !== 'boundary' && subject.kind !== 'service-control-policy';
        lines.push({
          part,
          change: change as 'added' | 'removed',
          widens: widens === 'true',
          why,
          effect: row.effect,
          service: row.service,
          accessLevel: row.accessLevel,
          actions: row.actions,
          allActions: row.allActions,
          except: row.except,
          resources: row.resources,
          principals: row.principals,
          conditions: row.conditions,
          flags: risky ? sortFlags([...row.flags, ...changeFlagList]) : changeFlagList,
          policies: row.policies,
        });
      }
    }
  }
  for (const o of subject.other) lines.push({ part: 'other', description: o.description, widens: o.widens });
  return lines;
}

/** The diff's model: see `DiffReview`. */
export function diffReview(diff: PermissionDiff, sides: DiffSides): DiffReview {
  const subjects: DiffSubject[] = diff.stacks.flatMap((stack) =>
    stack.subjects.map((s) => ({
      stack: stack.stack,
      stackStatus: stack.status,
      id: s.id,
      kind: s.kind,
      name: s.name,
      provider: s.provider,
      ...(s.account !== undefined && { account: s.account }),
      status: s.status,
      widens: s.widens,
      lines: subjectLines(s),
    })),
  );
  const lines = subjects.flatMap((s) => s.lines);
  const flagged = subjects.flatMap((s) =>
    s.lines.filter((l): l is DiffGrantLine => l.part !== 'other' && l.flags.length > 0).map((l) => ({ stack: s.stack, kind: s.kind, name: s.name, line: grantLineTitle(l), flags: l.flags })),
  );
  // The privilege-escalation paths each subject's change opens (escalation/).
  const escalations: NewEscalationPath[] = diff.stacks.flatMap((stack) =>
    stack.subjects.flatMap((s) =>
      (s.escalations ?? []).map((f) => ({ stack: stack.stack, kind: s.kind, name: s.name, id: f.id, title: f.title, line: newEscalationPathLine(f, principalName(s)), via: f.via })),
    ),
  );
  const riskFlags: { [F in RiskFlag]?: number } = {};
  for (const flag of RISK_FLAGS) {
    const n = flagged.filter((f) => f.flags.includes(flag)).length;
    if (n > 0) riskFlags[flag] = n;
  }
  return {
    format: 'least-privilege-iam/permission-diff',
    formatVersion: 1,
    before: sides.before,
    after: sides.after,
    ...(sides.note !== undefined && { note: sides.note }),
    verdict: diff.widens ? 'widens' : 'does-not-widen',
    exitCode: diff.widens ? 1 : 0,
    summary: {
      stacks: diff.stacks.length,
      subjects: subjects.length,
      changes: lines.length,
      widening: lines.filter((l) => l.widens).length,
      widenedSubjects: subjects.filter((s) => s.widens).length,
      narrowedSubjects: subjects.filter((s) => !s.widens).length,
      riskFlags,
    },
    widened: subjects.filter((s) => s.widens),
    narrowed: subjects.filter((s) => !s.widens),
    flagged,
    ...(escalations.length > 0 && { escalations }),
  };
}

/** The diff's JSON: `diffReview`, two-space indented, with a final newline. */
export function diffJson(diff: PermissionDiff, sides: DiffSides): string {
  return `${JSON.stringify(diffReview(diff, sides), null, 2)}\n`;
}

function subjectTitle(s: { kind: SubjectDiff['kind']; name: string }): string {
  return `${KIND_TITLES[s.kind]} ${s.name}`;
}

function where(s: DiffSubject): string {
  return `${s.provider}${s.account !== undefined ? `, account ${s.account}` : ''}`;
}

function actionsText(l: DiffGrantLine): string {
  if (!l.allActions) return `${l.service} ${l.accessLevel}: ${l.actions.join(', ')}`;
  if (l.service === '*') return `every action${l.except.length > 0 ? ` except ${l.except.join(', ')}` : ''}`;
  return `${l.service}:* (every ${l.service} action)`;
}

/** E.g. `+ Allow iam Write: PassRole on *`: one line of a summary, so at most three resources (the details have all). */
function grantLineTitle(l: DiffGrantLine): string {
  const more = l.resources.length > 3 ? ` and ${l.resources.length - 3} more` : '';
  return `${l.change === 'added' ? '+' : '-'} ${PART_TITLES[l.part]}${l.effect} ${actionsText(l)} on ${l.resources.slice(0, 3).join(', ')}${more}`;
}

/** The lines under a grant line: principals, resources, conditions, risk flags, policies. */
function grantDetails(l: DiffGrantLine, indent: string): string[] {
  return [
    ...(l.principals.length > 0 ? [`${indent}for ${l.principals.join(', ')}`] : []),
    `${indent}on ${l.resources.join(', ')}`,
    ...(l.conditions.length > 0 ? [`${indent}when ${l.conditions.join(' and ')}`] : []),
    ...(l.flags.length > 0 ? [`${indent}risky: ${l.flags.join(', ')}`] : []),
    `${indent}from ${l.policies.join(', ')}`,
  ];
}

/** The diff as text, ending with a summary line. */
export function renderDiff(diff: PermissionDiff, sides: DiffSides): string {
  const review = diffReview(diff, sides);
  const out: string[] = [`Permission diff: ${sides.before} -> ${sides.after}`, ...(sides.note !== undefined ? [sides.note] : []), ''];
  if (diff.stacks.length === 0) {
    out.push('No change in effective permissions.');
    return `${out.join('\n')}\n`;
  }
  const subjects = [...review.widened, ...review.narrowed];
  const byId = new Map(subjects.map((x) => [`${x.stack}\u0000${x.id}`, x]));
  for (const stack of diff.stacks) {
    out.push(`stack ${stack.stack}${stack.status === 'changed' ? '' : ` (${stack.status})`}`);
    for (const subject of stack.subjects) {
      const s = byId.get(`${stack.stack}\u0000${subject.id}`)!;
      const status = s.status === 'changed' ? '' : `, ${s.status}`;
      out.push(`  ${subjectTitle(s)} (${where(s)}${status})${s.widens ? '  WIDENS' : ''}`);
      for (const l of s.lines) {
        const mark = l.widens ? 'WIDENS ' : '       ';
        if (l.part === 'other') {
          out.push(`    ${mark}* ${l.description}`);
          continue;
        }
        out.push(`    ${mark}${l.change === 'added' ? '+' : '-'} ${PART_TITLES[l.part]}${l.effect} ${actionsText(l)}  (${l.why})`);
        for (const detail of grantDetails(l, '             ')) out.push(detail);
      }
    }
    out.push('');
  }
  const { changes, widening } = review.summary;
  out.push(
    `${plural(changes, 'change')} in ${plural(subjects.length, 'subject')} of ${plural(diff.stacks.length, 'stack')}; ` +
      (widening > 0 ? `${widening} widen${widening === 1 ? 's' : ''} permissions.` : 'none widens permissions.'),
  );
  return `${out.join('\n')}\n`;
}

/**
 * The first line of the diff's Markdown, hidden when rendered: how a workflow finds its own comment to
 * update it on the next push rather than add another.
 */
export const DIFF_COMMENT_MARKER = '<!-- least-privilege-iam:diff -->';

// What a cut comment loses first: the details of subjects that do not widen, then of those that do,
// then the lists of subjects, then the risky lines; the verdict and the counts never.
const CUT_NARROWED_DETAILS = 0;
const CUT_WIDENED_DETAILS = 1;
const CUT_SUBJECT_LISTS = 2;
const CUT_FLAGGED_LINES = 3;

/**
 * The diff as Markdown for a pull-request comment: the verdict, the counts, the subjects widened and
 * narrowed, the risky lines added, then each subject's changes folded in a `<details>` (a `diff` block:
 * `+` added, `-` removed). Cut to `limit` when given (see `fitMarkdown`).
 */
export function renderDiffMarkdown(diff: PermissionDiff, sides: DiffSides, limit?: MarkdownLimit): string {
  const review = diffReview(diff, sides);
  const blocks: MarkdownBlock[] = [];
  const keep = (...lines: string[]) => blocks.push({ text: `${lines.join('\n')}\n` });
  keep(DIFF_COMMENT_MARKER, `## Permission diff: ${code(sides.before)} -> ${escape(sides.after)}`, '', ...(sides.note !== undefined ? [`**${escape(sides.note)}.**`, ''] : []));
  const { summary } = review;
  if (diff.stacks.length === 0) {
    keep('**No change in effective permissions.**');
    return fitMarkdown(blocks, limit ?? { maxLength: Number.POSITIVE_INFINITY, fullText: '' });
  }
  keep(
    summary.widening > 0 ? `**Widens permissions: ${plural(summary.widenedSubjects, 'subject')} can do more than before. Ask for a second reviewer.**` : '**No change widens permissions.**',
    '',
    '| | |',
    '|---|---|',
    `| Subjects widened | ${summary.widenedSubjects} |`,
    `| Subjects narrowed (changed, nothing widens) | ${summary.narrowedSubjects} |`,
    `| Changes | ${summary.changes} in ${plural(summary.stacks, 'stack')}, ${summary.widening} widening |`,
    `| Risk flags on what is added | ${
      RISK_FLAGS.filter((f) => summary.riskFlags[f] !== undefined)
        .map((f) => `\`${f}\` ${summary.riskFlags[f]}`)
        .join(', ') || 'none'
    } |`,
    '',
  );
  const list = (title: string, subjects: readonly DiffSubject[]) => {
    if (subjects.length === 0) return;
    keep(`**${title}:**`, '');
    for (const s of subjects) {
      const widening = s.lines.filter((l) => l.widens).length;
      const counts = `${plural(s.lines.length, 'change')}${widening > 0 ? `, ${widening} widening` : ''}`;
      blocks.push({
        text: `- ${code(s.stack)}: ${KIND_TITLES[s.kind]} ${code(s.name)} (${escape(where(s))}${s.status === 'changed' ? '' : `, ${s.status}`}): ${counts}\n`,
        cut: { priority: CUT_SUBJECT_LISTS, kind: 'lines of the subject lists', one: 'line of the subject lists' },
      });
    }
    keep('');
  };
  list('Widened', review.widened);
  if (review.escalations !== undefined) {
    keep('**New privilege-escalation paths:**', '');
    // Cut last of all (after the risky lines): a new path is what a reviewer must see first.
    for (const e of review.escalations)
      blocks.push({ text: `- ${code(e.stack)}: ${code(e.line)}: ${escape(e.title)}\n`, cut: { priority: CUT_FLAGGED_LINES + 1, kind: 'new escalation paths', one: 'new escalation path' } });
    keep('');
  }
  if (review.flagged.length > 0) {
    keep('**Risky lines added:**', '');
    for (const f of review.flagged) {
      blocks.push({
        text: `- ${code(f.stack)}: ${KIND_TITLES[f.kind]} ${code(f.name)}: ${code(f.line)}: ${f.flags.map((x) => `\`${x}\``).join(' ')}\n`,
        cut: { priority: CUT_FLAGGED_LINES, kind: 'risky lines', one: 'risky line' },
      });
    }
    keep('');
  }
  list('Narrowed', review.narrowed);
  blocks.push({ text: '', notice: true });
  keep('### Changes', '');
  for (const s of [...review.widened, ...review.narrowed]) {
    const body: string[] = [];
    for (const l of s.lines) {
      const mark = l.widens ? 'WIDENS ' : '';
      if (l.part === 'other') body.push(`* ${mark}${l.description}`);
      else body.push(`${l.change === 'added' ? '+' : '-'} ${mark}${PART_TITLES[l.part]}${l.effect} ${actionsText(l)}  (${l.why})`, ...grantDetails(l, '    '));
    }
    const fence = '`'.repeat(Math.max(3, longestBacktickRun(body.join('\n')) + 1));
    const status = s.status === 'changed' ? '' : `, ${s.status}`;
    const summaryLine = `${s.widens ? 'WIDENS: ' : ''}${htmlCode(s.stack)}: ${KIND_TITLES[s.kind]} ${htmlCode(s.name)} (${html(where(s))}${status}): ${plural(s.lines.length, 'change')}`;
    blocks.push({
      text: `${['<details>', `<summary>${summaryLine}</summary>`, '', `${fence}diff`, ...body, fence, '</details>', ''].join('\n')}\n`,
      cut: { priority: s.widens ? CUT_WIDENED_DETAILS : CUT_NARROWED_DETAILS, kind: "subjects' changes", one: "subject's changes", label: `${code(s.stack)}: ${KIND_TITLES[s.kind]} ${code(s.name)}` },
    });
  }
  return fitMarkdown(blocks, limit ?? { maxLength: Number.POSITIVE_INFINITY, fullText: '' });
}

/**
 * The Markdown of a diff that could not be made (a synth failed, a stack the review cannot read): posted
 * as the comment all the same, so that the pull request says why there is no verdict.
 */
export function renderDiffFailureMarkdown(sides: DiffSides, message: string): string {
  const text = message.length > 20_000 ? `...${message.slice(-20_000)}` : message;
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(text) + 1));
  return `${DIFF_COMMENT_MARKER}\n## Permission diff: ${code(sides.before)} -> ${escape(sides.after)}\n\n**Could not decide whether this change widens permissions** (exit 2): treat it as widening until it is fixed.\n\n${fence}\n${text}\n${fence}\n`;
}

function longestBacktickRun(text: string): number {
  // A loop, not Math.max(...runs): a text can hold more runs than a call takes arguments.
  let longest = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    run = text.charCodeAt(i) === 96 ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return longest;
}

function code(value: string): string {
  const text = value.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

function escape(value: string): string {
  return value.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function html(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function htmlCode(value: string): string {
  return `<code>${html(value)}</code>`;
}
