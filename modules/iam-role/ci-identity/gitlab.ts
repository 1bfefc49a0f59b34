/**
 * GitLab CI/CD as a typed trust: one project, its branches and tags, and, on GitLab.com, protected refs
 * only and the project's ID. Pure: no cdktf. Facts: `GITLAB` in core/oidc-issuers.ts.
 *
 * For `{ projectPath: 'my-group/infra', branches: ['main'], protectedRefsOnly: true }` it writes
 * `StringEquals gitlab.com:aud = https://gitlab.com`, `StringEquals gitlab.com:sub =
 * project_path:my-group/infra:ref_type:branch:ref:main` and `StringEquals gitlab.com:ref_protected = true`.
 */
import { GITLAB } from '../../core/oidc-issuers';
import type { ConditionProps, StatementProps } from '../../core/policy-document';
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

export interface GitLabTrust extends WebIdentityTrustOptions {
  /** The project's full path, group and subgroups included, e.g. `my-group/infra` (for a merge request from a fork, GitLab writes the fork's path, which this never matches). */
  readonly projectPath: string;
  /** Branches whose pipelines may assume the role (`ref_type:branch:ref:<branch>`); `*` and `?` are wildcards. */
  readonly branches?: readonly string[];
  /** Tags whose pipelines may assume the role (`ref_type:tag:ref:<tag>`). */
  readonly tags?: readonly string[];
  /**
   * Only pipelines of protected branches and tags (`gitlab.com:ref_protected = "true"`): who may push to
   * them is the project's protection rules. GitLab.com only: AWS STS has the key for no other instance.
   * @default false
   */
  readonly protectedRefsOnly?: boolean;
  /**
   * The project's numeric ID (`gitlab.com:project_id`): a project deleted and re-created under the same path
   * cannot assume the role. GitLab.com only.
   * @default - the path alone
   */
  readonly projectId?: string;
  /**
   * The GitLab instance that issues the tokens.
   * @default 'https://gitlab.com'
   */
  readonly issuer?: string;
}

export const GITLAB_TRUST_SHAPE = shape.object(
  {
    projectPath: shape.string(),
    branches: shape.optional(shape.list(shape.string())),
    tags: shape.optional(shape.list(shape.string())),
    protectedRefsOnly: shape.optional(shape.boolean()),
    projectId: shape.optional(shape.string()),
    issuer: shape.optional(shape.string()),
    providerArn: shape.optional(shape.string()),
    audience: shape.optional(shape.string()),
  },
  { strict: true, example: "{ projectPath: 'my-group/infra', branches: ['main'] }" },
);

// A GitLab path segment: letters, digits, `_`, `-` and `.`, starting with a letter, digit or `_`
// (GitLab docs, "Reserved project and group names" and the path rules of groups and projects).
const PROJECT_PATH = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(?:\/[A-Za-z0-9_][A-Za-z0-9_.-]*)+$/;
const ID = /^[1-9][0-9]{0,19}$/;
// Git ref names, as in github-actions.ts; `*` and `?` are the caller's wildcards.
const REF = /^(?!.*\$\{)[^\s~^:\\[\u0000-\u001f\u007f]+$/;

/** The OIDC provider GitLab tokens come through, for `OidcProvider`: the instance is the issuer, and its URL the audience AWS users are told to set. */
export function gitlabOidcProvider(options: { readonly issuer?: string; readonly audience?: string } = {}): OidcProviderSpec {
  const issuer = options.issuer ?? GITLAB.defaultIssuer;
  return { url: issuer, clientIds: [options.audience ?? issuer] };
}

/** The statement for `trust`, and every finding for it. */
export function gitlabStatement(trust: GitLabTrust, context: PresetContext): { statement: StatementProps; findings: Finding[] } {
  const { field } = context;
  const at = (name: string) => `${field}.${name}`;
  const findings: Finding[] = [];
  const issuer = trust.issuer ?? GITLAB.defaultIssuer;
  findings.push(...issuerFindings(at('issuer'), issuer, GITLAB.defaultIssuer));
  const provider = issuerProvider(issuer) ?? 'gitlab.com';
  const gitlabCom = provider === 'gitlab.com';
  if (!PROJECT_PATH.test(trust.projectPath)) {
    findings.push({
      field: at('projectPath'),
      value: trust.projectPath,
      problem: 'not a GitLab project path (group/project, no wildcard)',
      fix: 'name one project by its full path, e.g. "my-group/infra"',
    });
  }
  if (trust.projectId !== undefined && !ID.test(trust.projectId))
    findings.push({
      field: at('projectId'),
      value: trust.projectId,
      problem: 'a project ID is a number, written as a string',
      fix: 'give the project ID GitLab shows in the project settings, e.g. "42"',
    });
  for (const name of ['protectedRefsOnly', 'projectId'] as const) {
    if (!gitlabCom && trust[name] !== undefined && trust[name] !== false) {
      findings.push({
        field: at(name),
        value: trust[name],
        problem: `AWS STS has GitLab's own claim keys for gitlab.com only, not for ${provider}`,
        fix: `leave ${name} out for a self-managed instance, and pin the refs in branches and tags`,
      });
    }
  }
  findings.push(...namesFindings(at('branches'), trust.branches, REF, 'not a branch name (no white space, ~, ^, :, \\, [ or policy variable)', 'write the branch as git names it, e.g. "main"'));
  findings.push(...namesFindings(at('tags'), trust.tags, REF, 'not a tag name (no white space, ~, ^, :, \\, [ or policy variable)', 'write the tag as git names it, e.g. "v*"'));
  findings.push(...notAllWildcards(at('branches'), trust.branches, 'branch', 'branches'), ...notAllWildcards(at('tags'), trust.tags, 'tag'));
  const audience = trust.audience ?? issuer;
  findings.push(...audienceFindings(at('audience'), audience));
  const base = `project_path:${trust.projectPath}`;
  const subjects = [...(trust.branches ?? []).map((b) => `${base}:ref_type:branch:ref:${b}`), ...(trust.tags ?? []).map((t) => `${base}:ref_type:tag:ref:${t}`)];
  if (subjects.length === 0) {
    findings.push({ field, value: { projectPath: trust.projectPath }, problem: 'says no branch or tag, so no pipeline of the project could assume the role', fix: 'give branches or tags' });
  }
  const key = (claim: string) => `${provider}:${claim}`;
  const conditions: ConditionProps[] = [{ test: 'StringEquals', variable: key('aud'), values: [audience] }, subjectCondition(key('sub'), subjects)];
  if (gitlabCom && trust.protectedRefsOnly === true) conditions.push({ test: 'StringEquals', variable: key('ref_protected'), values: ['true'] });
  if (gitlabCom && trust.projectId !== undefined) conditions.push({ test: 'StringEquals', variable: key('project_id'), values: [trust.projectId] });
  const providerArn = providerArnFor(trust, provider, context, findings);
  return { statement: webIdentityStatement(providerArn, conditions), findings };
}
