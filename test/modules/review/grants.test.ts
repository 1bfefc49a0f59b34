import { serviceActions } from '../../../modules/core/iam-data';
import { documentGrants, type Grant, grantFlags } from '../../../modules/review';
import { doc } from './crafted-stacks';

const keys = (grants: readonly Grant[]) => [...new Set(grants.map((g) => g.key))].sort();
const identity = { policy: 'p', resourceless: 'any' as const };

describe('documentGrants: statements expanded into grants through iam-data', () => {
  it('s3:Get* and the list of actions it matches give the same grants', () => {
    const expansion = [...serviceActions('s3').values()].filter((a) => a.name.startsWith('Get')).map((a) => `s3:${a.name}`);
    expect(expansion.length).toBeGreaterThan(20);
    const wildcard = documentGrants(doc({ Action: 's3:Get*', Effect: 'Allow', Resource: 'arn:aws:s3:::b/*' }), identity);
    const listed = documentGrants(doc({ Action: expansion, Effect: 'Allow', Resource: 'arn:aws:s3:::b/*' }), identity);
    expect(keys(wildcard)).toEqual(keys(listed));
    expect(wildcard).toHaveLength(expansion.length);
  });

  it('action names are compared without case, each action once', () => {
    const grants = documentGrants(doc({ Action: ['S3:getobject', 's3:GetObject'], Effect: 'Allow', Resource: '*' }), identity);
    expect(grants.map((g) => [g.action.id, g.action.name, g.action.accessLevel])).toEqual([['s3:getobject', 'GetObject', 'Read']]);
  });

  it('NotAction is every action iam-data lists but those', () => {
    const all = documentGrants(doc({ Action: '*', Effect: 'Allow', Resource: '*' }), identity);
    const but = documentGrants(doc({ NotAction: 'iam:*', Effect: 'Allow', Resource: '*' }), identity);
    expect(but.length).toBe(all.length - serviceActions('iam').size);
    expect(but.some((g) => g.action.service === 'iam')).toBe(false);
    expect(but.every((g) => g.origin.notAction)).toBe(true);
  });

  it('keeps an action iam-data does not list, marked unknown, rather than dropping it', () => {
    const [grant] = documentGrants(doc({ Action: 's3:NoSuchAction', Effect: 'Allow', Resource: '*' }), identity);
    expect(grant.action).toMatchObject({ id: 's3:nosuchaction', known: false, accessLevel: 'Unknown' });
    expect(grantFlags(grant)).toContain('UNKNOWN_ACTION');
  });

  it('one grant per principal, action and resource; a trust statement applies to the role itself', () => {
    const grants = documentGrants(
      doc({ Action: ['sts:AssumeRole', 'sts:TagSession'], Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::1:root', 'arn:aws:iam::2:root'], Service: 'ec2.amazonaws.com' } }),
      { policy: 'trust', resourceless: 'self' },
    );
    expect(grants).toHaveLength(6);
    expect(grants.every((g) => g.resource.kind === 'self')).toBe(true);
  });

  it('the same statement in another order, layout and Sid gives the same grant keys', () => {
    const a = documentGrants(
      doc({
        Sid: 'A',
        Action: ['s3:PutObject', 's3:GetObject'],
        Effect: 'Allow',
        Resource: ['arn:aws:s3:::b/y', 'arn:aws:s3:::b/x'],
        Condition: { StringEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } },
      }),
      identity,
    );
    const b = documentGrants(
      JSON.parse(
        JSON.stringify(
          {
            Statement: [
              {
                Condition: { StringEquals: { 'aws:requestedregion': ['eu-west-1', 'us-east-1'] } },
                Resource: ['arn:aws:s3:::b/x', 'arn:aws:s3:::b/y'],
                Effect: 'Allow',
                Action: ['s3:GetObject', 's3:PutObject'],
              },
            ],
            Version: '2012-10-17',
          },
          null,
          4,
        ),
      ),
      identity,
    );
    expect(keys(a)).toEqual(keys(b));
  });
});
