// The seed's SCP decided by @cloud-copilot/iam-simulate (AGPL, tests only). An Allow-all SCP
// (FullAWSAccess) is at each level, as the seed says a deny-list strategy needs.
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { exampleCorpScp } from '../../../modules/policy-types';

const ACCOUNT = '111111111111';
const FULL_AWS_ACCESS = { name: 'FullAWSAccess', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };
const ADMIN = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

async function decide(action: string, resource: string, secure: 'true' | 'false'): Promise<string | undefined> {
  const result = (await runSimulation(
    {
      request: {
        principal: `arn:aws:iam::${ACCOUNT}:role/admin`,
        action,
        resource: { resource, accountId: ACCOUNT },
        contextVariables: { 'aws:SecureTransport': secure },
      },
      identityPolicies: [{ name: 'admin', policy: ADMIN }],
      serviceControlPolicies: [
        { orgIdentifier: 'r-ab12', policies: [FULL_AWS_ACCESS, { name: 'example-corp', policy: exampleCorpScp() as unknown as Record<string, unknown> }] },
        { orgIdentifier: 'ou-ab12-cd34ef56', policies: [FULL_AWS_ACCESS] },
        { orgIdentifier: ACCOUNT, policies: [FULL_AWS_ACCESS] },
      ],
      resourceControlPolicies: [],
    } as Parameters<typeof runSimulation>[0],
    {},
  )) as { overallResult?: string };
  return result.overallResult;
}

describe('exampleCorpScp, simulated', () => {
  it.each([
    ['s3:GetObject', 'arn:aws:s3:::lake/key'],
    ['sqs:SendMessage', `arn:aws:sqs:eu-west-1:${ACCOUNT}:queue`],
    ['iam:ListRoles', '*'],
  ])('denies %s without TLS, allows it with TLS', async (action, resource) => {
    expect(await decide(action, resource, 'false')).toBe('ExplicitlyDenied');
    expect(await decide(action, resource, 'true')).toBe('Allowed');
  });

  it('denies organizations:LeaveOrganization, even over TLS', async () => {
    expect(await decide('organizations:LeaveOrganization', '*', 'true')).toBe('ExplicitlyDenied');
  });
});
