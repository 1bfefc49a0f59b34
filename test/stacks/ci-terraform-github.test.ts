import { type App, Testing } from 'cdktf';
import { validatePolicy } from '../../modules/core';
import { trustPolicy } from '../../modules/iam-role';
import { CI_TERRAFORM_GITHUB_SETTINGS, CiTerraformGithubStack, type CiTerraformGithubStackProps } from '../../stacks/ci-terraform-github';
import { configurationError, resourcesOf, type Synthesized as Configured, synthConfigured } from './configured';

interface Synthesized {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  output: Record<string, { value: string }>;
}

describe('stack ci-terraform-github', () => {
  const out = JSON.parse(Testing.synth(new CiTerraformGithubStack(Testing.app(), 'ci-terraform-github'), true)) as Synthesized;
  const roles = Object.entries(out.resource.aws_iam_role).map(([id, r]) => ({ id, ...r }) as Record<string, unknown> & { id: string });
  const role = (name: string) => roles.find((r) => r.name === name)!;
  const inline = (name: string) =>
    Object.values(out.resource.aws_iam_role_policy)
      .filter((p) => p.role === `\${aws_iam_role.${role(name).id}.name}`)
      .map((p) => p.name)
      .sort();

  it("creates GitHub's OIDC provider, with the audience of AWS's official action", () => {
    expect(Object.values(out.resource.aws_iam_openid_connect_provider)).toEqual([{ url: 'https://token.actions.githubusercontent.com', client_id_list: ['sts.amazonaws.com'] }]);
  });

  it('trusts the repository by its immutable IDs: pull requests may assume infra-plan, the production environment infra-apply', () => {
    const repository = { owner: 'my-org', repository: 'infra', ownerId: '123456', repositoryId: '456789' };
    expect(role('infra-plan').assume_role_policy).toBe(JSON.stringify(trustPolicy({ account: '123456123456', githubActions: [{ ...repository, pullRequests: true }] })));
    expect(role('infra-apply').assume_role_policy).toBe(JSON.stringify(trustPolicy({ account: '123456123456', githubActions: [{ ...repository, environments: ['production'] }] })));
    expect(JSON.parse(role('infra-apply').assume_role_policy as string).Statement[0].Condition.StringEquals['token.actions.githubusercontent.com:sub']).toBe(
      'repo:my-org@123456/infra@456789:environment:production',
    );
  });

  it('creates both roles after the provider', () => {
    for (const r of roles) expect(r.depends_on).toEqual([expect.stringMatching(/^aws_iam_openid_connect_provider\./)]);
  });

  it("gives each role the state policy and its own: the plan role reads the bucket's configuration, the apply role changes it", () => {
    expect(inline('infra-plan')).toEqual(['terraform-plan-read', 'terraform-state-access']);
    expect(inline('infra-apply')).toEqual(['terraform-apply-deploy', 'terraform-state-access']);
    for (const p of Object.values(out.resource.aws_iam_role_policy)) {
      expect(() => validatePolicy(JSON.parse(p.policy as string), String(p.name), { kind: 'role-inline', acknowledge: ['FOR_ALL_VALUES_UNGUARDED'] })).not.toThrow();
    }
  });

  it('outputs both roles by name', () => {
    expect(Object.keys(out.output).sort()).toEqual(['apply_role_arn', 'apply_role_name', 'plan_role_arn', 'plan_role_name']);
  });
});

describe('stack ci-terraform-github: account, repository, roles, state and bucket from configuration', () => {
  const build =
    (props: CiTerraformGithubStackProps = {}) =>
    (app: App) =>
      new CiTerraformGithubStack(app, 'ci-terraform-github', props);
  const apply = (out: Configured) => resourcesOf(out, 'aws_iam_role').find((r) => String(r.name).endsWith('-apply'))!;
  const subject = (out: Configured) => JSON.parse(apply(out).assume_role_policy as string).Statement[0].Condition.StringEquals['token.actions.githubusercontent.com:sub'];
  const policies = (out: Configured) =>
    resourcesOf(out, 'aws_iam_role_policy')
      .map((p) => p.policy as string)
      .join('\n');

  it('takes them from the environment (CI_TERRAFORM_GITHUB_<NAME>); the lock table follows the account and region', () => {
    const out = synthConfigured(CI_TERRAFORM_GITHUB_SETTINGS, build(), {
      env: {
        CI_TERRAFORM_GITHUB_ACCOUNT: '444455556666',
        CI_TERRAFORM_GITHUB_REGION: 'us-east-2',
        CI_TERRAFORM_GITHUB_OWNER: 'acme',
        CI_TERRAFORM_GITHUB_REPOSITORY: 'platform',
        CI_TERRAFORM_GITHUB_OWNER_ID: '42',
        CI_TERRAFORM_GITHUB_REPOSITORY_ID: '4242',
        CI_TERRAFORM_GITHUB_APPLY_ENVIRONMENT: 'prod',
        CI_TERRAFORM_GITHUB_ROLES_NAME: 'platform',
        CI_TERRAFORM_GITHUB_ASSETS_BUCKET: 'acme-assets',
      },
    });
    expect(
      resourcesOf(out, 'aws_iam_role')
        .map((r) => r.name)
        .sort(),
    ).toEqual(['platform-apply', 'platform-plan']);
    expect(subject(out)).toBe('repo:acme@42/platform@4242:environment:prod');
    expect(apply(out).assume_role_policy).toContain('arn:aws:iam::444455556666:oidc-provider/token.actions.githubusercontent.com');
    expect(policies(out)).toContain('arn:aws:dynamodb:us-east-2:444455556666:table/my-lock-table');
    expect(policies(out)).toContain('arn:aws:s3:::acme-assets');
    expect(policies(out)).not.toContain('my-org-web-assets');
  });

  it('takes them from the cdktf context (ciTerraformGithub.<name>); a prop comes first, then the environment, then the context', () => {
    const context = { 'ciTerraformGithub.stateBucketArn': 'arn:aws:s3:::acme-state', 'ciTerraformGithub.stateKey': 'platform/terraform.tfstate', 'ciTerraformGithub.applyEnvironment': 'context-env' };
    const out = synthConfigured(CI_TERRAFORM_GITHUB_SETTINGS, build(), { context });
    expect(policies(out)).toContain('arn:aws:s3:::acme-state/platform/terraform.tfstate');
    expect(subject(out)).toMatch(/:environment:context-env$/);
    const env = { CI_TERRAFORM_GITHUB_APPLY_ENVIRONMENT: 'env-env' };
    expect(subject(synthConfigured(CI_TERRAFORM_GITHUB_SETTINGS, build(), { context, env }))).toMatch(/:environment:env-env$/);
    expect(subject(synthConfigured(CI_TERRAFORM_GITHUB_SETTINGS, build({ applyEnvironment: 'prop-env' }), { context, env }))).toMatch(/:environment:prop-env$/);
  });

  it('refuses a bad value, naming where it was read and how to fix it', () => {
    const message = configurationError(CI_TERRAFORM_GITHUB_SETTINGS, build({ ownerId: 'acme' }), {
      env: { CI_TERRAFORM_GITHUB_OWNER: 'my-org/infra', CI_TERRAFORM_GITHUB_ASSETS_BUCKET: 'Acme_Assets' },
      context: { 'ciTerraformGithub.lockTableArn': 'my-lock-table' },
    });
    expect(message).toMatch(/^ci-terraform-github: 4 problems$/m);
    expect(message).toContain(
      '- CI_TERRAFORM_GITHUB_OWNER (environment): "my-org/infra": not a GitHub user or organization name (letters, digits and hyphens, no wildcard). Fix: write the owner as GitHub shows it, e.g. "my-org"',
    );
    expect(message).toContain('- ownerId: "acme": a GitHub ID is a number, written as a string. Fix: give the repository_owner_id GitHub shows in the token or the REST API, e.g. "123456"');
    expect(message).toContain('- ciTerraformGithub.lockTableArn (cdktf context): "my-lock-table": not a DynamoDB table ARN. Fix: pass the table\'s ARN');
    expect(message).toContain('- CI_TERRAFORM_GITHUB_ASSETS_BUCKET (environment): "Acme_Assets": not an S3 bucket name');
  });
});
