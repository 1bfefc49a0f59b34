/**
 * OidcProvider: the IAM OIDC provider of a CI system's tokens, with the issuer URL and audience each preset
 * documents, and the limits CreateOpenIDConnectProvider sets.
 */
import {
  bitbucketPipelinesOidcProvider,
  buildkiteOidcProvider,
  circleCiOidcProvider,
  githubActionsOidcProvider,
  gitlabOidcProvider,
  OidcProvider,
  type OidcProviderProps,
  terraformCloudOidcProvider,
} from '../../../modules/iam-role';
import { validationErrorOf } from '../../support/errors';
import { only, synth } from '../../support/synth';

const ORG = '1f2e3d4c-5b6a-4978-8877-665544332211';

describe('OidcProvider', () => {
  it.each([
    ['GitHub Actions', githubActionsOidcProvider(), 'https://token.actions.githubusercontent.com', ['sts.amazonaws.com']],
    [
      'GitHub, an enterprise issuer',
      githubActionsOidcProvider({ issuer: 'https://token.actions.githubusercontent.com/octocat-inc' }),
      'https://token.actions.githubusercontent.com/octocat-inc',
      ['sts.amazonaws.com'],
    ],
    ['GitLab.com', gitlabOidcProvider(), 'https://gitlab.com', ['https://gitlab.com']],
    ['a GitLab instance', gitlabOidcProvider({ issuer: 'https://gitlab.example.com' }), 'https://gitlab.example.com', ['https://gitlab.example.com']],
    ['CircleCI', circleCiOidcProvider(ORG), `https://oidc.circleci.com/org/${ORG}`, [ORG]],
    [
      'Bitbucket Pipelines',
      bitbucketPipelinesOidcProvider('my-workspace', `{${ORG}}`),
      'https://api.bitbucket.org/2.0/workspaces/my-workspace/pipelines-config/identity/oidc',
      [`ari:cloud:bitbucket::workspace/${ORG}`],
    ],
    ['Buildkite', buildkiteOidcProvider(), 'https://agent.buildkite.com', ['sts.amazonaws.com']],
    ['HCP Terraform', terraformCloudOidcProvider(), 'https://app.terraform.io', ['aws.workload.identity']],
  ])('%s: aws_iam_openid_connect_provider with the issuer and its audience, no thumbprint', (_what, props, url, clientIds) => {
    const provider = only(synth((s) => new OidcProvider(s, 'idp', props)).resource.aws_iam_openid_connect_provider);
    expect(provider).toEqual({ url, client_id_list: clientIds });
  });

  it('the issuer host, the prefix of its condition keys', () => {
    let host = '';
    synth((s) => {
      host = new OidcProvider(s, 'idp', circleCiOidcProvider(ORG)).issuerHost;
    });
    expect(host).toBe(`oidc.circleci.com/org/${ORG}`);
  });

  it('thumbprints when given, lower case', () => {
    const provider = only(synth((s) => new OidcProvider(s, 'idp', { ...githubActionsOidcProvider(), thumbprints: ['A'.repeat(40)] })).resource.aws_iam_openid_connect_provider);
    expect(provider.thumbprint_list).toEqual(['a'.repeat(40)]);
  });

  it.each<[string, OidcProviderProps, string]>([
    ['an http URL', { url: 'http://token.actions.githubusercontent.com', clientIds: ['sts.amazonaws.com'] }, 'url'],
    ['a trailing slash', { url: 'https://gitlab.com/', clientIds: ['x'] }, 'url'],
    ['a port', { url: 'https://gitlab.example.com:8443', clientIds: ['x'] }, 'url'],
    ['no audience', { url: 'https://gitlab.com', clientIds: [] }, 'clientIds'],
    ['an audience twice', { url: 'https://gitlab.com', clientIds: ['a', 'a'] }, 'clientIds'],
    ['an audience too long', { url: 'https://gitlab.com', clientIds: ['a'.repeat(256)] }, 'clientIds[0]'],
    ['a thumbprint that is not a SHA-1', { url: 'https://gitlab.com', clientIds: ['a'], thumbprints: ['abc'] }, 'thumbprints[0]'],
    ['six thumbprints', { url: 'https://gitlab.com', clientIds: ['a'], thumbprints: Array(6).fill('a'.repeat(40)) }, 'thumbprints'],
  ])('refuses %s', (_what, props, field) => {
    const e = validationErrorOf(() => synth((s) => new OidcProvider(s, 'idp', props)));
    expect(e.context).toBe('test/idp');
    expect(e.findings.map((f) => f.field)).toEqual([field]);
  });

  it('a misspelt input is named', () => {
    const e = validationErrorOf(() => synth((s) => new OidcProvider(s, 'idp', { ...githubActionsOidcProvider(), clientId: ['x'] } as never)));
    expect(e.findings.map((f) => [f.field, f.code])).toEqual([['clientId', 'INPUT_TYPE']]);
  });
});
