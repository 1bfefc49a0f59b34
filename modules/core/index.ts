// The policy core: typed IAM policy documents, their canonical rendering and their validation.
// Plain TypeScript with no cdktf import, so the same logic serves constructs, tests and other tools.
export * from './policy-document';
export * from './policy-error';
export * from './policy-kind';
export * from './validate-policy';
export * from './arn';
export * from './merge-statements';
export * from './fit-policy';
export * from './attachment-limits';
export * from './rules';
export * from './acknowledgements';
export * from './admission';
export * from './oidc-issuers';
export * from './input-shape';
export * from './document-shape';
export * from './name-collisions';
export * from './aws-managed-policies';
export * from './managed-policy-arns';
