// The library: every construct and every pure policy function.
export * from './core';
export * from './state-access';
export * from './ci-policies';
export * from './iam-role';
export * from './deploy-group';
export * from './delegated-role-creation';
export * from './policy-types';
export * from './terraform-ci';
