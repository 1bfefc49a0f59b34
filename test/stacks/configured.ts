import { type App, Testing } from 'cdktf';
import type { TerraformStack } from 'cdktf';
import { PolicyValidationError } from '../../modules/core';

/** A synthesized stack, as the stack tests read it. */
export interface Synthesized {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  provider: { aws: Array<{ region?: string; alias?: string }> };
  output?: Record<string, { value: unknown }>;
}

/** A stack's settings, of which only the environment variables' prefix matters here. */
type Prefixed = { readonly envPrefix: string };

/** What configures a stack besides its props: the cdktf context, and environment variables. */
export interface Configuration {
  readonly context?: Record<string, unknown>;
  readonly env?: Record<string, string>;
}

/**
 * Runs `fn` with the environment variables `env` set and every other variable of the stack's prefix
 * (`CI_WEB_*`) unset, and puts the environment back as it was afterwards, whatever `fn` does.
 */
export function withEnv<T>(specs: Prefixed, env: Record<string, string>, fn: () => T): T {
  const ours = (key: string) => key.startsWith(`${specs.envPrefix}_`);
  const saved = Object.entries(process.env).filter(([key]) => ours(key));
  for (const [key] of saved) delete process.env[key];
  Object.assign(process.env, env);
  try {
    return fn();
  } finally {
    for (const key of Object.keys(process.env)) if (ours(key) || key in env) delete process.env[key];
    for (const [key, value] of saved) process.env[key] = value;
  }
}

/** The stack `build` makes in an app with `configuration`, synthesized (with cdktf's validations) and parsed. */
export function synthConfigured(specs: Prefixed, build: (app: App) => TerraformStack, configuration: Configuration = {}): Synthesized {
  return withEnv(specs, configuration.env ?? {}, () => JSON.parse(Testing.synth(build(Testing.app({ context: configuration.context ?? {} })), true)) as Synthesized);
}

/** The message of the `PolicyValidationError` building the stack with `configuration` throws; any other outcome fails the test. */
export function configurationError(specs: Prefixed, build: (app: App) => TerraformStack, configuration: Configuration): string {
  try {
    synthConfigured(specs, build, configuration);
  } catch (error) {
    if (error instanceof PolicyValidationError) return error.message;
    throw error;
  }
  throw new Error('expected a PolicyValidationError');
}

/** The values of the resources of `type`, each a record of its attributes. */
export const resourcesOf = (out: Synthesized, type: string): Record<string, unknown>[] => Object.values(out.resource[type] ?? {});
