/**
 * Crafted cases for mergeStatements, fitPolicies and fitPrincipalPolicies: what merges and what never
 * does, an oversized policy that merging brings under the limit, one that needs a split, and the ones that
 * cannot fit, with their exact messages. What the results allow is shown with the simulator here for the
 * crafted cases, and on random policies in fit-policy-simulation.test.ts.
 */
import { fitPolicies, listOf, fitPrincipalPolicies, mergeStatements, type PolicyDocument, policyDocument, policySize, type StatementProps, validatePolicy } from '../../../modules/core';
import { validationErrorOf } from '../../support/errors';
import { isAllowed, isAllowedByPolicies } from '../../support/simulator';

const doc = (...statements: StatementProps[]): PolicyDocument => policyDocument({ statements });
const bucket = (n: number) => `arn:aws:s3:::artifacts-${String(n).padStart(3, '0')}/*`;
const REGION = { test: 'StringEquals', variable: 'aws:RequestedRegion', values: ['eu-west-1'] };

describe('mergeStatements', () => {
  it('merges statements that differ only in Action, Allow and Deny alike, in the place of the first', () => {
    const merged = mergeStatements(
      doc(
        { actions: ['s3:GetObject'], resources: [bucket(1)] },
        { effect: 'Deny', actions: ['s3:DeleteObject'], resources: [bucket(2)] },
        { actions: ['s3:PutObject'], resources: [bucket(1)] },
        { effect: 'Deny', actions: ['s3:PutObjectAcl'], resources: [bucket(2)] },
      ),
    );
    expect(merged).toEqual(doc({ actions: ['s3:GetObject', 's3:PutObject'], resources: [bucket(1)] }, { effect: 'Deny', actions: ['s3:DeleteObject', 's3:PutObjectAcl'], resources: [bucket(2)] }));
  });

  it('merges statements that differ only in Resource, and then the results that now differ only in Action', () => {
    const merged = mergeStatements(
      doc(
        { actions: ['s3:GetObject'], resources: [bucket(1)] },
        { actions: ['s3:GetObject'], resources: [bucket(2)] },
        { actions: ['s3:PutObject'], resources: [bucket(2)] },
        { actions: ['s3:PutObject'], resources: [bucket(1)] },
      ),
    );
    expect(merged).toEqual(doc({ actions: ['s3:GetObject', 's3:PutObject'], resources: [bucket(1), bucket(2)] }));
  });

  it('compares conditions canonically: the same values in another order are the same condition', () => {
    const a = { test: 'StringEquals', variable: 'aws:RequestedRegion', values: ['eu-west-1', 'us-east-1'] };
    const b = { test: 'StringEquals', variable: 'aws:RequestedRegion', values: ['us-east-1', 'eu-west-1'] };
    const merged = mergeStatements(doc({ actions: ['s3:GetObject'], resources: [bucket(1)], conditions: [a] }, { actions: ['s3:PutObject'], resources: [bucket(1)], conditions: [b] }));
    expect(merged).toEqual(doc({ actions: ['s3:GetObject', 's3:PutObject'], resources: [bucket(1)], conditions: [a] }));
  });

  it('never merges NotAction, NotResource, different conditions, different effects or Sids', () => {
    const kept = doc(
      { actions: ['s3:GetObject'], resources: [bucket(1)] },
      { effect: 'Deny', notActions: ['s3:GetObject'], resources: [bucket(1)] },
      { effect: 'Deny', notActions: ['s3:PutObject'], resources: [bucket(1)] },
      { effect: 'Deny', actions: ['s3:PutObject'], notResources: [bucket(1)] },
      { effect: 'Deny', actions: ['s3:DeleteObject'], notResources: [bucket(1)] },
      { actions: ['s3:PutObject'], resources: [bucket(1)], conditions: [REGION] },
      { actions: ['s3:DeleteObject'], resources: [bucket(1)], conditions: [{ ...REGION, values: ['us-east-1'] }] },
      { effect: 'Deny', actions: ['s3:ListBucket'], resources: [bucket(1)] },
      { sid: 'ReadArtifacts', actions: ['s3:GetObjectVersion'], resources: [bucket(1)] },
    );
    expect(mergeStatements(kept)).toEqual(kept);
  });

  it('merges a Sid the caller lists, and the merged statement keeps it', () => {
    const policy = doc({ actions: ['s3:GetObject'], resources: [bucket(1)] }, { sid: 'Write', actions: ['s3:PutObject'], resources: [bucket(1)] });
    expect(mergeStatements(policy)).toEqual(policy);
    expect(mergeStatements(policy, { mergeableSids: ['Write'] })).toEqual(doc({ sid: 'Write', actions: ['s3:GetObject', 's3:PutObject'], resources: [bucket(1)] }));
  });

  it('is idempotent and writes canonical JSON: the same text for the same statements in another form', () => {
    const given: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: bucket(1) }, { Resource: [bucket(1)], Effect: 'Allow', Action: 's3:PutObject' } as PolicyDocument['Statement'][number]],
    };
    const merged = mergeStatements(given);
    expect(JSON.stringify(merged)).toBe('{"Version":"2012-10-17","Statement":[{"Action":["s3:PutObject","s3:GetObject"],"Effect":"Allow","Resource":"arn:aws:s3:::artifacts-001/*"}]}');
    expect(JSON.stringify(mergeStatements(merged))).toBe(JSON.stringify(merged));
  });
});

describe('fitPolicies', () => {
  // 120 statements of one action on one bucket each: 10,238 characters, over a managed policy's 6,144.
  const perBucket = doc(...Array.from({ length: 120 }, (_, i) => ({ actions: ['s3:GetObject'], resources: [bucket(i)] })));

  it('returns a policy within its limit as given (canonical), not merged', () => {
    const small = doc({ actions: ['s3:GetObject'], resources: [bucket(1)] }, { actions: ['s3:PutObject'], resources: [bucket(1)] });
    expect(fitPolicies(small, { context: 'test' })).toEqual([small]);
  });

  it('an oversized policy that merging brings under the limit: one document, allowing what it did', async () => {
    const size = policySize(perBucket, 'characters');
    expect(size).toBe(10_238);
    const [merged, ...rest] = fitPolicies(perBucket, { context: 'test' });
    expect(rest).toEqual([]);
    expect(merged).toEqual(doc({ actions: ['s3:GetObject'], resources: Array.from({ length: 120 }, (_, i) => bucket(i)) }));
    // 39 for the document, 56 for the statement, 120 ARNs of 30 characters quoted and 119 commas.
    expect(policySize(merged, 'characters')).toBe(39 + 56 + 120 * 30 + 119);
    expect(() => validatePolicy(merged, 'test', { kind: 'managed' })).not.toThrow();
    for (const [resource, allowed] of [
      ['arn:aws:s3:::artifacts-007/app.zip', true],
      ['arn:aws:s3:::artifacts-120/app.zip', false],
    ] as const) {
      const request = { action: 's3:GetObject', resource, context: {} };
      expect(await isAllowed(perBucket, request)).toBe(allowed);
      expect(await isAllowed(merged, request)).toBe(allowed);
    }
  });

  // Three statements with Sids (never merged) of 2,703 or 2,704 characters and a Deny of 82: 8,235 together.
  const withSids = doc(...['Alpha', 'Beta', 'Gamma'].map((sid, k) => ({ sid, actions: ['s3:GetObject'], resources: Array.from({ length: 85 }, (_, i) => bucket(k * 100 + i)) })), {
    effect: 'Deny' as const,
    actions: ['s3:DeleteObject'],
    resources: ['arn:aws:s3:::artifacts-*'],
  });

  it('an oversized policy that needs a split: the fewest documents, each within the limit, statements in order', async () => {
    expect(withSids.Statement.map((s) => JSON.stringify(s).length)).toEqual([2_704, 2_703, 2_704, 82]);
    expect(policySize(withSids, 'characters')).toBe(8_235);
    const split = fitPolicies(withSids, { context: 'test', maxDocuments: 3 });
    // Two of the large ones fit one document (39 + 2 × 2,704 + 1 ≤ 6,144), three do not: two documents.
    // First-fit decreasing takes Alpha, Gamma (2,704 each, by position), Beta, then the Deny into the first.
    expect(split.map((d) => d.Statement.map((s) => s.Sid ?? s.Effect))).toEqual([['Alpha', 'Gamma', 'Deny'], ['Beta']]);
    expect(split.map((d) => policySize(d, 'characters'))).toEqual([39 + 2_704 + 2_704 + 82 + 2, 39 + 2_703]);
    for (const [action, resource, allowed] of [
      ['s3:GetObject', 'arn:aws:s3:::artifacts-184/a', true],
      ['s3:GetObject', 'arn:aws:s3:::artifacts-185/a', false],
      ['s3:DeleteObject', 'arn:aws:s3:::artifacts-001/a', false],
    ] as const) {
      const request = { action, resource, context: {} };
      expect(await isAllowed(withSids, request)).toBe(allowed);
      expect(await isAllowedByPolicies(split, request)).toBe(allowed);
    }
  });

  it('keeps Version and Id on every document, and the same input gives the same text', () => {
    const identified = { ...withSids, Id: 'artifacts' };
    const split = fitPolicies(identified, { context: 'test', maxDocuments: 2 });
    expect(split.map((d) => [d.Version, d.Id])).toEqual([
      ['2012-10-17', 'artifacts'],
      ['2012-10-17', 'artifacts'],
    ]);
    expect(JSON.stringify(fitPolicies(identified, { context: 'test', maxDocuments: 2 }))).toBe(JSON.stringify(split));
  });

  it('fails when the split takes more documents than allowed, naming the context, the size, the limit and the count', () => {
    expect(validationErrorOf(() => fitPolicies(withSids, { context: 'stack/ci', maxDocuments: 1 })).message).toBe(
      'stack/ci: 1 problem\n- (policy size): 8235: 8235 characters is over the 6144 allowed for a customer managed policy; ' +
        'split within the limit it takes 2 documents, and no split is allowed. ' +
        'Fix: allow 2 documents (maxDocuments), each attached to the same principal, or grant with fewer, broader patterns you have reviewed',
    );
    // Merged, the 120 per-bucket statements are one of 3,775 characters, which shares a document with no
    // 2,704 one: three documents.
    const both = { ...perBucket, Statement: [...perBucket.Statement, ...withSids.Statement.slice(0, 3)] };
    expect(validationErrorOf(() => fitPolicies(both, { context: 'stack/ci', maxDocuments: 2, fix: 'raise maxPolicies' })).message).toBe(
      'stack/ci: 1 problem\n- (policy size): 11928: 11928 characters is over the 6144 allowed for a customer managed policy, after merging statements (18352 characters as given); ' +
        'split within the limit it takes 3 documents, over the 2 allowed. Fix: raise maxPolicies',
    );
  });

  it('fails when one statement alone is over the limit: no split can fit it', () => {
    const huge = doc(
      { sid: 'Small', actions: ['s3:PutObject'], resources: [bucket(1)] },
      { sid: 'Everything', actions: ['s3:GetObject'], resources: Array.from({ length: 200 }, (_, i) => bucket(i)) },
    );
    expect(validationErrorOf(() => fitPolicies(huge, { context: 'stack/ci', maxDocuments: 10 })).message).toBe(
      'stack/ci: 1 problem\n- Statement[1]: "Everything": 6412 characters is over the 6144 allowed for a customer managed policy, ' +
        'and a document holding only this statement would be 6313 characters, so no split fits it. ' +
        'Fix: give its Action or Resource list to several statements, or cover them with fewer patterns you have reviewed',
    );
  });
});

describe('fitPrincipalPolicies', () => {
  const role = { context: 'stack/role', principal: 'role ci', kind: 'role-inline' as const };
  const part = (sid: string, from: number, count: number) => ({ sid, actions: ['s3:GetObject'], resources: Array.from({ length: count }, (_, i) => bucket(from + i)) });
  // Two inline policies of two statements of 2,856 characters: 5,752 each, 11,504 together, over a role's 10,240.
  const a = { name: 'a', document: doc(part('A1', 0, 90), part('A2', 100, 90)) };
  const b = { name: 'b', document: doc(part('A2', 200, 90), part('B2', 300, 90)) };

  it('within the limit: the policies as given, nothing merged or moved', () => {
    const small = [{ name: 'x', document: doc({ actions: ['s3:GetObject'], resources: [bucket(1)] }, { actions: ['s3:PutObject'], resources: [bucket(1)] }) }];
    expect(fitPrincipalPolicies(small, role)).toEqual({ inline: small, managed: [], merged: false, findings: [] });
  });

  it('over the limit: each policy merged on its own, under its name', () => {
    const perBucket = (name: string, from: number) => ({ name, document: doc(...Array.from({ length: 70 }, (_, i) => ({ actions: ['s3:GetObject'], resources: [bucket(from + i)] }))) });
    const fitted = fitPrincipalPolicies([perBucket('x', 0), perBucket('y', 100)], { ...role, kind: 'user-inline', limit: 5_000 });
    expect(fitted.findings).toEqual([]);
    expect(fitted.merged).toBe(true);
    expect(fitted.inline.map((p) => [p.name, p.document.Statement.length])).toEqual([
      ['x', 1],
      ['y', 1],
    ]);
  });

  it('without an overflow, the finding names the size and the limit, and the size as given when merging helped', () => {
    const perBucket = { name: 'x', document: doc(...Array.from({ length: 120 }, (_, i) => ({ actions: ['s3:GetObject'], resources: [bucket(i)] }))) };
    expect(fitPrincipalPolicies([perBucket], { ...role, principal: 'user ci', kind: 'user-inline', fix: 'use a group' }).findings).toEqual([
      {
        field: 'inlinePolicies',
        value: 3_814,
        problem: '3814 characters is over the 2048 allowed for the inline policies of one user, summed, after merging statements (10238 characters as given)',
        fix: 'use a group',
      },
    ]);
    expect(fitPrincipalPolicies([a, b], role).findings).toEqual([
      {
        field: 'inlinePolicies',
        value: 11_504,
        problem: '11504 characters is over the 10240 allowed for the inline policies of one role, summed',
        fix: 'move statements to customer managed policies, or grant with fewer, broader patterns you have reviewed',
      },
    ]);
  });

  it('with an overflow: the statements that fit stay inline in order, the rest go to the fewest managed policies, named -2, -3', async () => {
    const fitted = fitPrincipalPolicies([a, b], { ...role, overflow: { name: 'ci', attachmentLimit: 10, attached: 9 } });
    expect(fitted.findings).toEqual([]);
    // a (5,752) and b's first statement (39 + 2,856) fit 10,240; b's second does not.
    expect(fitted.inline.map((p) => [p.name, p.document.Statement.map((s) => s.Sid)])).toEqual([
      ['a', ['A1', 'A2']],
      ['b', ['A2']],
    ]);
    expect(fitted.managed.map((p) => [p.name, p.document.Statement.map((s) => s.Sid)])).toEqual([['ci-2', ['B2']]]);
    const inlineSize = fitted.inline.reduce((sum, p) => sum + policySize(p.document, 'characters'), 0);
    expect(inlineSize).toBeLessThanOrEqual(10_240);
    const all = [...fitted.inline, ...fitted.managed].map((p) => p.document);
    for (const [resource, allowed] of [
      ['arn:aws:s3:::artifacts-389/x', true],
      ['arn:aws:s3:::artifacts-390/x', false],
    ] as const) {
      const request = { action: 's3:GetObject', resource, context: {} };
      expect(await isAllowedByPolicies([a.document, b.document], request)).toBe(allowed);
      expect(await isAllowedByPolicies(all, request)).toBe(allowed);
    }
  });

  it('two moved statements with the same Sid (from different policies) never share a managed policy', () => {
    const fitted = fitPrincipalPolicies([a, b], { ...role, limit: 3_000, overflow: { name: 'ci', attachmentLimit: 10, attached: 0 } });
    expect(fitted.findings).toEqual([]);
    expect(fitted.inline.map((p) => p.name)).toEqual(['a']);
    // Moved: a's A2, b's A2 and b's B2. The two A2s go to different policies.
    expect(fitted.managed.map((p) => [p.name, p.document.Statement.map((s) => s.Sid)])).toEqual([
      ['ci-2', ['A2', 'B2']],
      ['ci-3', ['A2']],
    ]);
    expect(fitted.managed.map((p) => p.document.Statement.map((s) => listOf(s.Resource!).at(-1)))).toEqual([[bucket(100), bucket(300)], [bucket(200)]]);
  });

  it('fails when the overflow needs more attachments than the principal has free, naming it', () => {
    expect(fitPrincipalPolicies([a, b], { ...role, limit: 3_000, overflow: { name: 'ci', attachmentLimit: 10, attached: 9 } }).findings).toEqual([
      {
        field: 'inlinePolicies',
        value: 11_504,
        problem:
          '11504 characters is over the 3000 allowed for the inline policies of one role, summed; the statements that do not fit inline take 2 customer managed policies, ' +
          'and role ci has 1 of its 10 managed policy attachments free (9 taken)',
        fix: 'attach fewer managed policies, or grant with fewer, broader patterns you have reviewed',
      },
    ]);
  });

  it('fails when a moved statement alone is over the managed policy limit', () => {
    const big = { name: 'big', document: doc(part('Huge', 0, 200)) };
    expect(fitPrincipalPolicies([a, big], { ...role, overflow: { name: 'ci', attachmentLimit: 10, attached: 0 } }).findings).toEqual([
      {
        field: 'inlinePolicies[1].document.Statement[0]',
        value: 'Huge',
        problem:
          '12059 characters is over the 10240 allowed for the inline policies of one role, summed, and a customer managed policy holding only this statement would be 6307 characters, over the 6144 allowed for a customer managed policy',
        fix: 'give its Action or Resource list to several statements, or cover them with fewer patterns you have reviewed',
      },
    ]);
  });

  it('fails when an overflow policy name would be too long', () => {
    const long = 'g'.repeat(127);
    // Over a group's 5,120, the overflow takes two policies: both names are one character too long.
    expect(fitPrincipalPolicies([a, b], { ...role, kind: 'group-inline', overflow: { name: long, attachmentLimit: 10, attached: 0 } }).findings).toEqual(
      ['-2', '-3'].map((suffix) => ({
        field: 'inlinePolicies (overflow policy name)',
        value: `${long}${suffix}`,
        problem: 'an IAM policy name is 1 to 128 characters of letters, digits and +=,.@_-',
        fix: 'rename it within those characters',
      })),
    );
  });
});
