import { App, Testing } from 'cdktf';
import { trustPolicy } from '../../modules/iam-role';
import { CI_WEB_SETTINGS, ciSecretsPolicy, CiWebStack, type CiWebStackProps } from '../../stacks/ci-web';
import { configurationError, resourcesOf, type Synthesized as Configured, synthConfigured } from './configured';

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

describe('stack ci-web: account, region, names and the secrets prefix from configuration', () => {
  const build =
    (props: CiWebStackProps = {}) =>
    (app: App) =>
      new CiWebStack(app, 'ci-web', props);
  const names = (out: Configured) => ({
    role: resourcesOf(out, 'aws_iam_role')[0].name,
    policy: resourcesOf(out, 'aws_iam_policy')[0].name,
    profile: resourcesOf(out, 'aws_iam_instance_profile')[0].name,
    template: resourcesOf(out, 'aws_launch_template')[0].name,
  });

  it('takes them from the environment (CI_WEB_<NAME>): the secrets policy follows the account, region and prefix', () => {
    const out = synthConfigured(CI_WEB_SETTINGS, build(), {
      env: { CI_WEB_ACCOUNT: '444455556666', CI_WEB_REGION: 'us-east-2', CI_WEB_SECRETS_PREFIX: 'ci/api', CI_WEB_ROLE_NAME: 'ci-api', CI_WEB_INSTANCE_PROFILE_NAME: 'ci-api-profile' },
    });
    expect(names(out)).toEqual({ role: 'ci-api', policy: 'ci-web-secrets', profile: 'ci-api-profile', template: 'ci-web' });
    const policy = resourcesOf(out, 'aws_iam_policy')[0];
    expect(policy.policy).toBe(JSON.stringify(ciSecretsPolicy({ account: '444455556666', region: 'us-east-2', prefix: 'ci/api' })));
    expect(policy.description).toBe('Read the CI secrets under ci/api/ in Secrets Manager');
    expect(out.provider.aws[0].region).toBe('us-east-2');
  });

  it('takes them from the cdktf context (ciWeb.<name>); a prop comes first, then the environment, then the context', () => {
    const context = { 'ciWeb.launchTemplateName': 'ci-runners', 'ciWeb.policyName': 'context-secrets' };
    expect(names(synthConfigured(CI_WEB_SETTINGS, build(), { context }))).toMatchObject({ template: 'ci-runners', policy: 'context-secrets' });
    const env = { CI_WEB_POLICY_NAME: 'env-secrets' };
    expect(names(synthConfigured(CI_WEB_SETTINGS, build(), { context, env })).policy).toBe('env-secrets');
    expect(names(synthConfigured(CI_WEB_SETTINGS, build({ policyName: 'prop-secrets' }), { context, env })).policy).toBe('prop-secrets');
  });

  it('refuses a bad value, naming where it was read and how to fix it', () => {
    expect(configurationError(CI_WEB_SETTINGS, build(), { env: { CI_WEB_ROLE_NAME: 'ci web' }, context: { 'ciWeb.account': 123456123456 } })).toBe(
      [
        'ci-web: 2 problems',
        '- ciWeb.account (cdktf context): 123456123456: not a string. Fix: write it as a JSON string',
        '- CI_WEB_ROLE_NAME (environment): "ci web": an IAM role name is 1 to 64 characters of letters, digits and +=,.@_-. Fix: rename it within those characters',
      ].join('\n'),
    );
    expect(configurationError(CI_WEB_SETTINGS, build({ secretsPrefix: 'ci-*' }), {})).toContain(
      '- secretsPrefix: "ci-*": a prefix that is empty or holds a wildcard or policy variable would let the CI read secrets outside it. Fix: write the prefix out, e.g. "ci-web"',
    );
  });
});
