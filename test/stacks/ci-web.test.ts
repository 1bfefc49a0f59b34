import { App, Testing } from 'cdktf';
import { trustPolicy } from '../../modules/iam-role';
import { ciSecretsPolicy, CiWebStack } from '../../stacks/ci-web';

interface Synthesized {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  output: Record<string, { value: string }>;
  terraform: { backend: Record<string, unknown> };
}

describe('stack ci-web', () => {
  const stack = new CiWebStack(Testing.app(), 'ci-web');
  const text = Testing.synth(stack, true);
  const out = JSON.parse(text) as Synthesized;
  const one = (type: string) => {
    const entries = Object.entries(out.resource[type] ?? {});
    expect(entries).toHaveLength(1);
    return { id: entries[0][0], ...entries[0][1] } as Record<string, unknown> & { id: string };
  };

  it("has the seed's role ci-web, assumed by EC2", () => {
    const role = one('aws_iam_role');
    expect(role.name).toBe('ci-web');
    expect(role.assume_role_policy).toBe(JSON.stringify(trustPolicy({ services: ['ec2.amazonaws.com'] })));
    expect(out.resource.aws_iam_role_policy).toBeUndefined();
  });

  it('has the least-privilege customer managed policy, attached with aws_iam_role_policy_attachment', () => {
    const policy = one('aws_iam_policy');
    expect(policy.policy).toBe(JSON.stringify(ciSecretsPolicy({ account: '123456123456', region: 'eu-west-1', prefix: 'ci-web' })));
    const attachment = one('aws_iam_role_policy_attachment');
    expect(attachment.policy_arn).toBe(`\${aws_iam_policy.${policy.id}.arn}`);
    expect(attachment.role).toBe(`\${aws_iam_role.${one('aws_iam_role').id}.name}`);
  });

  it('has the instance profile for the role, and the launch template ci-web uses it', () => {
    const profile = one('aws_iam_instance_profile');
    expect(profile).toMatchObject({ name: 'ci-web', role: `\${aws_iam_role.${one('aws_iam_role').id}.name}` });
    const template = one('aws_launch_template');
    expect(template).toMatchObject({ name: 'ci-web', iam_instance_profile: { name: `\${aws_iam_instance_profile.${profile.id}.name}` } });
  });

  it('outputs the role and the profile', () => {
    expect(Object.keys(out.output).sort()).toEqual(['instance_profile_arn', 'instance_profile_name', 'role_arn', 'role_name']);
  });

  it('has a relative local backend and no absolute path in the JSON', () => {
    expect(out.terraform.backend).toEqual({ local: { path: '../../../terraform.ci-web.tfstate' } });
    expect(text).not.toContain(process.cwd());
    expect(text).not.toMatch(/"\/(?:home|work|tmp|Users)\//);
  });

  it('synthesizes byte-identically from run to run', () => {
    const once = () => Testing.synth(new CiWebStack(new App({ outdir: '/tmp/unused', skipValidation: true }), 'ci-web'));
    expect(once()).toBe(once());
  });
});
