import { readFileSync } from 'fs';
import { join } from 'path';
import { canonicalPolicy, listOf, type PolicyDocument, policyFindings, type PolicyStatement, POLICY_SIZE_LIMITS } from '../../../modules/core';
import { JETS_DEPLOY_ACKNOWLEDGED, jetsDeployPolicy } from '../../../modules/deploy-group';

const PREFIX = 'my-cool-prefix';
const SEED_TEXT = readFileSync(join(__dirname, '../../fixtures/deploy-group/seed-jets-policy.json'), 'utf8');

/** The seed's policy as the shell writes it after `export MY_PREFIX=<prefix>` (its heredoc is unquoted). */
function seedPolicy(prefix = PREFIX): { Version: string; Statement: Array<{ Effect: string; Action: string[]; Resource: string[] }> } {
  return JSON.parse(SEED_TEXT.split('${MY_PREFIX}').join(prefix));
}

const policy = jetsDeployPolicy({ prefix: PREFIX });

function statement(doc: PolicyDocument, index: number): PolicyStatement {
  return doc.Statement[index];
}

describe('jetsDeployPolicy', () => {
  it("is the seed's policy for my-cool-prefix with the three fixes, in the seed's statement order, without Sids", () => {
    const fixed = seedPolicy();
    // Fix 2: s3:Describe* removed from the S3 statement.
    fixed.Statement[3].Action = fixed.Statement[3].Action.filter((a) => a !== 's3:Describe*');
    // Fix 3: the log group ARN.
    fixed.Statement[5].Resource = [`arn:aws:logs:*:*:log-group:/aws/lambda/${PREFIX}-*`];
    // Fix 1 (the duplicate lambda:GetFunctionConfiguration) is what canonical rendering does on its own.
    expect(JSON.stringify(policy)).toBe(JSON.stringify(canonicalPolicy(fixed)));
    expect(policy.Statement).toHaveLength(7);
    expect(policy.Statement.every((s) => s.Sid === undefined)).toBe(true);
  });

  it('differs from the seed in exactly the three fixes', () => {
    const seed = canonicalPolicy(seedPolicy());
    const changed = seed.Statement.map((s, i) => (JSON.stringify(s) === JSON.stringify(policy.Statement[i]) ? null : i)).filter((i) => i !== null);
    expect(changed).toEqual([3, 5]);
  });

  it('fix: duplicate lambda:GetFunctionConfiguration is listed once', () => {
    const seedLambda = seedPolicy().Statement[2].Action;
    expect(seedLambda.filter((a) => a === 'lambda:GetFunctionConfiguration')).toHaveLength(2);
    const actions = listOf(statement(policy, 2).Action!);
    expect(actions.filter((a) => a === 'lambda:GetFunctionConfiguration')).toHaveLength(1);
    // The core's rendering removes duplicates by itself: the seed's statement renders the same.
    expect(statement(canonicalPolicy(seedPolicy()), 2)).toEqual(statement(policy, 2));
    expect(actions).toHaveLength(new Set(seedLambda).size);
  });

  it('fix: s3:Describe* grants nothing on buckets and objects, so it is removed', () => {
    const findings = policyFindings(canonicalPolicy(seedPolicy()), { kind: 'group-inline', acknowledge: JETS_DEPLOY_ACKNOWLEDGED });
    // iam-data: s3:Describe* is DescribeJob (a job ARN) and DescribeMultiRegionAccessPointOperation.
    expect(findings).toContainEqual(
      expect.objectContaining({ field: 'Statement[3].Resource', problem: expect.stringMatching(/^no resource fits s3:Describe\*, which applies to .*:job\/\$\{JobId\}/) }),
    );
    expect(listOf(statement(policy, 3).Action!)).not.toContain('s3:Describe*');
    expect(listOf(statement(policy, 3).Action!)).toEqual(['s3:Put*', 's3:List*', 's3:Get*', 's3:Delete*', 's3:CreateBucket']);
  });

  it('fix: the log group ARN (:*:*) granted logs:DeleteLogGroup on no log group; now log-group:/aws/lambda/<prefix>-*', () => {
    const seed = canonicalPolicy(seedPolicy());
    const seedLogs = 'arn:aws:logs:*:*:log-group:/aws/lambda/my-cool-prefix-*:*:*';
    expect(statement(seed, 5).Resource).toBe(seedLogs);
    expect(statement(policy, 5)).toEqual({ Action: 'logs:DeleteLogGroup', Effect: 'Allow', Resource: 'arn:aws:logs:*:*:log-group:/aws/lambda/my-cool-prefix-*' });
    // Both forms of a log group's ARN (the CloudWatch Logs API reference's LogGroup `arn`, with `:*`, and
    // `logGroupArn`, without), matched literally as IAM matches a request: the seed's pattern fits neither.
    const group = 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/my-cool-prefix-dev-controller';
    for (const arn of [group, `${group}:*`]) {
      expect(iamPattern(seedLogs).test(arn)).toBe(false);
      expect(iamPattern(statement(policy, 5).Resource as string).test(arn)).toBe(true);
    }
  });

  it("passes policyFindings for a group inline policy with only the seed's own wildcards acknowledged", () => {
    const raw = policyFindings(policy, { kind: 'group-inline' });
    expect(raw.map((f) => [f.field, f.code])).toEqual([
      ['Statement[1]', 'PASS_ROLE_UNSCOPED'],
      ['Statement[4].Action[2]', 'WILDCARD_ACTION'],
      ['Statement[4].Resource', 'WILDCARD_RESOURCE'],
    ]);
    expect(policyFindings(policy, { kind: 'group-inline', acknowledge: JETS_DEPLOY_ACKNOWLEDGED })).toEqual([]);
    expect(policyFindings(policy, { kind: 'managed', acknowledge: JETS_DEPLOY_ACKNOWLEDGED })).toEqual([]);
  });

  it('fits a group inline policy (5,120 characters) with room to spare', () => {
    expect(JSON.stringify(policy).length).toBeLessThan(POLICY_SIZE_LIMITS['group-inline'].limit / 2);
  });

  it('builds the same JSON on every call', () => {
    expect(JSON.stringify(jetsDeployPolicy({ prefix: PREFIX }))).toBe(JSON.stringify(policy));
  });
});

describe('bad prefixes are rejected, saying what each would do', () => {
  it.each([
    ['', /an empty prefix writes patterns like arn:aws:s3:::-\* that name no project/],
    ['*', /'\*' is a wildcard in an ARN pattern: the policy would cover other projects'/],
    ['my-*', /'\*' is a wildcard/],
    ['my-cool-prefi?', /'\?' is a wildcard/],
    ['my:prefix', /':' separates ARN parts/],
    ['my/prefix', /'\/' separates ARN parts: .*objects of the bucket a/],
    ['${var.prefix}', /holds a reference or policy variable/],
    ['My-Prefix', /only common characters are lower-case letters, digits and hyphens/],
    ['1prefix', /a stack name starts with a letter/],
    ['my_prefix', /lower-case letters, digits and hyphens/],
    ['my.prefix', /lower-case letters, digits and hyphens/],
    ['a'.repeat(62), /62 characters: "<prefix>-" and a name must fit an S3 bucket name \(63 characters\)/],
  ])('%j', (prefix, problem) => {
    let error: Error | undefined;
    try {
      jetsDeployPolicy({ prefix });
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(new RegExp(`^jetsDeployPolicy: 1 problem\\n- prefix: ${escape(JSON.stringify(prefix))}: `));
    expect(error?.message).toMatch(problem);
    expect(error?.message).toMatch(/Fix: /);
  });

  it('accepts a 61-character prefix and digits and hyphens after the first letter', () => {
    expect(() => jetsDeployPolicy({ prefix: 'a'.repeat(61) })).not.toThrow();
    expect(() => jetsDeployPolicy({ prefix: 'app2-dev' })).not.toThrow();
  });
});

describe('passRoleToServices (not in the seed)', () => {
  const scoped = jetsDeployPolicy({ prefix: PREFIX, passRoleToServices: ['lambda.amazonaws.com'] });

  it('moves iam:PassRole into a statement of its own with iam:PassedToService; the seed statements stay in place', () => {
    expect(scoped.Statement).toHaveLength(8);
    expect(listOf(statement(scoped, 1).Action!)).not.toContain('iam:PassRole');
    expect(statement(scoped, 7)).toEqual({
      Action: 'iam:PassRole',
      Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
      Effect: 'Allow',
      Resource: 'arn:aws:iam::*:role/my-cool-prefix-*',
    });
    expect(policyFindings(scoped, { kind: 'group-inline' }).map((f) => f.code)).toEqual(['WILDCARD_ACTION', 'WILDCARD_RESOURCE']);
  });

  it('rejects an empty list and a wildcard service', () => {
    expect(() => jetsDeployPolicy({ prefix: PREFIX, passRoleToServices: [] })).toThrow(/- passRoleToServices: \[\]: an empty list .* Fix: omit passRoleToServices/);
    expect(() => jetsDeployPolicy({ prefix: PREFIX, passRoleToServices: ['lambda.*'] })).toThrow(/- passRoleToServices\[0\]: "lambda\.\*": not a service principal name/);
  });
});

/** An IAM resource pattern as a RegExp over a literal ARN: `*` any run, `?` any one character. */
function iamPattern(pattern: string): RegExp {
  return new RegExp(`^${[...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : escape(c))).join('')}$`);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
