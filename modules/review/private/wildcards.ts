/**
 * Comparing two IAM wildcard patterns (`*` any run of characters, `?` any one character) with each other,
 * rather than a pattern with a value as `core/private/patterns.ts` does: whether one pattern matches every
 * string the other matches (it *covers* it), and whether two patterns can match a common string.
 *
 * A policy variable (`${aws:username}`) stands for a value known only at request time. It is one token
 * here: it covers only itself, and only `*` covers it, which never claims a cover that some value of the
 * variable would break.
 */

/** One step of a pattern: `*`, `?`, or a literal (one character, or a whole `${…}` policy variable). */
type Token = '*' | '?' | { readonly literal: string };

const tokenCache = new Map<string, readonly Token[]>();
const MAX_CACHED = 50_000;

/**
 * The tokens of `pattern`, with each run of wildcards written in one order (its `?`s, then one `*` if it
 * has any): `*?` and `?*` match the same strings, and the comparison below sees that only in this order.
 */
function tokensOf(pattern: string): readonly Token[] {
  const tokens = tokenCache.get(pattern);
  if (tokens !== undefined) return tokens;
  const built: Token[] = [];
  let questions = 0;
  let star = false;
  const flushWildcards = () => {
    for (let k = 0; k < questions; k++) built.push('?');
    if (star) built.push('*');
    questions = 0;
    star = false;
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') star = true;
    else if (c === '?') questions++;
    else {
      flushWildcards();
      const end = c === '$' && pattern[i + 1] === '{' ? pattern.indexOf('}', i + 2) : -1;
      if (end > 0) {
        built.push({ literal: pattern.slice(i, end + 1) });
        i = end;
      } else built.push({ literal: c });
    }
  }
  flushWildcards();
  if (tokenCache.size >= MAX_CACHED) tokenCache.clear();
  tokenCache.set(pattern, built);
  return built;
}

function isStarOnly(tokens: readonly Token[]): boolean {
  return tokens.length === 1 && tokens[0] === '*';
}

/**
 * Whether every string `specific` matches is matched by `general`. Sound: true only when it holds. Not
 * complete for every exotic pair (it compares the patterns step by step, so it may answer false where
 * a cover holds only through a chain of wildcards); callers then report a change where there is none,
 * never the reverse.
 */
export function patternCovers(general: string, specific: string): boolean {
  if (general === specific) return true;
  const g = tokensOf(general);
  if (isStarOnly(g)) return true;
  return tokensCover(g, tokensOf(specific));
}

function tokensCover(g: readonly Token[], s: readonly Token[]): boolean {
  // matched[j]: the first i tokens of g cover the first j tokens of s (one row of the table at a time).
  let row: boolean[] = new Array(s.length + 1).fill(false);
  row[0] = true;
  for (let i = 0; i < g.length; i++) {
    const gt = g[i];
    const next: boolean[] = new Array(s.length + 1).fill(false);
    if (gt === '*') {
      // `*` takes nothing more (row[j]) or takes the step before, whatever it is (next[j - 1]).
      for (let j = 0; j <= s.length; j++) next[j] = row[j] || (j > 0 && next[j - 1]);
    } else {
      for (let j = 1; j <= s.length; j++) {
        if (!row[j - 1]) continue;
        const st = s[j - 1];
        if (gt === '?') next[j] = st === '?' || (typeof st === 'object' && !st.literal.startsWith('${'));
        else next[j] = typeof st === 'object' && st.literal === gt.literal;
      }
    }
    row = next;
  }
  return row[s.length];
}

/**
 * Whether some string matches both patterns. Overestimates (a policy variable may be anything), so
 * "false" is a proof that the patterns are disjoint.
 */
export function patternsIntersect(a: string, b: string): boolean {
  const ta = tokensOf(a).map(variableAsStar);
  const tb = tokensOf(b).map(variableAsStar);
  const seen = new Set<number>();
  const width = tb.length + 1;
  const pending: number[] = [0];
  while (pending.length > 0) {
    const state = pending.pop()!;
    if (seen.has(state)) continue;
    seen.add(state);
    const i = Math.floor(state / width);
    const j = state % width;
    if (i === ta.length && j === tb.length) return true;
    const x = ta[i];
    const y = tb[j];
    // A `*` may end here, matching nothing more.
    if (x === '*') pending.push((i + 1) * width + j);
    if (y === '*') pending.push(i * width + j + 1);
    if (x === undefined || y === undefined) continue;
    if (typeof x === 'object' && typeof y === 'object' && x.literal !== y.literal) continue;
    // Both take one character; a `*` stays where it is, anything else moves on.
    const ni = x === '*' ? i : i + 1;
    const nj = y === '*' ? j : j + 1;
    if (ni !== i || nj !== j) pending.push(ni * width + nj);
  }
  return false;
}

function variableAsStar(token: Token): Token {
  return typeof token === 'object' && token.literal.startsWith('${') ? '*' : token;
}

/**
 * The six colon-separated parts of an ARN pattern (the resource part keeps its own colons); undefined
 * when it has fewer. Colons inside a policy variable do not separate.
 */
export function arnSegments(pattern: string): readonly string[] | undefined {
  // Kept per pattern: a cover test of two patterns asks for both, and a diff asks again per pair.
  if (segmentCache.has(pattern)) return segmentCache.get(pattern);
  const segments = splitArn(pattern);
  if (segmentCache.size >= MAX_CACHED) segmentCache.clear();
  segmentCache.set(pattern, segments);
  return segments;
}

const segmentCache = new Map<string, readonly string[] | undefined>();

function splitArn(pattern: string): string[] | undefined {
  const segments: string[] = [];
  let start = 0;
  for (let i = 0; i < pattern.length && segments.length < 5; i++) {
    if (pattern[i] === '$' && pattern[i + 1] === '{') {
      const end = pattern.indexOf('}', i + 2);
      if (end > 0) i = end;
    } else if (pattern[i] === ':') {
      segments.push(pattern.slice(start, i));
      start = i + 1;
    }
  }
  if (segments.length < 5) return undefined;
  segments.push(pattern.slice(start));
  return segments;
}

/**
 * Whether the ARN pattern `general` covers the ARN pattern `specific`, part by part. A part-wise cover
 * holds whether a `*` may cross a colon or not (the IAM user guide's ARN operators match "each of the six
 * colon-delimited components" separately), so it is sound under both readings. `*` alone covers all.
 */
export function arnPatternCovers(general: string, specific: string): boolean {
  if (general === specific) return true;
  if (isStarOnly(tokensOf(general))) return true;
  const g = arnSegments(general);
  const s = arnSegments(specific);
  if (g === undefined || s === undefined) return false;
  return g.every((part, i) => patternCovers(part, s[i]));
}

/** Whether `value` holds a wildcard outside policy variables. */
export function hasPatternWildcard(value: string): boolean {
  return tokensOf(value).some((t) => t === '*' || t === '?');
}
