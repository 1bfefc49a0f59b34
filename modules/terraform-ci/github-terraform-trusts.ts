/**
 * Who may plan and who may apply one repository's Terraform from GitHub Actions, as two typed trusts. Pure:
 * no cdktf.
 *
 * The plan role is assumable from pull requests (and, if asked, from branches or environments): it may read
 * and lock the state, never write it. The apply role is assumable only from the protected branches and
 * environments named, never from a pull request, and never through a wildcard, so that a pull request, from
 * a fork or from a feature branch, can never apply. GitHub writes a job's subject as
 * `repo:<owner>/<repository>:environment:<name>` when it references an environment, else
 * `…:pull_request` for a pull request event, else `…:ref:refs/heads/<branch>` (`GITHUB_ACTIONS` in
 * core/oidc-issuers.ts): each role's trust lists exactly the subjects it admits.
 *
 * Prefer environments for apply: an environment's protection rules (required reviewers, deployment
 * branches) are GitHub's own gate, and a workflow triggered by `pull_request_target` runs with the base
 * branch's ref, which a branch subject cannot tell from a push.
 */
import { shape, shapeFindings } from '../core/input-shape';
import type { Finding } from '../core/policy-error';
import { hasWildcard } from '../core/iam-data';
import { GITHUB_REPOSITORY_SHAPE, type GitHubActionsTrust } from '../iam-role/ci-identity/github-actions';

const NAMES = shape.optional(shape.list(shape.string()));

/** The JavaScript types of `GitHubTerraformTrustsProps` (`GitHubTerraformRoles` takes them too). */
export const GITHUB_TERRAFORM_TRUSTS_FIELDS = {
  repository: GITHUB_REPOSITORY_SHAPE,
  apply: shape.object({ branches: NAMES, environments: NAMES }, { strict: true, example: "{ environments: ['production'] }" }),
  plan: shape.optional(shape.object({ pullRequests: shape.optional(shape.boolean()), branches: NAMES, environments: NAMES }, { strict: true, example: '{ pullRequests: true }' })),
};

/** The repository, as `GitHubActionsTrust` names it, without what each role adds. */
export type GitHubRepository = Omit<GitHubActionsTrust, 'branches' | 'tags' | 'environments' | 'pullRequests'>;

/** Who may apply. At least one branch or environment; no wildcard. */
export interface ApplyTrust {
  /** Protected branches whose workflows may apply, e.g. `main`. Jobs that reference an environment carry the environment instead. */
  readonly branches?: readonly string[];
  /** Environments whose jobs may apply, e.g. `production`: give them required reviewers in GitHub. */
  readonly environments?: readonly string[];
}

/** Who may plan. */
export interface PlanTrust {
  /**
   * Workflows run for pull requests (`pull_request`, in jobs that reference no environment).
   * @default true
   */
  readonly pullRequests?: boolean;
  /**
   * Branches whose workflows may plan too (a scheduled drift plan on `main`, say); `*` and `?` are wildcards.
   * @default []
   */
  readonly branches?: readonly string[];
  /**
   * Environments whose jobs may plan.
   * @default []
   */
  readonly environments?: readonly string[];
}

export interface GitHubTerraformTrustsProps {
  readonly repository: GitHubRepository;
  readonly apply: ApplyTrust;
  /** @default - pull requests only */
  readonly plan?: PlanTrust;
}

/** The two trusts, and what is wrong with the input (field names under `fieldPrefix`). */
export function githubTerraformTrusts(props: GitHubTerraformTrustsProps, fieldPrefix = ''): { plan: GitHubActionsTrust; apply: GitHubActionsTrust; findings: Finding[] } {
  const at = (field: string) => `${fieldPrefix}${field}`;
  const types = shapeFindings(props, shape.object(GITHUB_TERRAFORM_TRUSTS_FIELDS), fieldPrefix.replace(/\.$/, ''));
  if (types.length > 0) return { plan: props?.repository, apply: props?.repository, findings: types };
  const findings: Finding[] = [];
  const applyBranches = props.apply.branches ?? [];
  const applyEnvironments = props.apply.environments ?? [];
  if (applyBranches.length + applyEnvironments.length === 0) {
    findings.push({
      field: at('apply'),
      value: props.apply,
      problem: 'names no branch or environment, so no workflow could apply',
      fix: "give the protected branch or the environment that applies, e.g. { environments: ['production'] }",
    });
  }
  for (const [name, list] of [
    ['branches', applyBranches],
    ['environments', applyEnvironments],
  ] as const) {
    list.forEach((value, i) => {
      if (typeof value === 'string' && hasWildcard(value)) {
        findings.push({
          field: at(`apply.${name}[${i}]`),
          value,
          problem: `a wildcard lets any ${name === 'branches' ? 'branch a contributor can push' : 'environment a repository admin creates'} apply`,
          fix: `name each protected ${name === 'branches' ? 'branch' : 'environment'} in full`,
        });
      }
    });
  }
  const plan = props.plan ?? {};
  const pullRequests = plan.pullRequests ?? true;
  if (!pullRequests && (plan.branches ?? []).length + (plan.environments ?? []).length === 0) {
    findings.push({ field: at('plan'), value: plan, problem: 'admits no pull request, branch or environment, so nothing could plan', fix: 'leave pullRequests on, or give branches or environments' });
  }
  return {
    plan: { ...props.repository, pullRequests, ...(plan.branches !== undefined && { branches: plan.branches }), ...(plan.environments !== undefined && { environments: plan.environments }) },
    apply: { ...props.repository, ...(applyBranches.length > 0 && { branches: applyBranches }), ...(applyEnvironments.length > 0 && { environments: applyEnvironments }) },
    findings,
  };
}
