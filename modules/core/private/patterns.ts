/**
 * Wildcard patterns as IAM reads them: `*` is any run of characters, `?` any one character, everything
 * else literal (case-sensitive for ARNs and condition values; callers lower-case action names first).
 */

const globCache = new Map<string, RegExp>();

/** A RegExp matching exactly the strings the IAM wildcard pattern `pattern` matches. */
export function globRegExp(pattern: string, flags = ''): RegExp {
  const id = `${flags}/${pattern}`;
  let re = globCache.get(id);
  if (re === undefined) {
    const body = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&'))).join('');
    re = new RegExp(`^${body}$`, `s${flags}`);
    globCache.set(id, re);
  }
  return re;
}

/** Whether `value` contains an IAM wildcard. */
export function hasWildcard(value: string): boolean {
  return value.includes('*') || value.includes('?');
}

/**
 * One step of a pattern: a literal character, one character outside `excluded`, or any run of
 * characters outside `excluded`.
 */
type Token = { readonly kind: 'literal'; readonly char: string } | { readonly kind: 'one' | 'run'; readonly excluded: string };

/**
 * An ARN template from the Service Authorization Reference, e.g.
 * `arn:${Partition}:s3:::${BucketName}/${ObjectName}`, compiled to a pattern in which each `${Var}` is
 * a run of characters that does not cross the separator written after it in the template. The variable
 * at the end may hold `/` (object keys, role paths and secret names do) unless `lastVariableHoldsSlash`
 * is false: the caller says so where another type of the service is this ARN followed by `/…`, as an
 * object's is a bucket's (`arn:aws:s3:::bucket/key` is an object, never a bucket).
 */
export class ArnTemplate {
  private readonly tokens: readonly Token[];
  private readonly regExp: RegExp;
  /** The first five segments (arn, partition, service, region, account); undefined where a variable. */
  private readonly literalSegments: readonly (string | undefined)[];
  /** The literal start of the resource part, e.g. `accesspoint/`. */
  private readonly resourcePrefix: string;
  private readonly rejections = new Map<string, boolean>();

  constructor(
    readonly template: string,
    lastVariableHoldsSlash = true,
  ) {
    const tokens: Token[] = [];
    const source: string[] = [];
    const resourceStart = nthIndexOf(template, ':', 5);
    const parts = template.split(/(\$\{[^}]*\})/);
    parts.forEach((part, index) => {
      if (part.startsWith('${') && part.endsWith('}')) {
        const next = parts[index + 1]?.[0];
        const atEnd = parts.slice(index + 1).every((p) => p === '');
        const excluded = next === ':' || next === '/' ? next : atEnd && !lastVariableHoldsSlash ? '/' : '';
        tokens.push({ kind: 'run', excluded });
        source.push(excluded === '' ? '.*' : `[^${excluded}]*`);
      } else {
        for (const char of part) tokens.push({ kind: 'literal', char });
        source.push(part.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'));
      }
    });
    this.tokens = tokens;
    this.regExp = new RegExp(`^${source.join('')}$`, 's');
    const segments = template.split(':');
    this.literalSegments = segments.slice(0, 5).map((segment) => (segment.includes('${') ? undefined : segment));
    this.resourcePrefix = resourceStart < 0 ? '' : template.slice(resourceStart + 1).split('${')[0];
  }

  /** Whether some ARN of this type matches the policy resource `pattern` (which may hold wildcards). */
  overlaps(pattern: string): boolean {
    // Fast paths first; the full intersection at the end is exact but costs len(pattern) × len(template).
    // 1. A wildcard in `pattern` may stand for the one character '*' itself, so if the template accepts
    //    the pattern's own text, that text is an ARN both match.
    if (this.regExp.test(pattern.includes('?') ? pattern.replace(/\?/g, '*') : pattern)) return true;
    // 2. Without wildcards the pattern is one ARN, and the template just rejected it.
    if (!hasWildcard(pattern)) return false;
    // 3. With no wildcard in its first five segments, the pattern's segments are fixed: they, and the start
    //    of its resource part, must agree with the template's literal ones.
    if (this.rejectsBySegments(pattern)) return false;
    return intersects(patternTokens(pattern), this.tokens);
  }

  private rejectsBySegments(pattern: string): boolean {
    // The answer depends only on the text before the first wildcard, which many paths share.
    const fixedText = pattern.slice(0, pattern.search(/[*?]|\$\{|$/));
    let rejected = this.rejections.get(fixedText);
    if (rejected === undefined) {
      rejected = this.rejectsFixedText(pattern);
      if (this.rejections.size >= MAX_CACHED_REJECTIONS) this.rejections.clear(); // bounded in long-lived processes
      this.rejections.set(fixedText, rejected);
    }
    return rejected;
  }

  private rejectsFixedText(pattern: string): boolean {
    const resourceStart = nthIndexOf(pattern, ':', 5);
    if (resourceStart < 0 || hasWildcard(pattern.slice(0, resourceStart))) return false;
    const segments = pattern.slice(0, resourceStart).split(':');
    if (this.literalSegments.some((literal, i) => literal !== undefined && literal !== segments[i])) return true;
    const resource = pattern.slice(resourceStart + 1);
    const fixed = resource.slice(0, resource.search(/[*?]|\$\{|$/));
    const n = Math.min(fixed.length, this.resourcePrefix.length);
    return fixed.slice(0, n) !== this.resourcePrefix.slice(0, n);
  }
}

const templates = new Map<string, ArnTemplate>();
const MAX_CACHED_REJECTIONS = 10_000;

/** The compiled form of an ARN template, compiled once a process. */
export function arnTemplate(template: string, lastVariableHoldsSlash = true): ArnTemplate {
  const id = `${lastVariableHoldsSlash}:${template}`;
  let compiled = templates.get(id);
  if (compiled === undefined) {
    compiled = new ArnTemplate(template, lastVariableHoldsSlash);
    templates.set(id, compiled);
  }
  return compiled;
}

function patternTokens(pattern: string): Token[] {
  return [...pattern].map((char): Token => (char === '*' ? { kind: 'run', excluded: '' } : char === '?' ? { kind: 'one', excluded: '' } : { kind: 'literal', char }));
}

/**
 * Whether two token patterns match a common string: a search over pairs of positions, in which a run may
 * be skipped (it matched nothing more) and two steps may advance together when some character fits both.
 */
function intersects(a: readonly Token[], b: readonly Token[]): boolean {
  const seen = new Set<number>();
  const width = b.length + 1;
  const stack: Array<[number, number]> = [[0, 0]];
  while (stack.length > 0) {
    const [i, j] = stack.pop()!;
    const id = i * width + j;
    if (seen.has(id)) continue;
    seen.add(id);
    if (i === a.length && j === b.length) return true;
    const ta = a[i];
    const tb = b[j];
    if (ta?.kind === 'run') stack.push([i + 1, j]);
    if (tb?.kind === 'run') stack.push([i, j + 1]);
    if (ta === undefined || tb === undefined || !someCharFitsBoth(ta, tb)) continue;
    // A run stays where it is after taking a character; a literal or a single character moves on.
    const ni = ta.kind === 'run' ? i : i + 1;
    const nj = tb.kind === 'run' ? j : j + 1;
    if (ni !== i || nj !== j) stack.push([ni, nj]);
  }
  return false;
}

function someCharFitsBoth(a: Token, b: Token): boolean {
  if (a.kind === 'literal' && b.kind === 'literal') return a.char === b.char;
  if (a.kind === 'literal') return !(b as { excluded: string }).excluded.includes(a.char);
  if (b.kind === 'literal') return !a.excluded.includes(b.char);
  return true; // two character classes that each exclude at most one character always share one
}

function nthIndexOf(text: string, char: string, n: number): number {
  let index = -1;
  for (let k = 0; k < n; k++) {
    index = text.indexOf(char, index + 1);
    if (index < 0) return -1;
  }
  return index;
}
