import { documentGrants, grantFlags } from '../../../modules/review';
import { doc } from './crafted-stacks';

const identity = { policy: 'p', resourceless: 'any' as const };

describe('grantFlags: the risky grants', () => {
  const flags = (statement: Parameters<typeof doc>[0]) => [...new Set(documentGrants(doc(statement), identity).flatMap(grantFlags))].sort();

  it('permissions management and iam:PassRole (access levels from iam-data)', () => {
    expect(flags({ Action: 'iam:PutRolePolicy', Effect: 'Allow', Resource: 'arn:aws:iam::1:role/x' })).toEqual(['PERMISSIONS_MANAGEMENT']);
    expect(flags({ Action: 'iam:PassRole', Effect: 'Allow', Resource: 'arn:aws:iam::1:role/x' })).toEqual(['PASS_ROLE']);
  });

  it('"*" as the resource only where the action supports resource-level permissions', () => {
    // Every object of every bucket: DATA_EXFILTRATION too (escalation/categories.ts).
    expect(flags({ Action: 's3:GetObject', Effect: 'Allow', Resource: '*' })).toEqual(['ANY_RESOURCE', 'DATA_EXFILTRATION']);
    expect(flags({ Action: 'ecr:GetAuthorizationToken', Effect: 'Allow', Resource: '*' })).toEqual([]);
    expect(flags({ Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::b/*' })).toEqual(['RESOURCE_WILDCARD']);
  });

  it("a log group's ARN with the trailing `:*` AWS documents for IAM policies is no wildcard; any other wildcard in a logs ARN is", () => {
    const logs = (Resource: string) => flags({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DeleteLogGroup'], Effect: 'Allow', Resource });
    expect(logs('arn:aws:logs:eu-west-1:123456789012:log-group:/ci/web:*')).toEqual([]);
    expect(logs('arn:aws-us-gov:logs:us-gov-west-1:123456789012:log-group:/aws/lambda/my_fn-1.v2#a:*')).toEqual([]);
    expect(logs('arn:aws:logs:eu-west-1:123456789012:log-group:/ci/web')).toEqual([]);
    for (const wider of [
      'arn:aws:logs:eu-west-1:123456789012:log-group:/ci/*',
      'arn:aws:logs:eu-west-1:123456789012:log-group:/ci/*:*',
      'arn:aws:logs:eu-west-1:123456789012:log-group:/ci/we?:*',
      'arn:aws:logs:*:123456789012:log-group:/ci/web:*',
      'arn:aws:logs:eu-west-1:*:log-group:/ci/web:*',
      'arn:aws:logs:eu-west-1:123456789012:log-group:*',
      'arn:aws:logs:eu-west-1:123456789012:log-group:/ci/web:log-stream:*',
      'arn:aws:logs:eu-west-1:123456789012:log-group:/ci/web:**',
      'arn:aws:logs:eu-west-1:123456789012:*',
    ]) {
      expect([wider, logs(wider)]).toEqual([wider, ['RESOURCE_WILDCARD']]);
    }
    // The same shape in another service is an ordinary wildcard.
    expect(flags({ Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::log-group:/ci/web:*' })).toEqual(['RESOURCE_WILDCARD']);
  });

  it('NotAction and NotResource with Allow, any principal; never a Deny', () => {
    expect(flags({ NotAction: 'iam:*', Effect: 'Allow', Resource: 'arn:aws:s3:::b' })).toContain('NOT_ACTION');
    expect(flags({ Action: 's3:GetObject', Effect: 'Allow', NotResource: 'arn:aws:s3:::b/*' })).toEqual(['DATA_EXFILTRATION', 'NOT_RESOURCE']);
    expect(flags({ Action: '*', Effect: 'Deny', Resource: '*' })).toEqual([]);
    const anyone = documentGrants(doc({ Action: 's3:GetObject', Effect: 'Allow', Principal: '*', Resource: 'arn:aws:s3:::b/*' }), identity);
    expect(grantFlags(anyone[0])).toContain('ANY_PRINCIPAL');
  });
});
