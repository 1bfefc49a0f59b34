/**
 * Reading HCL expression text as the generated modules' writers need it: where a bracket, a quoted string or
 * an interpolation closes, and literal text escaped for a quoted string. One scanner for terraform-hcl.ts
 * (templates), hcl-layout.ts (line breaks) and terraform-module-files.ts (messages). Pure: no imports.
 */

const PAIRS: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };

/**
 * The index that closes the bracket or quote at `open` (`(`, `[`, `{` or `"`), across nested brackets,
 * quoted strings and the `${…}` / `%{…}` sequences inside them (an escaped `$${` or `%%{` is literal).
 */
export function closingIndex(text: string, open: number): number {
  if (text[open] === '"') {
    for (let j = open + 1; j < text.length; j++) {
      const c = text[j];
      if (c === '\\') j++;
      else if (c === '"') return j;
      else if ((c === '$' || c === '%') && text[j + 1] === c && text[j + 2] === '{') j += 2;
      else if ((c === '$' || c === '%') && text[j + 1] === '{') j = closingIndex(text, j + 1);
    }
    throw new Error(`HCL: a quoted string that does not end: ${text.slice(open)}`);
  }
  const want = PAIRS[text[open]];
  if (want === undefined) throw new Error(`HCL: no bracket at ${open} of ${text}`);
  for (let j = open + 1; j < text.length; j++) {
    const c = text[j];
    if (c === want) return j;
    if (c === '"' || c in PAIRS) j = closingIndex(text, j);
  }
  throw new Error(`HCL: a bracket that does not close: ${text.slice(open)}`);
}

/** Literal text as the inside of an HCL quoted string: backslash, quote and the line-end and tab characters escaped. */
export function escapeQuoted(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
}
