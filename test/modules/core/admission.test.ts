/**
 * Who a policy admits (core/admission.ts): each rule on the documents it is about, the conditions that
 * narrow and those that do not, and the acknowledgements that accept a finding.
 */
import {
  acknowledgementFindings,
  admissionFindings,
  applyAcknowledgements,
  type AdmissionOptions,
  checkPolicy,
  type PolicyDocument,
  type PolicyStatement,
  policyFindings,
  PolicyValidationError,
  RULES,
} from '../../../modules/core';

const GITHUB = 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com';
const GH = (claim: string) => `token.actions.githubusercontent.com:${claim}`;
const AUD = { StringEquals: { [GH('aud')]: 'sts.amazonaws.com' } };

/** `rule@field` of every finding for one Allow statement of a bucket-style policy. */
function found(statement: Partial<PolicyStatement>, options: AdmissionOptions = {}): string[] {
  const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', ...statement }] } as PolicyDocument;
  return admissionFindings(doc, options).map((f) => `${f.code}@${f.field}`);
}

/** The rules found for a GitHub web identity statement with `condition`. */
function github(condition: Record<string, Record<string, string | string[]>> | undefined): string[] {
  return found({ Action: 'sts:AssumeRoleWithWebIdentity', Resource: undefined, Principal: { Federated: GITHUB }, ...(condition !== undefined && { Condition: condition }) }).map(
    (f) => f.split('@')[0],
  );
}

describe('ANY_PRINCIPAL: an Allow for anyone, unless a condition pins an organization, account or source to fixed values', () => {
  it.each([
    ['"*"', { Principal: '*' }],
    ['{ AWS: "*" }', { Principal: { AWS: '*' } }],
    ['"*" among accounts', { Principal: { AWS: ['*', '111111111111'] } }],
    ['{ Service: "*" }', { Principal: { Service: '*' } }],
  ])('%s', (_what, statement) => {
    expect(found(statement as Partial<PolicyStatement>, { account: '111111111111' })).toEqual(['ANY_PRINCIPAL@Statement[0].Principal']);
  });

  it('NotPrincipal in an Allow: everyone but those listed', () => {
    expect(found({ NotPrincipal: { AWS: 'arn:aws:iam::111111111111:root' } })).toEqual(['ANY_PRINCIPAL@Statement[0].NotPrincipal']);
  });

  it.each([
    ['aws:PrincipalOrgID', { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }],
    ['aws:PrincipalOrgPaths under a fixed organization', { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-a1b2c3d4e5/r-ab12/*' } }],
    ['aws:PrincipalAccount', { StringEquals: { 'aws:PrincipalAccount': '111111111111' } }],
    ['aws:PrincipalArn in a fixed account', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/ci-*' } }],
    ['aws:SourceArn', { ArnEquals: { 'aws:SourceArn': 'arn:aws:cloudfront::111111111111:distribution/E1' } }],
    ['aws:SourceAccount', { StringEquals: { 'aws:SourceAccount': '111111111111' } }],
    ['aws:SourceOwner', { StringEquals: { 'aws:SourceOwner': '111111111111' } }],
  ])('narrowed by %s', (_what, condition) => {
    expect(found({ Principal: '*', Condition: condition }, { account: '111111111111' })).toEqual([]);
  });

  it.each([
    ['a wildcard organization', { StringLike: { 'aws:PrincipalOrgID': 'o-*' } }],
    ['IfExists: true without the key', { StringEqualsIfExists: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }],
    ['a negated operator: true for every other value', { StringNotEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }],
    ['ForAllValues: true without the key', { 'ForAllValues:StringLike': { 'aws:PrincipalOrgPaths': 'o-a1b2c3d4e5/*' } }],
    ['a policy variable', { StringEquals: { 'aws:PrincipalAccount': '${aws:username}' } }],
    ['an ARN of any account', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/ci' } }],
    ['a key that pins no identity (aws:SourceIp)', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }],
    ['Null: only that the key is there', { Null: { 'aws:PrincipalOrgID': 'false' } }],
  ])('not narrowed by %s', (_what, condition) => {
    expect(found({ Principal: '*', Condition: condition as never })).toEqual(['ANY_PRINCIPAL@Statement[0].Principal']);
  });

  it('a Deny for anyone lets nobody in', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::b/*' }] } as PolicyDocument;
    expect(admissionFindings(doc)).toEqual([]);
  });
});

describe("CROSS_ACCOUNT: a principal of another account, or of an account when the policy's own is not given", () => {
  it.each([
    ['an account ID', '222222222222'],
    ['an account root', 'arn:aws:iam::222222222222:root'],
    ['a role', 'arn:aws:iam::222222222222:role/deployer'],
    ['an assumed-role session', 'arn:aws:sts::222222222222:assumed-role/deployer/session'],
  ])('%s of another account', (_what, id) => {
    expect(found({ Principal: { AWS: id } }, { account: '111111111111' })).toEqual(['CROSS_ACCOUNT@Statement[0].Principal.AWS']);
    expect(found({ Principal: { AWS: id.replace('222222222222', '111111111111') } }, { account: '111111111111' })).toEqual([]);
  });

  it('every account principal when the account is not given: it cannot be decided, so it is reported', () => {
    expect(found({ Principal: { AWS: ['arn:aws:iam::111111111111:root', '222222222222'] } })).toEqual(['CROSS_ACCOUNT@Statement[0].Principal.AWS[0]', 'CROSS_ACCOUNT@Statement[0].Principal.AWS[1]']);
  });

  it('a principal whose account cannot be read (a role unique ID) is reported', () => {
    expect(found({ Principal: { AWS: 'AROAEXAMPLEUNIQUEID' } }, { account: '111111111111' })).toEqual(['CROSS_ACCOUNT@Statement[0].Principal.AWS']);
  });

  it('the account a narrowed "*" is pinned to by aws:PrincipalAccount or aws:PrincipalArn', () => {
    expect(found({ Principal: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': '222222222222' } } }, { account: '111111111111' })).toEqual([
      'CROSS_ACCOUNT@Statement[0].Condition.StringEquals.aws:PrincipalAccount',
    ]);
  });
});

describe('PRINCIPAL_WILDCARD: IAM takes "*" alone or an exact principal', () => {
  it.each(['arn:aws:iam::*:root', 'arn:aws:iam::111111111111:role/ci-*', '11111111111?'])('%s', (id) => {
    expect(found({ Principal: { AWS: id } }, { account: '111111111111' })).toEqual(['PRINCIPAL_WILDCARD@Statement[0].Principal.AWS']);
  });

  it('is an error no acknowledgement accepts', () => {
    expect(RULES.PRINCIPAL_WILDCARD.accepted).toBe('none');
  });
});

describe('web identity: tokens pinned by audience and subject', () => {
  it('no condition: any audience, any subject', () => {
    expect(github(undefined)).toEqual(['OIDC_AUDIENCE_UNPINNED', 'OIDC_SUBJECT_UNPINNED']);
  });

  it('only aud: every workflow of every repository on GitHub', () => {
    expect(github(AUD)).toEqual(['OIDC_SUBJECT_UNPINNED']);
  });

  it.each(['repo:*', '*:*', 'repo:*/*:*', 'r*', 'repo:my-org*/infra:*', 'repo:*/infra:ref:refs/heads/main', '*:ref:refs/heads/main'])('subject %p admits any owner', (sub) => {
    expect(github({ ...AUD, StringLike: { [GH('sub')]: sub } })).toEqual(['OIDC_SUBJECT_ANY_OWNER']);
  });

  it.each(['*', '**', '?*'])('subject %p is no subject at all', (sub) => {
    expect(github({ ...AUD, StringLike: { [GH('sub')]: sub } })).toEqual(['OIDC_SUBJECT_UNPINNED']);
  });

  it.each([
    ['one branch', 'repo:my-org/infra:ref:refs/heads/main'],
    ['any context of one repository', 'repo:my-org/infra:*'],
    ['every repository of one owner', 'repo:my-org/*'],
    ['the immutable subject', 'repo:my-org@123456/infra@456789:*'],
    ['a customized subject led by the owner ID', 'repository_owner_id:123456:*'],
  ])('subject pinned, owner pinned: %s', (_what, sub) => {
    expect(github({ ...AUD, StringLike: { [GH('sub')]: sub } })).toEqual([]);
  });

  it('one subject value of several that admits any owner is enough to admit any owner', () => {
    expect(github({ ...AUD, StringLike: { [GH('sub')]: ['repo:my-org/infra:*', 'repo:*'] } })).toEqual(['OIDC_SUBJECT_ANY_OWNER']);
  });

  it('a wildcard subject with the owner pinned by its ID claim', () => {
    expect(github({ StringEquals: { [GH('aud')]: 'sts.amazonaws.com', [GH('repository_owner_id')]: '123456' }, StringLike: { [GH('sub')]: '*:ref:refs/heads/main' } })).toEqual([]);
  });

  it('the repository_id claim alone pins subject and owner; job_workflow_ref alone pins the workflow, not who calls it', () => {
    expect(github({ StringEquals: { [GH('aud')]: 'sts.amazonaws.com', [GH('repository_id')]: '456789' } })).toEqual([]);
    expect(github({ StringEquals: { [GH('aud')]: 'sts.amazonaws.com', [GH('job_workflow_ref')]: 'my-org/wf/.github/workflows/deploy.yml@refs/heads/main' } })).toEqual(['OIDC_SUBJECT_ANY_OWNER']);
  });

  it('conditions that pin nothing: IfExists, negated, ForAllValues (also its own error)', () => {
    expect(github({ ...AUD, StringLikeIfExists: { [GH('sub')]: 'repo:my-org/infra:*' } })).toEqual(['OIDC_SUBJECT_UNPINNED']);
    expect(github({ ...AUD, StringNotLike: { [GH('sub')]: 'repo:evil/*' } })).toEqual(['OIDC_SUBJECT_UNPINNED']);
    expect(github({ ...AUD, 'ForAllValues:StringLike': { [GH('sub')]: 'repo:my-org/infra:*' } })).toEqual(['OIDC_CLAIM_FOR_ALL_VALUES', 'OIDC_SUBJECT_UNPINNED']);
  });

  it('a wildcard audience pins none', () => {
    expect(github({ StringLike: { [GH('aud')]: '*', [GH('sub')]: 'repo:my-org/infra:*' } })).toEqual(['OIDC_AUDIENCE_UNPINNED']);
  });

  it.each([
    ['GitLab.com: any group', 'gitlab.com', 'project_path:*', ['OIDC_SUBJECT_ANY_OWNER']],
    ['GitLab.com: one group', 'gitlab.com', 'project_path:my-group/*', []],
    ['HCP Terraform: any organization', 'app.terraform.io', 'organization:*:project:*:workspace:*:run_phase:*', ['OIDC_SUBJECT_ANY_OWNER']],
    ['HCP Terraform: one organization', 'app.terraform.io', 'organization:my-org:project:*:workspace:net:run_phase:plan', []],
    ['Buildkite: any organization', 'agent.buildkite.com', 'organization:*', ['OIDC_SUBJECT_ANY_OWNER']],
    ["CircleCI, one organization's issuer: the issuer pins the owner", 'oidc.circleci.com/org/abc', 'org/*', []],
    ['CircleCI, the shared root issuer', 'oidc.circleci.com', 'org/*', ['OIDC_SUBJECT_ANY_OWNER']],
    ["Bitbucket: the workspace's issuer pins the owner", 'api.bitbucket.org/2.0/workspaces/ws/pipelines-config/identity/oidc', '{1de489be-5a52-4b1c-9a3e-0123456789ab}:*', []],
    ['an issuer this library does not know: only the subject', 'idp.example.com', 'a*', []],
  ])('%s', (_what, provider, sub, rules) => {
    const statement = {
      Action: 'sts:AssumeRoleWithWebIdentity',
      Resource: undefined,
      Principal: { Federated: `arn:aws:iam::111111111111:oidc-provider/${provider}` },
      Condition: { StringEquals: { [`${provider}:aud`]: 'x' }, StringLike: { [`${provider}:sub`]: sub } },
    };
    expect(found(statement as never).map((f) => f.split('@')[0])).toEqual(rules);
  });

  it('Google, a web identity named without an ARN: the same rules', () => {
    expect(found({ Action: 'sts:AssumeRoleWithWebIdentity', Resource: undefined, Principal: { Federated: 'accounts.google.com' } }).map((f) => f.split('@')[0])).toEqual([
      'OIDC_AUDIENCE_UNPINNED',
      'OIDC_SUBJECT_UNPINNED',
    ]);
  });

  it("a SAML provider: its assertions are its own IdP's, so not judged here", () => {
    expect(found({ Action: 'sts:AssumeRoleWithSAML', Resource: undefined, Principal: { Federated: 'arn:aws:iam::111111111111:saml-provider/okta' } })).toEqual([]);
  });
});

describe('COGNITO_UNPINNED: an identity pool trust needs aud and amr', () => {
  const cognito = (condition?: object) =>
    found({
      Action: 'sts:AssumeRoleWithWebIdentity',
      Resource: undefined,
      Principal: { Federated: 'cognito-identity.amazonaws.com' },
      ...(condition !== undefined && { Condition: condition as never }),
    });
  const AUD_POOL = { StringEquals: { 'cognito-identity.amazonaws.com:aud': 'us-east-1:12345678-1234-1234-1234-123456789012' } };
  const AMR = { 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' } };

  it("the Cognito guide's trust policy passes", () => {
    expect(cognito({ ...AUD_POOL, ...AMR })).toEqual([]);
  });

  it.each([
    ['no condition', undefined],
    ['aud alone', AUD_POOL],
    ['amr alone', AMR],
  ])('%s', (_what, condition) => {
    expect(cognito(condition)).toEqual(['COGNITO_UNPINNED@Statement[0].Principal.Federated']);
  });

  it('validation takes amr as the list it is (IAM user guide), though iam-data lists it as a String', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRoleWithWebIdentity', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Condition: { ...AUD_POOL, ...AMR } }],
    } as PolicyDocument;
    expect(policyFindings(doc, { kind: 'trust' })).toEqual([]);
  });
});

describe('acknowledgements', () => {
  const open = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Principal: '*', Resource: 'arn:aws:s3:::site/*' }] } as PolicyDocument;

  it('a who-gets-in finding is accepted with a reason, and reported as accepted', () => {
    const checked = checkPolicy(open, { kind: 's3-bucket', acknowledge: [{ rule: 'ANY_PRINCIPAL', reason: 'public website' }] });
    expect(checked.findings).toEqual([]);
    expect(checked.acknowledged).toEqual([{ rule: 'ANY_PRINCIPAL', field: 'Statement[0].Principal', problem: expect.stringContaining('any principal'), reason: 'public website' }]);
  });

  it('not by name alone: the finding stays, and the entry is an error of its own', () => {
    expect(checkPolicy(open, { kind: 's3-bucket', acknowledge: ['ANY_PRINCIPAL'] }).findings.map((f) => f.code)).toEqual(['ANY_PRINCIPAL']);
    expect(acknowledgementFindings('acknowledge', ['ANY_PRINCIPAL']).map((f) => [f.field, f.code])).toEqual([['acknowledge[0]', 'ACKNOWLEDGEMENT_INVALID']]);
  });

  it('the older rules still by name', () => {
    expect(acknowledgementFindings('acknowledge', ['WILDCARD_RESOURCE', { rule: 'WILDCARD_ACTION', reason: 'asked for' }])).toEqual([]);
  });

  it.each([
    ['not a list', 'WILDCARD_RESOURCE'],
    ['an unknown rule', ['WILDCARD_RESOURCES']],
    ['an error rule', ['PRINCIPAL_WILDCARD']],
    ['an empty reason', [{ rule: 'CROSS_ACCOUNT', reason: '  ' }]],
    ['a reason that is not text', [{ rule: 'CROSS_ACCOUNT', reason: 3 }]],
    ['a reason too long', [{ rule: 'CROSS_ACCOUNT', reason: 'x'.repeat(501) }]],
  ])('%s is refused', (_what, value) => {
    expect(acknowledgementFindings('acknowledge', value).length).toBeGreaterThan(0);
  });

  it('an acknowledgement never accepts an error rule', () => {
    const findings = [{ field: 'f', value: 1, problem: 'p', fix: 'x', code: 'INPUT_TYPE' as const }];
    expect(applyAcknowledgements(findings, ['INPUT_TYPE' as never]).findings).toEqual(findings);
  });

  it('the message names the rule and how to accept it', () => {
    const error = new PolicyValidationError('stack/site', checkPolicy(open, { kind: 's3-bucket' }).findings);
    expect(error.message).toMatch(/\[ANY_PRINCIPAL\]$/);
    expect(error.message).toContain("acknowledge { rule: 'ANY_PRINCIPAL', reason: '…' }");
  });
});
