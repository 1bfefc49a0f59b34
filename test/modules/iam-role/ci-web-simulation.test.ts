// What the ci-web role's policies allow and deny, decided by @cloud-copilot/iam-simulate.
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { PolicyDocument } from '../../../modules/core';
import { trustPolicy } from '../../../modules/iam-role';
import { ciSecretsPolicy } from '../../../stacks/ci-web';
import { isAllowed, SIMULATED_ACCOUNT } from '../../support/simulator';

const REGION = 'eu-west-1';
// The stack's policy, for the simulator's account (isAllowed simulates a principal of SIMULATED_ACCOUNT).
const policy = ciSecretsPolicy({ account: SIMULATED_ACCOUNT, region: REGION, prefix: 'ci-web' });
const secret = (name: string, account = SIMULATED_ACCOUNT) => `arn:aws:secretsmanager:${REGION}:${account}:secret:${name}-AbCdEf`;
const allowed = (action: string, resource: string) => isAllowed(policy, { action, resource, context: {} });

describe('ci-web: the CI policy', () => {
  it.each([
    ['secretsmanager:GetSecretValue', secret('ci-web/github-token')],
    ['secretsmanager:DescribeSecret', secret('ci-web/github-token')],
    ['secretsmanager:GetSecretValue', secret('ci-web/team/registry-password')],
  ])('allows %s on %s', async (action, resource) => {
    expect(await allowed(action, resource)).toBe(true);
  });

  it.each([
    ['another secret', 'secretsmanager:GetSecretValue', secret('prod/db-password')],
    ['a secret whose name only starts like the prefix', 'secretsmanager:GetSecretValue', secret('ci-webhook/token')],
    ['the same secret in another region', 'secretsmanager:GetSecretValue', `arn:aws:secretsmanager:us-east-1:${SIMULATED_ACCOUNT}:secret:ci-web/github-token-AbCdEf`],
    ['a write: PutSecretValue', 'secretsmanager:PutSecretValue', secret('ci-web/github-token')],
    ['a write: UpdateSecret', 'secretsmanager:UpdateSecret', secret('ci-web/github-token')],
    ['a delete', 'secretsmanager:DeleteSecret', secret('ci-web/github-token')],
    ['its resource policy', 'secretsmanager:GetResourcePolicy', secret('ci-web/github-token')],
    ['listing secrets', 'secretsmanager:ListSecrets', '*'],
    ['another service: SSM parameters', 'ssm:GetParameter', `arn:aws:ssm:${REGION}:${SIMULATED_ACCOUNT}:parameter/ci-web/github-token`],
    ['another service: S3', 's3:GetObject', 'arn:aws:s3:::ci-web/github-token'],
  ])('denies %s', async (_what, action, resource) => {
    expect(await allowed(action, resource)).toBe(false);
  });
});

/**
 * A trust policy is the role's resource policy for `sts:AssumeRole` (iam-simulate README: "Custom trust
 * behavior for IAM Trust Policies"); a service principal has no identity policies, so it is the only policy.
 */
async function mayAssume(trust: PolicyDocument, principal: string, action = 'sts:AssumeRole'): Promise<boolean> {
  const result = (await runSimulation(
    {
      request: {
        principal,
        action,
        resource: { resource: `arn:aws:iam::${SIMULATED_ACCOUNT}:role/ci-web`, accountId: SIMULATED_ACCOUNT },
        contextVariables: {},
      },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: trust as unknown as Record<string, unknown>,
    } as Parameters<typeof runSimulation>[0],
    {},
  )) as { overallResult?: string; errors?: unknown };
  if (result.overallResult === undefined) throw new Error(`the simulator rejected the request: ${JSON.stringify(result).slice(0, 500)}`);
  return result.overallResult === 'Allowed';
}

describe('ci-web: the trust policy', () => {
  const trust = trustPolicy({ services: ['ec2.amazonaws.com'] });

  it('lets EC2 assume the role', async () => {
    expect(await mayAssume(trust, 'ec2.amazonaws.com')).toBe(true);
  });

  it.each(['lambda.amazonaws.com', 'ecs-tasks.amazonaws.com'])('does not let %s assume it', async (service) => {
    expect(await mayAssume(trust, service)).toBe(false);
  });

  it('does not let a role of the same account assume it', async () => {
    expect(await mayAssume(trust, `arn:aws:iam::${SIMULATED_ACCOUNT}:role/other`)).toBe(false);
  });
});
