/**
 * The README's TypeScript blocks, as modules a user could paste: a block that uses `stack` without making
 * one is given a declared `stack`, and each block ends as a module (`export {}`). How its
 * `least-privilege-iam/<entry>` imports resolve is the caller's: to this project's sources, or, in a
 * consumer app, left as they are for the installed package.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

export interface Snippet {
  /** The line of the README the block starts on. */
  readonly line: number;
  readonly code: string;
}

export const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

export const SNIPPETS: readonly Snippet[] = [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => ({ line: README.slice(0, m.index).split('\n').length, code: m[1] }));

/** The framework a snippet is written for: CDK Terrain when it imports cdktn or the library's cdktn tree. */
export function frameworkOf(snippet: Snippet): 'cdktf' | 'cdktn' {
  return /from '(cdktn|@cdktn\/[^']+|least-privilege-iam\/cdktn(\/[^']*)?)'/.test(snippet.code) ? 'cdktn' : 'cdktf';
}

/** Whether the snippet uses a `stack` it does not make itself. */
export function usesGivenStack(snippet: Snippet): boolean {
  return /\bstack\b/.test(snippet.code) && !/\bconst stack\b/.test(snippet.code);
}

/** The snippet as a module, its library imports rewritten by `specifier`, any `new App()` writing into `outdir`. */
export function snippetModule(snippet: Snippet, options: { readonly specifier?: (specifier: string) => string; readonly outdir?: string } = {}): string {
  const { specifier = (s: string) => s, outdir } = options;
  let body = snippet.code.replace(/from '(least-privilege-iam(?:\/[a-z-/]+)?)'/g, (_all, name: string) => `from ${JSON.stringify(specifier(name))}`);
  if (outdir !== undefined) body = body.replace(/new App\(\)/g, `new App({ outdir: ${JSON.stringify(outdir)} })`);
  return `${usesGivenStack(snippet) ? "import type { Construct } from 'constructs';\ndeclare const stack: Construct;\n" : ''}${body}\nexport {};\n`;
}
