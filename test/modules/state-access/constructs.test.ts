import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { StateAccessRole, type StateAccessRoleProps, statePermissionsPolicy, StatePermissionsPolicy, type StatePermissionsPolicyProps } from '../../../modules/state-access';
import { SEED_MULTI, SEED_SIMPLE } from '../../fixtures/state-access/seed-examples';
import { only, synth, synthWithComments } from '../../support/synth';

const TRUST = {
  Version: '2012-10-17',
  Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow' as const, Principal: { AWS: 'arn:aws:iam::123456123456:root' } }],
};

describe('StatePermissionsPolicy', () => {
  it('without a role: a managed aws_iam_policy whose policy is the canonical JSON, as a literal', () => {
    let construct!: StatePermissionsPolicy;
    const out = synth((s) => {
      construct = new StatePermissionsPolicy(s, 'state', { ...SEED_MULTI, description: 'state access' });
    });
    const policy = only(out.resource.aws_iam_policy);
    expect(policy).toMatchObject({ name: 'terraform-state-access', description: 'state access' });
    expect(policy.policy).toBe(JSON.stringify(statePermissionsPolicy(SEED_MULTI)));
    expect(construct.json).toBe(policy.policy);
    expect(construct.document).toEqual(statePermissionsPolicy(SEED_MULTI));
    expect(out.resource.aws_iam_role_policy).toBeUndefined();
  });

  it('with a role: an inline aws_iam_role_policy on that role', () => {
    const out = synth((s) => new StatePermissionsPolicy(s, 'state', { ...SEED_SIMPLE, role: 'my-role', name: 'state-access' }));
    expect(only(out.resource.aws_iam_role_policy)).toEqual(expect.objectContaining({ name: 'state-access', role: 'my-role', policy: JSON.stringify(statePermissionsPolicy(SEED_SIMPLE)) }));
    expect(out.resource.aws_iam_policy).toBeUndefined();
  });

  it('takes a reference to a role resource', () => {
    const out = synth((s) => {
      const role = new IamRole(s, 'r', { name: 'x', assumeRolePolicy: JSON.stringify(TRUST) });
      new StatePermissionsPolicy(s, 'state', { ...SEED_SIMPLE, role: role.name });
    });
    expect(only(out.resource.aws_iam_role_policy).role).toMatch(/^\$\{aws_iam_role\.r\.name\}$/);
  });

  // 70 keys of this length make a policy between the managed (6,144) and role inline (10,240) limits.
  const mid: StatePermissionsPolicyProps = {
    stateBucketArn: 'arn:aws:s3:::my-state-bucket',
    canApply: Array.from({ length: 70 }, (_, i) => ({ key: `team-${i}/app/terraform.tfstate`, workspaces: [] })),
  };

  it('checks the size limit of where the policy goes: a managed policy over 6,144 fails, naming the construct', () => {
    const size = JSON.stringify(statePermissionsPolicy(mid)).length;
    expect(size).toBeGreaterThan(6_144);
    expect(() => synth((s) => new StatePermissionsPolicy(s, 'state', mid))).toThrow(
      new RegExp(
        `^test/state: 1 problem\\n- \\(policy size\\): ${size}: ${size} characters is over the 6144 allowed for a customer managed policy\\. Fix: .*allowFullBucketList.*pass role to put it inline`,
      ),
    );
  });

  it('the same policy fits inline on a role (10,240)', () => {
    expect(() => synth((s) => new StatePermissionsPolicy(s, 'state', { ...mid, role: 'r' }))).not.toThrow();
  });

  it('bad input fails at synth with the construct path, the field, the value and the fix', () => {
    expect(() => synth((s) => new StatePermissionsPolicy(s, 'state', { ...SEED_SIMPLE, lockTableArn: 'arn:aws:s3:::my-lock-table' }))).toThrow(
      'test/state: 1 problem\n- lockTableArn: "arn:aws:s3:::my-lock-table": not a DynamoDB table ARN. Fix: pass the table\'s ARN',
    );
    expect(() => synth((s) => new StatePermissionsPolicy(s, 'state', { ...SEED_SIMPLE, name: 'bad name' }))).toThrow(/^test\/state: 1 problem\n- name: "bad name"/);
    expect(() => synth((s) => new StatePermissionsPolicy(s, 'state', { ...SEED_SIMPLE, path: 'ci' }))).toThrow(/- path: "ci": an IAM path starts and ends with "\/"/);
  });

  it('rejects a reference where the policy needs a literal', () => {
    expect(() =>
      synth((s) => {
        const role = new IamRole(s, 'r', { name: 'x', assumeRolePolicy: JSON.stringify(TRUST) });
        new StatePermissionsPolicy(s, 'state', { ...SEED_SIMPLE, stateBucketArn: role.arn });
      }),
    ).toThrow(/- stateBucketArn: .*is a reference resolved only at apply time/);
  });
});

describe('StateAccessRole', () => {
  const props: StateAccessRoleProps = { ...SEED_SIMPLE, name: 'state-access', trustPolicy: TRUST, account: '123456123456' };

  it('an aws_iam_role with name, path and the canonical trust policy, and the inline policy terraform-state-access', () => {
    const out = synth((s) => new StateAccessRole(s, 'access_role', { ...props, path: '/terraform/' }));
    const role = only(out.resource.aws_iam_role);
    expect(role).toMatchObject({ name: 'state-access', path: '/terraform/', assume_role_policy: JSON.stringify(TRUST) });
    const inline = only(out.resource.aws_iam_role_policy);
    expect(inline).toMatchObject({ name: 'terraform-state-access', policy: JSON.stringify(statePermissionsPolicy(SEED_SIMPLE)) });
    expect(inline.role).toMatch(/^\$\{aws_iam_role\.access_role_[0-9A-F]{8}\.name\}$/);
  });

  it("writes no outputs unless asked; with outputPrefix '', role_arn and role_name, the seed module's", () => {
    expect(synth((s) => new StateAccessRole(s, 'access_role', props)).output).toBeUndefined();
    const out = synth((s) => new StateAccessRole(s, 'access_role', { ...props, outputPrefix: '' }));
    expect(Object.keys(out.output!)).toEqual(['role_arn', 'role_name']);
    expect(out.output!.role_arn.value).toMatch(/^\$\{aws_iam_role\.access_role_[0-9A-F]{8}\.arn\}$/);
    expect(out.output!.role_name.value).toMatch(/^\$\{aws_iam_role\.access_role_[0-9A-F]{8}\.name\}$/);
    expect(out.output!.role_arn.description).toBe('The ARN of the IAM role.');
  });

  it('two roles in one stack that write outputs: each needs an outputPrefix, and a clash says so', () => {
    const out = synth((s) => {
      new StateAccessRole(s, 'ci', { ...props, outputPrefix: 'ci_' });
      new StateAccessRole(s, 'dev', { ...props, name: 'dev-state', outputPrefix: 'dev_' });
    });
    expect(Object.keys(out.output!).sort()).toEqual(['ci_role_arn', 'ci_role_name', 'dev_role_arn', 'dev_role_name']);
    expect(() =>
      synth((s) => {
        new StateAccessRole(s, 'ci', { ...props, outputPrefix: '' });
        new StateAccessRole(s, 'dev', { ...props, name: 'dev-state', outputPrefix: '' });
      }),
    ).toThrow('test/dev: 1 problem\n- outputPrefix: "": gives the output "role_arn", which another output of this stack already has (written by test/ci). Fix: set an outputPrefix of its own');
  });

  it('writes a hand-written trust policy in canonical form', () => {
    const text = '{"Statement":[{"Principal":{"AWS":"arn:aws:iam::123456123456:root"},"Effect":"Allow","Action":["sts:AssumeRole"]}],"Version":"2012-10-17"}';
    const out = synth((s) => new StateAccessRole(s, 'access_role', { ...props, trustPolicy: text }));
    expect(only(out.resource.aws_iam_role).assume_role_policy).toBe(JSON.stringify(TRUST));
  });

  it('passes a reference to a trust policy through as it is, once accepted with a reason: it cannot be checked', () => {
    expect(() =>
      synth((s) => {
        const other = new IamRole(s, 'other', { name: 'o', assumeRolePolicy: JSON.stringify(TRUST) });
        new StateAccessRole(s, 'access_role', { ...props, trustPolicy: other.assumeRolePolicy });
      }),
    ).toThrow(/- trustPolicy: .*is a reference resolved only at apply time: who it lets in cannot be checked at synth.*\[REFERENCE_UNCHECKED\]/);
    const out = synth((s) => {
      const other = new IamRole(s, 'other', { name: 'o', assumeRolePolicy: JSON.stringify(TRUST) });
      new StateAccessRole(s, 'access_role', {
        ...props,
        trustPolicy: other.assumeRolePolicy,
        trustPolicyAcknowledge: [{ rule: 'REFERENCE_UNCHECKED', reason: 'the trust of the other role, reviewed there' }],
      });
    });
    const roles = Object.values(out.resource.aws_iam_role);
    expect(roles.map((r) => r.assume_role_policy)).toContain('${aws_iam_role.other.assume_role_policy}');
  });

  it('rejects a trust policy that is not JSON, or not a trust policy, naming the construct', () => {
    expect(() => synth((s) => new StateAccessRole(s, 'access_role', { ...props, trustPolicy: '{not json' }))).toThrow(/^test\/access_role: 1 problem\n- trustPolicy: "\{not json": is not JSON/);
    const withResource = { ...TRUST, Statement: [{ ...TRUST.Statement[0], Resource: '*' }] };
    expect(() => synth((s) => new StateAccessRole(s, 'access_role', { ...props, trustPolicy: withResource }))).toThrow(
      /trustPolicy\.Statement\[0\]\.Resource: "\*": a trust policy may not name resources/,
    );
  });

  it('a service principal without aws:SourceAccount needs its finding acknowledged by name; EC2, which sends none, as for Role', () => {
    const trustOf = (service: string) => ({ Version: '2012-10-17', Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow' as const, Principal: { Service: service } }] });
    expect(() => synth((s) => new StateAccessRole(s, 'r', { ...props, trustPolicy: trustOf('codebuild.amazonaws.com') }))).toThrow(/SERVICE_PRINCIPAL_UNSCOPED/);
    expect(() => synth((s) => new StateAccessRole(s, 'r', { ...props, trustPolicy: trustOf('codebuild.amazonaws.com'), trustPolicyAcknowledge: ['SERVICE_PRINCIPAL_UNSCOPED'] }))).not.toThrow();
    expect(() => synth((s) => new StateAccessRole(s, 'r', { ...props, trustPolicy: trustOf('ec2.amazonaws.com') }))).not.toThrow();
  });

  it("trust in its own account passes; another account, or an account when the role's is not given, is CROSS_ACCOUNT, accepted only with a reason", () => {
    const { account: _account, ...withoutAccount } = props;
    expect(() => synth((s) => new StateAccessRole(s, 'r', withoutAccount))).toThrow(
      /^test\/r: 1 problem\n- trustPolicy\.Statement\[0\]\.Principal\.AWS: "arn:aws:iam::123456123456:root": is a principal of account 123456123456, and the account this policy is in is not given.*\[CROSS_ACCOUNT\]/,
    );
    expect(() => synth((s) => new StateAccessRole(s, 'r', { ...props, account: '111111111111' }))).toThrow(/not of 111111111111, the account this policy is in/);
    expect(() => synth((s) => new StateAccessRole(s, 'r', { ...props, account: '111111111111', trustPolicyAcknowledge: ['CROSS_ACCOUNT'] }))).toThrow(
      /- trustPolicyAcknowledge\[0\]: "CROSS_ACCOUNT": CROSS_ACCOUNT decides who may get in, and is accepted only with a reason/,
    );
    const out = synthWithComments(
      (s) => new StateAccessRole(s, 'r', { ...props, account: '111111111111', trustPolicyAcknowledge: [{ rule: 'CROSS_ACCOUNT', reason: 'the CI account runs terraform' }] }),
    );
    // Written next to the role, for the access report: the account checked against, and what was accepted why.
    expect(only(out.resource.aws_iam_role)['//']).toMatchObject({
      admission: { account: '111111111111', acknowledged: [{ rule: 'CROSS_ACCOUNT', field: 'Statement[0].Principal.AWS', reason: 'the CI account runs terraform' }] },
    });
  });

  it('rejects a bad role name or path', () => {
    expect(() => synth((s) => new StateAccessRole(s, 'r', { ...props, name: 'x'.repeat(65) }))).toThrow(/^test\/r: 1 problem\n- name: /);
    expect(() => synth((s) => new StateAccessRole(s, 'r', { ...props, path: '/no-trailing-slash' }))).toThrow(/- path: "\/no-trailing-slash"/);
  });

  it('the role inline policy limit is 10,240: bad grants fail naming the nested construct', () => {
    expect(() => synth((s) => new StateAccessRole(s, 'r', { ...props, canApply: [{ key: '' }] }))).toThrow(/^test\/r\/permissions: 1 problem\n- canApply\[0\]\.key: ""/);
  });
});
