import { App, Testing } from 'cdktf';
import { jetsDeployPolicy } from '../../modules/deploy-group';
import { AWS_CONFIG_ROLE_ARN, JETS_DEPLOY_SETTINGS, JetsDeployStack, type JetsDeployStackProps } from '../../stacks/jets-deploy';
import { configurationError, resourcesOf, type Synthesized as Configured, synthConfigured } from './configured';

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

describe('stack jets-deploy: the group, policy, prefix, users and region from configuration', () => {
  const build =
    (props: JetsDeployStackProps = {}) =>
    (app: App) =>
      new JetsDeployStack(app, 'jets-deploy', props);
  const read = (out: Configured) => ({
    group: resourcesOf(out, 'aws_iam_group')[0].name,
    policy: resourcesOf(out, 'aws_iam_group_policy')[0].name,
    users: resourcesOf(out, 'aws_iam_user')
      .map((u) => u.name)
      .sort(),
  });

  it('takes them from the environment (JETS_DEPLOY_<NAME>), the users separated by commas', () => {
    const out = synthConfigured(JETS_DEPLOY_SETTINGS, build(), {
      env: { JETS_DEPLOY_GROUP_NAME: 'Deployers', JETS_DEPLOY_USERS: 'tung, anna', JETS_DEPLOY_PREFIX: 'shop', JETS_DEPLOY_REGION: 'us-east-2' },
    });
    expect(read(out)).toEqual({ group: 'Deployers', policy: 'JetsPolicy', users: ['anna', 'tung'] });
    expect(resourcesOf(out, 'aws_iam_group_policy')[0].policy).toBe(JSON.stringify(jetsDeployPolicy({ prefix: 'shop' })));
    expect(out.provider.aws[0].region).toBe('us-east-2');
  });

  it('takes them from the cdktf context (jetsDeploy.<name>), the users as a list; a prop comes first, then the environment, then the context', () => {
    const context = { 'jetsDeploy.users': ['anna', 'bo'], 'jetsDeploy.policyName': 'ContextPolicy' };
    expect(read(synthConfigured(JETS_DEPLOY_SETTINGS, build(), { context }))).toEqual({ group: 'Jets', policy: 'ContextPolicy', users: ['anna', 'bo'] });
    const env = { JETS_DEPLOY_USERS: 'carla' };
    expect(read(synthConfigured(JETS_DEPLOY_SETTINGS, build(), { context, env })).users).toEqual(['carla']);
    expect(read(synthConfigured(JETS_DEPLOY_SETTINGS, build({ users: ['dana', 'eve'] }), { context, env })).users).toEqual(['dana', 'eve']);
  });

  it('refuses a bad value, naming where it was read and how to fix it', () => {
    const message = configurationError(JETS_DEPLOY_SETTINGS, build(), { env: { JETS_DEPLOY_PREFIX: 'My_App', JETS_DEPLOY_USERS: 'tung,' }, context: { 'jetsDeploy.groupName': ['Jets'] } });
    expect(message).toMatch(/^- jetsDeploy\.groupName \(cdktf context\): \["Jets"\]: not a string\. Fix: write it as a JSON string$/m);
    expect(message).toMatch(
      /^- JETS_DEPLOY_PREFIX \(environment\): "My_App": the prefix starts stack, bucket, function, layer, rule and role names.*Fix: use the project prefix Jets names its resources with/m,
    );
    expect(message).toMatch(/^- JETS_DEPLOY_USERS \(environment\): "": an IAM user name is 1 to 64 characters/m);
    expect(configurationError(JETS_DEPLOY_SETTINGS, build(), { context: { 'jetsDeploy.users': { tung: true } } })).toContain(
      '- jetsDeploy.users (cdktf context): {"tung":true}: not a list of strings. Fix: write it as a JSON list of strings',
    );
  });
});
