import { join } from 'path';
import { moduleSchemaFindings, providerAwsClass } from './provider-schema';

const ROOT = join(__dirname, '..', '..');

/** A module folder of one main.tf.json (and no variables but `name`), checked by moduleSchemaFindings. */
function findings(main: Record<string, unknown>, outputs: Record<string, unknown> = {}): string[] {
  const dir = 'test-module';
  return moduleSchemaFindings(
    {
      [`${dir}/main.tf.json`]: JSON.stringify(main),
      [`${dir}/outputs.tf.json`]: JSON.stringify({ output: outputs }),
      [`${dir}/variables.tf.json`]: JSON.stringify({ variable: { name: { type: 'string' } } }),
    },
    dir,
    ROOT,
  );
}

const role = { name: '${var.name}', assume_role_policy: '{"Version":"2012-10-17","Statement":[]}' };

describe('moduleSchemaFindings: the AWS provider schema as provider-aws knows it, for modules terraform cannot validate here', () => {
  it('names the provider-aws class of a resource or data source type', () => {
    expect(providerAwsClass('resource', 'aws_iam_role_policy_attachment')).toEqual({ path: '@cdktf/provider-aws/lib/iam-role-policy-attachment', className: 'IamRolePolicyAttachment' });
    expect(providerAwsClass('resource', 'aws_s3_bucket_policy')).toEqual({ path: '@cdktf/provider-aws/lib/s3-bucket-policy', className: 'S3BucketPolicy' });
    expect(providerAwsClass('data', 'aws_partition')).toEqual({ path: '@cdktf/provider-aws/lib/data-aws-partition', className: 'DataAwsPartition' });
  });

  it('finds nothing in a correct block, meta-arguments and references included', () => {
    expect(
      findings(
        {
          resource: {
            aws_iam_role: { this: { ...role, count: 1, lifecycle: { create_before_destroy: true } } },
            aws_iam_role_policy_attachment: { each: { for_each: { a: 'x' }, role: '${aws_iam_role.this[0].name}', policy_arn: '${each.value}' } },
          },
        },
        { arn: { value: '${aws_iam_role.this[0].arn}' }, id: { value: '${aws_iam_role.this[*].unique_id}' } },
      ),
    ).toEqual([]);
  });

  it('fails on a misspelt argument, which cdktf (like a typo in HCL for the provider) would drop', () => {
    expect(findings({ resource: { aws_iam_role: { this: { ...role, max_sesion_duration: 3600 } } } })).toEqual([
      "aws_iam_role.this: max_sesion_duration is not an argument of aws_iam_role (provider-aws's IamRole dropped it)",
    ]);
  });

  it("fails on another resource type's argument, on a nested block's unknown argument, and on a required argument left out", () => {
    expect(findings({ resource: { aws_iam_role_policy: { p: { name: 'p', role: 'r', policy: '{}', policy_arn: 'x' } } } })).toEqual([
      "aws_iam_role_policy.p: policy_arn is not an argument of aws_iam_role_policy (provider-aws's IamRolePolicy dropped it)",
    ]);
    expect(findings({ resource: { aws_iam_role: { this: { ...role, inline_policy: [{ name: 'n', document: '{}' }] } } } })[0]).toMatch(/^aws_iam_role\.this: inline_policy came back as/);
    expect(findings({ resource: { aws_iam_role: { this: { name: 'r' } } } })).toEqual(['aws_iam_role.this: the required argument assume_role_policy is missing']);
  });

  it('fails on a type that is no resource, an attribute the resource does not have, and names that do not exist', () => {
    expect(findings({ resource: { aws_iam_rolle: { this: role } } })).toEqual(['aws_iam_rolle.this: aws_iam_rolle is no resource type of the AWS provider (no @cdktf/provider-aws/lib/iam-rolle)']);
    expect(findings({ resource: { aws_iam_role: { this: role } } }, { a: { value: '${aws_iam_role.this.role_arn}' }, b: { value: '${aws_iam_role.that.arn}' } })).toEqual([
      'outputs.output.a.value: role_arn is not an attribute of aws_iam_role',
      'outputs.output.b.value: aws_iam_role.that is not a block of the module',
    ]);
    expect(findings({ locals: { a: '${var.nme}' } }, { b: { value: '${local.b}' } })).toEqual(['main.locals.a: var.nme is not a variable', 'outputs.output.b.value: local.b is not a local']);
  });

  it('fails on a module call with an argument the called module has no variable for, or without a required one', () => {
    const call = (args: Record<string, unknown>) => findings({ module: { p: { source: '../terraform-modules/permissions-policy', ...args } } }, { j: { value: '${module.p.jsn}' } });
    expect(call({ state_bucket_arn: 'arn:aws:s3:::b', can_aply: [] })).toEqual([
      'module.p: can_aply is not a variable of ../terraform-modules/permissions-policy',
      'outputs.output.j.value: module.p.jsn is not an output of a module call',
    ]);
    expect(call({})).toContain('module.p: the required variable state_bucket_arn of ../terraform-modules/permissions-policy is not given');
  });
});
