// Issue 15, class 3: two resources that replace each other in AWS (two inline policies of one name on one
// principal, two policies of one bucket) are refused by the reader with IAM_NAME_COLLISION, the check the
// constructs run at synth (core/name-collisions.ts): read as both applying, they would show a Deny or an
// Allow that AWS does not keep.
import type { PolicyValidationError } from '../../../modules/core';
import { validationErrorOf } from '../../support/errors';
import { doc, read, readApp, roleResources, stackJson } from './crafted-stacks';

const ALLOW = JSON.stringify(doc({ Action: 's3:GetObject', Effect: 'Allow', Resource: '*' }));
const DENY = JSON.stringify(doc({ Action: 's3:GetObject', Effect: 'Deny', Resource: '*' }));
const BUCKET = (principal: string) => JSON.stringify(doc({ Action: 's3:GetObject', Effect: 'Allow', Principal: { AWS: principal }, Resource: 'arn:aws:s3:::data/*' }));

const collision = (error: PolicyValidationError) => error.findings.filter((f) => f.code === 'IAM_NAME_COLLISION');

describe('the reader refuses resources that replace each other in AWS', () => {
  const twoInline = (first: Record<string, unknown>, second: Record<string, unknown>) => {
    const resources = roleResources({ name: 'app' });
    resources.aws_iam_role_policy = { deny: { role: '${aws_iam_role.role_app.name}', policy: DENY, ...first }, allow: { role: '${aws_iam_role.role_app.name}', policy: ALLOW, ...second } };
    return stackJson(resources);
  };

  it('two inline policies of one name on one role: IAM_NAME_COLLISION naming both', () => {
    const error = validationErrorOf(() => read(twoInline({ name: 'guard' }, { name: 'guard' })));
    expect(error.message).toMatch(/^test: stack crafted: /);
    expect(collision(error)).toEqual([
      expect.objectContaining({
        field: 'aws_iam_role_policy.deny (aws_iam_role_policy)',
        problem: expect.stringMatching(
          /^aws_iam_role_policy\.allow \(aws_iam_role_policy\) writes it too .*a principal has one inline policy of a name: each apply, PutRolePolicy \(PutUserPolicy, PutGroupPolicy\) of one replaces the other$/,
        ),
      }),
    ]);
  });

  it('the principal named by reference in one and by name, in another case, in the other: the same principal', () => {
    expect(collision(validationErrorOf(() => read(twoInline({ name: 'guard' }, { name: 'guard', role: 'APP' }))))).toHaveLength(1);
  });

  it("names that differ only in case: refused too, as IAM's reference does not say inline policy names are told apart by case", () => {
    expect(collision(validationErrorOf(() => read(twoInline({ name: 'Guard' }, { name: 'guard' }))))).toHaveLength(1);
  });

  it('the same on users and groups', () => {
    for (const kind of ['user', 'group'] as const) {
      const json = stackJson({
        [`aws_iam_${kind}`]: { p: { name: 'p' } },
        [`aws_iam_${kind}_policy`]: { a: { name: 'x', [kind]: `\${aws_iam_${kind}.p.name}`, policy: DENY }, b: { name: 'x', [kind]: 'p', policy: ALLOW } },
      });
      expect([kind, collision(validationErrorOf(() => read(json))).length]).toEqual([kind, 1]);
    }
  });

  it('two policies of one bucket (one naming it by reference): refused', () => {
    const json = stackJson({
      aws_s3_bucket: { b: { bucket: 'data' } },
      aws_s3_bucket_policy: { a: { bucket: '${aws_s3_bucket.b.id}', policy: BUCKET('111111111111') }, b: { bucket: 'data', policy: BUCKET('222222222222') } },
    });
    expect(collision(validationErrorOf(() => read(json)))).toEqual([
      expect.objectContaining({ problem: expect.stringMatching(/a bucket has one bucket policy: each apply, PutBucketPolicy of one replaces the other$/) }),
    ]);
  });

  it('across the stacks of one app: two policies of one bucket (bucket names are global), or one inline policy name on one role of one account', () => {
    const bucket = (principal: string) => stackJson({ aws_s3_bucket_policy: { p: { bucket: 'data', policy: BUCKET(principal) } } });
    const error = validationErrorOf(() => readApp({ a: bucket('111111111111'), b: bucket('222222222222') }));
    expect(error.message).toMatch(/^test: 1 problem/);
    expect(collision(error)).toEqual([
      expect.objectContaining({ field: 'stack b: aws_s3_bucket_policy.p (aws_s3_bucket_policy)', problem: expect.stringMatching(/^stack a: aws_s3_bucket_policy\.p/) }),
    ]);
    const pinned = (account: string) => [{ region: 'eu-west-1', allowed_account_ids: [account] }];
    const inline = (account: string, policy: string) => stackJson({ aws_iam_role_policy: { p: { name: 'guard', role: 'shared', policy } } }, pinned(account));
    expect(collision(validationErrorOf(() => readApp({ a: inline('111111111111', DENY), b: inline('111111111111', ALLOW) })))).toHaveLength(1);
    // Two accounts: two roles.
    expect(() => readApp({ a: inline('111111111111', DENY), b: inline('222222222222', ALLOW) })).not.toThrow();
  });

  it('not refused: one name on two roles, two names on one role, one bucket policy per bucket', () => {
    const resources = roleResources({ name: 'app', inline: [doc({ Action: 's3:GetObject', Effect: 'Allow', Resource: '*' })] });
    resources.aws_iam_role_policy.other = { name: 'inline-0', role: 'other-role', policy: ALLOW };
    resources.aws_iam_role_policy.second = { name: 'inline-1', role: '${aws_iam_role.role_app.name}', policy: ALLOW };
    resources.aws_s3_bucket_policy = { a: { bucket: 'data', policy: BUCKET('111111111111') }, b: { bucket: 'logs', policy: BUCKET('111111111111') } };
    expect(read(stackJson(resources)).subjects.map((s) => s.id)).toEqual(['role aws app', 'role aws other-role', 'bucket-policy aws data', 'bucket-policy aws logs']);
  });
});
