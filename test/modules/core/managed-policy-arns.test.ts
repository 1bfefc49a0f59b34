/**
 * `managedPolicyArnFindings` (core/managed-policy-arns.ts): the one check of a literal managed policy ARN
 * that `Role`, the permissions boundaries, `DeployGroup` and delegated role creation use, its findings in a
 * fixed order (wildcard, form, owner, account, AWS managed policy AWS offers).
 */
import { type ManagedPolicyArnOptions, managedPolicyArnFindings, MANAGED_POLICY_ARN_FORM } from '../../../modules/core';
import { delegatedRoleCreationPolicy, EXAMPLE_CORP_PIPELINE } from '../../../modules/delegated-role-creation/delegated-role-creation';
import { DeployGroup } from '../../../modules/deploy-group';
import { Role } from '../../../modules/iam-role';
import { permissionsBoundaryArnFindings } from '../../../modules/policy-types';
import { synth } from '../../support/synth';

const NOT_MANAGED = `not an IAM managed policy ARN (${MANAGED_POLICY_ARN_FORM})`;

describe('managedPolicyArnFindings', () => {
  it.each<[string, string, ManagedPolicyArnOptions]>([
    ['a customer managed policy', 'arn:aws:iam::111111111111:policy/ci-web', {}],
    ['a customer managed policy on a path', 'arn:aws:iam::111111111111:policy/team/ci/ci-web', { owner: 'customer' }],
    ['a customer managed policy in aws-cn', 'arn:aws-cn:iam::111111111111:policy/ci-web', { owner: 'customer', account: '111111111111' }],
    ['a customer managed policy in aws-us-gov', 'arn:aws-us-gov:iam::111111111111:policy/ci-web', { owner: 'any' }],
    ['an AWS managed policy', 'arn:aws:iam::aws:policy/ReadOnlyAccess', { owner: 'aws' }],
    ['an AWS managed policy on its path', 'arn:aws:iam::aws:policy/service-role/AWS_ConfigRole', { owner: 'aws' }],
    ['an AWS managed policy in aws-cn', 'arn:aws-cn:iam::aws:policy/ReadOnlyAccess', {}],
    ['an AWS managed policy in aws-us-gov', 'arn:aws-us-gov:iam::aws:policy/PowerUserAccess', { account: '111111111111' }],
  ])('accepts %s: %s', (_, arn, options) => {
    expect(managedPolicyArnFindings('f', arn, options)).toEqual([]);
  });

  it.each<[string, string, ManagedPolicyArnOptions, string | RegExp, string | RegExp]>([
    [
      'a wildcard in the name',
      'arn:aws:iam::aws:policy/ReadOnly*',
      {},
      'holds a wildcard (* or ?): a managed policy ARN names one policy, and no policy name or path holds * or ?',
      'name the policy, e.g. "arn:aws:iam::111111111111:policy/ci-web"',
    ],
    ['a wildcard in the path', 'arn:aws:iam::111111111111:policy/team*/ci-web', {}, /^holds a wildcard/, /^name the policy/],
    ['a ? in the path', 'arn:aws:iam::111111111111:policy/team?/ci-web', { owner: 'customer' }, /^holds a wildcard/, /^name the policy/],
    ['a role ARN', 'arn:aws:iam::111111111111:role/ci-web', {}, NOT_MANAGED, 'write it like "arn:aws:iam::111111111111:policy/ci-web"'],
    ['a name', 'ci-web', { orElse: "pass the aws_iam_policy's arn" }, NOT_MANAGED, 'write it like "arn:aws:iam::111111111111:policy/ci-web", or pass the aws_iam_policy\'s arn'],
    ['an S3 ARN', 'arn:aws:s3:::bucket/policy/x', { owner: 'aws' }, NOT_MANAGED, 'write it like "arn:aws:iam::aws:policy/ReadOnlyAccess"'],
    ['a partition that is none', 'arn:foo:iam::aws:policy/ReadOnlyAccess', {}, `${NOT_MANAGED}: "foo" is not an AWS partition ('aws', 'aws-cn' or 'aws-us-gov')`, /^write it like/],
    ['an account of 5 digits', 'arn:aws:iam::12345:policy/x', {}, `${NOT_MANAGED}: '12345' is neither "aws" (an AWS managed policy) nor a 12-digit account ID`, /^write it like/],
    [
      'a path that is none',
      'arn:aws:iam::111111111111:policy/my team/x',
      {},
      `${NOT_MANAGED}: the policy's path: an IAM path starts and ends with "/" and holds printable ASCII only`,
      /^write it like/,
    ],
    ['a name that is none', 'arn:aws:iam::aws:policy/Read#Only', {}, `${NOT_MANAGED}: the policy's name: an IAM policy name is 1 to 128 characters of letters, digits and +=,.@_-`, /^write it like/],
    ['a path over 512 characters', `arn:aws:iam::111111111111:policy/${'a/'.repeat(256)}x`, {}, `${NOT_MANAGED}: the policy's path is over IAM's 512 characters`, /^write it like/],
    [
      'an AWS managed policy where a customer one is asked',
      'arn:aws:iam::aws:policy/ReadOnlyAccess',
      { owner: 'customer', otherOwnerFix: 'move it to awsManagedPolicies' },
      'an AWS managed policy, not a customer managed one',
      'move it to awsManagedPolicies, or name a customer managed policy, e.g. "arn:aws:iam::111111111111:policy/ci-web"',
    ],
    [
      'a customer managed policy where an AWS one is asked',
      'arn:aws-cn:iam::111111111111:policy/x',
      { owner: 'aws' },
      'a customer managed policy, not an AWS managed one',
      'name an AWS managed policy, e.g. "arn:aws:iam::aws:policy/ReadOnlyAccess"',
    ],
    [
      'a customer managed policy of another account',
      'arn:aws:iam::222222222222:policy/PermissionsBoundary',
      { account: '111111111111' },
      "a customer managed policy of account 222222222222, not of account 111111111111: IAM takes a managed policy of the principal's own account or an AWS managed policy",
      'use the policy of account 111111111111, e.g. "arn:aws:iam::111111111111:policy/ci-web"',
    ],
    [
      'an AWS managed policy AWS does not offer',
      'arn:aws:iam::aws:policy/ReadOnlyAcess',
      { owner: 'aws' },
      /^names no policy in AWS's managed policies as of/,
      /^write arn:aws:iam::aws:policy\/ReadOnlyAccess; if AWS published it after/,
    ],
    [
      'an AWS managed policy on the wrong path, in aws-us-gov',
      'arn:aws-us-gov:iam::aws:policy/AWS_ConfigRole',
      {},
      /^AWS offers this policy as arn:aws-us-gov:iam::aws:policy\/service-role\/AWS_ConfigRole/,
      'write arn:aws-us-gov:iam::aws:policy/service-role/AWS_ConfigRole',
    ],
  ])('refuses %s', (_, arn, options, problem, fix) => {
    const findings = managedPolicyArnFindings('f', arn, options);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ field: 'f', value: arn });
    if (typeof problem === 'string') expect(findings[0].problem).toBe(problem);
    else expect(findings[0].problem).toMatch(problem);
    if (typeof fix === 'string') expect(findings[0].fix).toBe(fix);
    else expect(findings[0].fix).toMatch(fix);
  });

  it('gives the first finding that applies: the wildcard before the form, the owner before the account', () => {
    expect(managedPolicyArnFindings('f', 'arn:aws:iam::111111111111:role/*')[0].problem).toMatch(/^holds a wildcard/);
    expect(managedPolicyArnFindings('f', 'arn:aws:iam::222222222222:policy/x', { owner: 'aws', account: '111111111111' })[0].problem).toBe('a customer managed policy, not an AWS managed one');
    // The account binds customer managed policies only: an AWS managed policy is every account's.
    expect(managedPolicyArnFindings('f', 'arn:aws:iam::aws:policy/ReadOnlyAccess', { account: '111111111111' })).toEqual([]);
  });

  it('refuses what is not a string', () => {
    expect(managedPolicyArnFindings('f', 42 as unknown as string)[0].problem).toBe(NOT_MANAGED);
  });
});

// Where a copy accepted what IAM refuses: each construct now refuses it, with the one check's message.
describe('the callers', () => {
  it('DeployGroup refuses a policy ARN of no AWS partition, which it accepted', () => {
    expect(() => synth((s) => new DeployGroup(s, 'g', { name: 'deploy', managedPolicyArns: ['arn:foo:iam::aws:policy/ReadOnlyAccess'] }))).toThrow(
      /- managedPolicyArns\[0\]: "arn:foo:iam::aws:policy\/ReadOnlyAccess": not an IAM managed policy ARN .*: "foo" is not an AWS partition/,
    );
  });

  it('delegated role creation refuses a boundary whose path is not an IAM path, which it accepted', () => {
    expect(() => delegatedRoleCreationPolicy({ ...EXAMPLE_CORP_PIPELINE, permissionsBoundaryArn: `arn:aws:iam::${EXAMPLE_CORP_PIPELINE.account}:policy/my boundaries/B` })).toThrow(
      /- permissionsBoundaryArn: .*: not an IAM managed policy ARN .*: the policy's path/,
    );
    expect(() => delegatedRoleCreationPolicy({ ...EXAMPLE_CORP_PIPELINE, permissionsBoundaryArn: 'arn:aws-cn:iam::aws:policy/PowerUserAccess' })).toThrow(
      /is in partition aws-cn; this module writes aws ARNs only/,
    );
  });

  it('Role and the permissions boundaries refuse * or ? in a policy path, which they accepted', () => {
    const arn = 'arn:aws:iam::111111111111:policy/team*/ci-web';
    expect(permissionsBoundaryArnFindings('b', arn)[0].problem).toMatch(/^holds a wildcard/);
    const EC2 = { services: ['ec2.amazonaws.com'] };
    expect(() => synth((s) => new Role(s, 'r', { name: 'ci', trustPolicy: EC2, managedPolicyArns: ['arn:aws:iam::111111111111:policy/team?/ci-web'] }))).toThrow(
      /- managedPolicyArns\[0\]: .*: holds a wildcard/,
    );
  });
});
