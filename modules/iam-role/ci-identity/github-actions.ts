/**
 * GitHub Actions as a typed trust: one repository, and the branches, tags, environments and pull requests
 * that may assume the role, each a separate opt-in. Pure: no cdktf. The facts (issuers, audience, subject
 * formats) are `GITHUB_ACTIONS` in core/oidc-issuers.ts, with their sources.
 *
 * What it writes, for `{ owner: 'my-org', repository: 'infra', branches: ['main'] }`:
 * `StringEquals token.actions.githubusercontent.com:aud = sts.amazonaws.com` and
 * `StringEquals token.actions.githubusercontent.com:sub = repo:my-org/infra:ref:refs/heads/main`.
 * Never `repo:my-org/infra:*`, which GitHub's AWS guide describes as "any branch, pull request merge branch,
 * or environment": each context is asked for by name.
 */
import { GITHUB_ACTIONS, oidcIssuerOf } from '../../core/oidc-issuers';
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

export interface GitHubActionsTrust extends WebIdentityTrustOptions {
  /** The repository's owner, an organization or a user, exactly as GitHub writes it (the `sub` is case-sensitive), e.g. `my-org`. */
  readonly owner: string;
  /** The repository's name, e.g. `infra`. */
  readonly repository: string;
  /**
   * The owner's numeric ID (`repository_owner_id`), with `repositoryId`: the subject names the repository by
   * its immutable IDs, so a deleted and re-created (or renamed and reclaimed) owner or repository of the same
   * name cannot assume the role.
   * @default - names only
   */
  readonly ownerId?: string;
  /**
   * The repository's numeric ID (`repository_id`). See `ownerId`.
   * @default - names only
   */
  readonly repositoryId?: string;
  /**
   * How the IDs are pinned. `immutable`: GitHub's immutable subject, `repo:<owner>@<owner ID>/<repository>@<repository ID>:…`,
   * which github.com writes for repositories created, renamed or transferred after July 15, 2026, and for
   * those opted in. `names`: the subject by names, and the IDs as `repository_owner_id` and `repository_id`
   * conditions (AWS STS condition keys for GitHub), for repositories still on the name-only subject.
   * @default 'immutable' when the IDs are given
   */
  readonly subjectFormat?: 'immutable' | 'names';
  /** Branches whose workflows may assume the role (`ref:refs/heads/<branch>`); `*` and `?` are wildcards, e.g. `release/*`. Jobs that reference an environment carry the environment instead. */
  readonly branches?: readonly string[];
  /** Tags whose workflows may assume the role (`ref:refs/tags/<tag>`), e.g. `v*`. */
  readonly tags?: readonly string[];
  /** Deployment environments whose jobs may assume the role (`environment:<name>`): protect them with required reviewers or branch rules in GitHub. */
  readonly environments?: readonly string[];
  /**
   * Workflows run for pull requests (`pull_request`), as long as the job references no environment. GitHub
   * gives a workflow run from a fork no ID token unless the repository allows it.
   * @default false
   */
  readonly pullRequests?: boolean;
  /**
   * Only jobs that run these reusable workflows (`job_workflow_ref`, e.g.
   * `my-org/workflows/.github/workflows/deploy.yml@refs/heads/main`), in addition to the subject.
   * @default - any workflow of the repository
   */
  readonly jobWorkflowRefs?: readonly string[];
  /**
   * The issuer: `https://token.actions.githubusercontent.com`, an enterprise's unique issuer
   * (`https://token.actions.githubusercontent.com/<enterprise>`), GHE.com's (`https://token.actions.<subdomain>.ghe.com`),
   * or GitHub Enterprise Server's (`https://<host>/_services/token`).
   * @default 'https://token.actions.githubusercontent.com'
   */
  readonly issuer?: string;
}

/** The fields that name the repository and its tokens, without which contexts may assume the role. */
const REPOSITORY_FIELDS = {
  owner: shape.string(),
  repository: shape.string(),
  ownerId: shape.optional(shape.string()),
  repositoryId: shape.optional(shape.string()),
  subjectFormat: shape.optional(shape.literal('immutable', 'names')),
  jobWorkflowRefs: shape.optional(shape.list(shape.string())),
  issuer: shape.optional(shape.string()),
  providerArn: shape.optional(shape.string()),
  audience: shape.optional(shape.string()),
};

/** The JavaScript types of a repository (`GitHubActionsTrust` without branches, tags, environments and pull requests). */
export const GITHUB_REPOSITORY_SHAPE = shape.object(REPOSITORY_FIELDS, { strict: true, example: "{ owner: 'my-org', repository: 'infra' }" });

export const GITHUB_ACTIONS_TRUST_SHAPE = shape.object(
  {
    ...REPOSITORY_FIELDS,
    branches: shape.optional(shape.list(shape.string())),
    tags: shape.optional(shape.list(shape.string())),
    environments: shape.optional(shape.list(shape.string())),
    pullRequests: shape.optional(shape.boolean()),
  },
  { strict: true, example: "{ owner: 'my-org', repository: 'infra', branches: ['main'] }" },
);

// GitHub's rules for names: a user or organization is 1 to 39 letters, digits and single hyphens, not
// starting with one; a repository is letters, digits, `.`, `_` and `-`, up to 100 (GitHub docs, "Creating
// a new repository"; "@ cannot appear in GitHub usernames or repository names", OIDC reference).
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPOSITORY = /^[A-Za-z0-9._-]{1,100}$/;
const ID = /^[1-9][0-9]{0,19}$/;
// A git ref name holds no white space, control character, `~`, `^`, `:`, `\` or `[`, and no `?` or `*`
// (git check-ref-format): here `*` and `?` are the caller's wildcards. `${` would be a policy variable.
const REF = /^(?!.*\$\{)[^\s~^:\\[\u0000-\u001f\u007f]+$/;
const ENVIRONMENT = /^(?!.*\$\{)[^\u0000-\u001f\u007f]{1,255}$/;
const WORKFLOW_REF = /^(?!.*\$\{)[^/\s]+\/[^/\s]+\/\.github\/workflows\/[^@\s]+@[^\s]+$/;

/** The OIDC provider GitHub Actions tokens come through, for `OidcProvider`. */
export function githubActionsOidcProvider(options: { readonly issuer?: string; readonly audience?: string } = {}): OidcProviderSpec {
  return { url: options.issuer ?? GITHUB_ACTIONS.defaultIssuer, clientIds: [options.audience ?? GITHUB_ACTIONS.defaultAudience!] };
}

/** The statement for `trust`, and every finding for it. */
export function githubActionsStatement(trust: GitHubActionsTrust, context: PresetContext): { statement: StatementProps; findings: Finding[] } {
  const { field } = context;
  const at = (name: string) => `${field}.${name}`;
  const findings: Finding[] = [];
  const issuer = trust.issuer ?? GITHUB_ACTIONS.defaultIssuer;
  findings.push(...issuerFindings(at('issuer'), issuer, GITHUB_ACTIONS.defaultIssuer));
  const provider = issuerProvider(issuer) ?? 'token.actions.githubusercontent.com';
  if (issuerProvider(issuer) !== undefined && oidcIssuerOf(provider) !== GITHUB_ACTIONS) {
    findings.push({
      field: at('issuer'),
      value: issuer,
      problem: 'not a GitHub Actions issuer',
      fix: 'use https://token.actions.githubusercontent.com, https://token.actions.githubusercontent.com/<enterprise>, https://token.actions.<subdomain>.ghe.com or https://<host>/_services/token',
    });
  }
  const enterpriseServer = provider.endsWith('/_services/token');
  if (!OWNER.test(trust.owner))
    findings.push({
      field: at('owner'),
      value: trust.owner,
      problem: 'not a GitHub user or organization name (letters, digits and hyphens, no wildcard)',
      fix: 'write the owner as GitHub shows it, e.g. "my-org"',
    });
  if (!REPOSITORY.test(trust.repository))
    findings.push({
      field: at('repository'),
      value: trust.repository,
      problem: 'not a repository name (letters, digits, ".", "_" and "-", no wildcard)',
      fix: 'name one repository, e.g. "infra"; trust several with one entry each',
    });
  for (const name of ['ownerId', 'repositoryId'] as const) {
    const id = trust[name];
    if (id !== undefined && !ID.test(id))
      findings.push({
        field: at(name),
        value: id,
        problem: 'a GitHub ID is a number, written as a string',
        fix: `give the ${name === 'ownerId' ? 'repository_owner_id' : 'repository_id'} GitHub shows in the token or the REST API, e.g. "123456"`,
      });
  }
  const ids = trust.ownerId !== undefined || trust.repositoryId !== undefined;
  if (ids && (trust.ownerId === undefined || trust.repositoryId === undefined)) {
    findings.push({
      field: at(trust.ownerId === undefined ? 'ownerId' : 'repositoryId'),
      value: undefined,
      problem: "the immutable IDs go together: the owner's and the repository's",
      fix: 'give both ownerId and repositoryId, or neither',
    });
  }
  const format = trust.subjectFormat ?? (ids ? 'immutable' : 'names');
  if (trust.subjectFormat === 'immutable' && !ids)
    findings.push({ field: at('subjectFormat'), value: 'immutable', problem: "the immutable subject holds the owner's and the repository's IDs", fix: 'give ownerId and repositoryId' });
  if (enterpriseServer && trust.jobWorkflowRefs !== undefined && trust.jobWorkflowRefs.length > 0) {
    findings.push({
      field: at('jobWorkflowRefs'),
      value: trust.jobWorkflowRefs,
      problem: "AWS STS has GitHub's claim keys (job_workflow_ref among them) for github.com and GHE.com issuers, not for GitHub Enterprise Server's",
      fix: 'leave jobWorkflowRefs out for GitHub Enterprise Server, and name the branches or environments the reusable workflow runs for',
    });
  }
  if (ids && enterpriseServer) {
    findings.push({
      field: at('ownerId'),
      value: trust.ownerId,
      problem: 'GitHub Enterprise Server writes name-only subjects, and AWS STS has no GitHub claim keys for its issuer',
      fix: 'leave ownerId and repositoryId out for GitHub Enterprise Server',
    });
  }
  findings.push(
    ...namesFindings(at('branches'), trust.branches, REF, 'not a branch name (no white space, ~, ^, :, \\, [ or policy variable)', 'write the branch as git names it, e.g. "main" or "release/*"'),
  );
  findings.push(...namesFindings(at('tags'), trust.tags, REF, 'not a tag name (no white space, ~, ^, :, \\, [ or policy variable)', 'write the tag as git names it, e.g. "v*"'));
  findings.push(
    ...namesFindings(
      at('environments'),
      trust.environments,
      ENVIRONMENT,
      'not an environment name (1 to 255 characters, no control character or policy variable)',
      'write the environment as the repository names it, e.g. "production"',
    ),
  );
  findings.push(
    ...namesFindings(at('jobWorkflowRefs'), trust.jobWorkflowRefs, WORKFLOW_REF, 'not a reusable workflow reference', 'write it like "my-org/workflows/.github/workflows/deploy.yml@refs/heads/main"'),
  );
  findings.push(
    ...notAllWildcards(at('branches'), trust.branches, 'branch', 'branches'),
    ...notAllWildcards(at('tags'), trust.tags, 'tag'),
    ...notAllWildcards(at('environments'), trust.environments, 'environment'),
  );
  const audience = trust.audience ?? GITHUB_ACTIONS.defaultAudience!;
  findings.push(...audienceFindings(at('audience'), audience));

  const repo = format === 'immutable' ? `repo:${trust.owner}@${trust.ownerId}/${trust.repository}@${trust.repositoryId}` : `repo:${trust.owner}/${trust.repository}`;
  // GitHub writes a `:` inside an environment name as `%3A` (OIDC reference, "Example subject claims").
  const subjects = [
    ...(trust.branches ?? []).map((b) => `${repo}:ref:refs/heads/${b}`),
    ...(trust.tags ?? []).map((t) => `${repo}:ref:refs/tags/${t}`),
    ...(trust.environments ?? []).map((e) => `${repo}:environment:${String(e).replace(/:/g, '%3A')}`),
    ...(trust.pullRequests === true ? [`${repo}:pull_request`] : []),
  ];
  if (subjects.length === 0) {
    findings.push({
      field,
      value: { owner: trust.owner, repository: trust.repository },
      problem: 'says no branch, tag, environment or pull request, so no workflow of the repository could assume the role',
      fix: 'give branches, tags, environments, or pullRequests: true',
    });
  }
  const key = (claim: string) => `${provider}:${claim}`;
  const conditions: ConditionProps[] = [{ test: 'StringEquals', variable: key('aud'), values: [audience] }, subjectCondition(key('sub'), subjects)];
  if (format === 'names' && ids) {
    conditions.push({ test: 'StringEquals', variable: key('repository_id'), values: [trust.repositoryId!] }, { test: 'StringEquals', variable: key('repository_owner_id'), values: [trust.ownerId!] });
  }
  if (trust.jobWorkflowRefs !== undefined && trust.jobWorkflowRefs.length > 0) conditions.push(subjectCondition(key('job_workflow_ref'), trust.jobWorkflowRefs));
  const providerArn = providerArnFor(trust, provider, context, findings);
  return { statement: webIdentityStatement(providerArn, conditions), findings };
}
