import { App, Testing } from 'cdktf';
import { statePermissionsPolicy } from '../../modules/state-access';
import { STATE_ACCESS_MULTI_SETTINGS, StateAccessMultiStack, type StateAccessMultiStackProps } from '../../stacks/state-access-multi';
import { STATE_ACCESS_SIMPLE_SETTINGS, StateAccessSimpleStack, type StateAccessSimpleStackProps } from '../../stacks/state-access-simple';
import { SEED_MULTI, SEED_SIMPLE } from '../fixtures/state-access/seed-examples';
import { configurationError, resourcesOf, type Synthesized as Configured, synthConfigured } from './configured';

interface Synthesized {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  terraform: { backend: Record<string, unknown> };
}

describe.each([
  ['state-access-simple', StateAccessSimpleStack, SEED_SIMPLE, 'state-access'],
  ['state-access-multi', StateAccessMultiStack, SEED_MULTI, 'developer-state-access'],
] as const)('stack %s', (name, Stack, seed, roleName) => {
  const stack = new Stack(Testing.app(), name);
  const text = Testing.synth(stack, true);
  const out = JSON.parse(text) as Synthesized;

  it("reproduces the seed example: the role, and the seed's policy with the new-workspace prefixes", () => {
    const [role] = Object.values(out.resource.aws_iam_role);
    expect(role.name).toBe(roleName);
    const [inline] = Object.values(out.resource.aws_iam_role_policy);
    expect(inline.name).toBe('terraform-state-access');
    expect(inline.policy).toBe(JSON.stringify(statePermissionsPolicy(seed)));
  });

  // `terraform validate` needs the AWS provider, which cannot be downloaded here; cdktf's own
  // validations run in the synth above (Testing.synth(stack, true)).
  it('has a relative local backend, so the JSON is the same on every machine', () => {
    expect(out.terraform.backend).toEqual({ local: { path: `../../../terraform.${name}.tfstate` } });
    expect(text).not.toContain(process.cwd());
  });
});

describe('synth output is byte-identical from run to run', () => {
  it('two apps built from the same code synthesize the same JSON', () => {
    const once = () => Testing.synth(new StateAccessMultiStack(new App({ outdir: '/tmp/unused', skipValidation: true }), 'state-access-multi'));
    expect(once()).toBe(once());
  });
});

describe.each([
  [
    'state-access-simple',
    STATE_ACCESS_SIMPLE_SETTINGS,
    (app: App, props: StateAccessSimpleStackProps) => new StateAccessSimpleStack(app, 'state-access-simple', props),
    'STATE_ACCESS_SIMPLE',
    'stateAccessSimple',
  ],
  [
    'state-access-multi',
    STATE_ACCESS_MULTI_SETTINGS,
    (app: App, props: StateAccessMultiStackProps) => new StateAccessMultiStack(app, 'state-access-multi', props),
    'STATE_ACCESS_MULTI',
    'stateAccessMulti',
  ],
] as const)('stack %s: account, region, role, bucket and lock table from configuration', (_name, settings, make, ENV, context) => {
  const build =
    (props: StateAccessSimpleStackProps & StateAccessMultiStackProps = {}) =>
    (app: App) =>
      make(app, props);
  const read = (out: Configured) => {
    const [role] = resourcesOf(out, 'aws_iam_role');
    const policy = JSON.parse(resourcesOf(out, 'aws_iam_role_policy')[0].policy as string) as { Statement: Array<{ Resource: string | string[] }> };
    return {
      role: role.name,
      trusted: JSON.parse(role.assume_role_policy as string).Statement[0].Principal.AWS,
      region: out.provider.aws[0].region,
      resources: [...new Set(policy.Statement.flatMap((s) => s.Resource).map((r) => r.replace(/\/.*$/, '')))].sort(),
    };
  };

  it(`takes them from the environment (${ENV}_<NAME>); the lock table's default follows the account and region`, () => {
    const env = { [`${ENV}_ACCOUNT`]: '444455556666', [`${ENV}_REGION`]: 'us-east-2', [`${ENV}_ROLE_NAME`]: 'team-state', [`${ENV}_STATE_BUCKET_ARN`]: 'arn:aws:s3:::team-state' };
    expect(read(synthConfigured(settings, build(), { env }))).toEqual({
      role: 'team-state',
      trusted: 'arn:aws:iam::444455556666:root',
      region: 'us-east-2',
      resources: ['arn:aws:dynamodb:us-east-2:444455556666:table', 'arn:aws:s3:::team-state'],
    });
  });

  it(`takes them from the cdktf context (${context}.<name>); a prop comes first, then the environment, then the context`, () => {
    const fromContext = { [`${context}.lockTableArn`]: 'arn:aws:dynamodb:eu-west-1:123456123456:table/team-locks', [`${context}.roleName`]: 'context-role' };
    const out = synthConfigured(settings, build(), { context: fromContext });
    expect(read(out).role).toBe('context-role');
    expect(resourcesOf(out, 'aws_iam_role_policy')[0].policy).toContain('table/team-locks');
    expect(read(synthConfigured(settings, build(), { context: fromContext, env: { [`${ENV}_ROLE_NAME`]: 'env-role' } })).role).toBe('env-role');
    expect(read(synthConfigured(settings, build({ roleName: 'prop-role' }), { context: fromContext, env: { [`${ENV}_ROLE_NAME`]: 'env-role' } })).role).toBe('prop-role');
  });

  it('refuses a bad value, naming where it was read and how to fix it', () => {
    expect(configurationError(settings, build(), { env: { [`${ENV}_STATE_BUCKET_ARN`]: 'my-state-bucket' } })).toContain(
      `- ${ENV}_STATE_BUCKET_ARN (environment): "my-state-bucket": not an S3 bucket ARN. Fix: pass the bucket's ARN, e.g. arn:aws:s3:::my-state-bucket`,
    );
    expect(configurationError(settings, build(), { context: { [`${context}.account`]: '1234' } })).toContain(
      `- ${context}.account (cdktf context): "1234": an AWS account ID is 12 digits. Fix: write the account's 12-digit ID`,
    );
    expect(configurationError(settings, build({ roleName: 'state access' }), {})).toMatch(/- roleName: "state access": an IAM role name is 1 to 64 characters/);
  });
});

describe('stack state-access-simple and -multi: the state keys from configuration', () => {
  it("take the simple stack's key", () => {
    const out = synthConfigured(STATE_ACCESS_SIMPLE_SETTINGS, (app) => new StateAccessSimpleStack(app), { env: { STATE_ACCESS_SIMPLE_STATE_KEY: 'team/terraform.tfstate' } });
    expect(resourcesOf(out, 'aws_iam_role_policy')[0].policy).toBe(JSON.stringify(statePermissionsPolicy({ ...SEED_SIMPLE, canApply: [{ key: 'team/terraform.tfstate' }] })));
  });

  it("take the multi stack's prefixes and sandbox key", () => {
    const out = synthConfigured(STATE_ACCESS_MULTI_SETTINGS, (app) => new StateAccessMultiStack(app, 'state-access-multi', { sandboxKey: 'play/*' }), {
      env: { STATE_ACCESS_MULTI_APP_WORKSPACE_KEY_PREFIX: 'apps/shop' },
      context: { 'stateAccessMulti.networkWorkspaceKeyPrefix': 'shared/network' },
    });
    const policy = resourcesOf(out, 'aws_iam_role_policy')[0].policy as string;
    for (const part of ['apps/shop/dev/terraform.tfstate', 'play/*', 'shared/network/']) expect(policy).toContain(part);
    expect(policy).not.toMatch(/applications\/my-app|sandbox|infra\/network/);
  });

  it('refuses a key terraform would write elsewhere, with the fix', () => {
    expect(configurationError(STATE_ACCESS_MULTI_SETTINGS, (app) => new StateAccessMultiStack(app), { env: { STATE_ACCESS_MULTI_APP_WORKSPACE_KEY_PREFIX: 'apps/shop/' } })).toContain(
      '- STATE_ACCESS_MULTI_APP_WORKSPACE_KEY_PREFIX (environment): "apps/shop/": a prefix may not start or end with "/". Fix: write it as "apps/shop"',
    );
  });
});
