import { PolicyValidationError } from '../../../modules/core';
import { buildTrustPolicy, trustPolicy, trustPolicyFindings } from '../../../modules/iam-role';

const GITHUB = 'arn:aws:iam::123456123456:oidc-provider/token.actions.githubusercontent.com';

/** The message `trustPolicy(props)` throws. */
function error(props: Parameters<typeof trustPolicy>[0]): string {
  try {
    trustPolicy(props);
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyValidationError);
    return (e as Error).message;
  }
  throw new Error('trustPolicy did not throw');
}

describe('trustPolicy: each principal kind, canonical JSON', () => {
  it("EC2 alone: the seed's trust policy, with no condition (EC2 sends no aws:SourceAccount)", () => {
    expect(JSON.stringify(trustPolicy({ services: ['ec2.amazonaws.com'] }))).toBe(
      '{"Version":"2012-10-17","Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"}}]}',
    );
  });

  it('services with serviceSourceAccount: StringEquals aws:SourceAccount, services in reverse order', () => {
    expect(JSON.stringify(trustPolicy({ services: ['lambda.amazonaws.com', 'states.amazonaws.com'], serviceSourceAccount: '123456123456' }))).toBe(
      '{"Version":"2012-10-17","Statement":[{"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"123456123456"}},"Effect":"Allow","Principal":{"Service":["states.amazonaws.com","lambda.amazonaws.com"]}}]}',
    );
  });

  it('accounts become :root ARNs and share one statement with roles', () => {
    const acknowledge = [{ rule: 'CROSS_ACCOUNT' as const, reason: 'the deployer of the tooling account' }];
    expect(JSON.stringify(trustPolicy({ account: '123456123456', accounts: ['123456123456'], roles: ['arn:aws:iam::210987654321:role/ci/deployer'], acknowledge }))).toBe(
      '{"Version":"2012-10-17","Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::210987654321:role/ci/deployer","arn:aws:iam::123456123456:root"]}}]}',
    );
  });

  it('accounts in another partition', () => {
    expect(trustPolicy({ accounts: ['123456123456'], partition: 'aws-cn', account: '123456123456' }).Statement[0].Principal).toEqual({ AWS: 'arn:aws-cn:iam::123456123456:root' });
  });

  it('OIDC: AssumeRoleWithWebIdentity, StringEquals <provider>:aud and StringLike <provider>:sub', () => {
    expect(JSON.stringify(trustPolicy({ oidc: [{ providerArn: GITHUB, audience: 'sts.amazonaws.com', subjects: ['repo:my-org/my-repo:*'] }] }))).toBe(
      '{"Version":"2012-10-17","Statement":[{"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},"StringLike":{"token.actions.githubusercontent.com:sub":"repo:my-org/my-repo:*"}},"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456123456:oidc-provider/token.actions.githubusercontent.com"}}]}',
    );
  });

  it('every kind at once: services, then AWS principals, then one statement per OIDC provider', () => {
    const doc = trustPolicy({
      account: '123456123456',
      services: ['ec2.amazonaws.com'],
      accounts: ['123456123456'],
      oidc: [
        { providerArn: GITHUB, audience: 'sts.amazonaws.com', subjects: ['repo:a/b:*', 'repo:a/c:*'] },
        { providerArn: 'arn:aws:iam::123456123456:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC', audience: 'sts.amazonaws.com', subjects: ['system:serviceaccount:ci:runner'] },
      ],
    });
    expect(doc.Statement.map((s) => s.Principal)).toEqual([
      { Service: 'ec2.amazonaws.com' },
      { AWS: 'arn:aws:iam::123456123456:root' },
      { Federated: GITHUB },
      { Federated: 'arn:aws:iam::123456123456:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC' },
    ]);
    expect(doc.Statement[2].Condition!.StringLike).toEqual({ 'token.actions.githubusercontent.com:sub': ['repo:a/b:*', 'repo:a/c:*'] });
    expect(doc.Statement[3].Condition!.StringEquals).toEqual({ 'oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud': 'sts.amazonaws.com' });
  });
});

describe('trustPolicy: bad input names the field, the value and the fix', () => {
  it('no principal', () => {
    expect(error({})).toMatch(
      /^trustPolicy: 1 problem\n- \(principals\): \[\]: a trust policy needs at least one principal.*Fix: give services, accounts, roles, oidc or a CI preset \(githubActions, gitlab, circleci, bitbucketPipelines, buildkite, terraformCloud\)$/,
    );
  });

  it.each(['ec2', 'EC2.amazonaws.com', 'ec2.amazonaws.com.', 'arn:aws:iam::123456123456:root', 'ec2.amazon.com'])('service principal %p', (service) => {
    expect(error({ services: [service] })).toBe(
      `trustPolicy: 1 problem\n- services[0]: ${JSON.stringify(service)}: a service principal is the service name followed by .amazonaws.com. Fix: write it like "ec2.amazonaws.com"; for an account or a role use accounts or roles`,
    );
  });

  it('a service that can send aws:SourceAccount, without it: SERVICE_PRINCIPAL_UNSCOPED, which may be acknowledged', () => {
    expect(error({ services: ['lambda.amazonaws.com'] })).toMatch(
      /- services \(Statement\[0\]\.Principal\.Service\): "lambda\.amazonaws\.com": a service principal without aws:SourceArn or aws:SourceAccount .* \(or accept it by adding 'SERVICE_PRINCIPAL_UNSCOPED' to acknowledge\)/,
    );
    expect(() => trustPolicy({ services: ['lambda.amazonaws.com'], acknowledge: ['SERVICE_PRINCIPAL_UNSCOPED'] })).not.toThrow();
  });

  it('EC2 together with a service that needs the condition is not exempt', () => {
    expect(error({ services: ['ec2.amazonaws.com', 'lambda.amazonaws.com'] })).toMatch(/SERVICE_PRINCIPAL_UNSCOPED/);
  });

  it('accounts, roles and the source account', () => {
    expect(error({ accounts: ['1234'] })).toBe('trustPolicy: 1 problem\n- accounts[0]: "1234": an account ID is 12 digits. Fix: write the account ID, e.g. "123456123456"');
    expect(error({ roles: ['arn:aws:iam::123456123456:user/bob'] })).toMatch(/^trustPolicy: 1 problem\n- roles\[0\]: "arn:aws:iam::123456123456:user\/bob": not an IAM role ARN\. Fix: write it like/);
    expect(error({ services: ['lambda.amazonaws.com'], serviceSourceAccount: 'me' })).toMatch(/- serviceSourceAccount: "me": an account ID is 12 digits/);
    expect(error({ accounts: ['123456123456'], serviceSourceAccount: '123456123456' })).toMatch(/- serviceSourceAccount: "123456123456": applies to services, and there are none/);
    expect(error({ accounts: ['123456123456'], partition: 'azure' })).toMatch(/- partition: "azure": not an AWS partition/);
  });

  it('OIDC: provider ARN, audience and subjects', () => {
    expect(error({ oidc: [{ providerArn: 'token.actions.githubusercontent.com', audience: 'sts.amazonaws.com', subjects: ['repo:a/b:*'] }] })).toMatch(
      /^trustPolicy: 1 problem\n- oidc\[0\]\.providerArn: "token\.actions\.githubusercontent\.com": not an IAM OIDC provider ARN\. Fix: write it like/,
    );
    expect(error({ oidc: [{ providerArn: GITHUB, audience: '', subjects: ['repo:a/b:*'] }] })).toMatch(/- oidc\[0\]\.audience: "": a web identity trust needs the audience/);
    expect(error({ oidc: [{ providerArn: GITHUB, audience: 'sts.amazonaws.com', subjects: [] }] })).toMatch(/- oidc\[0\]\.subjects: \[\]: without a sub condition every identity of the provider/);
    // A subject of wildcards alone is who-gets-in: OIDC_SUBJECT_UNPINNED, named at the input field and the document's.
    expect(error({ oidc: [{ providerArn: GITHUB, audience: 'sts.amazonaws.com', subjects: ['*'] }] })).toMatch(
      /- oidc\[0\] \(Statement\[0\]\.Principal\.Federated\): "token\.actions\.githubusercontent\.com": tokens of GitHub Actions are not pinned to a subject.*\[OIDC_SUBJECT_UNPINNED\]$/,
    );
  });

  it('a context for the message, and a prefix for the fields', () => {
    expect(() => trustPolicy({ services: ['ec2'] }, 'stack/role')).toThrow(/^stack\/role: 1 problem\n- services\[0\]/);
    expect(buildTrustPolicy({ services: ['ec2'] }, 'trustPolicy.').findings[0].field).toBe('trustPolicy.services[0]');
  });
});

describe('trustPolicyFindings: a document written by hand', () => {
  it("accepts the OIDC keys of the statement's own provider, and rejects those of another", () => {
    const doc = trustPolicy({ oidc: [{ providerArn: GITHUB, audience: 'sts.amazonaws.com', subjects: ['repo:a/b:*'] }] });
    expect(trustPolicyFindings(doc, [])).toEqual([]);
    const other = { ...doc, Statement: [{ ...doc.Statement[0], Condition: { StringEquals: { 'gitlab.com:aud': 'x' }, StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:a/b:*' } } }] };
    // The gitlab.com key can never match; and with no GitHub aud, GitHub's tokens are unpinned.
    expect(trustPolicyFindings(other, []).map((f) => f.code ?? f.value)).toEqual(['gitlab.com:aud', 'OIDC_AUDIENCE_UNPINNED']);
  });

  it('checks service principals the core passes: a bad one in a hand-written document', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow' as const, Principal: { Service: 'ec2' }, Condition: { StringEquals: { 'aws:SourceAccount': '123456123456' } } }],
    };
    expect(trustPolicyFindings(doc, []).map((f) => [f.field, f.value])).toEqual([['Statement[0].Principal.Service[0]', 'ec2']]);
  });
});
