/**
 * Fitting Markdown into a pull-request comment. GitHub refuses a comment body over 65,536 characters, so a
 * review that is posted as a comment is built from blocks, and when the whole text does not fit, blocks of
 * detail are cut (least important first, then largest first) until it does. What was cut is said in a
 * notice where the caller put it (after the summary), with where the full text is: a reviewer must never
 * read a cut comment as the whole review.
 */

/** GitHub's limit on a comment body (issue and pull-request comments). */
export const GITHUB_COMMENT_MAX_LENGTH = 65_536;

/** A piece of the text: its lines, with their own blank lines (table rows have none between them). */
export interface MarkdownBlock {
  readonly text: string;
  /** How it may be cut; absent: always kept (the title, the verdict, the counts). */
  readonly cut?: {
    /** Lower is cut first. */
    readonly priority: number;
    /** What it is, in the notice's words, e.g. `subject details`: counted per kind. */
    readonly kind: string;
    /** The same for one of them, e.g. `subject's details` (default: `kind`): the notice says "1 of 1 …". */
    readonly one?: string;
    /** What the notice names it, e.g. "`stack`: role `x`"; absent: only counted. */
    readonly label?: string;
  };
  /** The group it belongs to (a stack's subjects); see `headingOf`. */
  readonly group?: string;
  /** A heading over a group: dropped once every block of the group is cut, never on its own. */
  readonly headingOf?: string;
  /** Where the notice of what was cut goes. */
  readonly notice?: true;
}

export interface FitOptions {
  /** The most characters the text may have (counted as UTF-8 bytes, the strictest reading). */
  readonly maxLength: number;
  /** Where the full text is, as Markdown, e.g. "`cdktf.out/access-report.md`, written by this command". */
  readonly fullText: string;
}

/** The blocks' text, whole when it fits in `maxLength`, else cut as described above. Deterministic. */
export function fitMarkdown(blocks: readonly MarkdownBlock[], options: FitOptions): string {
  const whole = join(blocks, new Set(), '');
  if (utf8Length(whole) <= options.maxLength) return whole;

  const lengths = blocks.map((b) => (b.notice ? 0 : utf8Length(b.text)));
  const totals = new Map<string, number>();
  const ones = new Map<string, string>();
  for (const b of blocks) {
    if (b.cut === undefined) continue;
    totals.set(b.cut.kind, (totals.get(b.cut.kind) ?? 0) + 1);
    if (b.cut.one !== undefined) ones.set(b.cut.kind, b.cut.one);
  }
  const remaining = new Map<string, number>();
  for (const b of blocks) if (b.group !== undefined && b.cut !== undefined) remaining.set(b.group, (remaining.get(b.group) ?? 0) + 1);
  const headings = new Map<string, number>();
  blocks.forEach((b, i) => b.headingOf !== undefined && headings.set(b.headingOf, i));

  // Least important first; among equals the largest (the fewest blocks cut), then the last.
  const candidates = blocks
    .map((b, i) => ({ b, i }))
    .filter(({ b }) => b.cut !== undefined)
    .sort((x, y) => x.b.cut!.priority - y.b.cut!.priority || lengths[y.i] - lengths[x.i] || y.i - x.i);

  const cut = new Set<number>();
  const tally: Tally = new Map();
  let kept = lengths.reduce((n, l) => n + l, 0);
  for (const { i, b } of candidates) {
    if (kept + utf8Length(notice(tally, totals, ones, options)) <= options.maxLength) break;
    cut.add(i);
    const entry = tally.get(b.cut!.kind) ?? { count: 0, labels: [] as string[], labelled: 0 };
    entry.count++;
    if (b.cut!.label !== undefined) {
      entry.labelled++;
      if (entry.labels.length < NAMED) entry.labels.push(b.cut!.label);
    }
    tally.set(b.cut!.kind, entry);
    kept -= lengths[i];
    if (b.group !== undefined) {
      const left = remaining.get(b.group)! - 1;
      remaining.set(b.group, left);
      const heading = headings.get(b.group);
      if (left === 0 && heading !== undefined && !cut.has(heading)) {
        cut.add(heading);
        kept -= lengths[heading];
      }
    }
  }
  const text = join(blocks, cut, notice(tally, totals, ones, options));
  if (utf8Length(text) <= options.maxLength) return text;
  // Only what may never be cut is left, and it is still too long (thousands of stack names): the text
  // is cut where it must be, and says so. Never over the limit, never silent.
  const tail = `\n\n**Cut here: even the summary is over ${number(options.maxLength)} characters.** The full text: ${options.fullText}\n`;
  return `${truncateUtf8(text, options.maxLength - utf8Length(tail))}${tail}`;
}

function join(blocks: readonly MarkdownBlock[], cut: ReadonlySet<number>, noticeText: string): string {
  const parts = blocks.map((b, i) => (b.notice ? noticeText : cut.has(i) ? '' : b.text));
  return `${parts
    .join('')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

/** Per kind of block cut: how many, and the first few labels (in the order cut: the largest first). */
type Tally = Map<string, { count: number; labels: string[]; labelled: number }>;

/** What was cut: per kind, how many of how many, the first few named; and where the full text is. */
function notice(tally: Tally, totals: ReadonlyMap<string, number>, ones: ReadonlyMap<string, string>, options: FitOptions): string {
  if (tally.size === 0) return '';
  const parts = [...tally.entries()].map(([kind, { count, labels, labelled }]) => {
    const more = labelled > labels.length ? `, and ${number(labelled - labels.length)} more` : '';
    return `${number(count)} of ${plural(totals.get(kind)!, ones.get(kind) ?? kind, kind)}${labels.length > 0 ? ` (the largest: ${labels.join(', ')}${more})` : ''}`;
  });
  return `> **Cut to fit a GitHub comment (${number(options.maxLength)} characters).** Not shown here: ${parts.join('; ')}. ` + `The full text: ${options.fullText}\n\n`;
}

/** How many cut blocks the notice names, per kind. */
const NAMED = 10;

/** The length of `text` in UTF-8 bytes: never less than its characters, however they are counted. */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4; // a surrogate pair: one 4-byte character
      i++;
    } else n += 3;
  }
  return n;
}

function truncateUtf8(text: string, max: number): string {
  let n = 0;
  let end = 0;
  while (end < text.length) {
    const c = text.charCodeAt(end);
    const size = c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? 4 : 3;
    if (n + size > max) break;
    n += size;
    end += size === 4 ? 2 : 1;
  }
  return text.slice(0, end);
}

/**
 * `n` and the noun for that many, e.g. `1 stack`, `2 stacks`, `1,200 subjects`: the one way every text of
 * the review (the report, the diff, the CLI's messages) counts things. `many` when the plural is not
 * `one` with an `s`.
 */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${number(n)} ${n === 1 ? one : many}`;
}

/** A whole number with thousands separators, the same on every machine. */
function number(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
