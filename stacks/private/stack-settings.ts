import type { Construct } from 'constructs';
import type { Finding } from '../../modules/core';

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
    const env = this.env[this.envName(name)];
    if (env !== undefined && env !== '') return { value: env, from: `${this.envName(name)} (environment)` };
    const context: unknown = this.scope.node.tryGetContext(this.contextKey(name));
    if (context !== undefined) return { value: context as string, from: `${this.contextKey(name)} (cdktf context)` };
    return fallback === undefined ? undefined : { value: fallback, from: `${name} (default)` };
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
