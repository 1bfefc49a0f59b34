import { App, Testing } from 'cdktf';
import { statePermissionsPolicy } from '../../modules/state-access';
import { StateAccessMultiStack } from '../../stacks/state-access-multi';
import { StateAccessSimpleStack } from '../../stacks/state-access-simple';
import { SEED_MULTI, SEED_SIMPLE } from '../fixtures/state-access/seed-examples';

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
