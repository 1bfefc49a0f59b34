import type { PolicyDocument } from '../../modules/core';

/** The account, bucket and lock table of the seed README's examples. */
export const SEED_ACCOUNT = '123456123456';
export const SEED_STATE_BUCKET_ARN = 'arn:aws:s3:::my-state-bucket';
export const SEED_LOCK_TABLE_ARN = `arn:aws:dynamodb:eu-west-1:${SEED_ACCOUNT}:table/my-lock-table`;

/**
 * The seed passes its own `trust_policy` without showing it; these stacks trust the account itself,
 * so its principals may assume the role as far as their own policies let them.
 */
export const ACCOUNT_TRUST_POLICY: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${SEED_ACCOUNT}:root` } }],
};
