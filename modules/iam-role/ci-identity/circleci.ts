/**
 * CircleCI as a typed trust: one organization and its projects. Pure: no cdktf. Facts: `CIRCLECI` in
 * core/oidc-issuers.ts.
 *
 * CircleCI issues each organization's tokens from its own issuer, `https://oidc.circleci.com/org/<organization ID>`,
 * with the organization ID as audience. It writes what CircleCI's AWS guide gives as its first option:
 * `StringEquals oidc.circleci.com/org/<org>:aud = <org>` and `StringEquals
 * oidc.circleci.com/org/<org>:oidc.circleci.com/project-id = <project IDs>`.
 */
import { CIRCLECI } from '../../core/oidc-issuers';
import type { StatementProps } from '../../core/policy-document';
import type { Finding } from '../../core/policy-error';
import { shape } from '../../core/input-shape';
import { audienceFindings, type OidcProviderSpec, type PresetContext, providerArnFor, webIdentityStatement, type WebIdentityTrustOptions } from './web-identity';

export interface CircleCiTrust extends WebIdentityTrustOptions {
  /** The organization's ID, a UUID (Organization Settings > Overview). */
  readonly organizationId: string;
  /** The IDs of the projects whose jobs may assume the role, UUIDs (Project Settings > Overview). At least one. */
  readonly projectIds: readonly string[];
}

export const CIRCLECI_TRUST_SHAPE = shape.object(
  {
    organizationId: shape.string(),
    projectIds: shape.list(shape.string()),
    providerArn: shape.optional(shape.string()),
    audience: shape.optional(shape.string()),
  },
  { strict: true, example: "{ organizationId: '<uuid>', projectIds: ['<uuid>'] }" },
);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The organization's issuer URL. */
export function circleCiIssuer(organizationId: string): string {
  return `https://oidc.circleci.com/org/${organizationId}`;
}

/** The OIDC provider an organization's CircleCI tokens come through, for `OidcProvider`: its issuer, with its ID as audience. */
export function circleCiOidcProvider(organizationId: string, options: { readonly audience?: string } = {}): OidcProviderSpec {
  return { url: circleCiIssuer(organizationId), clientIds: [options.audience ?? organizationId] };
}

/** The statement for `trust`, and every finding for it. */
export function circleCiStatement(trust: CircleCiTrust, context: PresetContext): { statement: StatementProps; findings: Finding[] } {
  const { field } = context;
  const at = (name: string) => `${field}.${name}`;
  const findings: Finding[] = [];
  const uuidFix = 'copy the ID, a UUID such as "1f2e3d4c-5b6a-4978-8877-665544332211", from CircleCI\'s settings';
  if (!UUID.test(trust.organizationId)) findings.push({ field: at('organizationId'), value: trust.organizationId, problem: 'not a CircleCI organization ID (a lower-case UUID)', fix: uuidFix });
  if (trust.projectIds.length === 0)
    findings.push({ field: at('projectIds'), value: [], problem: 'no project: every project of the organization would get in', fix: 'list the projects whose jobs may assume the role' });
  trust.projectIds.forEach((id, i) => {
    if (!UUID.test(id)) findings.push({ field: at(`projectIds[${i}]`), value: id, problem: 'not a CircleCI project ID (a lower-case UUID)', fix: uuidFix });
  });
  const audience = trust.audience ?? trust.organizationId;
  findings.push(...audienceFindings(at('audience'), audience));
  const provider = `oidc.circleci.com/org/${trust.organizationId}`;
  const providerArn = providerArnFor(trust, provider, context, findings);
  const statement = webIdentityStatement(providerArn, [
    { test: 'StringEquals', variable: `${provider}:aud`, values: [audience] },
    { test: 'StringEquals', variable: `${provider}:${CIRCLECI.subjectClaims[0]}`, values: [...trust.projectIds] },
  ]);
  return { statement, findings };
}
