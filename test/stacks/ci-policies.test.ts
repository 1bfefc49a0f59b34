import { type App, Testing } from 'cdktf';
import { CI_POLICIES_SETTINGS, CiPoliciesStack, type CiPoliciesStackProps } from '../../stacks/ci-policies';
import { configurationError, resourcesOf, type Synthesized as Configured, synthConfigured } from './configured';

interface Synthesized {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  output: Record<string, unknown>;
}

describe("stack ci-policies: the seed's four modules, as managed policies on one CI user", () => {
  const stack = new CiPoliciesStack(Testing.app(), 'ci-policies');
  const text = Testing.synth(stack, true);
  const out = JSON.parse(text) as Synthesized;

  it('has the CI user and the four policies, each attached to it', () => {
    expect(Object.values(out.resource.aws_iam_user).map((u) => u.name)).toEqual(['ci']);
    expect(
      Object.values(out.resource.aws_iam_policy)
        .map((p) => p.name)
        .sort(),
    ).toEqual(['ecr-docker-push', 'ecs-service-deployment', 'terraform-remote-state-s3', 'terragrunt']);
    const attached = Object.values(out.resource.aws_iam_user_policy_attachment);
    expect(attached).toHaveLength(4);
    for (const a of attached) expect(a.user).toMatch(/^\$\{aws_iam_user\.ci_user\.name\}$/);
  });

  it('outputs each policy JSON under its own name, and holds no absolute path', () => {
    expect(
      Object.keys(out.output)
        .filter((k) => k.endsWith('_json'))
        .sort(),
    ).toEqual(['ecr_docker_push_json', 'ecs_service_deployment_json', 'terraform_remote_state_s3_json', 'terragrunt_json']);
    expect(text).not.toContain(process.cwd());
  });
});

describe('stack ci-policies: account, region, user, ECR, ECS and state from configuration', () => {
  const build =
    (props: CiPoliciesStackProps = {}) =>
    (app: App) =>
      new CiPoliciesStack(app, 'ci-policies', props);
  const resources = (out: Configured) =>
    Object.fromEntries(
      resourcesOf(out, 'aws_iam_policy').map((p) => [p.name, [...new Set((JSON.parse(p.policy as string).Statement as Array<{ Resource: string | string[] }>).flatMap((s) => s.Resource))].sort()]),
    );

  it('takes them from the environment (CI_POLICIES_<NAME>); the ARNs follow the account and region', () => {
    const out = synthConfigured(CI_POLICIES_SETTINGS, build(), {
      env: { CI_POLICIES_ACCOUNT: '444455556666', CI_POLICIES_REGION: 'us-east-2', CI_POLICIES_USER_NAME: 'deployer', CI_POLICIES_STATE_KEY: 'apps/*/terraform.tfstate' },
    });
    expect(resourcesOf(out, 'aws_iam_user')).toEqual([{ name: 'deployer', path: '/ci/' }]);
    // The attachments keep their addresses (user-0) whatever the user's name.
    expect(Object.keys(out.resource.aws_iam_user_policy_attachment).sort()).toEqual([
      'ecr_docker_push_user-0_F691A33F',
      'ecs_service_deployment_user-0_FCE2361A',
      'terraform_remote_state_s3_user-0_D6DE90D5',
      'terragrunt_user-0_DFFD4D27',
    ]);
    const text = JSON.stringify(resources(out));
    expect(text).toContain('arn:aws:ecr:us-east-2:444455556666:repository/web');
    expect(text).toContain('arn:aws:ecs:us-east-2:444455556666:service/main/web');
    expect(text).toContain('arn:aws:iam::444455556666:role/web-execution');
    expect(text).toContain('arn:aws:dynamodb:us-east-2:444455556666:table/ci-terraform-locks');
    expect(text).toContain('arn:aws:s3:::ci-terraform-state/apps/*/terraform.tfstate');
    expect(text).not.toMatch(/123456123456|eu-west-1/);
  });

  it('takes them from the cdktf context (ciPolicies.<name>); a prop comes first, then the environment, then the context', () => {
    const context = { 'ciPolicies.ecrRepositoryArn': 'arn:aws:ecr:eu-west-1:123456123456:repository/shop/api', 'ciPolicies.userPath': '/deploy/' };
    const out = synthConfigured(CI_POLICIES_SETTINGS, build(), { context });
    expect(resources(out)['ecr-docker-push']).toContain('arn:aws:ecr:eu-west-1:123456123456:repository/shop/api');
    expect(resourcesOf(out, 'aws_iam_user')[0].path).toBe('/deploy/');
    const env = { CI_POLICIES_USER_PATH: '/env/' };
    expect(resourcesOf(synthConfigured(CI_POLICIES_SETTINGS, build(), { context, env }), 'aws_iam_user')[0].path).toBe('/env/');
    expect(resourcesOf(synthConfigured(CI_POLICIES_SETTINGS, build({ userPath: '/prop/' }), { context, env }), 'aws_iam_user')[0].path).toBe('/prop/');
  });

  it('refuses a bad value, naming where it was read and how to fix it', () => {
    const message = configurationError(CI_POLICIES_SETTINGS, build({ taskRoleArn: 'web-task' }), {
      env: { CI_POLICIES_ECS_SERVICE_ARN: 'arn:aws:ecs:eu-west-1:123456123456:service/other/web' },
      context: { 'ciPolicies.ecrRepositoryArn': 'arn:aws:ecr:eu-west-1:123456123456:repository/*' },
    });
    expect(message).toMatch(/^ci-policies: 3 problems$/m);
    expect(message).toContain('- ciPolicies.ecrRepositoryArn (cdktf context): "arn:aws:ecr:eu-west-1:123456123456:repository/*": holds a wildcard');
    expect(message).toContain(
      '- CI_POLICIES_ECS_SERVICE_ARN (environment): "arn:aws:ecs:eu-west-1:123456123456:service/other/web": is a service of arn:aws:ecs:eu-west-1:123456123456:cluster/other, not of clusterArn arn:aws:ecs:eu-west-1:123456123456:cluster/main',
    );
    expect(message).toContain('- taskRoleArn: "web-task": not an IAM role ARN. Fix: write it like arn:aws:iam::123456123456:role/web-task');
  });
});
