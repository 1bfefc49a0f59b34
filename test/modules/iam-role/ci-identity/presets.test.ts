/**
 * The CI presets of `trustPolicy`: the statement each writes, exactly (the conditions its provider
 * documents), and the inputs each refuses, named by field. What the statements admit is shown by the
 * simulator in ci-identity-simulation.test.ts.
 */
import { PolicyValidationError } from '../../../../modules/core';
import { serviceActions } from '../../../../modules/core/iam-data';
import { trustPolicy, type TrustPolicyProps } from '../../../../modules/iam-role';

const ACCOUNT = '123456123456';
const UUID = '1f2e3d4c-5b6a-4978-8877-665544332211';
const UUID2 = '9a8b7c6d-5e4f-4321-8765-0fedcba98765';

/** The one statement `props` writes, with the role in ACCOUNT. */
const statement = (props: Omit<TrustPolicyProps, 'account'>) => trustPolicy({ account: ACCOUNT, ...props }).Statement[0];

/** The fields `props` is refused at, with the role in ACCOUNT. */
function refusedAt(props: Omit<TrustPolicyProps, 'account'>, account: string | null = ACCOUNT): string[] {
  try {
    trustPolicy({ ...(account !== null && { account }), ...props });
  } catch (e) {
    if (e instanceof PolicyValidationError) return e.findings.map((f) => f.field);
    throw e;
  }
  return [];
}

const federated = (provider: string) => ({ Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${provider}` });

describe('githubActions', () => {
  const repo = { owner: 'my-org', repository: 'infra' };

  it("branches, tags, environments and pull requests: each a subject of its own, with the audience of AWS's action", () => {
    expect(statement({ githubActions: [{ ...repo, branches: ['main', 'release/*'], tags: ['v*'], environments: ['production', 'eu:west'], pullRequests: true }] })).toEqual({
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
        StringLike: {
          'token.actions.githubusercontent.com:sub': [
            'repo:my-org/infra:ref:refs/heads/main',
            'repo:my-org/infra:ref:refs/heads/release/*',
            'repo:my-org/infra:ref:refs/tags/v*',
            'repo:my-org/infra:environment:production',
            'repo:my-org/infra:environment:eu%3Awest',
            'repo:my-org/infra:pull_request',
          ],
        },
      },
      Effect: 'Allow',
      Principal: federated('token.actions.githubusercontent.com'),
    });
  });

  it("the immutable subject, by the owner's and the repository's IDs", () => {
    expect(statement({ githubActions: [{ ...repo, ownerId: '123', repositoryId: '456', environments: ['production'] }] }).Condition).toEqual({
      StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': 'repo:my-org@123/infra@456:environment:production' },
    });
  });

  it('names in the subject, and the IDs as claims, for a repository still on the name-only subject; a reusable workflow', () => {
    expect(
      statement({
        githubActions: [{ ...repo, ownerId: '123', repositoryId: '456', subjectFormat: 'names', branches: ['main'], jobWorkflowRefs: ['my-org/wf/.github/workflows/deploy.yml@refs/heads/main'] }],
      }).Condition,
    ).toEqual({
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:job_workflow_ref': 'my-org/wf/.github/workflows/deploy.yml@refs/heads/main',
        'token.actions.githubusercontent.com:repository_id': '456',
        'token.actions.githubusercontent.com:repository_owner_id': '123',
        'token.actions.githubusercontent.com:sub': 'repo:my-org/infra:ref:refs/heads/main',
      },
    });
  });

  it.each([
    ['an enterprise issuer', 'https://token.actions.githubusercontent.com/octocat-inc', 'token.actions.githubusercontent.com/octocat-inc'],
    ['GHE.com', 'https://token.actions.octocorp.ghe.com', 'token.actions.octocorp.ghe.com'],
    ['GitHub Enterprise Server', 'https://github.example.com/_services/token', 'github.example.com/_services/token'],
  ])('%s: its issuer is the provider and the prefix of the keys', (_what, issuer, provider) => {
    const s = statement({ githubActions: [{ ...repo, issuer, branches: ['main'] }] });
    expect(s.Principal).toEqual(federated(provider));
    expect(Object.keys(s.Condition!.StringEquals!)).toEqual([`${provider}:aud`, `${provider}:sub`]);
  });

  it.each<[string, object, string[]]>([
    ['no context: nothing could assume it', {}, ['githubActions[0]']],
    ['a wildcard owner', { owner: 'my-*', branches: ['main'] }, ['githubActions[0].owner']],
    ['a wildcard repository', { repository: '*', branches: ['main'] }, ['githubActions[0].repository']],
    ['a branch of wildcards only', { branches: ['*'] }, ['githubActions[0].branches[0]']],
    ['a branch with ":"', { branches: ['a:b'] }, ['githubActions[0].branches[0]']],
    ['a policy variable', { branches: ['${aws:username}'] }, ['githubActions[0].branches[0]']],
    ['one ID of two', { ownerId: '1', branches: ['main'] }, ['githubActions[0].repositoryId']],
    ['an ID that is not a number', { ownerId: 'x', repositoryId: '2', branches: ['main'] }, ['githubActions[0].ownerId']],
    ['the immutable subject without IDs', { subjectFormat: 'immutable', branches: ['main'] }, ['githubActions[0].subjectFormat']],
    ['IDs on GitHub Enterprise Server', { ownerId: '1', repositoryId: '2', issuer: 'https://github.example.com/_services/token', branches: ['main'] }, ['githubActions[0].ownerId']],
    [
      'a reusable workflow on GitHub Enterprise Server',
      { issuer: 'https://github.example.com/_services/token', jobWorkflowRefs: ['o/w/.github/workflows/x.yml@refs/heads/main'], branches: ['main'] },
      ['githubActions[0].jobWorkflowRefs'],
    ],
    ['another issuer', { issuer: 'https://gitlab.com', branches: ['main'] }, ['githubActions[0].issuer']],
    ['an audience with a wildcard', { audience: 'sts.*', branches: ['main'] }, ['githubActions[0].audience']],
    ['a provider ARN of another issuer', { providerArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/gitlab.com`, branches: ['main'] }, ['githubActions[0].providerArn']],
    ['a provider ARN of another account', { providerArn: 'arn:aws:iam::999999999999:oidc-provider/token.actions.githubusercontent.com', branches: ['main'] }, ['githubActions[0].providerArn']],
  ])('refuses %s', (_what, fields, at) => {
    expect(refusedAt({ githubActions: [{ ...repo, ...fields }] })).toEqual(at);
  });

  it("without the role's account or a provider ARN, the provider cannot be named", () => {
    expect(refusedAt({ githubActions: [{ ...repo, branches: ['main'] }] }, null)).toEqual(['githubActions[0].providerArn']);
    expect(() => trustPolicy({ githubActions: [{ ...repo, branches: ['main'], providerArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` }] })).not.toThrow();
  });
});

describe('gitlab', () => {
  it("a project's branches and tags; on GitLab.com, protected refs only and the project's ID", () => {
    expect(statement({ gitlab: [{ projectPath: 'my-group/platform/infra', branches: ['main'], tags: ['v*'], protectedRefsOnly: true, projectId: '42' }] })).toEqual({
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: { 'gitlab.com:aud': 'https://gitlab.com', 'gitlab.com:project_id': '42', 'gitlab.com:ref_protected': 'true' },
        StringLike: { 'gitlab.com:sub': ['project_path:my-group/platform/infra:ref_type:branch:ref:main', 'project_path:my-group/platform/infra:ref_type:tag:ref:v*'] },
      },
      Effect: 'Allow',
      Principal: federated('gitlab.com'),
    });
  });

  it('a self-managed instance is its own issuer and audience', () => {
    const s = statement({ gitlab: [{ projectPath: 'g/p', branches: ['main'], issuer: 'https://gitlab.example.com' }] });
    expect(s.Condition).toEqual({ StringEquals: { 'gitlab.example.com:aud': 'https://gitlab.example.com', 'gitlab.example.com:sub': 'project_path:g/p:ref_type:branch:ref:main' } });
  });

  it.each<[string, object, string[]]>([
    ['no branch or tag', {}, ['gitlab[0]']],
    ['a project path with a wildcard', { projectPath: 'my-group/*', branches: ['main'] }, ['gitlab[0].projectPath']],
    ['a group alone', { projectPath: 'my-group', branches: ['main'] }, ['gitlab[0].projectPath']],
    ['protected refs on a self-managed instance, where STS has no such key', { issuer: 'https://gitlab.example.com', protectedRefsOnly: true, branches: ['main'] }, ['gitlab[0].protectedRefsOnly']],
    ['a project ID that is not a number', { projectId: 'infra', branches: ['main'] }, ['gitlab[0].projectId']],
  ])('refuses %s', (_what, fields, at) => {
    expect(refusedAt({ gitlab: [{ projectPath: 'g/p', ...fields }] })).toEqual(at);
  });
});

describe('circleci', () => {
  it("the organization's issuer, its ID as audience, and the project-id key CircleCI's AWS guide gives", () => {
    expect(statement({ circleci: [{ organizationId: UUID, projectIds: [UUID2] }] })).toEqual({
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { [`oidc.circleci.com/org/${UUID}:aud`]: UUID, [`oidc.circleci.com/org/${UUID}:oidc.circleci.com/project-id`]: UUID2 } },
      Effect: 'Allow',
      Principal: federated(`oidc.circleci.com/org/${UUID}`),
    });
  });

  it.each<[string, object, string[]]>([
    ['no project: every project of the organization', { projectIds: [] }, ['circleci[0].projectIds']],
    ['an organization that is not a UUID', { organizationId: 'my-org' }, ['circleci[0].organizationId']],
    ['a project that is not a UUID', { projectIds: ['*'] }, ['circleci[0].projectIds[0]']],
  ])('refuses %s', (_what, fields, at) => {
    expect(refusedAt({ circleci: [{ organizationId: UUID, projectIds: [UUID2], ...fields }] })).toEqual(at);
  });
});

describe('bitbucketPipelines', () => {
  const base = { workspace: 'my-workspace', workspaceUuid: `{${UUID}}`, repositoryUuid: UUID2.toUpperCase() };
  const provider = 'api.bitbucket.org/2.0/workspaces/my-workspace/pipelines-config/identity/oidc';

  it("every step of one repository: the workspace's issuer and audience, the repository's UUID in braces", () => {
    expect(statement({ bitbucketPipelines: [base] })).toEqual({
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { [`${provider}:aud`]: `ari:cloud:bitbucket::workspace/${UUID}` }, StringLike: { [`${provider}:sub`]: `{${UUID2}}:*` } },
      Effect: 'Allow',
      Principal: federated(provider),
    });
  });

  it('only deployments to the environments given', () => {
    expect(statement({ bitbucketPipelines: [{ ...base, deploymentEnvironmentUuids: [UUID] }] }).Condition!.StringLike).toEqual({ [`${provider}:sub`]: `{${UUID2}}:{${UUID}}:*` });
  });

  it.each<[string, object, string[]]>([
    ['a workspace with a wildcard', { workspace: 'my-*' }, ['bitbucketPipelines[0].workspace']],
    ['a repository that is not a UUID', { repositoryUuid: '*' }, ['bitbucketPipelines[0].repositoryUuid']],
    ['an environment that is not a UUID', { deploymentEnvironmentUuids: ['production'] }, ['bitbucketPipelines[0].deploymentEnvironmentUuids[0]']],
  ])('refuses %s', (_what, fields, at) => {
    expect(refusedAt({ bitbucketPipelines: [{ ...base, ...fields }] })).toEqual(at);
  });
});

describe('buildkite', () => {
  it("an organization's pipelines, on given branches: the subject goes on with the commit and the step", () => {
    expect(statement({ buildkite: [{ organization: 'acme', pipelines: ['deploy', 'infra'], branches: ['main'] }] })).toEqual({
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: { 'agent.buildkite.com:aud': 'sts.amazonaws.com' },
        StringLike: { 'agent.buildkite.com:sub': ['organization:acme:pipeline:deploy:ref:refs/heads/main:*', 'organization:acme:pipeline:infra:ref:refs/heads/main:*'] },
      },
      Effect: 'Allow',
      Principal: federated('agent.buildkite.com'),
    });
  });

  it.each<[string, object, string[]]>([
    ['no pipeline', { pipelines: [] }, ['buildkite[0].pipelines']],
    ['a wildcard organization', { organization: 'acme*' }, ['buildkite[0].organization']],
    ['a wildcard pipeline', { pipelines: ['*'] }, ['buildkite[0].pipelines[0]']],
    ["a '*' before a branch pattern's end, which could match the step key", { branches: ['*-release'] }, ['buildkite[0].branches[0]']],
  ])('refuses %s', (_what, fields, at) => {
    expect(refusedAt({ buildkite: [{ organization: 'acme', pipelines: ['deploy'], ...fields }] })).toEqual(at);
  });
});

describe('terraformCloud', () => {
  it('plan and apply as run phases of the subject, any project by default, the audience HashiCorp documents', () => {
    expect(statement({ terraformCloud: [{ organization: 'my-org', workspaces: ['network'], runPhases: ['plan', 'apply'] }] })).toEqual({
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: { 'app.terraform.io:aud': 'aws.workload.identity' },
        StringLike: { 'app.terraform.io:sub': ['organization:my-org:project:*:workspace:network:run_phase:plan', 'organization:my-org:project:*:workspace:network:run_phase:apply'] },
      },
      Effect: 'Allow',
      Principal: federated('app.terraform.io'),
    });
  });

  it('Terraform Enterprise: its host is the issuer', () => {
    expect(statement({ terraformCloud: [{ organization: 'o', project: 'Default Project', workspaces: ['w'], runPhases: ['apply'], issuer: 'https://tfe.example.com' }] }).Condition).toEqual({
      StringEquals: { 'tfe.example.com:aud': 'aws.workload.identity', 'tfe.example.com:sub': 'organization:o:project:Default Project:workspace:w:run_phase:apply' },
    });
  });

  it.each<[string, object, string[]]>([
    ['no run phase', { runPhases: [] }, ['terraformCloud[0].runPhases']],
    ['no workspace', { workspaces: [] }, ['terraformCloud[0].workspaces']],
    ['a workspace of wildcards only', { workspaces: ['*'] }, ['terraformCloud[0].workspaces[0]']],
    ['a wildcard organization', { organization: '*' }, ['terraformCloud[0].organization']],
    ['a run phase that does not exist', { runPhases: ['destroy'] }, ['terraformCloud[0].runPhases[0]']],
  ])('refuses %s', (_what, fields, at) => {
    expect(refusedAt({ terraformCloud: [{ organization: 'my-org', workspaces: ['network'], runPhases: ['plan'], ...fields }] as never })).toEqual(at);
  });
});

describe("the claim keys the presets write are AWS STS's own", () => {
  it("every provider-specific key is one iam-data lists for sts:AssumeRoleWithWebIdentity (aud and sub are every provider's)", () => {
    const listed = serviceActions('sts')
      .get('assumerolewithwebidentity')!
      .conditionKeys.map(
        (k) =>
          new RegExp(
            `^${k
              .split(/\$\{[^}]*\}/)
              .map((p) => p.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'))
              .join('[^:]+')}$`,
            'i',
          ),
      );
    const documents = [
      statement({
        githubActions: [{ owner: 'o', repository: 'r', ownerId: '1', repositoryId: '2', subjectFormat: 'names', branches: ['main'], jobWorkflowRefs: ['o/w/.github/workflows/d.yml@refs/heads/main'] }],
      }),
      statement({ githubActions: [{ owner: 'o', repository: 'r', ownerId: '1', repositoryId: '2', subjectFormat: 'names', branches: ['main'], issuer: 'https://token.actions.octocorp.ghe.com' }] }),
      statement({
        githubActions: [
          { owner: 'o', repository: 'r', ownerId: '1', repositoryId: '2', subjectFormat: 'names', branches: ['main'], issuer: 'https://token.actions.githubusercontent.com/octocat-inc' },
        ],
      }),
      statement({ gitlab: [{ projectPath: 'g/p', branches: ['main'], protectedRefsOnly: true, projectId: '3' }] }),
      statement({ circleci: [{ organizationId: UUID, projectIds: [UUID2] }] }),
    ];
    const keys = documents.flatMap((s) => Object.values(s.Condition!).flatMap((block) => Object.keys(block))).filter((k) => !/:(aud|sub)$/.test(k));
    expect(keys.length).toBeGreaterThanOrEqual(10);
    expect(keys.filter((k) => !listed.some((re) => re.test(k)))).toEqual([]);
  });
});
