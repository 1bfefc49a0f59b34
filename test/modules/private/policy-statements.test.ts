/**
 * A statement table's two interpreters (modules/private/policy-statements.ts and terraform-statements.ts) on a
 * table of every kind of term and test, with literal text a Terraform template would read as a sequence
 * (`${aws:username}`, an IAM policy variable, and `%{`): the TypeScript's document and the one the real
 * terraform CLI renders from the HCL the renderer writes are the same bytes, for values that switch each
 * statement and condition on and off. The family tests hold each policy's own table the same way.
 */
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { policyDocument } from '../../../modules/core/policy-document';
import { all, any, arn, isSet, isTrue, many, nonEmpty, not, one, type StatementTable, tableStatements, type TableValues } from '../../../modules/private/policy-statements';
import { hclConfiguration } from '../../../modules/private/terraform-hcl';
import { statementLocals } from '../../../modules/private/terraform-statements';
import { requireTool, TERRAFORM_INSTALL } from '../../support/aws-lab/tools';
import { terraform } from '../../support/terraform-cli';

jest.setTimeout(120_000);

type Value = 'account' | 'buckets' | 'users' | 'flag' | 'key';

const TABLE: StatementTable<Value> = [
  { sid: 'Always', actions: ['s3:GetObject', 's3:ListBucket', 's3:GetObject'], resources: ['*'] },
  {
    sid: 'Patterns',
    actions: ['s3:PutObject'],
    // A literal with a policy variable, a pattern of one value, a pattern of two lists (every combination).
    resources: ['arn:aws:s3:::shared/${aws:username}/%{x}/*', arn`arn:aws:iam::${one('account')}:root`, arn`arn:aws:s3:::${many('buckets')}/${many('users')}/\${aws:userid}`],
    conditions: [
      { test: 'StringLike', variable: 's3:prefix', values: [many('users')] },
      { test: 'StringEquals', variable: 'aws:PrincipalAccount', values: [one('account')] },
    ],
    when: nonEmpty('buckets'),
  },
  { sid: 'Flagged', effect: 'Deny', actions: ['s3:DeleteObject'], resources: [many('buckets')], when: all(isTrue('flag'), any(isSet('key'), nonEmpty('users'))) },
  { sid: 'Unflagged', actions: ['kms:Decrypt'], resources: [one('key')], when: all(not(isTrue('flag')), isSet('key')) },
];

const CASES: Record<string, TableValues<Value>> = {
  everything: { account: '123456123456', buckets: ['b1', 'b0'], users: ['u<1>', 'u&2'], flag: true, key: 'arn:aws:kms:eu-west-1:123456123456:key/k' },
  nothing: { account: '123456123456', buckets: [], users: [], flag: false, key: undefined },
  one_each: { account: '210987654321', buckets: ['b'], users: ['u'], flag: false, key: 'arn:aws:kms:eu-west-1:123456123456:key/k' },
};

describe('a statement table', () => {
  it('renders the same bytes in TypeScript and in real terraform, literal ${ and %{ included', async () => {
    const binary = requireTool('terraform', TERRAFORM_INSTALL);
    const dir = mkdtempSync(join(tmpdir(), 'policy-statements-'));
    writeFileSync(join(dir, 'terraformrc'), '');
    const locals = statementLocals(TABLE, { account: 'var.account', buckets: 'var.buckets', users: 'var.users', flag: 'var.flag', key: 'var.key' });
    writeFileSync(
      join(dir, 'main.tf'),
      hclConfiguration({
        variable: {
          account: { type: 'string' },
          buckets: { type: 'list(string)' },
          users: { type: 'list(string)' },
          flag: { type: 'bool' },
          key: { type: 'string', default: null },
        },
        locals,
        output: { json: { value: '${local.document}' } },
      }),
    );
    await terraform(binary, dir, ['init', '-input=false', '-backend=false']);
    for (const [name, values] of Object.entries(CASES)) {
      const vars = Object.entries(values)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `-var=${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
      await terraform(binary, dir, ['apply', '-auto-approve', '-input=false', ...vars]);
      // Go's encoder writes <, > and & as \u escapes: the same document once parsed.
      const rendered = (await terraform(binary, dir, ['output', '-raw', 'json']))
        .replace(/\\u003c/g, '<')
        .replace(/\\u003e/g, '>')
        .replace(/\\u0026/g, '&');
      expect({ name, rendered }).toEqual({ name, rendered: JSON.stringify(policyDocument({ statements: tableStatements(TABLE, values) })) });
    }
  });

  it('reads each kind of term as the TypeScript policies read their props', () => {
    const statements = tableStatements(TABLE, CASES.everything);
    expect(statements.map((s) => s.sid)).toEqual(['Always', 'Patterns', 'Flagged']);
    expect(statements[1].resources).toEqual([
      'arn:aws:s3:::shared/${aws:username}/%{x}/*',
      'arn:aws:iam::123456123456:root',
      'arn:aws:s3:::b1/u<1>/${aws:userid}',
      'arn:aws:s3:::b1/u&2/${aws:userid}',
      'arn:aws:s3:::b0/u<1>/${aws:userid}',
      'arn:aws:s3:::b0/u&2/${aws:userid}',
    ]);
    expect(tableStatements(TABLE, CASES.nothing).map((s) => s.sid)).toEqual(['Always']);
  });
});
