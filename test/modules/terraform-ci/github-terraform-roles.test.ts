/**
 * Plan and apply roles for one repository's Terraform in GitHub Actions: what the construct writes, what it
 * refuses, and, decided by the simulator, that a pull request may plan and never apply: its token assumes
 * the plan role only, whose state policy reads and locks the state but never writes it.
 */
import type { Construct } from 'constructs';
import type { PolicyDocument } from '../../../modules/core';
import { githubActionsOidcProvider, OidcProvider, trustPolicy } from '../../../modules/iam-role';
import { GitHubTerraformRoles, type GitHubTerraformRolesProps, githubTerraformTrusts } from '../../../modules/terraform-ci';
import { validationErrorOf } from '../../support/errors';
import { isAllowedByPolicies } from '../../support/simulator';
import { synth, type Synthesized } from '../../support/synth';
import { mayAssumeRoleWithWebIdentity, WEB_IDENTITY_ACCOUNT as ACCOUNT } from '../../support/web-identity-simulation';

const GITHUB = 'token.actions.githubusercontent.com';
const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/${GITHUB}`;
const STATE_BUCKET = 'arn:aws:s3:::org-terraform-state';
const KEY = 'infra/terraform.tfstate';

const PROPS: GitHubTerraformRolesProps = {
  name: 'infra',
  account: ACCOUNT,
  repository: { owner: 'my-org', repository: 'infra' },
  apply: { environments: ['production'], branches: ['main'] },
  state: { stateBucketArn: STATE_BUCKET, useLockfile: true },
  configurations: [{ key: KEY, workspaces: [] }],
  planPermissions: { awsManagedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] },
  applyPermissions: { inlinePolicies: [{ name: 'deploy', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:PutBucketTagging', Resource: 'arn:aws:s3:::assets' }] } }] },
};

describe('githubTerraformTrusts: who may plan, who may apply', () => {
  it('plan: pull requests by default; apply: the named environments and branches, never a pull request', () => {
    const { plan, apply, findings } = githubTerraformTrusts(PROPS);
    expect(findings).toEqual([]);
    expect(plan).toEqual({ owner: 'my-org', repository: 'infra', pullRequests: true });
    expect(apply).toEqual({ owner: 'my-org', repository: 'infra', branches: ['main'], environments: ['production'] });
  });

  it('apply with no branch or environment could run nothing', () => {
    expect(githubTerraformTrusts({ ...PROPS, apply: {} }).findings.map((f) => f.field)).toEqual(['apply']);
  });

  it.each([
    ['branches', { branches: ['release/*'] }],
    ['environments', { environments: ['prod-*'] }],
  ])('a wildcard in the apply %s is refused: any branch a contributor pushes, or environment an admin creates', (_what, apply) => {
    const findings = githubTerraformTrusts({ ...PROPS, apply }).findings;
    expect(findings).toHaveLength(1);
    expect(findings[0].problem).toMatch(/^a wildcard lets any/);
  });

  it('a plan role nothing may assume is refused', () => {
    expect(githubTerraformTrusts({ ...PROPS, plan: { pullRequests: false } }).findings.map((f) => f.field)).toEqual(['plan']);
  });
});

describe('GitHubTerraformRoles: the resources', () => {
  const out: Synthesized = synth((s) => {
    const github = new OidcProvider(s, 'github', githubActionsOidcProvider());
    new GitHubTerraformRoles(s, 'infra', { ...PROPS, oidcProvider: github });
  });
  const roles = Object.values(out.resource.aws_iam_role);
  const roleNamed = (name: string) => roles.find((r) => r.name === name)!;

  it('two roles, infra-plan and infra-apply, created after the OIDC provider', () => {
    expect(roles.map((r) => r.name).sort()).toEqual(['infra-apply', 'infra-plan']);
    for (const role of roles) expect(role.depends_on).toEqual([expect.stringMatching(/^aws_iam_openid_connect_provider\.github_provider_/)]);
  });

  it('the plan role trusts pull requests only; the apply role the production environment and main only', () => {
    const subjects = (name: string) => JSON.parse(roleNamed(name).assume_role_policy as string).Statement[0].Condition.StringEquals[`${GITHUB}:sub`];
    expect(subjects('infra-plan')).toBe('repo:my-org/infra:pull_request');
    expect(subjects('infra-apply')).toEqual(['repo:my-org/infra:ref:refs/heads/main', 'repo:my-org/infra:environment:production']);
  });

  it('each role has the state policy inline, and its own permissions; outputs prefixed plan_ and apply_', () => {
    const inline = Object.values(out.resource.aws_iam_role_policy)
      .map((p) => p.name)
      .sort();
    expect(inline).toEqual(['deploy', 'terraform-state-access', 'terraform-state-access']);
    expect(Object.values(out.resource.aws_iam_role_policy_attachment).map((a) => a.policy_arn)).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess']);
    // Outputs only when asked for: none here; with an outputPrefix, each role's after plan_ and apply_.
    expect(out.output).toBeUndefined();
    const named = synth((s) => new GitHubTerraformRoles(s, 'infra', { ...PROPS, outputPrefix: '' }));
    expect(Object.keys(named.output!).sort()).toEqual(['apply_role_arn', 'apply_role_name', 'plan_role_arn', 'plan_role_name']);
  });

  it('bad input fails naming the construct and the field', () => {
    const build = (props: GitHubTerraformRolesProps) => () => synth((s: Construct) => new GitHubTerraformRoles(s, 'infra', props));
    expect(validationErrorOf(build({ ...PROPS, apply: { branches: ['*'] } })).message).toMatch(/^test\/infra: \d problems?\n- apply\.branches\[0\]: "\*"/);
    expect(validationErrorOf(build({ ...PROPS, repository: { owner: 'my-org', repository: 'infra', branch: 'main' } as never })).findings.map((f) => [f.field, f.code])).toEqual([
      ['repository.branch', 'INPUT_TYPE'],
    ]);
    expect(validationErrorOf(build({ ...PROPS, configurations: [] })).findings.map((f) => f.field)).toEqual(['configurations']);
    expect(validationErrorOf(build({ ...PROPS, state: { stateBucketArn: 'arn:aws:s3:::b/key' } })).findings[0].field).toMatch(/^configurations \(plan\)\.stateBucketArn$/);
  });
});

describe('GitHubTerraformRoles: a pull request may plan, never apply (simulator)', () => {
  const trusts = githubTerraformTrusts(PROPS);
  const planTrust = trustPolicy({ account: ACCOUNT, githubActions: [trusts.plan] });
  const applyTrust = trustPolicy({ account: ACCOUNT, githubActions: [trusts.apply] });
  const token = (sub: string, aud = 'sts.amazonaws.com') => ({ principal: PROVIDER, context: { [`${GITHUB}:aud`]: aud, [`${GITHUB}:sub`]: sub } });
  const cases: [string, string, boolean, boolean][] = [
    ['a pull request', 'repo:my-org/infra:pull_request', true, false],
    ['the production environment', 'repo:my-org/infra:environment:production', false, true],
    ['a push to main', 'repo:my-org/infra:ref:refs/heads/main', false, true],
    ['a push to a feature branch', 'repo:my-org/infra:ref:refs/heads/feature/x', false, false],
    ['another environment', 'repo:my-org/infra:environment:staging', false, false],
    ["a fork's repository (another owner, same name)", 'repo:attacker/infra:pull_request', false, false],
    ["a fork's push to its main", 'repo:attacker/infra:ref:refs/heads/main', false, false],
    ['another repository of the owner', 'repo:my-org/website:environment:production', false, false],
    ['a tag named main', 'repo:my-org/infra:ref:refs/tags/main', false, false],
  ];

  it.each(cases)('%s: plan %p, apply %p', async (_what, sub, plan, apply) => {
    expect([await mayAssumeRoleWithWebIdentity(planTrust, token(sub)), await mayAssumeRoleWithWebIdentity(applyTrust, token(sub))]).toEqual([plan, apply]);
  });

  it('a token for another audience assumes neither', async () => {
    for (const trust of [planTrust, applyTrust]) expect(await mayAssumeRoleWithWebIdentity(trust, token('repo:my-org/infra:pull_request', 'https://github.com/my-org'))).toBe(false);
  });

  // The roles' identity policies: the plan role's state policy reads and locks, the apply role's writes.
  const inlineOf = (role: 'plan' | 'apply'): PolicyDocument[] => {
    const out = synth((s) => new GitHubTerraformRoles(s, 'infra', PROPS));
    const roleResource = Object.entries(out.resource.aws_iam_role).find(([, r]) => r.name === `infra-${role}`)![0];
    return Object.values(out.resource.aws_iam_role_policy)
      .filter((p) => p.role === `\${aws_iam_role.${roleResource}.name}`)
      .map((p) => JSON.parse(p.policy as string) as PolicyDocument);
  };
  const state = (action: string, key: string, context: Record<string, string> = {}) => ({ action, resource: `${STATE_BUCKET}/${key}`, context });

  it('the plan role reads the state and takes the lock, and cannot write the state', async () => {
    const plan = inlineOf('plan');
    expect(await isAllowedByPolicies(plan, state('s3:GetObject', KEY))).toBe(true);
    expect(await isAllowedByPolicies(plan, state('s3:PutObject', `${KEY}.tflock`, { 's3:if-none-match': '*' }))).toBe(true);
    expect(await isAllowedByPolicies(plan, state('s3:PutObject', KEY))).toBe(false);
  });

  it('the apply role writes the state, and does what its deploy policy allows', async () => {
    const apply = inlineOf('apply');
    expect(await isAllowedByPolicies(apply, state('s3:PutObject', KEY))).toBe(true);
    expect(await isAllowedByPolicies(apply, { action: 's3:PutBucketTagging', resource: 'arn:aws:s3:::assets', context: {} })).toBe(true);
    expect(await isAllowedByPolicies(inlineOf('plan'), { action: 's3:PutBucketTagging', resource: 'arn:aws:s3:::assets', context: {} })).toBe(false);
  });
});
