/**
 * What `cdktf synth` gives the app it runs, so that a synth started without cdktf-cli (this repository's
 * `npm run synth`, the diff's and the report's synths) synthesizes the same stacks. Read from cdktf-cli
 * 0.21 (`@cdktf/cli-core` `SynthStack.synth`, `@cdktf/commons` `parseConfig`, the `cdktf` bin's start-up):
 *
 * - the environment of the process that runs it, without the `TF_VAR_*` variables;
 * - `CDKTF_CONTEXT_JSON`: cdktf.json's `context` (when it has one, it replaces a `CDKTF_CONTEXT_JSON` the
 *   environment already holds; when not, that one is kept), with `cdktfRelativeModules` added: the
 *   `terraformModules` of cdktf.json whose source starts with `./` or `../`;
 * - `CDKTF_OUTDIR`: the output folder as cdktf.json's `output` (default `cdktf.out`) or `--output` gives it,
 *   relative to the app's folder, which is the synth's working directory;
 * - `CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS=true` (the app writes its stacks and manifest.json even with
 *   error annotations; cdktf-cli then fails on them: see `errorAnnotations`), `SYNTH_HCL_OUTPUT=false`;
 * - `NODE_OPTIONS=--max-old-space-size=4096` when the environment has no NODE_OPTIONS, `NODE_ENV=production`
 *   when it has no NODE_ENV, and `TF_PLUGIN_CACHE_DIR` (default `~/.terraform.d/plugin-cache`) unless
 *   `CDKTF_DISABLE_PLUGIN_CACHE_ENV` is `true` or `1`.
 *
 * Pure but for reading cdktf.json: no process is started here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The variable cdktf passes the context in (`cdktf`'s `CONTEXT_ENV`). */
export const CONTEXT_ENV = 'CDKTF_CONTEXT_JSON';

/**
 * The variable `npm run diff`'s launcher (scripts/diff.ts) sets for the code that reviews: never passed on
 * to a synth, so that no synth can tell it runs under the diff by it.
 */
export const REVIEWER_ENV = 'LEAST_PRIVILEGE_IAM_REVIEWER';

/** cdktf.json, the keys cdktf's synth reads. */
export interface CdktfJson {
  readonly app?: unknown;
  readonly output?: unknown;
  readonly context?: unknown;
  readonly terraformModules?: unknown;
}

/** cdktf.json of `appDir` parsed, or undefined when there is none; throws when it is not a JSON object. */
export function readCdktfJsonFile(appDir: string): CdktfJson | undefined {
  const file = join(appDir, 'cdktf.json');
  if (!existsSync(file)) return undefined;
  const json = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error(`${file} is not a JSON object`);
  return json as CdktfJson;
}

/**
 * `CDKTF_CONTEXT_JSON` as cdktf synth sets it for an app with cdktf.json `config` (undefined: none) in an
 * environment `env`. Idempotent: applied to the environment cdktf gave an app, it gives the same value.
 */
export function cdktfContextJson(config: CdktfJson | undefined, env: NodeJS.ProcessEnv): string {
  // @cdktf/commons parseConfig: a truthy `context` replaces the environment's.
  const given = config?.context ? JSON.stringify(config.context) : env[CONTEXT_ENV];
  const current = (given ? JSON.parse(given) : {}) as Record<string, unknown>;
  const modules = Array.isArray(config?.terraformModules) ? (config.terraformModules as unknown[]) : [];
  const relative = modules.filter((mod) => {
    const source = typeof mod === 'string' ? mod : typeof mod === 'object' && mod !== null ? (mod as { source?: unknown }).source : undefined;
    return typeof source === 'string' && (source.startsWith('./') || source.startsWith('../'));
  });
  return JSON.stringify({ ...current, cdktfRelativeModules: relative });
}

/** The output folder as cdktf passes it in CDKTF_OUTDIR: cdktf.json's `output` as written, else `cdktf.out`. */
export function cdktfOutput(config: CdktfJson | undefined): string {
  return typeof config?.output === 'string' && config.output !== '' ? config.output : 'cdktf.out';
}

/**
 * The environment `cdktf synth` runs an app with: `config` is the app's cdktf.json, `outDir` the output
 * folder as `CDKTF_OUTDIR` gets it (relative to the app's folder, or absolute), `env` the environment the
 * synth starts from. The diff's own variable (`REVIEWER_ENV`) is left out.
 */
export function cdktfSynthEnv(config: CdktfJson | undefined, outDir: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('TF_VAR_') && key !== REVIEWER_ENV));
  // The cdktf bin's start-up, inherited by the synth.
  result.NODE_ENV ||= 'production';
  const disabled = env.CDKTF_DISABLE_PLUGIN_CACHE_ENV === 'true' || env.CDKTF_DISABLE_PLUGIN_CACHE_ENV === '1';
  if (!disabled) result.TF_PLUGIN_CACHE_DIR = env.TF_PLUGIN_CACHE_DIR || join(homedir(), '.terraform.d', 'plugin-cache');
  if (!result.NODE_OPTIONS) result.NODE_OPTIONS = '--max-old-space-size=4096';
  result.CDKTF_OUTDIR = outDir;
  result.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = 'true';
  result[CONTEXT_ENV] = cdktfContextJson(config, env);
  result.SYNTH_HCL_OUTPUT = 'false';
  return result;
}
