/**
 * The CI systems whose OIDC tokens assume roles, as facts: each issuer's URL, the audience AWS users are
 * told to request, the subject format, and which token claims STS exposes as condition keys. The admission
 * check (`admission.ts`) reads them to decide whether a trust policy pins its tokens; the typed presets
 * (`modules/iam-role/ci-identity/`) write their conditions from them. Pure: no cdktf.
 *
 * Condition keys are `<issuer without https://>:<claim>` (IAM user guide, "Available keys for AWS OIDC
 * federation"). Which claims STS takes beyond `aud`, `sub` and `amr` is iam-data's list of
 * `sts:AssumeRoleWithWebIdentity` keys (the Service Authorization Reference): read there by validation, and
 * named here only where a rule depends on what a claim means.
 *
 * An issuer shared by many owners (github.com's, gitlab.com's, Buildkite's, HCP Terraform's) must have the
 * owner pinned too: AWS's own "identity-provider controls" require a `sub` condition for these shared
 * providers on every role created or updated (IAM user guide, "Identity-provider controls for shared OIDC
 * providers"), and a `sub` pattern with a wildcard before the owner admits every organization's tokens.
 * An issuer of one organization (CircleCI's `/org/<id>`, Bitbucket's per workspace) pins the owner itself.
 */

export type OidcIssuerId = 'github-actions' | 'gitlab' | 'circleci' | 'bitbucket-pipelines' | 'buildkite' | 'terraform-cloud';

/** A claim that pins the owner when a condition fixes it. */
export interface OwnerClaim {
  readonly claim: string;
  /**
   * A pattern (a regular expression both JavaScript and Terraform's RE2 read) that the literal start of a
   * wildcard value must match to fix the owner.
   * @default - only a fixed value does
   */
  readonly prefixPattern?: string;
}

/**
 * An issuer's facts, as data: the patterns are regular expressions that both JavaScript and RE2 (Terraform's
 * `regex`) read, so that the Terraform modules are generated from the same facts.
 */
export interface OidcIssuer {
  readonly id: OidcIssuerId;
  /** As its vendor names it, for messages. */
  readonly name: string;
  /** Matches the provider (the IAM OIDC provider's URL without `https://`, lower case) of each of its issuers. */
  readonly providerPattern: string;
  /**
   * Matches the providers of its issuers that belong to one organization each, so that the issuer pins the owner.
   * @default - none: every issuer is shared by many owners
   */
  readonly ownerInIssuerPattern?: string;
  /** The issuer URL AWS users register, for the common (SaaS) case. */
  readonly defaultIssuer: string;
  /** The audience AWS users are told to request, where the vendor says one. */
  readonly defaultAudience?: string;
  /** Claims whose condition keys may pin the audience: `aud`. */
  readonly audienceClaims: readonly string[];
  /** Claims that name one repository, project or pipeline, so that pinning one to a fixed value pins the subject. */
  readonly subjectClaims: readonly string[];
  /** Patterns of which the literal start of a `sub` pattern (before any wildcard) must match one to pin the owner. */
  readonly ownerPrefixPatterns: readonly string[];
  /** Claims that pin the owner. */
  readonly ownerClaims: readonly OwnerClaim[];
  /** What one subject is, for messages: "repository, branch and workflow on GitHub". */
  readonly subjectNoun: string;
  /** What an unpinned owner lets in, for messages. */
  readonly ownerNoun: string;
  /** A pinned subject, for fixes. */
  readonly subjectExample: string;
}

/** A complete `<claim>:<value>:` (or, with `/`, `<claim>:<owner>/`) in a subject's literal start. */
const pair = (claim: string, valueEnd: ':' | '/') => `(^|:)${claim}:[^:*?${valueEnd === '/' ? '/' : ''}]+${valueEnd}`;

/**
 * GitHub Actions. Facts from GitHub's "OpenID Connect reference" (docs.github.com/en/actions/reference/security/oidc)
 * and "Configuring OpenID Connect in Amazon Web Services":
 * - issuer `https://token.actions.githubusercontent.com`; an enterprise's unique issuer
 *   `https://token.actions.githubusercontent.com/<enterprise slug>`; GHE.com data residency
 *   `https://token.actions.<subdomain>.ghe.com` (and `/<slug>`); GitHub Enterprise Server
 *   `https://<host>/_services/token`;
 * - audience `sts.amazonaws.com` "if you are using the official action" (aws-actions/configure-aws-credentials);
 * - subject `repo:<owner>/<repository>:<context>`, the context being `environment:<name>` when the job
 *   references an environment, else `pull_request` for a pull request event, else `ref:refs/heads/<branch>`
 *   or `ref:refs/tags/<tag>`; a `:` inside a value is written `%3A`;
 * - "immutable subject claims": repositories created, renamed or transferred on github.com after July 15,
 *   2026, and those opted in, write the owner and repository as `<name>@<ID>`
 *   (`repo:octo-org@123456/octo-repo@456789:ref:refs/heads/main`; "`@` cannot appear in GitHub usernames
 *   or repository names"); not on GitHub Enterprise Server;
 * - a customized subject (`include_claim_keys`) is `<claim>:<value>` pairs joined with `:`;
 * - `repository_id`, `repository_owner_id` and `enterprise_id` are numeric IDs that never change hands;
 *   `job_workflow_ref` names the reusable workflow called, not the repository calling it.
 */
export const GITHUB_ACTIONS: OidcIssuer = {
  id: 'github-actions',
  name: 'GitHub Actions',
  providerPattern: '^token\\.actions\\.(githubusercontent\\.com|[a-z0-9-]+\\.ghe\\.com)(/[^/]+)?$|/_services/token$',
  defaultIssuer: 'https://token.actions.githubusercontent.com',
  defaultAudience: 'sts.amazonaws.com',
  audienceClaims: ['aud'],
  subjectClaims: ['repository', 'repository_id', 'job_workflow_ref'],
  ownerPrefixPatterns: [pair('repo', '/'), ...['repository_owner', 'repository_owner_id', 'repository_id', 'enterprise', 'enterprise_id'].map((c) => pair(c, ':'))],
  ownerClaims: [{ claim: 'repository_owner_id' }, { claim: 'repository_id' }, { claim: 'enterprise_id' }, { claim: 'repository', prefixPattern: '^[^/]+/' }],
  subjectNoun: 'repository, branch and workflow on GitHub',
  ownerNoun: 'the repositories',
  subjectExample: '"repo:my-org/my-repo:ref:refs/heads/main"',
};

/**
 * GitLab CI/CD. Facts from GitLab's "OpenID Connect (OIDC) Authentication Using ID Tokens"
 * (docs.gitlab.com/ci/secrets/id_token_authentication/) and "Configure OpenID Connect in AWS"
 * (docs.gitlab.com/ci/cloud_services/aws/):
 * - issuer: the GitLab instance, `https://gitlab.com` for GitLab.com; STS has GitLab's own claim keys only
 *   for `gitlab.com` (iam-data);
 * - audience: set per job in `id_tokens`; for AWS "the address of your GitLab instance, such as
 *   `https://gitlab.com`";
 * - subject `project_path:<group>/<project>:ref_type:<branch|tag>:ref:<name>`, `<group>` with its
 *   subgroups; for a merge request from a fork, the fork's project;
 * - `project_id` and `namespace_id` are numeric IDs; `ref_protected` is `"true"` for a protected ref.
 */
export const GITLAB: OidcIssuer = {
  id: 'gitlab',
  name: 'GitLab',
  providerPattern: '^gitlab\\.com$',
  defaultIssuer: 'https://gitlab.com',
  defaultAudience: 'https://gitlab.com',
  audienceClaims: ['aud'],
  subjectClaims: ['project_id'],
  ownerPrefixPatterns: [pair('project_path', '/')],
  ownerClaims: [{ claim: 'project_id' }, { claim: 'namespace_id' }],
  subjectNoun: 'project, branch and tag on GitLab.com',
  ownerNoun: 'the projects',
  subjectExample: '"project_path:my-group/my-project:ref_type:branch:ref:main"',
};

/**
 * CircleCI. Facts from CircleCI's "Using OpenID Connect tokens in jobs"
 * (circleci.com/docs/guides/permissions-authentication/openid-connect-tokens/):
 * - issuer `https://oidc.circleci.com/org/<organization ID>`, one per organization; with `--root-issuer`,
 *   `https://oidc.circleci.com`, shared by all;
 * - audience: the organization ID;
 * - subject `org/<organization ID>/project/<project ID>/user/<user ID>` (V2 tokens add
 *   `/vcs-origin/<origin>/vcs-ref/<ref>`);
 * - AWS's key `oidc.circleci.com/org/<organization ID>:oidc.circleci.com/project-id`, "to restrict access to
 *   specific CircleCI projects" (the documented "Option 1").
 */
export const CIRCLECI: OidcIssuer = {
  id: 'circleci',
  name: 'CircleCI',
  providerPattern: '^oidc\\.circleci\\.com(/org/[^/]+)?$',
  ownerInIssuerPattern: '^oidc\\.circleci\\.com/org/[^/]+$',
  defaultIssuer: 'https://oidc.circleci.com/org/<organization ID>',
  audienceClaims: ['aud'],
  subjectClaims: ['oidc.circleci.com/project-id'],
  ownerPrefixPatterns: ['^org/[^/*?]+/'],
  ownerClaims: [{ claim: 'oidc.circleci.com/project-id' }],
  subjectNoun: 'project of the organization',
  ownerNoun: 'the projects',
  subjectExample: '"org/<organization ID>/project/<project ID>/user/*"',
};

/**
 * Bitbucket Pipelines. Facts from Atlassian's "Integrate Pipelines with resource servers using OIDC" and
 * "Deploy on AWS using Bitbucket Pipelines OpenID Connect" (support.atlassian.com/bitbucket-cloud/docs/):
 * - issuer `https://api.bitbucket.org/2.0/workspaces/<workspace>/pipelines-config/identity/oidc`, one
 *   per workspace;
 * - audience `ari:cloud:bitbucket::workspace/<workspace UUID>`;
 * - subject `{<repository UUID>}:{<step UUID>}`, or `{<repository UUID>}:{<deployment environment
 *   UUID>}:{<step UUID>}` for a deployment step, each UUID in braces; a new step UUID every run.
 * STS has no Bitbucket claim keys: only `aud` and `sub` pin its tokens.
 */
export const BITBUCKET_PIPELINES: OidcIssuer = {
  id: 'bitbucket-pipelines',
  name: 'Bitbucket Pipelines',
  providerPattern: '^api\\.bitbucket\\.org/2\\.0/workspaces/[^/]+/pipelines-config/identity/oidc$',
  ownerInIssuerPattern: '^api\\.bitbucket\\.org/2\\.0/workspaces/[^/]+/pipelines-config/identity/oidc$',
  defaultIssuer: 'https://api.bitbucket.org/2.0/workspaces/<workspace>/pipelines-config/identity/oidc',
  audienceClaims: ['aud'],
  subjectClaims: [],
  ownerPrefixPatterns: [],
  ownerClaims: [],
  subjectNoun: 'repository and step of the workspace',
  ownerNoun: 'the repositories',
  subjectExample: '"{<repository UUID>}:*"',
};

/**
 * Buildkite. Facts from Buildkite's "buildkite-agent oidc" reference (buildkite.com/docs/agent/cli/reference/oidc)
 * and "OIDC with AWS" (buildkite.com/docs/pipelines/security/oidc/aws):
 * - issuer `https://agent.buildkite.com`, shared by every organization;
 * - audience: for AWS, `sts.amazonaws.com` (requested with `--audience sts.amazonaws.com`);
 * - subject `organization:<org slug>:pipeline:<pipeline slug>:ref:<refs/heads/branch or refs/tags/tag>:commit:<sha>:step:<key>`,
 *   or, with `--subject-claim`, a single immutable ID (organization, pipeline, cluster, … UUID);
 * - AWS requires `agent.buildkite.com:sub` in such trust policies ("identity-provider controls").
 */
export const BUILDKITE: OidcIssuer = {
  id: 'buildkite',
  name: 'Buildkite',
  providerPattern: '^agent\\.buildkite\\.com$|^agent\\.[a-z0-9-]+\\.buildkite\\.(dev|site)$',
  defaultIssuer: 'https://agent.buildkite.com',
  defaultAudience: 'sts.amazonaws.com',
  audienceClaims: ['aud'],
  subjectClaims: ['pipeline_id', 'pipeline_slug'],
  ownerPrefixPatterns: [pair('organization', ':')],
  ownerClaims: [{ claim: 'organization_id' }, { claim: 'organization_slug' }, { claim: 'pipeline_id' }, { claim: 'cluster_id' }],
  subjectNoun: 'pipeline and branch on Buildkite',
  ownerNoun: 'the pipelines',
  subjectExample: '"organization:my-org:pipeline:deploy:ref:refs/heads/main:*"',
};

/**
 * HCP Terraform (Terraform Cloud). Facts from HashiCorp's "Workload identity tokens" and "Dynamic
 * credentials with the AWS provider" (developer.hashicorp.com/terraform/cloud-docs/dynamic-provider-credentials/):
 * - issuer `https://app.terraform.io` (Terraform Enterprise: its own host name);
 * - audience `aws.workload.identity` (or `TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE`);
 * - subject `organization:<org>:project:<project>:workspace:<workspace>:run_phase:<plan|apply>`;
 *   "If you don't match against at least the organization name, any organization or workspace on HCP
 *   Terraform will be able to access your cloud resources!"; a plan and an apply that need different
 *   permissions need "two separate roles and trust policies".
 * STS has no HCP Terraform claim keys: only `aud` and `sub`.
 */
export const TERRAFORM_CLOUD: OidcIssuer = {
  id: 'terraform-cloud',
  name: 'HCP Terraform',
  providerPattern: '^app\\.terraform\\.io$',
  defaultIssuer: 'https://app.terraform.io',
  defaultAudience: 'aws.workload.identity',
  audienceClaims: ['aud'],
  subjectClaims: [],
  ownerPrefixPatterns: [pair('organization', ':')],
  ownerClaims: [],
  subjectNoun: 'workspace and run phase on HCP Terraform',
  ownerNoun: 'the workspaces',
  subjectExample: '"organization:my-org:project:*:workspace:network:run_phase:plan"',
};

export const OIDC_ISSUERS: readonly OidcIssuer[] = [GITHUB_ACTIONS, GITLAB, CIRCLECI, BITBUCKET_PIPELINES, BUILDKITE, TERRAFORM_CLOUD];

const compiled = new Map<string, RegExp>();

/** `pattern` compiled once: the admission check asks for the same few patterns for every statement. */
export function issuerPattern(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (re === undefined) {
    re = new RegExp(pattern);
    compiled.set(pattern, re);
  }
  return re;
}

/** The known issuer `provider` (an OIDC provider ARN's part after `oidc-provider/`) is one of, if any. */
export function oidcIssuerOf(provider: string): OidcIssuer | undefined {
  const p = provider.toLowerCase();
  return OIDC_ISSUERS.find((i) => issuerPattern(i.providerPattern).test(p));
}

/** Whether every token of `provider` (lower case), an issuer of `issuer`, comes from one owner. */
export function ownerInIssuer(issuer: OidcIssuer, provider: string): boolean {
  return issuer.ownerInIssuerPattern !== undefined && issuerPattern(issuer.ownerInIssuerPattern).test(provider.toLowerCase());
}

/** Whether a `sub` pattern whose literal start is `prefix` pins the owner, for `issuer`. */
export function subjectPrefixPinsOwner(issuer: OidcIssuer, prefix: string): boolean {
  return issuer.ownerPrefixPatterns.some((pattern) => issuerPattern(pattern).test(prefix));
}
