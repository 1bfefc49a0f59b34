import { Testing } from 'cdktf';
import { CiPoliciesStack } from '../../stacks/ci-policies';

interface Synthesized {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  output: Record<string, unknown>;
}

describe('stack ci-policies: the seed\'s four modules, as managed policies on one CI user', () => {
  const stack = new CiPoliciesStack(Testing.app(), 'ci-policies');
  const text = Testing.synth(stack, true);
  const out = JSON.parse(text) as Synthesized;

  it('has the CI user and the four policies, each attached to it', () => {
    expect(Object.values(out.resource.aws_iam_user).map((u) => u.name)).toEqual(['ci']);
    expect(Object.values(out.resource.aws_iam_policy).map((p) => p.name).sort()).toEqual([
      'ecr-docker-push',
      'ecs-service-deployment',
      'terraform-remote-state-s3',
      'terragrunt',
    ]);
    const attached = Object.values(out.resource.aws_iam_user_policy_attachment);
    expect(attached).toHaveLength(4);
    for (const a of attached) expect(a.user).toMatch(/^\$\{aws_iam_user\.ci_user\.name\}$/);
  });

  it('outputs each policy JSON under its own name, and holds no absolute path', () => {
    expect(Object.keys(out.output).filter((k) => k.endsWith('_json')).sort()).toEqual([
      'ecr_docker_push_json',
      'ecs_service_deployment_json',
      'terraform_remote_state_s3_json',
      'terragrunt_json',
    ]);
    expect(text).not.toContain(process.cwd());
  });
});
