/**
 * What every CI preset shares: the IAM OIDC provider its tokens come through, the audience, and the one
 * `sts:AssumeRoleWithWebIdentity` statement it writes. Pure: no cdktf.
 *
 * An IAM OIDC provider's ARN is `arn:<partition>:iam::<account>:oidc-provider/<issuer URL without
 * https://>` (IAM user guide, "IAM identifiers", and "Create an OpenID Connect (OIDC) identity provider in
 * IAM"), and its condition keys are `<issuer URL without https://>:<claim>`. A role can only trust a
 * provider of its own account, which is why the presets build the ARN from the role's account.
 */
import type { ConditionProps, StatementProps } from '../../core/policy-document';
import type { Finding } from '../../core/policy-error';
import { hasWildcard } from '../../core/iam-data';
import { parseOidcProviderArn } from '../../core/iam-identifiers';

/** What every preset takes besides its own fields. */
export interface WebIdentityTrustOptions {
  /**
   * ARN of the IAM OIDC provider the tokens come through.
   * @default - `arn:<partition>:iam::<account>:oidc-provider/<issuer>`, from the trust policy's `account`
   */
  readonly providerArn?: string;
  /**
   * The audience (`aud`) the tokens carry, compared with `StringEquals`.
   * @default - the one the CI system's AWS documentation gives (see each preset)
   */
  readonly audience?: string;
}

/** An IAM OIDC provider as the `OidcProvider` construct creates it: the issuer URL and the audiences it accepts. */
export interface OidcProviderSpec {
  /** The issuer URL, e.g. `https://token.actions.githubusercontent.com`. */
  readonly url: string;
  /** The audiences (client IDs) tokens may carry. */
  readonly clientIds: readonly string[];
}

/** Where a preset is built: the role's account and partition, and the field it is at. */
export interface PresetContext {
  /** The input field, e.g. `githubActions[0]`. */
  readonly field: string;
  readonly account?: string;
  readonly partition: string;
  /** The fix for a missing account, in the caller's terms (a construct's own `account`). @default - the trust policy's account */
  readonly accountFix?: string;
}

/** The account and the provider part of an IAM OIDC provider ARN: core/iam-identifiers.ts. */
export { parseOidcProviderArn };
/** An issuer URL: https, a host, an optional path, no query or trailing slash (IAM user guide, OIDC provider URL). */
const ISSUER_URL = /^https:\/\/([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+(?:\/[A-Za-z0-9._~%-]+)*)$/;

/** The provider part of an issuer URL (`token.actions.githubusercontent.com`), or undefined when it is none. */
export function issuerProvider(issuerUrl: string): string | undefined {
  return typeof issuerUrl === 'string' ? ISSUER_URL.exec(issuerUrl)?.[1] : undefined;
}

/** Findings for an issuer URL given by the caller. */
export function issuerFindings(field: string, issuerUrl: string, example: string): Finding[] {
  if (issuerProvider(issuerUrl) !== undefined) return [];
  return [{ field, value: issuerUrl, problem: 'not an OIDC issuer URL: https://, a host name and an optional path, no trailing slash', fix: `write it like "${example}"` }];
}

/**
 * The provider ARN for tokens of `provider` (an issuer URL without https://): the caller's `providerArn`,
 * checked to name that provider, or the ARN built from the account.
 */
export function providerArnFor(options: WebIdentityTrustOptions, provider: string, context: PresetContext, findings: Finding[]): string {
  const { field, account, partition } = context;
  if (options.providerArn !== undefined) {
    const parsed = parseOidcProviderArn(options.providerArn);
    if (parsed === undefined) {
      findings.push({
        field: `${field}.providerArn`,
        value: options.providerArn,
        problem: 'not an IAM OIDC provider ARN',
        fix: `write it like "arn:aws:iam::123456123456:oidc-provider/${provider}", or leave it out to build it from the account`,
      });
    } else if (parsed.provider.toLowerCase() !== provider.toLowerCase()) {
      findings.push({
        field: `${field}.providerArn`,
        value: options.providerArn,
        problem: `is the provider of ${parsed.provider}, but these tokens are issued by ${provider}, and their condition keys start with ${provider}:`,
        fix: `give the provider of ${provider}, or the issuer of this provider`,
      });
    } else if (account !== undefined && parsed.account !== account) {
      findings.push({
        field: `${field}.providerArn`,
        value: options.providerArn,
        problem: `is in account ${parsed.account}: a role of account ${account} can only trust an OIDC provider of its own account`,
        fix: `create the provider in account ${account} (OidcProvider), or leave providerArn out`,
      });
    }
    return options.providerArn;
  }
  if (account === undefined) {
    findings.push({
      field: `${field}.providerArn`,
      value: undefined,
      problem: "the OIDC provider is in the role's account, and neither the account nor the provider ARN is given",
      fix: context.accountFix ?? "give the trust policy's account (the role's account ID), or providerArn",
    });
    return `arn:${partition}:iam::000000000000:oidc-provider/${provider}`;
  }
  return `arn:${partition}:iam::${account}:oidc-provider/${provider}`;
}

/** Findings for an audience: a value the tokens carry, compared with `StringEquals`, so no wildcard. */
export function audienceFindings(field: string, audience: string): Finding[] {
  if (typeof audience === 'string' && audience !== '' && !hasWildcard(audience) && !audience.includes('${')) return [];
  return [
    {
      field,
      value: audience,
      problem: 'an audience is the one value the tokens carry, compared with StringEquals: not empty, no wildcard or policy variable',
      fix: 'write the audience out, or leave it out for the documented default',
    },
  ];
}

/** `StringLike` when some value holds a wildcard, else `StringEquals`: the narrowest operator that reads them as meant. */
export function subjectCondition(variable: string, values: readonly string[]): ConditionProps {
  return { test: values.some(hasWildcard) ? 'StringLike' : 'StringEquals', variable, values: [...values] };
}

/** The preset's statement: `sts:AssumeRoleWithWebIdentity` for `providerArn`, under `conditions`. */
export function webIdentityStatement(providerArn: string, conditions: readonly ConditionProps[]): StatementProps {
  return { actions: ['sts:AssumeRoleWithWebIdentity'], principals: [{ type: 'Federated', identifiers: [providerArn] }], conditions: [...conditions] };
}

/** Findings for a list of names of which each must match `pattern`, e.g. branches. */
export function namesFindings(field: string, values: readonly string[] | undefined, pattern: RegExp, problem: string, fix: string): Finding[] {
  return (values ?? []).flatMap((v, i) => (typeof v === 'string' && pattern.test(v) ? [] : [{ field: `${field}[${i}]`, value: v, problem, fix }]));
}

/** A finding for each value made of wildcards only: it would match every one. */
export function notAllWildcards(field: string, values: readonly string[] | undefined, what: string, whats = `${what}s`): Finding[] {
  return (values ?? []).flatMap((v, i) =>
    typeof v === 'string' && /^[*?]+$/.test(v) ? [{ field: `${field}[${i}]`, value: v, problem: `matches every ${what}`, fix: `name the ${whats}, or leave the list out` }] : [],
  );
}
