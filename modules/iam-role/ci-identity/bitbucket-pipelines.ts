/**
 * Bitbucket Pipelines as a typed trust: one repository of a workspace and, if given, only its deployment
 * environments. Pure: no cdktf. Facts: `BITBUCKET_PIPELINES` in core/oidc-issuers.ts.
 *
 * Each workspace has its own issuer, `https://api.bitbucket.org/2.0/workspaces/<workspace>/pipelines-config/identity/oidc`,
 * and audience, `ari:cloud:bitbucket::workspace/<workspace UUID>`. A step's subject is
 * `{<repository UUID>}:{<step UUID>}`, or `{<repository UUID>}:{<environment UUID>}:{<step UUID>}` for a
 * deployment step, so `{<repository>}:*` admits every step of the repository, deployments included, and
 * `{<repository>}:{<environment>}:*` the deployments to one environment. AWS STS has no Bitbucket claim
 * keys: the branch cannot be pinned in IAM; restrict a deployment environment to a branch in Bitbucket.
 */
import { BITBUCKET_PIPELINES } from '../../core/oidc-issuers';
import type { StatementProps } from '../../core/policy-document';
import type { Finding } from '../../core/policy-error';
import { shape } from '../../core/input-shape';
import { audienceFindings, type OidcProviderSpec, type PresetContext, providerArnFor, subjectCondition, webIdentityStatement, type WebIdentityTrustOptions } from './web-identity';

export interface BitbucketPipelinesTrust extends WebIdentityTrustOptions {
  /** The workspace's ID (its slug in URLs), e.g. `my-workspace`. */
  readonly workspace: string;
  /** The workspace's UUID, with or without braces (Repository settings > OpenID Connect shows it in the audience). */
  readonly workspaceUuid: string;
  /** The repository's UUID, with or without braces. */
  readonly repositoryUuid: string;
  /**
   * Only deployment steps to these environments, by UUID, with or without braces.
   * @default - every step of the repository, deployments to any environment included
   */
  readonly deploymentEnvironmentUuids?: readonly string[];
}

export const BITBUCKET_PIPELINES_TRUST_SHAPE = shape.object(
  {
    workspace: shape.string(),
    workspaceUuid: shape.string(),
    repositoryUuid: shape.string(),
    deploymentEnvironmentUuids: shape.optional(shape.list(shape.string())),
    providerArn: shape.optional(shape.string()),
    audience: shape.optional(shape.string()),
  },
  { strict: true, example: "{ workspace: 'my-workspace', workspaceUuid: '{<uuid>}', repositoryUuid: '{<uuid>}' }" },
);

const WORKSPACE = /^[a-z0-9][a-z0-9_-]*$/;
const UUID = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;

/** A workspace's issuer URL. */
export function bitbucketPipelinesIssuer(workspace: string): string {
  return `https://api.bitbucket.org/2.0/workspaces/${workspace}/pipelines-config/identity/oidc`;
}

/** The UUID without braces, lower case; undefined when it is none. */
function bareUuid(value: string): string | undefined {
  const match = typeof value === 'string' ? UUID.exec(value) : null;
  return match === null ? undefined : match[1].toLowerCase();
}

/** The audience of a workspace's tokens. */
export function bitbucketPipelinesAudience(workspaceUuid: string): string {
  return `ari:cloud:bitbucket::workspace/${bareUuid(workspaceUuid) ?? workspaceUuid}`;
}

/** The OIDC provider a workspace's tokens come through, for `OidcProvider`. */
export function bitbucketPipelinesOidcProvider(workspace: string, workspaceUuid: string): OidcProviderSpec {
  return { url: bitbucketPipelinesIssuer(workspace), clientIds: [bitbucketPipelinesAudience(workspaceUuid)] };
}

/** The statement for `trust`, and every finding for it. */
export function bitbucketPipelinesStatement(trust: BitbucketPipelinesTrust, context: PresetContext): { statement: StatementProps; findings: Finding[] } {
  const { field } = context;
  const at = (name: string) => `${field}.${name}`;
  const findings: Finding[] = [];
  const uuidFix = 'copy the UUID from Bitbucket, e.g. "{1de489be-5a52-4b1c-9a3e-0123456789ab}"';
  if (!WORKSPACE.test(trust.workspace))
    findings.push({
      field: at('workspace'),
      value: trust.workspace,
      problem: 'not a workspace ID (lower-case letters, digits, "_" and "-")',
      fix: 'write the workspace as its URLs do, e.g. "my-workspace"',
    });
  for (const name of ['workspaceUuid', 'repositoryUuid'] as const) {
    if (bareUuid(trust[name]) === undefined) findings.push({ field: at(name), value: trust[name], problem: 'not a UUID', fix: uuidFix });
  }
  (trust.deploymentEnvironmentUuids ?? []).forEach((id, i) => {
    if (bareUuid(id) === undefined) findings.push({ field: at(`deploymentEnvironmentUuids[${i}]`), value: id, problem: 'not a UUID', fix: uuidFix });
  });
  const audience = trust.audience ?? bitbucketPipelinesAudience(trust.workspaceUuid);
  findings.push(...audienceFindings(at('audience'), audience));
  const repository = `{${bareUuid(trust.repositoryUuid) ?? trust.repositoryUuid}}`;
  const environments = trust.deploymentEnvironmentUuids ?? [];
  const subjects = environments.length === 0 ? [`${repository}:*`] : environments.map((e) => `${repository}:{${bareUuid(e) ?? e}}:*`);
  const provider = BITBUCKET_PIPELINES.defaultIssuer.replace('https://', '').replace('<workspace>', trust.workspace);
  const providerArn = providerArnFor(trust, provider, context, findings);
  const statement = webIdentityStatement(providerArn, [{ test: 'StringEquals', variable: `${provider}:aud`, values: [audience] }, subjectCondition(`${provider}:sub`, subjects)]);
  return { statement, findings };
}
