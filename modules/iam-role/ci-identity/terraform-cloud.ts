/**
 * HCP Terraform (Terraform Cloud) and Terraform Enterprise as a typed trust: one organization's workspaces,
 * and the run phases that may assume the role. Pure: no cdktf. Facts: `TERRAFORM_CLOUD` in
 * core/oidc-issuers.ts.
 *
 * For `{ organization: 'my-org', workspaces: ['network'], runPhases: ['plan'] }` it writes
 * `StringEquals app.terraform.io:aud = aws.workload.identity` and `StringLike app.terraform.io:sub =
 * organization:my-org:project:*:workspace:network:run_phase:plan`. HashiCorp: "if different permissions
 * are desired for plan and apply, then two separate roles and trust policies must be created".
 */
import { TERRAFORM_CLOUD } from '../../core/oidc-issuers';
import type { StatementProps } from '../../core/policy-document';
import type { Finding } from '../../core/policy-error';
import { shape } from '../../core/input-shape';
import {
  audienceFindings,
  issuerFindings,
  issuerProvider,
  namesFindings,
  notAllWildcards,
  type OidcProviderSpec,
  type PresetContext,
  providerArnFor,
  subjectCondition,
  webIdentityStatement,
  type WebIdentityTrustOptions,
} from './web-identity';

export type TerraformRunPhase = 'plan' | 'apply';

export interface TerraformCloudTrust extends WebIdentityTrustOptions {
  /** The organization's name, e.g. `my-org`. */
  readonly organization: string;
  /**
   * The project the workspaces are in; `*` and `?` are wildcards.
   * @default '*' - any project of the organization (workspace names are unique within an organization)
   */
  readonly project?: string;
  /** The workspaces whose runs may assume the role; `*` and `?` are wildcards. At least one. */
  readonly workspaces: readonly string[];
  /** The run phases that may: `plan`, `apply`, or both. A role for plans and another for applies keep a plan from applying. */
  readonly runPhases: readonly TerraformRunPhase[];
  /**
   * The issuer: HCP Terraform's, or a Terraform Enterprise instance's (`https://<host>`).
   * @default 'https://app.terraform.io'
   */
  readonly issuer?: string;
}

export const TERRAFORM_CLOUD_TRUST_SHAPE = shape.object(
  {
    organization: shape.string(),
    project: shape.optional(shape.string()),
    workspaces: shape.list(shape.string()),
    runPhases: shape.list(shape.literal('plan', 'apply')),
    issuer: shape.optional(shape.string()),
    providerArn: shape.optional(shape.string()),
    audience: shape.optional(shape.string()),
  },
  { strict: true, example: "{ organization: 'my-org', workspaces: ['network'], runPhases: ['plan'] }" },
);

// Organization names: letters, digits, `_` and `-` (HCP Terraform's organization settings); workspace names
// the same (its workspace naming rules); a project name may also hold spaces. None holds `:`.
const ORGANIZATION = /^[A-Za-z0-9_-]+$/;
const WORKSPACE = /^[A-Za-z0-9_*?-]+$/;
const PROJECT = /^[A-Za-z0-9_ *?-]+$/;

/** The OIDC provider HCP Terraform tokens come through, for `OidcProvider`. */
export function terraformCloudOidcProvider(options: { readonly issuer?: string; readonly audience?: string } = {}): OidcProviderSpec {
  return { url: options.issuer ?? TERRAFORM_CLOUD.defaultIssuer, clientIds: [options.audience ?? TERRAFORM_CLOUD.defaultAudience!] };
}

/** The statement for `trust`, and every finding for it. */
export function terraformCloudStatement(trust: TerraformCloudTrust, context: PresetContext): { statement: StatementProps; findings: Finding[] } {
  const { field } = context;
  const at = (name: string) => `${field}.${name}`;
  const findings: Finding[] = [];
  const issuer = trust.issuer ?? TERRAFORM_CLOUD.defaultIssuer;
  findings.push(...issuerFindings(at('issuer'), issuer, TERRAFORM_CLOUD.defaultIssuer));
  if (!ORGANIZATION.test(trust.organization))
    findings.push({
      field: at('organization'),
      value: trust.organization,
      problem: 'not an organization name (letters, digits, "_" and "-", no wildcard)',
      fix: 'write the organization\'s name, e.g. "my-org"',
    });
  const project = trust.project ?? '*';
  if (typeof project !== 'string' || !PROJECT.test(project))
    findings.push({
      field: at('project'),
      value: project,
      problem: 'not a project name (letters, digits, spaces, "_" and "-")',
      fix: 'write the project\'s name, e.g. "Default Project", or leave it out for any',
    });
  if (trust.workspaces.length === 0) findings.push({ field: at('workspaces'), value: [], problem: 'no workspace', fix: 'list the workspaces whose runs may assume the role' });
  findings.push(...namesFindings(at('workspaces'), trust.workspaces, WORKSPACE, 'not a workspace name (letters, digits, "_" and "-")', 'write the workspace\'s name, e.g. "network"'));
  findings.push(...notAllWildcards(at('workspaces'), trust.workspaces, 'workspace'));
  if (trust.runPhases.length === 0) findings.push({ field: at('runPhases'), value: [], problem: 'no run phase, so no run could assume the role', fix: "give ['plan'], ['apply'], or both" });
  const audience = trust.audience ?? TERRAFORM_CLOUD.defaultAudience!;
  findings.push(...audienceFindings(at('audience'), audience));
  const phases = [...new Set(trust.runPhases)];
  const subjects = trust.workspaces.flatMap((w) => phases.map((phase) => `organization:${trust.organization}:project:${project}:workspace:${w}:run_phase:${phase}`));
  const provider = issuerProvider(issuer) ?? 'app.terraform.io';
  const providerArn = providerArnFor(trust, provider, context, findings);
  const statement = webIdentityStatement(providerArn, [{ test: 'StringEquals', variable: `${provider}:aud`, values: [audience] }, subjectCondition(`${provider}:sub`, subjects)]);
  return { statement, findings };
}
