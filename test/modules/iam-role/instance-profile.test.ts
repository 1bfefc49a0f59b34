import { InstanceProfile, type InstanceProfileProps, Role } from '../../../modules/iam-role';
import { synth } from '../../support/synth';

function error(props: Partial<InstanceProfileProps>): string {
  try {
    synth((s) => new InstanceProfile(s, 'profile', { name: 'ci-web', role: 'ci-web', ...props }));
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('no error');
}

describe('InstanceProfile', () => {
  it('aws_iam_instance_profile with name, path, tags and the Role by reference', () => {
    const out = synth((s) => {
      const role = new Role(s, 'role', { name: 'ci-web', trustPolicy: { services: ['ec2.amazonaws.com'] } });
      new InstanceProfile(s, 'profile', { name: 'ci-web', path: '/ci/', role, tags: { team: 'platform' } });
    });
    const [profile] = Object.values(out.resource.aws_iam_instance_profile);
    expect(profile).toEqual({ name: 'ci-web', path: '/ci/', role: expect.stringMatching(/^\$\{aws_iam_role\.role_[0-9A-F]{8}\.name\}$/), tags: { team: 'platform' } });
  });

  it('takes a role name', () => {
    const out = synth((s) => new InstanceProfile(s, 'profile', { name: 'ci-web', role: 'existing-role' }));
    expect(Object.values(out.resource.aws_iam_instance_profile)[0]).toEqual({ name: 'ci-web', role: 'existing-role' });
  });

  it("outputs instance_profile_name and instance_profile_arn only when asked, after outputPrefix ('' for none)", () => {
    const out = synth((s) => {
      new InstanceProfile(s, 'quiet', { name: 'q', role: 'q' });
      new InstanceProfile(s, 'profile', { name: 'a', role: 'a', outputPrefix: '' });
      new InstanceProfile(s, 'other', { name: 'b', role: 'b', outputPrefix: 'b_' });
    });
    expect(Object.keys(out.output!)).toEqual(['b_instance_profile_arn', 'b_instance_profile_name', 'instance_profile_arn', 'instance_profile_name']);
    expect(out.output!.instance_profile_arn).toEqual({
      value: expect.stringMatching(/^\$\{aws_iam_instance_profile\.profile_[0-9A-F]{8}\.arn\}$/),
      description: 'The ARN of the instance profile.',
    });
    expect(out.output!.instance_profile_name.value).toMatch(/^\$\{aws_iam_instance_profile\.profile_[0-9A-F]{8}\.name\}$/);
  });

  it('bad input fails with the construct path, the field, the value and the fix', () => {
    expect(error({ name: 'ci web' })).toBe(
      'test/profile: 1 problem\n- name: "ci web": an IAM instance profile name is 1 to 128 characters of letters, digits and +=,.@_-. Fix: rename it within those characters',
    );
    expect(error({ name: 'p'.repeat(129) })).toMatch(/^test\/profile: 1 problem\n- name: "p{129}": an IAM instance profile name is 1 to 128 characters/);
    expect(error({ path: '/ci' })).toMatch(/^test\/profile: 1 problem\n- path: "\/ci": an IAM path starts and ends with "\/"/);
    expect(error({ role: 'r'.repeat(65) })).toMatch(/^test\/profile: 1 problem\n- role: "r{65}": an IAM role name is 1 to 64 characters/);
  });
});
