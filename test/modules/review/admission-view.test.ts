/**
 * The access report's "Who gets in": the admission check run again on the synthesized trust and bucket
 * policies, each finding shown with the reason the construct recorded for accepting it, or flagged
 * NOT_ACKNOWLEDGED; and the same on the project's own stacks, built by the constructs.
 */
import { App } from 'cdktf';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { accessReport, readStack, renderReport, type SubjectReport } from '../../../modules/review';
import { ExampleCorpStack } from '../../../stacks/example-corp';
import { CiTerraformGithubStack } from '../../../stacks/ci-terraform-github';
import { doc, read, roleResources, stackJson } from './crafted-stacks';

const SOURCE = { stacksDir: 'stacks', command: 'npm run report', jsonFile: 'access-report.json' };
const GITHUB = 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com';

function subject(json: unknown, name: string): SubjectReport {
  return accessReport([read(json)]).stacks[0].subjects.find((s) => s.name === name)!;
}

/** A stack of one role trusting `trust`, its provider pinned to `account`, the role's `"//"` comment as given. */
function roleJson(trust: object, options: { account?: string; comment?: unknown } = {}): unknown {
  const resources = roleResources({ name: 'ci', trust: trust as never });
  const role = Object.values(resources.aws_iam_role)[0];
  if (options.comment !== undefined) role['//'] = options.comment;
  return stackJson(resources, [{ region: 'eu-west-1', ...(options.account !== undefined && { allowed_account_ids: [options.account] }) }]);
}

describe('accessReport: who gets in', () => {
  const ownAccount = doc({ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' } });

  it("a role trusting its own provider's account: no finding, and the report says who gets in all the same", () => {
    const s = subject(roleJson(ownAccount, { account: '111111111111' }), 'ci');
    expect(s.admission).toEqual([]);
    expect(s.admitted).toEqual([{ policy: 'trust policy of ci', principals: ['AWS arn:aws:iam::111111111111:root'], conditional: false }]);
    const markdown = renderReport(accessReport([read(roleJson(ownAccount, { account: '111111111111' }))]), SOURCE);
    expect(markdown).toContain('#### Who gets in\n\n- trust policy of ci: no finding: only `AWS arn:aws:iam::111111111111:root` gets in.\n\n#### Permissions');
  });

  it('every trust and bucket policy gets its "Who gets in", finding or not: the principals it admits, under its conditions', () => {
    const pinned = doc(
      {
        Action: 'sts:AssumeRoleWithWebIdentity',
        Effect: 'Allow',
        Principal: { Federated: GITHUB },
        Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': 'repo:acme/infra:ref:refs/heads/main' } },
      },
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: ['ec2.amazonaws.com', 'lambda.amazonaws.com'] } },
      { Action: 'sts:AssumeRole', Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::111111111111:root' } },
    );
    const role = renderReport(accessReport([read(roleJson(pinned, { account: '111111111111' }))]), SOURCE);
    expect(role).toContain(`- trust policy of ci: no finding: only \`Federated ${GITHUB}\`, \`Service ec2.amazonaws.com\`, \`Service lambda.amazonaws.com\` get in, under the conditions above.\n`);
    const bucket = (principal: unknown) =>
      stackJson(
        {
          aws_s3_bucket_policy: { data: { bucket: 'data', policy: JSON.stringify(doc({ Action: 's3:GetObject', Effect: 'Allow', Principal: principal as never, Resource: 'arn:aws:s3:::data/*' })) } },
        },
        [{ region: 'eu-west-1', allowed_account_ids: ['111111111111'] }],
      );
    const own = renderReport(accessReport([read(bucket({ AWS: 'arn:aws:iam::111111111111:role/reader' }))]), SOURCE);
    expect(own).toContain('#### Who gets in\n\n- bucket policy of data: no finding: only `AWS arn:aws:iam::111111111111:role/reader` gets in.\n');
    // With a finding: its table, and no "no finding" line.
    const open = renderReport(accessReport([read(bucket('*'))]), SOURCE);
    expect(open).toMatch(/#### Who gets in\n\n\| Rule \| Policy \|[^\n]*\n\|---/);
    expect(open).not.toContain('no finding');
    // A subject with no trust or bucket policy has none.
    const user = renderReport(accessReport([read(stackJson({ aws_iam_user: { u: { name: 'alice' } } }))]), SOURCE);
    expect(user).not.toContain('Who gets in');
  });

  it('a hand-written GitHub trust without sub: OIDC_SUBJECT_UNPINNED, flagged NOT_ACKNOWLEDGED', () => {
    const trust = doc({
      Action: 'sts:AssumeRoleWithWebIdentity',
      Effect: 'Allow',
      Principal: { Federated: GITHUB },
      Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } },
    });
    const s = subject(roleJson(trust, { account: '111111111111' }), 'ci');
    expect(s.admission.map((e) => [e.rule, e.field, e.acknowledged])).toEqual([['OIDC_SUBJECT_UNPINNED', 'Statement[0].Principal.Federated', false]]);
    expect(s.flags).toEqual(expect.arrayContaining(['OIDC_SUBJECT_UNPINNED', 'NOT_ACKNOWLEDGED']));
    const markdown = renderReport(accessReport([read(roleJson(trust, { account: '111111111111' }))]), SOURCE);
    expect(markdown).toMatch(
      /#### Who gets in\n\n\| Rule \| Policy \| Where \| What it lets in \| Accepted \|\n\|---\|---\|---\|---\|---\|\n\| `OIDC_SUBJECT_UNPINNED` \| trust policy of ci \| `Statement\[0\]\.Principal\.Federated` \| tokens of GitHub Actions are not pinned to a subject.* \| \*\*`NOT_ACKNOWLEDGED`\*\* \|/,
    );
  });

  it('an acknowledgement the construct recorded, for the same rule and field: shown with its reason', () => {
    const other = doc({ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' } });
    const comment = { admission: { account: '111111111111', acknowledged: [{ rule: 'CROSS_ACCOUNT', field: 'Statement[0].Principal.AWS', reason: 'the tooling account deploys' }] } };
    const s = subject(roleJson(other, { account: '111111111111', comment }), 'ci');
    expect(s.admission).toEqual([
      {
        rule: 'CROSS_ACCOUNT',
        policy: 'trust policy of ci',
        field: 'Statement[0].Principal.AWS',
        problem: 'is a principal of account 222222222222, not of 111111111111, the account this policy is in',
        acknowledged: true,
        reason: 'the tooling account deploys',
      },
    ]);
    expect(s.flags).toContain('CROSS_ACCOUNT');
    expect(s.flags).not.toContain('NOT_ACKNOWLEDGED');
    expect(renderReport(accessReport([read(roleJson(other, { account: '111111111111', comment }))]), SOURCE)).toContain('| yes: the tooling account deploys |');
  });

  it('a record for another field, another rule, or malformed, covers nothing', () => {
    const other = doc({ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' } });
    for (const acknowledged of [
      [{ rule: 'CROSS_ACCOUNT', field: 'Statement[1].Principal.AWS', reason: 'x' }],
      [{ rule: 'ANY_PRINCIPAL', field: 'Statement[0].Principal.AWS', reason: 'x' }],
      [{ rule: 'CROSS_ACCOUNT', field: 7 }],
      'CROSS_ACCOUNT',
    ]) {
      const s = subject(roleJson(other, { account: '111111111111', comment: { admission: { acknowledged } } }), 'ci');
      expect([acknowledged, s.admission.map((e) => e.acknowledged)]).toEqual([acknowledged, [false]]);
    }
  });

  it('the account the construct was told, without a pinned provider: used for the check', () => {
    const comment = { admission: { account: '111111111111', acknowledged: [] } };
    expect(subject(roleJson(ownAccount, { comment }), 'ci').admission).toEqual([]);
    expect(subject(roleJson(ownAccount), 'ci').admission.map((e) => e.rule)).toEqual(['CROSS_ACCOUNT']);
  });

  it('the construct told one account and the provider deploys to another: a CROSS_ACCOUNT the reviewer sees', () => {
    const comment = { admission: { account: '111111111111', acknowledged: [] } };
    const s = subject(roleJson(ownAccount, { account: '333333333333', comment }), 'ci');
    expect(s.admission.map((e) => [e.rule, e.field, e.acknowledged])).toEqual([
      ['CROSS_ACCOUNT', '(account)', false],
      ['CROSS_ACCOUNT', 'Statement[0].Principal.AWS', false],
    ]);
  });

  it('a bucket policy open to "*": ANY_PRINCIPAL, NOT_ACKNOWLEDGED', () => {
    const json = stackJson({
      aws_s3_bucket_policy: {
        site: { bucket: 'site', policy: JSON.stringify(doc({ Action: 's3:GetObject', Effect: 'Allow', Principal: '*', Resource: 'arn:aws:s3:::site/*' })) },
      },
    });
    const s = subject(json, 'site');
    expect(s.admission.map((e) => [e.rule, e.field, e.acknowledged])).toEqual([['ANY_PRINCIPAL', 'Statement[0].Principal', false]]);
  });
});

describe('accessReport: who gets in, on stacks the constructs build', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'admission-'));
    const app = new App({ outdir: dir });
    new ExampleCorpStack(app, 'example-corp');
    new CiTerraformGithubStack(app, 'ci-terraform-github');
    app.synth();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const stack = (name: string) => readStack(name, JSON.parse(readFileSync(join(dir, 'stacks', name, 'cdk.tf.json'), 'utf8')), 'test');

  it("example-corp: the data lake's bucket policy lets the application account in, accepted with the seed's reason", () => {
    const lake = accessReport([stack('example-corp')]).stacks[0].subjects.find((s) => s.kind === 'bucket-policy')!;
    expect(lake.admission).toEqual([expect.objectContaining({ rule: 'CROSS_ACCOUNT', acknowledged: true, reason: expect.stringContaining("the seed's policy 6") })]);
    expect(lake.flags).not.toContain('NOT_ACKNOWLEDGED');
  });

  it('ci-terraform-github: the plan and apply roles let in nothing a reviewer must accept', () => {
    // The roles: the stack's OIDC provider is a subject too (unreviewed: compared by content).
    const roles = accessReport([stack('ci-terraform-github')]).stacks[0].subjects.filter((s) => s.kind === 'role');
    expect(roles.map((s) => [s.name, s.admission])).toEqual([
      ['infra-apply', []],
      ['infra-plan', []],
    ]);
  });
});
