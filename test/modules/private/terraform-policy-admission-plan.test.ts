/**
 * The generated modules with AWS resources that take a trust or bucket policy as JSON text (`iam-role`'s
 * `trust_policy`, and `trust`; `state-access-role`'s `trust_policy`; `s3-bucket-policy`'s `policy`) send it
 * through `../policy-admission`: with the real AWS provider from the local mirror (offline: fake
 * credentials, no account lookup, no metadata service), `terraform plan` fails for each class of open trust,
 * naming its rule, and passes once each finding is acknowledged with a reason. Where no mirror exists (the
 * provider cannot be downloaded), the test says so and is skipped, as test/examples does.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { admissionFindings } from '../../../modules/core/admission';
import type { PolicyDocument } from '../../../modules/core/policy-document';
import { checkTrustPolicy, trustPolicy } from '../../../modules/iam-role/trust-policy';
import { requireTool, TERRAFORM_INSTALL } from '../../support/aws-lab/tools';
import { recordFigure } from '../../support/figures';
import { OFFLINE_AWS_PROVIDER, providerMirror, terraform } from '../../support/terraform-cli';

jest.setTimeout(300_000);

const ROOT = join(__dirname, '..', '..', '..');
const ACCOUNT = '123456123456';
const GITHUB = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const KEY = 'token.actions.githubusercontent.com';

const trust = (principal: unknown, action: string, condition?: unknown): PolicyDocument =>
  ({ Version: '2012-10-17', Statement: [{ Action: action, ...(condition !== undefined && { Condition: condition }), Effect: 'Allow', Principal: principal }] }) as PolicyDocument;

/** Each class of open trust, with the rules the TypeScript finds for it. */
const OPEN: Record<string, { doc: PolicyDocument; rules: string[] }> = {
  anyone: { doc: trust('*', 'sts:AssumeRole'), rules: ['ANY_PRINCIPAL'] },
  aws_star: { doc: trust({ AWS: '*' }, 'sts:AssumeRole'), rules: ['ANY_PRINCIPAL'] },
  github_bare: { doc: trust({ Federated: GITHUB }, 'sts:AssumeRoleWithWebIdentity'), rules: ['OIDC_AUDIENCE_UNPINNED', 'OIDC_SUBJECT_UNPINNED'] },
  github_audience_only: { doc: trust({ Federated: GITHUB }, 'sts:AssumeRoleWithWebIdentity', { StringEquals: { [`${KEY}:aud`]: 'sts.amazonaws.com' } }), rules: ['OIDC_SUBJECT_UNPINNED'] },
  github_any_owner: {
    doc: trust({ Federated: GITHUB }, 'sts:AssumeRoleWithWebIdentity', { StringEquals: { [`${KEY}:aud`]: 'sts.amazonaws.com' }, StringLike: { [`${KEY}:sub`]: 'repo:*' } }),
    rules: ['OIDC_SUBJECT_ANY_OWNER'],
  },
  cognito: { doc: trust({ Federated: 'cognito-identity.amazonaws.com' }, 'sts:AssumeRoleWithWebIdentity'), rules: ['COGNITO_UNPINNED'] },
  other_account: { doc: trust({ AWS: 'arn:aws:iam::210987654321:root' }, 'sts:AssumeRole'), rules: ['CROSS_ACCOUNT'] },
  // Not open: a role of the module's own account (so the account reaches the check).
  same_account: { doc: trust({ AWS: `arn:aws:iam::${ACCOUNT}:role/deployer` }, 'sts:AssumeRole'), rules: [] },
};
const OPEN_CASES = Object.values(OPEN).filter((c) => c.rules.length > 0).length;
/** The same principals in a bucket policy. */
const bucketPolicy = (doc: PolicyDocument): PolicyDocument => ({ ...doc, Statement: doc.Statement.map((s) => ({ ...s, Action: 's3:GetObject', Resource: 'arn:aws:s3:::my-bucket/*' })) });
const reasons = (rules: string[]) => rules.map((rule) => ({ rule, reason: `reviewed: ${rule}` }));
/** A typed trust of another account, through iam-role's trust and ../trust-policy. */
const TYPED = { accounts: ['210987654321'] };

/** The root module: the three modules, one call per case each, and the AWS provider configured to plan offline. */
function rootModule(acknowledged: boolean): Record<string, unknown> {
  const cases = (module: string, policy: (doc: PolicyDocument) => PolicyDocument) =>
    Object.fromEntries(Object.entries(OPEN).map(([name, { doc, rules }]) => [`${module}_${name}`, { policy: JSON.stringify(policy(doc)), acknowledge: acknowledged ? reasons(rules) : [] }]));
  return {
    terraform: { required_providers: { aws: { source: 'hashicorp/aws' } } },
    provider: {
      aws: OFFLINE_AWS_PROVIDER,
    },
    locals: {
      // The typed trust's acknowledgement comes in trust_policy_acknowledge, which iam-role adds to trust's own.
      roles: {
        ...cases('role', (d) => d),
        role_typed: { trust: TYPED, acknowledge: acknowledged ? reasons(['CROSS_ACCOUNT']) : [] },
        // A CI preset through iam-role's trust: pinned tokens of the role's account, nothing to accept.
        role_github: { trust: { github_actions: [{ owner: 'my-org', repository: 'infra', branches: ['main'] }] }, acknowledge: [] },
      },
      state_roles: cases('state', (d) => d),
      buckets: cases('bucket', bucketPolicy),
    },
    module: {
      role: {
        for_each: '${local.roles}',
        source: '../terraform-modules/iam-role',
        name: '${each.key}',
        account: ACCOUNT,
        trust: '${try(each.value.trust, null)}',
        trust_policy: '${try(each.value.policy, null)}',
        trust_policy_acknowledge: '${try(each.value.acknowledge, [])}',
      },
      state_role: {
        for_each: '${local.state_roles}',
        source: '../terraform-modules/state-access-role',
        name: '${each.key}',
        account: ACCOUNT,
        trust_policy: '${each.value.policy}',
        trust_policy_acknowledge: '${each.value.acknowledge}',
        state_bucket_arn: 'arn:aws:s3:::my-state-bucket',
        can_read: [{ key: 'terraform.tfstate' }],
      },
      bucket: {
        for_each: '${local.buckets}',
        source: '../terraform-modules/s3-bucket-policy',
        bucket: 'my-bucket',
        account: ACCOUNT,
        policy: '${each.value.policy}',
        acknowledge: '${each.value.acknowledge}',
      },
    },
  };
}

describe('iam-role, state-access-role and s3-bucket-policy with the AWS provider: who their policies admit, at plan time', () => {
  const mirror = providerMirror();
  if (mirror === undefined) {
    process.stdout.write('policy admission with the AWS provider: no local provider mirror (TF_AWS_PROVIDER_MIRROR or /opt/tf-plugins): terraform plan skipped\n');
    recordFigure('modules with AWS resources planned for open trust (skipped: no provider mirror)', 0);
  }
  const maybe = mirror === undefined ? it.skip : it;
  let dir: string;
  let binary: string;
  const plan = async (acknowledged: boolean): Promise<string> => {
    writeFileSync(join(dir, 'root', 'main.tf.json'), JSON.stringify(rootModule(acknowledged)));
    return terraform(binary, join(dir, 'root'), ['plan', '-input=false', '-refresh=false', '-lock=false'], dir).then(
      (out) => out,
      (error: Error) => error.message,
    );
  };

  beforeAll(async () => {
    if (mirror === undefined) return;
    binary = requireTool('terraform', TERRAFORM_INSTALL);
    dir = mkdtempSync(join(tmpdir(), 'admission-plan-'));
    cpSync(join(ROOT, 'terraform-modules'), join(dir, 'terraform-modules'), { recursive: true });
    mkdirSync(join(dir, 'root'));
    writeFileSync(join(dir, 'terraformrc'), '');
    writeFileSync(join(dir, 'root', 'main.tf.json'), JSON.stringify(rootModule(false)));
    // -plugin-dir links the mirror's unpacked provider: nothing is copied or downloaded.
    await terraform(binary, join(dir, 'root'), ['init', '-input=false', '-backend=false', `-plugin-dir=${mirror}`], dir);
  });

  afterAll(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('are cases the TypeScript finds the same rules for (Role and StateAccessRole check trust policies with checkTrustPolicy)', () => {
    for (const [name, { doc, rules }] of Object.entries(OPEN)) {
      expect({ name, trust: checkTrustPolicy(doc, { account: ACCOUNT }).findings.map((f) => f.code) }).toEqual({ name, trust: rules });
      expect({ name, admission: admissionFindings(bucketPolicy(doc), { account: ACCOUNT }).map((f) => f.code) }).toEqual({ name, admission: rules });
      expect({ name, accepted: checkTrustPolicy(doc, { account: ACCOUNT, acknowledge: reasons(rules) as never }).findings }).toEqual({ name, accepted: [] });
    }
    expect(() => trustPolicy({ ...TYPED, account: ACCOUNT })).toThrow(/CROSS_ACCOUNT/);
    expect(() => trustPolicy({ ...TYPED, account: ACCOUNT, acknowledge: reasons(['CROSS_ACCOUNT']) as never })).not.toThrow();
  });

  maybe('fail terraform plan for each class of open trust, naming the rule of each finding (and pass a principal of the account)', async () => {
    const output = (await plan(false)).replace(/\s+/g, ' ');
    const calls = 3 * OPEN_CASES + 1;
    expect(output.split('Error: Module output value precondition failed').length - 1).toBe(calls);
    const rules = [...Object.values(OPEN).flatMap((c) => c.rules), ...Object.values(OPEN).flatMap((c) => c.rules), ...Object.values(OPEN).flatMap((c) => c.rules), 'CROSS_ACCOUNT'];
    for (const rule of new Set(rules)) expect({ rule, times: output.split(`[${rule}]`).length - 1 }).toEqual({ rule, times: rules.filter((r) => r === rule).length });
    recordFigure('modules with AWS resources planned for open trust', calls);
  });

  maybe('pass terraform plan once each finding is acknowledged with a reason, and create the role or policy', async () => {
    const output = await plan(true);
    expect(output).not.toMatch(/Error/);
    // Each role (with its inline policy for the state roles) and each bucket policy.
    const roles = Object.keys(OPEN).length + 2;
    const resources = roles + 2 * Object.keys(OPEN).length + Object.keys(OPEN).length;
    expect(output).toContain(`Plan: ${resources} to add, 0 to change, 0 to destroy.`);
  });
});
