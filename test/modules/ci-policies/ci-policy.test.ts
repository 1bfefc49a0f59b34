import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { TerraformRemoteStateS3Policy } from '../../../modules/ci-policies/terraform-remote-state-s3-policy';
import { terragruntPolicy } from '../../../modules/ci-policies/terragrunt';
import { TerragruntPolicy } from '../../../modules/ci-policies/terragrunt-policy';
import { synth } from '../../support/synth';

const TG = { stateBucketArns: ['arn:aws:s3:::tg-state'], lockTableArns: ['arn:aws:dynamodb:eu-west-1:123456789012:table/tg-locks'] };

describe('CiPolicy (the base of every CI policy construct)', () => {
  it("a managed policy with the module name and description, and the canonical JSON as a literal; with outputPrefix '', Gruntwork's outputs", () => {
    expect(synth((s) => new TerragruntPolicy(s, 'terragrunt', TG)).output).toBeUndefined();
    const out = synth((s) => new TerragruntPolicy(s, 'terragrunt', { ...TG, outputPrefix: '' }));
    const [policy] = Object.values(out.resource!.aws_iam_policy);
    expect(policy).toMatchObject({ name: 'terragrunt', policy: JSON.stringify(terragruntPolicy(TG)) });
    expect(policy.description).toContain('Terragrunt');
    expect(Object.keys(out.output!)).toEqual(['arn', 'json', 'name']);
    expect(out.output!.json.value).toBe(JSON.stringify(terragruntPolicy(TG)));
  });

  it('attaches to roles, users and groups by name or reference', () => {
    const out = synth((s) => {
      const role = new IamRole(s, 'ci', { name: 'ci', assumeRolePolicy: '{}' });
      new TerragruntPolicy(s, 'terragrunt', { ...TG, attachToRoles: [role.name, 'deployer'], attachToUsers: ['jenkins'], attachToGroups: ['ci'] });
    });
    const roles = Object.values(out.resource!.aws_iam_role_policy_attachment).map((a) => a.role);
    expect(roles).toEqual(['${aws_iam_role.ci.name}', 'deployer']);
    expect(Object.values(out.resource!.aws_iam_user_policy_attachment).map((a) => a.user)).toEqual(['jenkins']);
    expect(Object.values(out.resource!.aws_iam_group_policy_attachment).map((a) => a.group)).toEqual(['ci']);
    const [attachment] = Object.values(out.resource!.aws_iam_user_policy_attachment);
    expect(attachment.policy_arn).toMatch(/^\$\{aws_iam_policy\.terragrunt_policy_[0-9A-F]{8}\.arn\}$/);
  });

  it('createResources: false creates nothing and still outputs the policy JSON', () => {
    const out = synth((s) => new TerragruntPolicy(s, 'terragrunt', { ...TG, createResources: false, outputPrefix: '' }));
    expect(out.resource).toBeUndefined();
    expect(Object.keys(out.output!)).toEqual(['json']);
  });

  it('several policies in one stack need output prefixes', () => {
    const out = synth((s) => {
      new TerragruntPolicy(s, 'terragrunt', { ...TG, outputPrefix: 'terragrunt_' });
      new TerraformRemoteStateS3Policy(s, 'state', { stateBucketArn: 'arn:aws:s3:::tg-state', canApply: [{ key: 'k' }], outputPrefix: 'state_' });
    });
    expect(Object.keys(out.output!).sort()).toEqual(['state_arn', 'state_json', 'state_name', 'terragrunt_arn', 'terragrunt_json', 'terragrunt_name']);
  });

  it('bad input fails at synth naming the construct path, field, value and fix', () => {
    expect(() => synth((s) => new TerragruntPolicy(s, 'tg', { ...TG, name: 'no spaces allowed' }))).toThrow(/^test\/tg: 1 problem\n- name: "no spaces allowed": an IAM policy name/);
    expect(() => synth((s) => new TerragruntPolicy(s, 'tg', { ...TG, path: 'ci/' }))).toThrow(/- path: "ci\/"/);
    expect(() => synth((s) => new TerragruntPolicy(s, 'tg', { ...TG, createResources: false, attachToRoles: ['ci'] }))).toThrow(
      /- createResources: false: nothing is created, so nothing can be attached/,
    );
    expect(() => synth((s) => new TerragruntPolicy(s, 'tg', { stateBucketArns: ['tg-state'] }))).toThrow(
      /^test\/tg: 1 problem\n- stateBucketArns\[0\]: "tg-state": not an S3 bucket ARN\. Fix: write it like arn:aws:s3:::my-state-bucket/,
    );
  });

  it('checks the managed policy size limit (6,144), naming the construct', () => {
    const canApply = Array.from({ length: 70 }, (_, i) => ({ key: `team-${i}/app/terraform.tfstate`, workspaces: [] }));
    expect(() => synth((s) => new TerraformRemoteStateS3Policy(s, 'state', { stateBucketArn: 'arn:aws:s3:::tg-state', canApply }))).toThrow(
      /^test\/state: 1 problem\n- \(policy size\): \d+: \d+ characters is over the 6144 allowed for a customer managed policy/,
    );
  });
});
