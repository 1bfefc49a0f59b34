import { documentGrants, type Grant, type GrantOptions, GrantSet } from '../../../modules/review';
import { doc } from './crafted-stacks';

const identity: GrantOptions = { policy: 'p', resourceless: 'any' };

describe('GrantSet: whether grants cover a grant', () => {
  const grants = (statement: Parameters<typeof doc>[0], options = identity) => documentGrants(doc(statement), options);
  const covered = (by: readonly Grant[], grant: Grant) => new GrantSet(by).covers(grant);

  it('a resource pattern covers the resources it matches, ARN part by ARN part', () => {
    const wide = grants({ Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::b/*' });
    expect(covered(wide, grants({ Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::b/env:/*/k' })[0])).toBe(true);
    expect(covered(wide, grants({ Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::c/k' })[0])).toBe(false);
    expect(covered(wide, grants({ Action: 's3:GetObject', Effect: 'Allow', Resource: '*' })[0])).toBe(false);
    expect(covered(wide, grants({ Action: 's3:PutObject', Effect: 'Allow', Resource: 'arn:aws:s3:::b/k' })[0])).toBe(false);
  });

  it('a grant covers only grants whose condition implies its own', () => {
    const conditioned = grants({ Action: 'iam:PassRole', Effect: 'Allow', Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } } });
    const unconditioned = grants({ Action: 'iam:PassRole', Effect: 'Allow', Resource: '*' });
    expect(covered(unconditioned, conditioned[0])).toBe(true);
    expect(covered(conditioned, unconditioned[0])).toBe(false);
    expect(new GrantSet(conditioned).uncoveredReason(unconditioned[0])).toBe('relaxed-condition');
  });

  it('NotResource: everything but X covers what provably misses X, and everything but less', () => {
    const allBut = grants({ Action: 's3:GetObject', Effect: 'Allow', NotResource: 'arn:aws:s3:::secret/*' });
    expect(covered(allBut, grants({ Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::public/*' })[0])).toBe(true);
    expect(covered(allBut, grants({ Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::*' })[0])).toBe(false);
    expect(covered(allBut, grants({ Action: 's3:GetObject', Effect: 'Allow', NotResource: ['arn:aws:s3:::secret/*', 'arn:aws:s3:::other/*'] })[0])).toBe(true);
    expect(covered(allBut, grants({ Action: 's3:GetObject', Effect: 'Allow', NotResource: 'arn:aws:s3:::secret/a/*' })[0])).toBe(false);
    expect(covered(grants({ Action: 's3:GetObject', Effect: 'Allow', Resource: '*' }), allBut[0])).toBe(true);
  });

  it('principals: * covers everyone; an account ID and its root ARN are one principal', () => {
    const trust = { policy: 'trust', resourceless: 'self' as const };
    const byId = grants({ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: '111111111111' } }, trust);
    const byArn = grants({ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' } }, trust);
    const other = grants({ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' } }, trust);
    const anyone = grants({ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: '*' }, trust);
    expect(covered(byId, byArn[0])).toBe(true);
    expect(covered(byId, other[0])).toBe(false);
    expect(new GrantSet(byId).uncoveredReason(other[0])).toBe('new-principal');
    expect(covered(anyone, other[0])).toBe(true);
    expect(covered(other, anyone[0])).toBe(false);
  });

  it('an Allow never covers a Deny', () => {
    const allow = grants({ Action: 's3:GetObject', Effect: 'Allow', Resource: '*' });
    expect(covered(allow, grants({ Action: 's3:GetObject', Effect: 'Deny', Resource: '*' })[0])).toBe(false);
  });
});
