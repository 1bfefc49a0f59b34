import { App, Testing } from 'cdktf';
import { jetsDeployPolicy } from '../../modules/deploy-group';
import { AWS_CONFIG_ROLE_ARN, JetsDeployStack } from '../../stacks/jets-deploy';

interface Synthesized {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  output: Record<string, { value: unknown }>;
  terraform: { backend: Record<string, unknown> };
}

describe('stack jets-deploy', () => {
  const stack = new JetsDeployStack(Testing.app(), 'jets-deploy');
  // Testing.synth(stack, true) runs cdktf's own validations as well.
  const text = Testing.synth(stack, true);
  const out = JSON.parse(text) as Synthesized;
  const one = (type: string) => {
    const values = Object.values(out.resource[type] ?? {});
    expect(values).toHaveLength(1);
    return values[0];
  };

  it("reproduces the seed's commands: group Jets, inline JetsPolicy for my-cool-prefix, user tung in the group, AWS_ConfigRole (the seed's AWSConfigRole, deprecated)", () => {
    const group = one('aws_iam_group');
    expect(group).toEqual({ name: 'Jets' });
    const inline = one('aws_iam_group_policy');
    expect(inline.name).toBe('JetsPolicy');
    expect(inline.policy).toBe(JSON.stringify(jetsDeployPolicy({ prefix: 'my-cool-prefix' })));
    expect(one('aws_iam_user')).toEqual({ name: 'tung' });
    const membership = one('aws_iam_user_group_membership');
    expect(membership.user).toMatch(/^\$\{aws_iam_user\.[\w-]+\.name\}$/);
    expect(membership.groups).toEqual([inline.group]);
    expect(one('aws_iam_group_policy_attachment')).toEqual({ group: inline.group, policy_arn: 'arn:aws:iam::aws:policy/service-role/AWS_ConfigRole' });
    expect(AWS_CONFIG_ROLE_ARN).toBe('arn:aws:iam::aws:policy/service-role/AWS_ConfigRole');
  });

  it('outputs group_name, group_arn and user_names', () => {
    expect(Object.keys(out.output).sort()).toEqual(['group_arn', 'group_name', 'user_names']);
  });

  it('has a relative local backend and no absolute paths', () => {
    expect(out.terraform.backend).toEqual({ local: { path: '../../../terraform.jets-deploy.tfstate' } });
    expect(text).not.toContain(process.cwd());
    expect(text).not.toMatch(/"\/(home|tmp|work|Users)\//);
  });

  it('synthesizes byte-identical JSON from run to run', () => {
    const once = () => Testing.synth(new JetsDeployStack(new App({ outdir: '/tmp/unused', skipValidation: true }), 'jets-deploy'));
    expect(once()).toBe(once());
  });
});
