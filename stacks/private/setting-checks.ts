import { type Finding, PolicyValidationError } from '../../modules/core';
import { IAM_NAME_LIMITS, iamNameFindings, iamPathFindings } from '../../modules/core/iam-names';
import { bucketNameFindings } from '../../modules/policy-types';
import { githubActionsStatement, type GitHubActionsTrust } from '../../modules/iam-role';
import { statePermissionsPolicy, type StatePermissionsProps } from '../../modules/state-access';
import { SEED_ACCOUNT } from './seed-account';
import { accountSettingFindings, type SettingCheck, type SettingSpec } from './stack-settings';

/**
 * The checks of the stacks' settings. Each applies a rule the library already has (the account's 12 digits,
 * IAM's name rules, a module's own check of its input) and reports it at the setting, named by where it was
 * read, so that the error says which variable or context key to fix.
 */

/** An AWS account ID. */
export const accountCheck: SettingCheck = (value, from) => accountSettingFindings({ value, from });

/** The name of an IAM entity of `kind` (IAM API reference: 1 to 64 or 128 of `[\w+=,.@-]`), or the start of one, `<value><suffix>`. */
export const iamNameCheck =
  (kind: keyof typeof IAM_NAME_LIMITS, suffix = ''): SettingCheck =>
  (value, from) =>
    iamNameFindings(from, `${value}${suffix}`, kind);

/** An S3 bucket's name (S3's general purpose bucket naming rules). */
export const bucketNameCheck: SettingCheck = (value, from) => bucketNameFindings(from, value);

/** An IAM path (`/ci/`). */
export const iamPathCheck: SettingCheck = (value, from) => iamPathFindings(from, value);

/**
 * What a module's own check reports at `field` of the input `run` builds around the value (returned, or
 * thrown as a `PolicyValidationError`): the module's rules, word for word, reported at the setting. The
 * rest of the input is valid; findings about other fields are left out all the same.
 */
export function checkedAs(field: string, run: (value: string, before: Readonly<Record<string, string>>) => unknown): SettingCheck {
  return (value, from, before) => {
    let findings: readonly Finding[] = [];
    try {
      const result = run(value, before);
      if (Array.isArray(result)) findings = result as Finding[];
    } catch (error) {
      if (!(error instanceof PolicyValidationError)) throw error;
      findings = error.findings;
    }
    return findings
      .filter((f) => f.field === field || f.field.startsWith(`${field}.`) || f.field.startsWith(`${field}[`))
      .map(({ value: found, problem, fix }) => ({ field: from, value: found, problem, fix }));
  };
}

const STATE: StatePermissionsProps = { stateBucketArn: 'arn:aws:s3:::my-state-bucket', canApply: [{ key: 'terraform.tfstate' }] };
/** A state bucket's ARN, a lock table's ARN, a state key, as the state-access module checks them. */
export const stateChecks = {
  bucketArn: checkedAs('stateBucketArn', (stateBucketArn) => statePermissionsPolicy({ ...STATE, stateBucketArn })),
  tableArn: checkedAs('lockTableArn', (lockTableArn) => statePermissionsPolicy({ ...STATE, lockTableArn })),
  key: checkedAs('canApply[0].key', (key) => statePermissionsPolicy({ ...STATE, canApply: [{ key }] })),
  workspaceKeyPrefix: checkedAs('canApply[0].workspaceKeyPrefix', (workspaceKeyPrefix) => statePermissionsPolicy({ ...STATE, canApply: [{ key: 'terraform.tfstate', workspaceKeyPrefix }] })),
};

const REPOSITORY: GitHubActionsTrust = { owner: 'my-org', repository: 'infra', ownerId: '123456', repositoryId: '456789', environments: ['production'] };
/** A part of a GitHub repository's trust (`owner`, `repository`, `ownerId`, `repositoryId`, `environments`), as the GitHub Actions trust checks it. */
export const githubCheck = (part: 'owner' | 'repository' | 'ownerId' | 'repositoryId' | 'environments'): SettingCheck =>
  checkedAs(
    `repository.${part}`,
    (value) => githubActionsStatement({ ...REPOSITORY, [part]: part === 'environments' ? [value] : value }, { field: 'repository', account: SEED_ACCOUNT, partition: 'aws' }).findings,
  );

/** The region: the provider's, and where the stack's regional resources are. Any string: the library knows no list of regions. */
export const REGION = { fallback: 'eu-west-1' } satisfies SettingSpec;
/** The account of the seed's examples, where the stack's resources are. */
export const ACCOUNT = { fallback: SEED_ACCOUNT, check: accountCheck } satisfies SettingSpec;

/** A state backend's bucket and lock table (in the stack's region and account, by default). */
export function stateBackendSettings(bucket: string, table: string) {
  return {
    stateBucketArn: { fallback: `arn:aws:s3:::${bucket}`, check: stateChecks.bucketArn },
    lockTableArn: { fallback: ({ region, account }) => `arn:aws:dynamodb:${region}:${account}:table/${table}`, check: stateChecks.tableArn },
  } satisfies Record<string, SettingSpec>;
}
