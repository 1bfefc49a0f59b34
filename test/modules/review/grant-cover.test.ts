import fc from 'fast-check';
import type { PolicyStatement } from '../../../modules/core';
import { parseOperator } from '../../../modules/core/iam-data';
import { documentGrants, type Grant, type GrantOptions, grantCovers, GrantSet, principalCovers, resourceCovers, type UncoveredReason } from '../../../modules/review';
import { arnPatternCovers, arnSegments, patternCovers, patternsIntersect } from '../../../modules/review/private/wildcards';
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

/**
 * The cover test as it was first written, one grant against every grant of the set with its action: the
 * reference the indexed `GrantSet` (scopes, shared lists, resources found by their literal start) must
 * answer exactly as, query for query.
 */
class ReferenceGrantSet {
  constructor(private readonly grants: readonly Grant[]) {}

  covers(grant: Grant): boolean {
    if (this.grants.some((g) => g.key === grant.key)) return true;
    const candidates = this.candidates(grant);
    if (candidates.some((g) => grantCovers(g, grant))) return true;
    return splitByValue(grant).some((parts) => parts.every((part) => candidates.some((g) => grantCovers(g, part))));
  }

  uncoveredReason(grant: Grant): UncoveredReason | undefined {
    if (this.covers(grant)) return undefined;
    const candidates = this.candidates(grant);
    if (candidates.length === 0) return 'new-action';
    const onResource = candidates.filter((g) => resourceCovers(g.resource, grant.resource));
    if (onResource.length === 0) return 'wider-resource';
    if (!onResource.some((g) => principalCovers(g.principal, grant.principal))) return 'new-principal';
    return 'relaxed-condition';
  }

  excludes(grant: Grant): boolean {
    if (!grant.action.known) return false;
    return this.grants
      .filter((g) => g.effect === 'Allow' && g.action.id === grant.action.id)
      .every((g) => g.resource.kind === 'pattern' && grant.resource.kind === 'pattern' && !patternsIntersect(g.resource.pattern.toLowerCase(), grant.resource.pattern.toLowerCase()));
  }

  private candidates(grant: Grant): Grant[] {
    return this.grants.filter((g) => g.effect === grant.effect && g.action.id === grant.action.id);
  }
}

const ORED = new Set(['StringEquals', 'StringLike', 'StringEqualsIgnoreCase', 'ArnEquals', 'ArnLike', 'NumericEquals', 'DateEquals', 'IpAddress']);

function splitByValue(grant: Grant): Grant[][] {
  const ways: Grant[][] = [];
  grant.condition.forEach((clause, i) => {
    const parsed = parseOperator(clause.operator);
    if (parsed === undefined || parsed.qualifier === 'ForAllValues' || !ORED.has(parsed.base) || clause.values.length < 2) return;
    ways.push(clause.values.map((value) => ({ ...grant, condition: grant.condition.map((c, j) => (j === i ? { ...c, values: [value] } : c)), key: '' })));
  });
  return ways;
}

describe('GrantSet answers as the grant-by-grant test does, on random policies', () => {
  const RESOURCES = [
    '*',
    'arn:aws:s3:::b',
    'arn:aws:s3:::b/*',
    'arn:aws:s3:::b/x',
    'arn:aws:s3:::b/x*',
    'arn:aws:s3:::b/?',
    'arn:aws:s3:::b*',
    'arn:aws:s3:::*',
    'arn:aws:s3:::B/x',
    'arn:aws:s3:::b/${aws:username}',
    'arn:aws:s3:::b/${aws:username}/*',
    'arn:aws:s3:::$b',
    'arn:aws:*:*:*:*',
    'arn:aws:iam::111111111111:role/*',
    'arn:aws:iam::111111111111:role/app',
    'not-an-arn*',
  ];
  // Few actions, and patterns of a few (a `*` is the same test 22,000 times over).
  const ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:GetObjectV*', 'iam:PassRole', 'iam:GetRole', 's3:NoSuchAction'];
  const CONDITIONS = [
    undefined,
    { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } },
    { StringEquals: { 'aws:RequestedRegion': ['eu-west-1', 'us-east-1'] } },
    { StringEquals: { 'aws:requestedregion': ['us-east-1'] } },
    { StringLike: { 's3:prefix': ['home/*', 'public/*'] } },
    { StringLike: { 's3:prefix': 'home/*' } },
    { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a', 'b'] } },
    { StringEqualsIfExists: { 'aws:RequestedRegion': 'eu-west-1' } },
    { Bool: { 'aws:SecureTransport': 'true' } },
  ];
  const PRINCIPALS = [undefined, '*', { AWS: '111111111111' }, { AWS: 'arn:aws:iam::111111111111:root' }, { AWS: ['arn:aws:iam::222222222222:role/x', '*'] }, { Service: 'ec2.amazonaws.com' }];

  const statement = (trust: boolean) =>
    fc
      .record({
        effect: fc.constantFrom('Allow' as const, 'Deny' as const),
        actions: fc.subarray(ACTIONS, { minLength: 1, maxLength: 3 }),
        resources: fc.subarray(RESOURCES, { minLength: 1, maxLength: 4 }),
        notResource: fc.integer({ min: 0, max: 5 }),
        condition: fc.constantFrom(...CONDITIONS),
        principal: fc.constantFrom(...PRINCIPALS),
        notPrincipal: fc.integer({ min: 0, max: 5 }),
      })
      .map((r): PolicyStatement => {
        const s: Record<string, unknown> = { Effect: r.effect };
        s.Action = r.actions;
        if (!trust) {
          if (r.notResource === 0) s.NotResource = r.resources;
          else s.Resource = r.resources;
        }
        if (r.condition !== undefined) s.Condition = r.condition;
        if (trust && r.principal !== undefined) {
          if (r.notPrincipal === 0 && r.principal !== '*') s.NotPrincipal = r.principal;
          else s.Principal = r.principal;
        }
        return s as unknown as PolicyStatement;
      });
  const policy = (trust: boolean) => fc.array(statement(trust), { minLength: 1, maxLength: 6 });

  const same = (trust: boolean) =>
    fc.property(policy(trust), policy(trust), (a, b) => {
      const options: GrantOptions = trust ? { policy: 'trust', resourceless: 'self' } : { policy: 'p', resourceless: 'any' };
      const grantsA = documentGrants(doc(...a), options);
      const grantsB = documentGrants(doc(...b), options);
      const indexed = new GrantSet(grantsA);
      const reference = new ReferenceGrantSet(grantsA);
      const differences: string[] = [];
      // Each grant of B, a copy of it that shares no object with any grant (no identity to lean on), and A's own.
      for (const grant of [...grantsB, ...grantsB.map((g) => JSON.parse(JSON.stringify(g)) as Grant), ...grantsA]) {
        const got = [indexed.uncoveredReason(grant), indexed.covers(grant), grant.effect === 'Allow' && indexed.excludes(grant)];
        const want = [reference.uncoveredReason(grant), reference.covers(grant), grant.effect === 'Allow' && reference.excludes(grant)];
        if (JSON.stringify(got) !== JSON.stringify(want)) differences.push(`${grant.key}: ${JSON.stringify(got)}, not ${JSON.stringify(want)}`);
      }
      expect(differences).toEqual([]);
    });

  it('identity policies: covers, uncoveredReason and excludes equal the reference', () => {
    fc.assert(same(false), { numRuns: 300 });
  });

  it('trust policies (principals, NotPrincipal, the role itself): the same', () => {
    fc.assert(same(true), { numRuns: 300 });
  });
});

describe('resourceCovers: its quick answers are those of the full pattern test', () => {
  it('a pattern without wildcards covers only itself; any only what starts with its literal start', () => {
    // The full test, as first written: ARNs part by part, anything else by the whole text.
    const full = (g: string, x: string) => (arnSegments(g) !== undefined && arnSegments(x) !== undefined ? arnPatternCovers(g, x) : g === x || patternCovers(g, '*'));
    const piece = fc.constantFrom('a', 'b', 'ab', ':', '/', '*', '?', '$', '{', '}', '${aws:username}', '${a:b}', 'arn:aws:s3:::', 'arn:aws:iam::1:');
    const pieces = fc.array(piece, { minLength: 0, maxLength: 8 });
    // The second pattern is often the first with its wildcards filled in or kept, so that covers are common.
    const pair = fc.tuple(pieces, pieces, fc.array(fc.constantFrom('', 'a', 'b:', '*', '?', '${a:b}'), { minLength: 8, maxLength: 8 }), fc.boolean()).map(([g, other, fills, related]) => {
      const prefixed = ['arn:aws:s3:::', ...g];
      const pattern = (related ? prefixed : g).join('');
      if (!related) return [pattern, other.join('')] as const;
      return [pattern, prefixed.map((p, i) => (p === '*' || p === '?' ? fills[i % fills.length] : p)).join('')] as const;
    });
    fc.assert(
      fc.property(pair, ([g, x]) => {
        expect(resourceCovers({ kind: 'pattern', pattern: g }, { kind: 'pattern', pattern: x })).toBe(full(g, x));
      }),
      { numRuns: 20_000 },
    );
  });
});
