import type { PolicyDocument } from '../../modules/core';

/** The account, state bucket and lock table of the seed README's examples: the stacks' defaults. */
export const SEED_ACCOUNT = '123456123456';
export const SEED_STATE_BUCKET = 'my-state-bucket';
export const SEED_LOCK_TABLE = 'my-lock-table';

/**
 * The seed passes its own `trust_policy` without showing it; these stacks trust the account itself,
 * so its principals may assume the role as far as their own policies let them.
 */
export function accountTrustPolicy(account: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` } }],
  };
}
