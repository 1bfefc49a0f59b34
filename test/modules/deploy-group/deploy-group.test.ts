import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import type { Construct } from 'constructs';
import type { PolicyDocument } from '../../../modules/core';
import { DeployGroup, type DeployGroupProps, jetsDeployPolicy, JetsDeployGroup, type JetsDeployGroupProps } from '../../../modules/deploy-group';
import { only, synth } from '../../support/synth';

/** The message of what `build` throws. */
function errorOf(build: (stack: Construct) => void): string {
  try {
    synth(build);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('did not throw');
}

const CONFIG_ROLE = 'arn:aws:iam::aws:policy/service-role/AWS_ConfigRole';
const READ_ONLY: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::my-bucket/*' }],
};
const base: DeployGroupProps = { name: 'Deployers', inlinePolicies: [{ name: 'read', document: READ_ONLY }], users: ['tung'] };

describe('DeployGroup', () => {
  it('an aws_iam_group, its inline policy, attachments, users and one aws_iam_user_group_membership per user', () => {
    const out = synth(
      (s) =>
        new DeployGroup(s, 'deployers', {
          ...base,
          path: '/deploy/',
          managedPolicyArns: [CONFIG_ROLE, 'arn:aws:iam::123456789012:policy/team/extra'],
          users: ['tung', { name: 'ana', path: '/people/' }],
        }),
    );
    expect(only(out.resource.aws_iam_group)).toEqual({ name: 'Deployers', path: '/deploy/' });
    const inline = only(out.resource.aws_iam_group_policy);
    expect(inline).toMatchObject({ name: 'read', policy: JSON.stringify(READ_ONLY) });
    expect(inline.group).toMatch(/^\$\{aws_iam_group\.deployers_group_[0-9A-F]{8}\.name\}$/);
    const attachments = Object.values(out.resource.aws_iam_group_policy_attachment);
    expect(attachments.map((a) => a.policy_arn)).toEqual([CONFIG_ROLE, 'arn:aws:iam::123456789012:policy/team/extra']);
    expect(attachments.every((a) => /aws_iam_group\.deployers_group_/.test(a.group as string))).toBe(true);
    expect(Object.values(out.resource.aws_iam_user)).toEqual(expect.arrayContaining([{ name: 'tung' }, { name: 'ana', path: '/people/' }]));
    expect(Object.values(out.resource.aws_iam_user)).toHaveLength(2);
    const memberships = Object.values(out.resource.aws_iam_user_group_membership);
    expect(memberships).toHaveLength(2);
    expect(memberships).toContainEqual({ user: expect.stringMatching(/^\$\{aws_iam_user\.deployers_user_tung_[0-9A-F]{8}\.name\}$/), groups: [inline.group] });
    expect(out.resource.aws_iam_group_membership).toBeUndefined(); // not the exclusive resource
  });

  it("writes no outputs unless asked; with outputPrefix '', group_name, group_arn and user_names", () => {
    expect(synth((s) => new DeployGroup(s, 'deployers', base)).output).toBeUndefined();
    const out = synth((s) => new DeployGroup(s, 'deployers', { ...base, outputPrefix: '' }));
    expect(Object.keys(out.output!)).toEqual(['group_arn', 'group_name', 'user_names']);
    expect(out.output!.group_name.value).toMatch(/^\$\{aws_iam_group\.deployers_group_[0-9A-F]{8}\.name\}$/);
    expect(out.output!.group_arn.value).toMatch(/^\$\{aws_iam_group\.deployers_group_[0-9A-F]{8}\.arn\}$/);
    expect(out.output!.user_names.value).toEqual([expect.stringMatching(/^\$\{aws_iam_user\.deployers_user_tung_[0-9A-F]{8}\.name\}$/)]);
  });

  it('without users: the group alone, no user_names output', () => {
    const out = synth((s) => new DeployGroup(s, 'deployers', { name: 'Deployers', outputPrefix: '' }));
    expect(out.resource.aws_iam_user).toBeUndefined();
    expect(out.resource.aws_iam_user_group_membership).toBeUndefined();
    expect(Object.keys(out.output!)).toEqual(['group_arn', 'group_name']);
  });

  it('two groups in one stack that write outputs need an outputPrefix each, and a clash says so', () => {
    const out = synth((s) => {
      new DeployGroup(s, 'a', { ...base, outputPrefix: 'a_' });
      new DeployGroup(s, 'b', { ...base, name: 'Other', users: ['ana'], outputPrefix: 'b_' });
    });
    expect(Object.keys(out.output!).sort()).toEqual(['a_group_arn', 'a_group_name', 'a_user_names', 'b_group_arn', 'b_group_name', 'b_user_names']);
    expect(
      errorOf((s) => {
        new DeployGroup(s, 'a', { ...base, outputPrefix: '' });
        new DeployGroup(s, 'b', { ...base, name: 'Other', users: ['ana'], outputPrefix: '' });
      }),
    ).toContain('test/b: 1 problem\n- outputPrefix: "": gives the output "group_name", which another output of this stack already has (written by test/a). Fix: set an outputPrefix of its own');
  });

  it('writes an inline policy in canonical form', () => {
    const messy = { Statement: [{ Resource: ['arn:aws:s3:::my-bucket/*'], Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObject'] }], Version: '2012-10-17' };
    const out = synth((s) => new DeployGroup(s, 'g', { ...base, inlinePolicies: [{ name: 'read', document: messy as unknown as PolicyDocument }] }));
    expect(only(out.resource.aws_iam_group_policy).policy).toBe(JSON.stringify(READ_ONLY));
  });

  it('passes a reference to a managed policy ARN through', () => {
    const out = synth((s) => {
      const p = new IamPolicy(s, 'p', { name: 'extra', policy: JSON.stringify(READ_ONLY) });
      new DeployGroup(s, 'g', { ...base, managedPolicyArns: [p.arn] });
    });
    expect(only(out.resource.aws_iam_group_policy_attachment).policy_arn).toBe('${aws_iam_policy.p.arn}');
  });
});

describe('DeployGroup: bad input fails at synth naming the construct path, the field, the value and the fix', () => {
  const bad = (props: Partial<DeployGroupProps>) => errorOf((s) => new DeployGroup(s, 'deployers', { ...base, ...props }));

  it.each<[string, Partial<DeployGroupProps>, RegExp]>([
    ['group name with a space', { name: 'Jets Deployers' }, /^test\/deployers: 1 problem\n- name: "Jets Deployers": an IAM group name is 1 to 128 characters .*CreateGroup.*Fix: rename it/],
    ['group name of 129 characters', { name: 'g'.repeat(129) }, /- name: "g{129}": an IAM group name is 1 to 128/],
    ['empty group name', { name: '' }, /- name: "": an IAM group name/],
    ['group path without slashes', { path: 'deploy' }, /- path: "deploy": an IAM path starts and ends with "\/".*Fix: write it like/],
    ['user name of 65 characters', { users: ['u'.repeat(65)] }, /- users\[0\]\.name: "u{65}": an IAM user name is 1 to 64 characters .*CreateUser.*Fix: rename it/],
    ['user name with a slash', { users: ['ops/tung'] }, /- users\[0\]\.name: "ops\/tung": an IAM user name/],
    ['user path', { users: [{ name: 'tung', path: '/people' }] }, /- users\[0\]\.path: "\/people": an IAM path starts and ends with "\/"/],
    ['users differing only in case', { users: ['tung', 'Tung'] }, /- users\[1\]: "Tung": users\[0\] is "tung": IAM user names are not distinguished by case.*Fix: list each once/],
    ['an empty user list', { users: [] }, /- users: \[\]: an empty list adds nobody to the group.*Fix: list the users, e\.g\. \["tung"\], or omit users/],
    ['inline policy name', { inlinePolicies: [{ name: 'my policy', document: READ_ONLY }] }, /- inlinePolicies\[0\]\.name: "my policy": an IAM policy name is 1 to 128/],
    [
      'two inline policies with one name',
      {
        inlinePolicies: [
          { name: 'read', document: READ_ONLY },
          { name: 'read', document: READ_ONLY },
        ],
      },
      /- inlinePolicies\[1\]\.name: "read": inlinePolicies\[0\] has the same name.*Fix: give each inline policy its own name/,
    ],
    [
      'managed policy ARN of a role',
      { managedPolicyArns: ['arn:aws:iam::aws:role/AWSConfigRole'] },
      /- managedPolicyArns\[0\]: "arn:aws:iam::aws:role\/AWSConfigRole": not an IAM managed policy ARN.*Fix: write it like "arn:aws:iam::aws:policy\/service-role\/AWS_ConfigRole", or pass the aws_iam_policy's arn/,
    ],
    ['managed policy name instead of ARN', { managedPolicyArns: ['AWSConfigRole'] }, /- managedPolicyArns\[0\]: "AWSConfigRole": not an IAM managed policy ARN/],
    ['managed policy ARN of another service', { managedPolicyArns: ['arn:aws:s3:::aws/policy/x'] }, /not an IAM managed policy ARN/],
    ['managed policy ARN with a wildcard', { managedPolicyArns: ['arn:aws:iam::aws:policy/*'] }, /- managedPolicyArns\[0\]: "arn:aws:iam::aws:policy\/\*": holds a wildcard/],
    ['managed policy ARN with a bad account', { managedPolicyArns: ['arn:aws:iam::12345:policy/x'] }, /'12345' is neither "aws" \(an AWS managed policy\) nor a 12-digit account ID/],
    [
      'managed policy ARN with a bad name',
      { managedPolicyArns: ['arn:aws:iam::aws:policy/service-role/Config Role'] },
      /- managedPolicyArns\[0\]: "arn:aws:iam::aws:policy\/service-role\/Config Role": not an IAM managed policy ARN .*: the policy's name: an IAM policy name/,
    ],
    ['the same managed policy twice', { managedPolicyArns: [CONFIG_ROLE, CONFIG_ROLE] }, /- managedPolicyArns\[1\]: .*managedPolicyArns\[0\] is the same policy/],
  ])('%s', (_, props, expected) => {
    expect(bad(props)).toMatch(expected);
    expect(bad(props)).toMatch(/^test\/deployers: /);
  });

  it('an unknown action (the core validates the inline policy)', () => {
    const doc: PolicyDocument = { Version: '2012-10-17', Statement: [{ Action: 's3:GetObjects', Effect: 'Allow', Resource: 'arn:aws:s3:::my-bucket/*' }] };
    expect(bad({ inlinePolicies: [{ name: 'read', document: doc }] })).toMatch(
      /^test\/deployers: 1 problem\n- inlinePolicies\[0\]\.document\.Statement\[0\]\.Action\[0\]: "s3:GetObjects": s3 has no action 'GetObjects'\. Fix: use an action listed for s3/,
    );
  });

  it('a resource ARN that fits none of the action types', () => {
    const doc: PolicyDocument = { Version: '2012-10-17', Statement: [{ Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::my-bucket' }] };
    const message = bad({ inlinePolicies: [{ name: 'read', document: doc }] });
    expect(message).toMatch(/^test\/deployers: 2 problems\n/);
    expect(message).toMatch(/- inlinePolicies\[0\]\.document\.Statement\[0\]\.Resource: .*no resource fits s3:GetObject/);
    expect(message).toMatch(/- inlinePolicies\[0\]\.document\.Statement\[0\]\.Resource\[0\]: "arn:aws:s3:::my-bucket": fits the resource type of no action .*Fix: check the ARN/);
  });

  it("a wildcard must be acknowledged by the policy's own acknowledge", () => {
    const doc: PolicyDocument = { Version: '2012-10-17', Statement: [{ Action: 's3:*', Effect: 'Allow', Resource: 'arn:aws:s3:::my-bucket/*' }] };
    expect(bad({ inlinePolicies: [{ name: 'all', document: doc }] })).toMatch(/"s3:\*": allows every s3 action.*\(or accept it by adding 'WILDCARD_ACTION' to acknowledge\)/);
    expect(() => synth((s) => new DeployGroup(s, 'g', { ...base, inlinePolicies: [{ name: 'all', document: doc, acknowledge: ['WILDCARD_ACTION'] }] }))).not.toThrow();
  });

  it("inline policies over 5,120 characters together (IAM's group inline quota) fail, though each fits", () => {
    const jets = jetsDeployPolicy({ prefix: 'my-cool-prefix' });
    const ack = ['WILDCARD_ACTION', 'WILDCARD_RESOURCE', 'PASS_ROLE_UNSCOPED'] as const;
    const four = ['a', 'b', 'c', 'd'].map((name) => ({ name, document: jets, acknowledge: ack }));
    const total = JSON.stringify(jets).length * 4;
    expect(total).toBeGreaterThan(5_120);
    expect(bad({ inlinePolicies: four })).toBe(
      `test/deployers: 1 problem\n- inlinePolicies: ${total}: ${total} characters together is over the 5120 allowed for the inline policies of one group, summed. Fix: split the policy, moving part to managedPolicyArns (a customer managed policy may hold 6,144 characters), or set overflowToManagedPolicies to move the statements that do not fit to customer managed policies attached to the group, or merge statements`,
    );
    expect(() => synth((s) => new DeployGroup(s, 'g', { ...base, inlinePolicies: four.slice(0, 3) }))).not.toThrow();
  });

  it('a reference where a name is needed', () => {
    const message = errorOf((s) => {
      const p = new IamPolicy(s, 'p', { name: 'extra', policy: JSON.stringify(READ_ONLY) });
      new DeployGroup(s, 'deployers', { ...base, name: p.name });
    });
    expect(message).toMatch(/^test\/deployers: \d problems?\n- name: .*is a reference resolved only at apply time/);
  });
});

describe('JetsDeployGroup', () => {
  const props: JetsDeployGroupProps = { prefix: 'my-cool-prefix', users: ['tung'], managedPolicyArns: [CONFIG_ROLE] };

  it("the seed's group Jets, its policy JetsPolicy inline, the user and the attachment", () => {
    let construct!: JetsDeployGroup;
    const out = synth((s) => {
      construct = new JetsDeployGroup(s, 'jets', props);
    });
    expect(only(out.resource.aws_iam_group)).toEqual({ name: 'Jets' });
    const inline = only(out.resource.aws_iam_group_policy);
    expect(inline).toMatchObject({ name: 'JetsPolicy', policy: JSON.stringify(jetsDeployPolicy({ prefix: 'my-cool-prefix' })) });
    expect(construct.json).toBe(inline.policy);
    expect(construct.document).toEqual(jetsDeployPolicy({ prefix: 'my-cool-prefix' }));
    expect(only(out.resource.aws_iam_group_policy_attachment).policy_arn).toBe(CONFIG_ROLE);
    expect(only(out.resource.aws_iam_user)).toEqual({ name: 'tung' });
    expect(only(out.resource.aws_iam_user_group_membership).groups).toEqual([inline.group]);
  });

  it.each([
    ['', /- prefix: "": an empty prefix/],
    ['*', /- prefix: "\*": '\*' is a wildcard in an ARN pattern/],
    ['a/b', /- prefix: "a\/b": '\/' separates ARN parts/],
    ['a:b', /- prefix: "a:b": ':' separates ARN parts/],
    ['My_Prefix', /- prefix: "My_Prefix": the prefix starts stack, bucket/],
  ])('a bad prefix %j fails naming the construct path', (prefix, expected) => {
    const message = errorOf((s) => new JetsDeployGroup(s, 'jets', { ...props, prefix }));
    expect(message).toMatch(/^test\/jets: 1 problem\n/);
    expect(message).toMatch(expected);
    expect(message).toMatch(/Fix: use the project prefix/);
  });

  it('a bad policy name, group name or user list fails naming the construct path', () => {
    expect(errorOf((s) => new JetsDeployGroup(s, 'jets', { ...props, policyName: 'Jets Policy' }))).toMatch(/^test\/jets: 1 problem\n- policyName: "Jets Policy": an IAM policy name/);
    expect(errorOf((s) => new JetsDeployGroup(s, 'jets', { ...props, name: 'Jets!' }))).toMatch(/^test\/jets: 1 problem\n- name: "Jets!": an IAM group name/);
    expect(errorOf((s) => new JetsDeployGroup(s, 'jets', { ...props, users: [] }))).toMatch(/^test\/jets: 1 problem\n- users: \[\]: an empty list/);
  });

  it('with passRoleToServices, the PassRole statement has iam:PassedToService', () => {
    const out = synth((s) => new JetsDeployGroup(s, 'jets', { ...props, passRoleToServices: ['lambda.amazonaws.com'] }));
    const doc = JSON.parse(only(out.resource.aws_iam_group_policy).policy as string) as PolicyDocument;
    expect(doc.Statement[7].Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } });
  });
});
