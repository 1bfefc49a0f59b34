/**
 * Every class of open trust the issue lists, through every path that writes a trust or resource policy:
 * `trustPolicy` (typed principals), `Role` and `StateAccessRole` (a document and its JSON text),
 * `BucketPolicy`. Each fails at synth naming the construct, the field and the rule, with a fix; accepted
 * with a reason, it passes and the reason is written next to the resource.
 */
import { type Acknowledgement, PolicyValidationError } from '../../../modules/core';
import { Role, trustPolicy, type TrustPolicyProps } from '../../../modules/iam-role';
import { BucketPolicy } from '../../../modules/policy-types';
import { StateAccessRole } from '../../../modules/state-access';
import type { Construct } from 'constructs';
import { validationErrorOf } from '../../support/errors';
import { only, synth, synthWithComments } from '../../support/synth';

const ACCOUNT = '111111111111';
const GITHUB = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const webIdentity = (federated: string, condition?: object) => ({
  Version: '2012-10-17',
  Statement: [{ Action: 'sts:AssumeRoleWithWebIdentity', Effect: 'Allow', Principal: { Federated: federated }, ...(condition !== undefined && { Condition: condition }) }],
});
const assume = (principal: unknown, condition?: object) => ({
  Version: '2012-10-17',
  Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: principal, ...(condition !== undefined && { Condition: condition }) }],
});

/** Each class: a trust document, the rules it breaks, and the field the first is at. */
const OPEN_TRUSTS: [string, object, string[], string][] = [
  ['Principal "*"', assume('*'), ['ANY_PRINCIPAL'], 'Statement[0].Principal'],
  ['{ AWS: "*" }', assume({ AWS: '*' }), ['ANY_PRINCIPAL'], 'Statement[0].Principal'],
  ['GitHub as Federated principal, no condition', webIdentity(GITHUB), ['OIDC_AUDIENCE_UNPINNED', 'OIDC_SUBJECT_UNPINNED'], 'Statement[0].Principal.Federated'],
  [
    'GitHub with aud only: any workflow of any repository',
    webIdentity(GITHUB, { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } }),
    ['OIDC_SUBJECT_UNPINNED'],
    'Statement[0].Principal.Federated',
  ],
  [
    'GitHub with sub "repo:*"',
    webIdentity(GITHUB, { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' }, StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:*' } }),
    ['OIDC_SUBJECT_ANY_OWNER'],
    'Statement[0].Condition.StringLike.token.actions.githubusercontent.com:sub',
  ],
  ['a Cognito identity pool trust with no condition', webIdentity('cognito-identity.amazonaws.com'), ['COGNITO_UNPINNED'], 'Statement[0].Principal.Federated'],
  ['a principal of another account', assume({ AWS: 'arn:aws:iam::222222222222:root' }), ['CROSS_ACCOUNT'], 'Statement[0].Principal.AWS'],
];

/** The PolicyValidationError `build` throws while synthesizing. */
const errorOf = (build: Parameters<typeof synth>[0]): PolicyValidationError => validationErrorOf(() => synth(build));

const reasons = (rules: string[]): Acknowledgement[] => rules.map((rule) => ({ rule: rule as never, reason: `accepted in a test: ${rule}` }));

describe.each([
  ['Role, a document', (trust: object, ack: Acknowledgement[]) => (s: Construct) => new Role(s, 'role', { name: 'r', account: ACCOUNT, trustPolicy: trust as never, trustPolicyAcknowledge: ack })],
  [
    'Role, JSON text',
    (trust: object, ack: Acknowledgement[]) => (s: Construct) => new Role(s, 'role', { name: 'r', account: ACCOUNT, trustPolicy: JSON.stringify(trust), trustPolicyAcknowledge: ack }),
  ],
  [
    'StateAccessRole, a document',
    (trust: object, ack: Acknowledgement[]) => (s: Construct) =>
      new StateAccessRole(s, 'role', { name: 'r', account: ACCOUNT, stateBucketArn: 'arn:aws:s3:::state', canPlan: [{ key: 'k' }], trustPolicy: trust as never, trustPolicyAcknowledge: ack }),
  ],
  [
    'StateAccessRole, JSON text',
    (trust: object, ack: Acknowledgement[]) => (s: Construct) =>
      new StateAccessRole(s, 'role', { name: 'r', account: ACCOUNT, stateBucketArn: 'arn:aws:s3:::state', canPlan: [{ key: 'k' }], trustPolicy: JSON.stringify(trust), trustPolicyAcknowledge: ack }),
  ],
])('%s', (_path, construct) => {
  it.each(OPEN_TRUSTS)('%s: fails naming the construct, the field and the rule, with a fix', (_what, trust, rules, field) => {
    const error = errorOf(construct(trust, []));
    expect(error.context).toBe('test/role');
    expect(error.findings.map((f) => f.code)).toEqual(rules);
    expect(error.findings[0].field).toBe(`trustPolicy.${field}`);
    expect(error.message).toMatch(new RegExp(`^test/role: \\d problems?\\n- trustPolicy\\.${field.replace(/[.[\]*]/g, '\\$&')}: .*\\. Fix: .*\\[${rules[0]}\\]`, 'm'));
  });

  it.each(OPEN_TRUSTS)('%s: accepted with a reason, it is written, and the reason recorded next to the role', (_what, trust, rules) => {
    const out = synthWithComments(construct(trust, reasons(rules)));
    const comment = only(out.resource.aws_iam_role)['//'] as { admission: { acknowledged: { rule: string; reason: string }[] } };
    expect(comment.admission.acknowledged.map((a) => a.rule).sort()).toEqual([...rules].sort());
    expect(comment.admission.acknowledged[0].reason).toMatch(/^accepted in a test/);
  });
});

describe('trustPolicy, typed principals', () => {
  const error = (props: TrustPolicyProps) => validationErrorOf(() => trustPolicy(props));
  const oidc = (subjects: string[]) => ({ account: ACCOUNT, oidc: [{ providerArn: GITHUB, audience: 'sts.amazonaws.com', subjects }] });

  it.each(['repo:*', '*:*', 'repo:*/*:*', 'r*'])('an OIDC subject %p: OIDC_SUBJECT_ANY_OWNER at the input field', (subject) => {
    const e = error(oidc([subject]));
    expect(e.findings.map((f) => [f.field, f.code])).toEqual([['oidc[0] (Statement[0].Condition.StringLike.token.actions.githubusercontent.com:sub)', 'OIDC_SUBJECT_ANY_OWNER']]);
  });

  it('an OIDC subject of wildcards alone: OIDC_SUBJECT_UNPINNED', () => {
    expect(error(oidc(['*'])).findings.map((f) => f.code)).toEqual(['OIDC_SUBJECT_UNPINNED']);
  });

  it("accounts of another account, or with the role's account not given: CROSS_ACCOUNT", () => {
    expect(error({ account: ACCOUNT, accounts: ['222222222222'] }).findings.map((f) => [f.field, f.code])).toEqual([['accounts (Statement[0].Principal.AWS)', 'CROSS_ACCOUNT']]);
    expect(error({ accounts: [ACCOUNT] }).findings.map((f) => f.code)).toEqual(['CROSS_ACCOUNT']);
    expect(() => trustPolicy({ account: ACCOUNT, accounts: [ACCOUNT] })).not.toThrow();
  });

  it('"*" cannot be written as a typed principal at all', () => {
    expect(error({ account: ACCOUNT, accounts: ['*'] }).findings.map((f) => f.field)).toEqual(['accounts[0]']);
    expect(error({ account: ACCOUNT, roles: ['*'] }).findings.map((f) => f.field)).toEqual(['roles[0]']);
  });

  it('accepted with a reason, by the props or by the role', () => {
    expect(() => trustPolicy({ ...oidc(['repo:*']), acknowledge: [{ rule: 'OIDC_SUBJECT_ANY_OWNER', reason: 'a public demo role with no permissions' }] })).not.toThrow();
    const out = synthWithComments((s) => new Role(s, 'role', { name: 'r', trustPolicy: { account: ACCOUNT, accounts: ['222222222222'] }, trustPolicyAcknowledge: reasons(['CROSS_ACCOUNT']) }));
    expect(only(out.resource.aws_iam_role)['//']).toMatchObject({ admission: { account: ACCOUNT, acknowledged: [{ rule: 'CROSS_ACCOUNT', field: 'Statement[0].Principal.AWS' }] } });
  });
});

describe('BucketPolicy', () => {
  const site = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::site-assets/*' }] };

  it('"Principal": "*" without an acknowledgement fails, naming the construct, the field and the rule', () => {
    const error = errorOf((s) => new BucketPolicy(s, 'site', { bucket: 'site-assets', account: ACCOUNT, document: site as never }));
    expect(error.message).toMatch(/^test\/site: 1 problem\n- document\.Statement\[0\]\.Principal: "\*": admits any principal.*\[ANY_PRINCIPAL\]$/);
  });

  it('by name alone it still fails; with a reason it is written, the reason next to it', () => {
    expect(
      errorOf((s) => new BucketPolicy(s, 'site', { bucket: 'site-assets', account: ACCOUNT, document: site as never, acknowledge: ['ANY_PRINCIPAL'] })).findings.map((f) => [f.field, f.code]),
    ).toEqual([['acknowledge[0]', 'ACKNOWLEDGEMENT_INVALID']]);
    const out = synthWithComments(
      (s) => new BucketPolicy(s, 'site', { bucket: 'site-assets', account: ACCOUNT, document: site as never, acknowledge: [{ rule: 'ANY_PRINCIPAL', reason: 'the public website' }] }),
    );
    expect(only(out.resource.aws_s3_bucket_policy)['//']).toMatchObject({
      admission: { account: ACCOUNT, acknowledged: [{ rule: 'ANY_PRINCIPAL', field: 'Statement[0].Principal', reason: 'the public website' }] },
    });
  });

  it('"*" narrowed to the organization needs no acknowledgement', () => {
    const org = { ...site, Statement: [{ ...site.Statement[0], Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }] };
    expect(() => synth((s) => new BucketPolicy(s, 'site', { bucket: 'site-assets', account: ACCOUNT, document: org as never }))).not.toThrow();
  });
});
