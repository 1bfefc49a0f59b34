import type { Construct } from 'constructs';
import { type Finding, throwIfAny } from '../../modules/core';

/** A setting's value and where it was read, for an error that names the place to fix it. */
export interface Setting {
  readonly value: string;
  /** `applicationAccount`, `EXAMPLE_CORP_APPLICATION_ACCOUNT (environment)`, `exampleCorp.applicationAccount (cdktf context)` or `applicationAccount (default)`. */
  readonly from: string;
}

/**
 * A stack's settings, each read from, in order: the prop given to the stack's constructor; the
 * environment variable `<ENV_PREFIX>_<NAME_IN_CAPITALS>` (e.g. `EXAMPLE_CORP_APPLICATION_ACCOUNT`); the cdktf
 * context key `<contextPrefix>.<name>` (e.g. `exampleCorp.applicationAccount`: cdktf.json's `context`, which
 * the cdktf CLI passes in `CDKTF_CONTEXT_JSON`, or `Testing.app({ context })`); else the default, the seed's
 * value. The environment comes before the context: the context is the project's committed configuration,
 * an environment variable one run's (a CI job's). An empty environment variable counts as unset.
 */
export class StackSettings {
  constructor(
    private readonly scope: Construct,
    private readonly contextPrefix: string,
    private readonly envPrefix: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** The environment variable of setting `name`: `applicationRoleArn` → `EXAMPLE_CORP_APPLICATION_ROLE_ARN`. */
  envName(name: string): string {
    return `${this.envPrefix}_${name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
  }

  /** The cdktf context key of setting `name`: `exampleCorp.applicationRoleArn`. */
  contextKey(name: string): string {
    return `${this.contextPrefix}.${name}`;
  }

  /** Setting `name`: the prop `given`, else the environment, else the context, else `fallback`. */
  get(name: string, given: string | undefined, fallback: string): Setting;
  get(name: string, given: string | undefined, fallback: undefined): Setting | undefined;
  get(name: string, given: string | undefined, fallback: string | undefined): Setting | undefined {
    if (given !== undefined) return { value: given, from: name };
    const configured = this.configured(name);
    if (configured !== undefined) return configured as Setting;
    return fallback === undefined ? undefined : { value: fallback, from: `${name} (default)` };
  }

  /** Setting `name` from the environment (a string), else from the context (any JSON value); undefined when neither has it. */
  configured(name: string): { readonly value: unknown; readonly from: string } | undefined {
    const env = this.env[this.envName(name)];
    if (env !== undefined && env !== '') return { value: env, from: `${this.envName(name)} (environment)` };
    const context: unknown = this.scope.node.tryGetContext(this.contextKey(name));
    if (context !== undefined) return { value: context, from: `${this.contextKey(name)} (cdktf context)` };
    return undefined;
  }
}

/**
 * Checks a setting's value (a string: one of another type is refused before, and a default is not checked),
 * reporting each finding at `from`; `before` holds the settings read before it.
 */
export type SettingCheck = (value: string, from: string, before: Readonly<Record<string, string>>) => Finding[];

/** One setting of a stack: its default and its check. */
export interface SettingSpec {
  /**
   * The seed's value; or one built from the settings before it (a lock table's ARN from `region` and
   * `account`). A list (`['tung']`) makes the setting a list: comma-separated in the environment, a JSON
   * list (or the same comma-separated string) in the context.
   */
  readonly fallback: string | readonly string[] | ((before: Readonly<Record<string, string>>) => string);
  /** @default - any string */
  readonly check?: SettingCheck;
}

type SettingValue<S> = S extends { readonly fallback: readonly string[] } ? readonly string[] : string;
/** The stack's props for settings `S`: each optional, of its setting's type. */
export type SettingProps<S> = { readonly [K in keyof S]?: SettingValue<S[K]> };
/** The settings read. */
export type SettingValues<S> = { readonly [K in keyof S]: SettingValue<S[K]> };

/**
 * The settings of the stack named `stack` by default (`ci-web`): read as `StackSettings` reads them, from
 * the environment `<STACK>_<NAME>` (`CI_WEB_ROLE_NAME`) and the context `<stackInCamelCase>.<name>`
 * (`ciWeb.roleName`), in the order `specs` lists them.
 */
export class StackSettingSpecs<S extends Readonly<Record<string, SettingSpec>>> {
  readonly envPrefix: string;
  readonly contextPrefix: string;

  constructor(
    readonly stack: string,
    readonly specs: S,
  ) {
    this.envPrefix = stack.toUpperCase().replace(/-/g, '_');
    this.contextPrefix = stack.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  }

  /** Each setting's default as the README writes it: a built one with its parts in brackets (`arn:aws:dynamodb:<region>:<account>:table/my-lock-table`). */
  defaults(): Record<keyof S, string> {
    const parts = new Proxy({}, { get: (_, name) => `<${String(name)}>` }) as Record<string, string>;
    const shown = (f: SettingSpec['fallback']) => (typeof f === 'function' ? f(parts) : typeof f === 'string' ? f : f.join(','));
    return Object.fromEntries(Object.entries(this.specs).map(([name, spec]) => [name, shown(spec.fallback)])) as Record<keyof S, string>;
  }

  /**
   * Every setting: the prop, else the environment, else the context, else the default. Throws a
   * `PolicyValidationError` for the stack `name` under `scope` listing each value that fails its check,
   * named by where it was read (`CI_WEB_ACCOUNT (environment)`, `ciWeb.account (cdktf context)`, the prop).
   */
  read(scope: Construct, name: string, props: SettingProps<S>, env: NodeJS.ProcessEnv = process.env): SettingValues<S> {
    const settings = new StackSettings(scope, this.contextPrefix, this.envPrefix, env);
    const values: Record<string, string | readonly string[]> = {};
    const findings: Finding[] = [];
    for (const [key, spec] of Object.entries(this.specs)) {
      const given = (props as Record<string, unknown>)[key];
      const setting = given !== undefined ? { value: given, from: key } : settings.configured(key);
      const fallback = typeof spec.fallback === 'function' ? spec.fallback(values as Record<string, string>) : spec.fallback;
      if (setting === undefined) {
        values[key] = fallback;
        continue;
      }
      const { value, from } = setting;
      const list = typeof fallback !== 'string';
      const items = list && typeof value === 'string' ? value.split(',').map((item) => item.trim()) : value;
      const types = !list
        ? textSettingFindings({ value: value as string, from })
        : Array.isArray(items) && items.every((item) => typeof item === 'string')
          ? []
          : [{ field: from, value, problem: 'not a list of strings', fix: 'write it as a JSON list of strings, ["a", "b"], or as the names separated by commas, "a,b"' }];
      if (types.length > 0) {
        findings.push(...types);
        continue;
      }
      values[key] = items as string | readonly string[];
      for (const item of list ? (items as string[]) : [value as string]) findings.push(...(spec.check?.(item, from, values as Record<string, string>) ?? []));
    }
    throwIfAny(scope.node.path === '' ? name : `${scope.node.path}/${name}`, findings);
    return values as SettingValues<S>;
  }
}

const ACCOUNT_ID = /^\d{12}$/;

/** An account ID is 12 digits. */
export function accountSettingFindings(setting: Setting): Finding[] {
  if (typeof setting.value === 'string' && ACCOUNT_ID.test(setting.value)) return [];
  return [{ field: setting.from, value: setting.value, problem: 'an AWS account ID is 12 digits', fix: "write the account's 12-digit ID, e.g. '111111111111'" }];
}

/** A text setting (a bucket, a path, an ID) from the context must be a string, as the environment's are. */
export function textSettingFindings(setting: Setting): Finding[] {
  if (typeof setting.value === 'string') return [];
  return [{ field: setting.from, value: setting.value, problem: 'not a string', fix: 'write it as a JSON string' }];
}

/** The ARN of an IAM role of `account`, in any partition: what a provider in that account assumes. */
export function roleInAccountFindings(setting: Setting, account: string): Finding[] {
  const value = setting.value;
  const example = `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`;
  const match = typeof value === 'string' ? /^arn:[a-z-]+:iam::(\d{12}):role\/(?:[\x21-\x7e]*\/)?[\w+=,.@-]{1,64}$/.exec(value) : null;
  if (match === null) return [{ field: setting.from, value, problem: 'not the ARN of an IAM role (arn:aws:iam::<account>:role/<path><name>)', fix: `write it like ${example}` }];
  if (match[1] !== account) {
    return [
      {
        field: setting.from,
        value,
        problem: `is a role of account ${match[1]}, not of account ${account}: the provider is allowed only in ${account}, so Terraform would refuse the assumed credentials`,
        fix: `name a role of account ${account}, e.g. ${example}`,
      },
    ];
  }
  return [];
}
