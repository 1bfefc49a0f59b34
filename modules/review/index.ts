// Review of synthesized stacks: who may do what (the access report) and what a change gives or takes
// away (the permission diff). Plain TypeScript with no cdktf import and no file access: the CLI
// (modules/cli, `least-privilege-iam report|diff`) reads the files, runs git and the synths, and writes
// the results. Published as `least-privilege-iam/review`.
export * from './stack-iam';
export * from './grants';
export * from './grant-cover';
export * from './grant-rows';
export * from './risk-flags';
export * from './subject-grants';
export * from './state-access-view';
export * from './admission-view';
export * from './access-report';
export * from './markdown-budget';
export * from './render-report';
export * from './permission-diff';
export * from './render-diff';
// Privilege-escalation paths and the risk categories read from single grants.
export * from './escalation';
