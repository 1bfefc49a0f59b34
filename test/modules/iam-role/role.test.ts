import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { type PolicyDocument, policyDocument } from '../../../modules/core';
import { Role, type RoleProps, trustPolicy } from '../../../modules/iam-role';
import { only, synth } from '../../support/synth';

const EC2 = { services: ['ec2.amazonaws.com'] };
const SECRETS: PolicyDocument = policyDocument({
  statements: [{ actions: ['secretsmanager:GetSecretValue'], resources: ['arn:aws:secretsmanager:eu-west-1:123456123456:secret:ci/*'] }],
});
const BUCKET_READ: PolicyDocument = policyDocument({ statements: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::artifacts/*'] }] });

/** The message a role with `props` fails with, built at `test/role`. */
function error(props: Partial<RoleProps>): string {
  try {
    synth((s) => new Role(s, 'role', { name: 'ci', trustPolicy: EC2, ...props }));
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('no error');
}

describe('Role', () => {
  it('aws_iam_role with name, path, the canonical trust policy as a literal, session duration, boundary and tags', () => {
    const out = synth(
      (s) =>
        new Role(s, 'role', {
          name: 'ci-web',
          path: '/ci/',
          trustPolicy: EC2,
          maxSessionDuration: 7200,
          permissionsBoundary: 'arn:aws:iam::123456123456:policy/boundaries/ci',
          tags: { team: 'platform' },
        }),
    );
    expect(only(out.resource.aws_iam_role)).toEqual({
      name: 'ci-web',
      path: '/ci/',
      assume_role_policy: JSON.stringify(trustPolicy(EC2)),
      max_session_duration: 7200,
      permissions_boundary: 'arn:aws:iam::123456123456:policy/boundaries/ci',
      tags: { team: 'platform' },
    });
    expect(out.resource.aws_iam_role_policy).toBeUndefined();
    expect(out.resource.aws_iam_role_policy_attachment).toBeUndefined();
  });

  it('takes the trust policy as a document or JSON text, and writes it canonically', () => {
    const text = '{"Statement":{"Principal":{"Service":"ec2.amazonaws.com"},"Effect":"Allow","Action":["sts:AssumeRole"]},"Version":"2012-10-17"}';
    const fromText = only(synth((s) => new Role(s, 'role', { name: 'ci', trustPolicy: text })).resource.aws_iam_role);
    const fromDoc = only(synth((s) => new Role(s, 'role', { name: 'ci', trustPolicy: trustPolicy(EC2) })).resource.aws_iam_role);
    expect(fromText.assume_role_policy).toBe(JSON.stringify(trustPolicy(EC2)));
    expect(fromDoc.assume_role_policy).toBe(JSON.stringify(trustPolicy(EC2)));
  });

  it('inline policies as aws_iam_role_policy on the role, canonical JSON, each keyed by its name', () => {
    const out = synth(
      (s) =>
        new Role(s, 'role', {
          name: 'ci',
          trustPolicy: EC2,
          inlinePolicies: [
            { name: 'secrets', document: SECRETS },
            { name: 'artifacts', document: BUCKET_READ },
          ],
        }),
    );
    const inline = Object.values(out.resource.aws_iam_role_policy);
    // Synthesized in the order of their keys, the policies' names.
    expect(inline.map((p) => [p.name, p.policy])).toEqual([
      ['artifacts', JSON.stringify(BUCKET_READ)],
      ['secrets', JSON.stringify(SECRETS)],
    ]);
    expect(Object.keys(out.resource.aws_iam_role_policy).map((id) => id.replace(/_[0-9A-F]{8}$/, ''))).toEqual(['role_inline_artifacts', 'role_inline_secrets']);
    for (const p of inline) expect(p.role).toMatch(/^\$\{aws_iam_role\.role_[0-9A-F]{8}\.name\}$/);
  });

  it('attachments: customer managed by ARN or reference, AWS managed by ARN or name and path, each keyed by the policy path and name', () => {
    let role!: Role;
    const out = synth((s) => {
      const policy = new IamPolicy(s, 'p', { name: 'p', policy: JSON.stringify(BUCKET_READ) });
      role = new Role(s, 'role', {
        name: 'ci',
        trustPolicy: EC2,
        managedPolicyArns: ['arn:aws:iam::123456123456:policy/ci/secrets', policy.arn],
        awsManagedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess', { name: 'AWS_ConfigRole', path: '/service-role/' }],
      });
    });
    const attachments = Object.values(out.resource.aws_iam_role_policy_attachment);
    expect(Object.keys(out.resource.aws_iam_role_policy_attachment).map((id) => id.replace(/_[0-9A-F]{8}$/, ''))).toEqual([
      'role_attachment_policy_ReadOnlyAccess',
      'role_attachment_policy_ci_secrets',
      'role_attachment_policy_p',
      'role_attachment_policy_service-role_AWS_ConfigRole',
    ]);
    // The construct lists them in the order given; a reference is keyed by the literal name of the policy it points to.
    expect(role.attachments.map((a) => a.node.id)).toEqual([
      'attachment_policy_ci_secrets',
      'attachment_policy_p',
      'attachment_policy_ReadOnlyAccess',
      'attachment_policy_service-role_AWS_ConfigRole',
    ]);
    expect(attachments.map((a) => a.policy_arn)).toContain('${aws_iam_policy.p.arn}');
    for (const a of attachments) expect(a.role).toMatch(/^\$\{aws_iam_role\.role_[0-9A-F]{8}\.name\}$/);
  });

  it("outputs role_arn and role_name only when asked, with outputPrefix before them ('' for none)", () => {
    let role!: Role;
    const out = synth((s) => {
      new Role(s, 'quiet', { name: 'quiet', trustPolicy: EC2 });
      role = new Role(s, 'role', { name: 'ci', trustPolicy: EC2, outputPrefix: '' });
      new Role(s, 'other', { name: 'other', trustPolicy: EC2, outputPrefix: 'other_' });
    });
    expect(Object.keys(out.output!)).toEqual(['other_role_arn', 'other_role_name', 'role_arn', 'role_name']);
    expect(out.output!.role_arn).toEqual({ value: expect.stringMatching(/^\$\{aws_iam_role\.role_[0-9A-F]{8}\.arn\}$/), description: 'The ARN of the IAM role.' });
    expect(out.output!.role_name.value).toMatch(/^\$\{aws_iam_role\.role_[0-9A-F]{8}\.name\}$/);
    expect(role.trustPolicyJson).toBe(JSON.stringify(trustPolicy(EC2)));
  });

  it('two roles with the same outputs fail, naming outputPrefix', () => {
    expect(() =>
      synth((s) => {
        new Role(s, 'a', { name: 'a', trustPolicy: EC2, outputPrefix: '' });
        new Role(s, 'b', { name: 'b', trustPolicy: EC2, outputPrefix: '' });
      }),
    ).toThrow('test/b: 1 problem\n- outputPrefix: "": gives the output "role_arn", which another output of this stack already has (written by test/a). Fix: set an outputPrefix of its own');
  });
});

describe('Role: bad input fails at synth with the construct path, the field, the value and the fix', () => {
  it('a trust policy that is not JSON', () => {
    expect(error({ trustPolicy: '{"Version":' })).toMatch(
      /^test\/role: 1 problem\n- trustPolicy: "\{\\"Version\\":": is not JSON \(.*\)\. Fix: pass the principals, the policy document, or its JSON text \[INPUT_TYPE\]$/,
    );
    expect(error({ trustPolicy: '[1]' })).toMatch(/^test\/role: 1 problem\n- trustPolicy: \[1\]: a policy is a JSON object with Version and Statement\. Fix:/);
  });

  it('a trust policy with no principal', () => {
    expect(error({ trustPolicy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}' })).toBe(
      'test/role: 1 problem\n- trustPolicy.Statement[0]: "Principal and NotPrincipal": a statement needs Principal or NotPrincipal. Fix: add Principal',
    );
    expect(error({ trustPolicy: {} })).toMatch(/^test\/role: 1 problem\n- trustPolicy\.\(principals\): \[\]: a trust policy needs at least one principal/);
  });

  it('a service principal that is not a service name, in principals or in a document', () => {
    expect(error({ trustPolicy: { services: ['ec2'] } })).toMatch(
      /^test\/role: 1 problem\n- trustPolicy\.services\[0\]: "ec2": a service principal is the service name followed by \.amazonaws\.com\. Fix: write it like "ec2\.amazonaws\.com"/,
    );
    const doc = { Version: '2012-10-17', Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow' as const, Principal: { Service: 'EC2' } }] };
    expect(error({ trustPolicy: doc, trustPolicyAcknowledge: ['SERVICE_PRINCIPAL_UNSCOPED'] })).toMatch(/- trustPolicy\.Statement\[0\]\.Principal\.Service\[0\]: "EC2": a service principal is/);
  });

  it('a role name or path AWS would reject', () => {
    expect(error({ name: 'ci web' })).toMatch(/^test\/role: 1 problem\n- name: "ci web": an IAM role name is 1 to 64 characters of letters, digits and \+=,\.@_-\. Fix: rename it/);
    expect(error({ name: 'x'.repeat(65) })).toMatch(/- name: "x{65}": an IAM role name is 1 to 64 characters/);
    expect(error({ path: 'ci' })).toMatch(/^test\/role: 1 problem\n- path: "ci": an IAM path starts and ends with "\/".*Fix: write it like "\/ci\/" or "\/"$/);
    expect(error({ path: '/ci' })).toMatch(/- path: "\/ci": an IAM path starts and ends with "\/"/);
  });

  it('an inline policy name AWS would reject, or two with one name', () => {
    expect(error({ inlinePolicies: [{ name: 'bad name', document: SECRETS }] })).toMatch(/^test\/role: 1 problem\n- inlinePolicies\[0\]\.name: "bad name": an IAM policy name is 1 to 128 characters/);
    expect(
      error({
        inlinePolicies: [
          { name: 'a', document: SECRETS },
          { name: 'a', document: BUCKET_READ },
        ],
      }),
    ).toMatch(/- inlinePolicies\[1\]\.name: "a": inlinePolicies\[0\] has the same name/);
  });

  it('a boundary that is not an IAM policy ARN', () => {
    const why: Record<string, string> = { 'arn:aws:iam::12345:policy/b': `: '12345' is neither "aws" (an AWS managed policy) nor a 12-digit account ID` };
    for (const arn of ['arn:aws:iam::123456123456:role/boundary', 'arn:aws:s3:::boundary', 'boundary', 'arn:aws:iam::12345:policy/b']) {
      expect(error({ permissionsBoundary: arn })).toBe(
        `test/role: 1 problem\n- permissionsBoundary: ${JSON.stringify(arn)}: not an IAM managed policy ARN (arn:<partition>:iam::<account ID or "aws">:policy/<path><name>)${why[arn] ?? ''}. Fix: write it like "arn:aws:iam::123456123456:policy/ci-web", or pass the aws_iam_policy's arn`,
      );
    }
    expect(() => synth((s) => new Role(s, 'role', { name: 'ci', trustPolicy: EC2, permissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess' }))).not.toThrow();
  });

  it('an unknown action in an inline policy', () => {
    const doc = policyDocument({ statements: [{ actions: ['secretsmanager:GetSecret'], resources: ['arn:aws:secretsmanager:eu-west-1:123456123456:secret:ci/*'] }] });
    expect(error({ inlinePolicies: [{ name: 'secrets', document: doc }] })).toMatch(
      /^test\/role: \d problems?\n- inlinePolicies\[0\]\.document\.Statement\[0\]\.Action\[0\]: "secretsmanager:GetSecret": secretsmanager has no action 'GetSecret'\. Fix: use an action listed for secretsmanager/,
    );
  });

  it("a resource ARN that fits none of the action's resource types in an inline policy", () => {
    const doc = policyDocument({ statements: [{ actions: ['secretsmanager:GetSecretValue'], resources: ['arn:aws:ssm:eu-west-1:123456123456:parameter/ci'] }] });
    expect(error({ inlinePolicies: [{ name: 'secrets', document: doc }] })).toMatch(
      /- inlinePolicies\[0\]\.document\.Statement\[0\]\.Resource\[0\]: "arn:aws:ssm:eu-west-1:123456123456:parameter\/ci": fits the resource type of no action in this statement, so it grants nothing\. Fix: check the ARN/,
    );
    const bucket = policyDocument({ statements: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::artifacts'] }] });
    expect(error({ inlinePolicies: [{ name: 'b', document: bucket }] })).toMatch(
      /- inlinePolicies\[0\]\.document\.Statement\[0\]\.Resource: \["arn:aws:s3:::artifacts"\]: no resource fits s3:GetObject, which applies to arn:/,
    );
  });

  it('inline policies whose sizes, summed, are over the role inline limit of 10,240', () => {
    // Each policy is under the limit; together they are over it.
    const big = (n: number) => policyDocument({ statements: [{ actions: ['s3:GetObject'], resources: Array.from({ length: 150 }, (_, i) => `arn:aws:s3:::artifacts-${n}/team-${i}/*`) }] });
    const sizes = [big(1), big(2)].map((d) => JSON.stringify(d).length);
    expect(sizes[0]).toBeLessThan(10_240);
    const total = sizes[0] + sizes[1];
    expect(total).toBeGreaterThan(10_240);
    expect(
      error({
        inlinePolicies: [
          { name: 'a', document: big(1) },
          { name: 'b', document: big(2) },
        ],
      }),
    ).toBe(
      `test/role: 1 problem\n- inlinePolicies: ${total}: ${total} characters is over the 10240 allowed for the inline policies of one role, summed. Fix: split the policies, moving some to customer managed policies (managedPolicyArns), or set overflowToManagedPolicies to move the statements that do not fit to customer managed policies attached to the role, or grant with fewer, broader patterns you have reviewed`,
    );
  });

  it('a maximum session duration outside 3600–43200 seconds', () => {
    for (const seconds of [3599, 43201, 0, 3600.5]) {
      expect(error({ maxSessionDuration: seconds })).toBe(
        `test/role: 1 problem\n- maxSessionDuration: ${seconds}: IAM takes a whole number of seconds from 3600 (1 hour) to 43200 (12 hours). Fix: set it between 3600 and 43200, or leave it out for 3600`,
      );
    }
    for (const seconds of [3600, 43200]) expect(() => synth((s) => new Role(s, 'role', { name: 'ci', trustPolicy: EC2, maxSessionDuration: seconds }))).not.toThrow();
  });

  it('managed policies: wrong owner, bad ARN, AWS managed name or path, twice, over the limit', () => {
    expect(error({ managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] })).toBe(
      'test/role: 1 problem\n- managedPolicyArns[0]: "arn:aws:iam::aws:policy/ReadOnlyAccess": an AWS managed policy, not a customer managed one. Fix: move it to awsManagedPolicies, or name a customer managed policy, e.g. "arn:aws:iam::123456123456:policy/ci-web"',
    );
    expect(error({ awsManagedPolicies: ['arn:aws:iam::123456123456:policy/x'] })).toMatch(
      /- awsManagedPolicies\[0\]: .*a customer managed policy, not an AWS managed one\. Fix: move it to managedPolicyArns/,
    );
    expect(error({ managedPolicyArns: ['ci-secrets'] })).toMatch(/- managedPolicyArns\[0\]: "ci-secrets": not an IAM managed policy ARN/);
    expect(error({ awsManagedPolicies: [{ name: 'AWS_ConfigRole', path: 'service-role' }] })).toMatch(/- awsManagedPolicies\[0\]\.path: "service-role": an IAM path starts and ends with "\/"/);
    expect(error({ awsManagedPolicies: [{ name: 'AWS Config Role', path: '/service-role/' }] })).toMatch(/- awsManagedPolicies\[0\]\.name: "AWS Config Role": an IAM policy name/);
    expect(error({ awsManagedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess', { name: 'ReadOnlyAccess', path: '/' }] })).toMatch(
      /- \(managed policies\): "arn:aws:iam::aws:policy\/ReadOnlyAccess": attached twice\. Fix: list each managed policy once/,
    );
    const eleven = Array.from({ length: 11 }, (_, i) => `arn:aws:iam::123456123456:policy/p${i}`);
    expect(error({ managedPolicyArns: eleven })).toBe(
      'test/role: 1 problem\n- (managed policies): 11: 11 managed policies is over the 10 a role may have attached. Fix: combine policies, or raise the quota and set maxManagedPolicies',
    );
    expect(() => synth((s) => new Role(s, 'role', { name: 'ci', trustPolicy: EC2, managedPolicyArns: eleven, maxManagedPolicies: 20 }))).not.toThrow();
  });

  it('every problem at once, in one message', () => {
    expect(error({ name: 'a b', path: 'x', maxSessionDuration: 1, trustPolicy: { services: ['ec2'] } })).toMatch(
      /^test\/role: 4 problems\n- name: .*\n- path: .*\n- trustPolicy\.services\[0\]: .*\n- maxSessionDuration: /,
    );
  });
});
