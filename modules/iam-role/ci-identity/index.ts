// Typed trusts for CI systems' OIDC tokens, and the OIDC providers they come through. Pure: no cdktf.
export * from './web-identity';
export * from './github-actions';
export * from './gitlab';
export * from './circleci';
export * from './bitbucket-pipelines';
export * from './buildkite';
export * from './terraform-cloud';
