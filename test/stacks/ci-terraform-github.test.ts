import { Testing } from 'cdktf';
import { validatePolicy } from '../../modules/core';
import { trustPolicy } from '../../modules/iam-role';
import { CiTerraformGithubStack } from '../../stacks/ci-terraform-github';

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

  it("trusts the repository by its immutable IDs: pull requests may assume infra-plan, the production environment infra-apply", () => {
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
