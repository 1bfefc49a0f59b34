/**
 * Evidence that merging and splitting change nothing a policy allows: random policies drawn from pools of
 * real actions, resources and conditions (Allow and Deny, with and without conditions, wildcards in actions
 * and resources, NotAction, NotResource and Sids now and then), and for each a set of random requests,
 * matching and not, decided by the simulator for the policy as given, merged, split into several
 * documents of one principal, and spread over a principal's inline and overflow managed policies.
 */
import fc from 'fast-check';
import { canonicalPolicy, fitPolicies, fitPrincipalPolicies, mergeStatements, type PolicyDocument, type PolicyStatement, policySize } from '../../../modules/core';
import { globalConditionKey, serviceActions } from '../../../modules/core/private/iam-data';
import { recordFigure } from '../../support/figures';
import { isAllowed, isAllowedByPolicies, SIMULATED_ACCOUNT, type SimulatedRequest, simulatedCount } from '../../support/simulator';

jest.setTimeout(120_000);

const SEED = 20_261_208;
const POLICY_RUNS = 100;
const PRINCIPAL_RUNS = 40;
const REQUESTS_PER_POLICY = 16;

const TABLE = (name: string) => `arn:aws:dynamodb:eu-west-1:${SIMULATED_ACCOUNT}:table/${name}`;
const INSTANCE = `arn:aws:ec2:eu-west-1:${SIMULATED_ACCOUNT}:instance/i-0123456789abcdef0`;

// Pools. Action names are checked against iam-data below; wildcards are IAM's (`*`, `?`).
const ACTIONS = [
  's3:GetObject',
  's3:PutObject',
  's3:DeleteObject',
  's3:ListBucket',
  's3:Get*',
  's3:*Object',
  's3:*',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:Query',
  'dynamodb:*',
  'ec2:DescribeInstances',
  'ec2:StartInstances',
  'ec2:Describe*',
  '*',
];
const RESOURCES = [
  'arn:aws:s3:::alpha',
  'arn:aws:s3:::alpha/*',
  'arn:aws:s3:::alpha/logs/*',
  'arn:aws:s3:::beta',
  'arn:aws:s3:::beta/*',
  'arn:aws:s3:::*',
  TABLE('orders'),
  TABLE('*'),
  `arn:aws:ec2:eu-west-1:${SIMULATED_ACCOUNT}:instance/*`,
  '*',
];
// A few sets used often, so that statements share lists and merges happen.
const ACTION_SETS = [['s3:GetObject'], ['s3:PutObject', 's3:GetObject'], ['dynamodb:GetItem', 'dynamodb:Query'], ['ec2:Describe*']];
const RESOURCE_SETS = [['arn:aws:s3:::alpha/*'], ['arn:aws:s3:::alpha/*', 'arn:aws:s3:::beta/*'], [TABLE('orders')], ['*']];
// Global condition keys (checked against iam-data below); the same values in two orders compare equal.
const CONDITIONS: PolicyStatement['Condition'][] = [
  { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } },
  { StringEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } },
  { StringEquals: { 'aws:RequestedRegion': ['eu-west-1', 'us-east-1'] } },
  { Bool: { 'aws:SecureTransport': 'true' } },
  { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
  { Bool: { 'aws:SecureTransport': 'true' }, StringEquals: { 'aws:PrincipalTag/team': 'platform' } },
  { StringLike: { 'aws:PrincipalTag/team': 'plat*' } },
];
const SIDS = ['Keep', 'Read', 'Write'];

// Requests: an action and a resource it applies to (the simulator refuses other pairs).
const TARGETS: readonly (readonly [string, string])[] = [
  ['s3:GetObject', 'arn:aws:s3:::alpha/data'],
  ['s3:GetObject', 'arn:aws:s3:::alpha/logs/app.log'],
  ['s3:GetObject', 'arn:aws:s3:::beta/data'],
  ['s3:PutObject', 'arn:aws:s3:::alpha/logs/app.log'],
  ['s3:PutObject', 'arn:aws:s3:::beta/data'],
  ['s3:DeleteObject', 'arn:aws:s3:::alpha/data'],
  ['s3:ListBucket', 'arn:aws:s3:::alpha'],
  ['s3:ListBucket', 'arn:aws:s3:::beta'],
  ['dynamodb:GetItem', TABLE('orders')],
  ['dynamodb:GetItem', TABLE('users')],
  ['dynamodb:PutItem', TABLE('orders')],
  ['dynamodb:Query', TABLE('users')],
  ['ec2:DescribeInstances', '*'],
  ['ec2:StartInstances', INSTANCE],
];

type Negation = 'none' | 'NotAction' | 'NotResource';

const statementArb = fc
  .record({
    effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Allow', 'Deny'),
    actions: fc.oneof({ arbitrary: fc.constantFrom(...ACTION_SETS), weight: 2 }, { arbitrary: fc.subarray(ACTIONS, { minLength: 1, maxLength: 3 }), weight: 1 }),
    resources: fc.oneof({ arbitrary: fc.constantFrom(...RESOURCE_SETS), weight: 2 }, { arbitrary: fc.subarray(RESOURCES, { minLength: 1, maxLength: 3 }), weight: 1 }),
    // fc.option gives null (no condition, no Sid) once in `freq`.
    condition: fc.option(fc.constantFrom(...CONDITIONS), { freq: 2 }),
    negation: fc.constantFrom<Negation>('none', 'none', 'none', 'none', 'none', 'NotAction', 'NotResource'),
    sid: fc.oneof({ arbitrary: fc.constant(null), weight: 5 }, { arbitrary: fc.constantFrom(...SIDS), weight: 1 }),
  })
  .map(
    ({ effect, actions, resources, condition, negation, sid }) =>
      ({
        Effect: effect,
        ...(negation === 'NotAction' ? { NotAction: actions } : { Action: actions }),
        ...(negation === 'NotResource' ? { NotResource: resources } : { Resource: resources }),
        ...(condition !== null && { Condition: condition }),
        ...(sid !== null && { Sid: sid }),
      }) as PolicyStatement,
  );

/**
 * A sibling of a statement: the same but for its Action (or NotAction) list or its Resource (or
 * NotResource) list, as policies generated per resource or per task have. Put at the end of the policy, so
 * merges also join statements that are not next to each other.
 */
const siblingArb = fc.option(
  fc.record({
    field: fc.constantFrom<'actions' | 'resources'>('actions', 'resources'),
    actions: fc.subarray(ACTIONS, { minLength: 1, maxLength: 2 }),
    resources: fc.subarray(RESOURCES, { minLength: 1, maxLength: 2 }),
  }),
  { freq: 2 },
);

function siblingOf(s: PolicyStatement, change: { field: 'actions' | 'resources'; actions: string[]; resources: string[] }): PolicyStatement {
  const { Sid: _, ...rest } = s;
  if (change.field === 'actions') return { ...rest, ...(s.NotAction !== undefined ? { NotAction: change.actions } : { Action: change.actions }) };
  return { ...rest, ...(s.NotResource !== undefined ? { NotResource: change.resources } : { Resource: change.resources }) };
}

/** A policy of `min` to `max` statements and their siblings; a Sid already taken is dropped (Sids are unique within a policy). */
const policyArb = (min: number, max: number) =>
  fc.array(fc.tuple(statementArb, siblingArb), { minLength: min, maxLength: max }).map((drawn): PolicyDocument => {
    const statements = [...drawn.map(([s]) => s), ...drawn.flatMap(([s, change]) => (change === null ? [] : [siblingOf(s, change)]))];
    const seen = new Set<string>();
    return {
      Version: '2012-10-17',
      Statement: statements.map((s) => {
        if (s.Sid === undefined) return s;
        if (seen.has(s.Sid)) {
          const { Sid: _, ...rest } = s;
          return rest as PolicyStatement;
        }
        seen.add(s.Sid);
        return s;
      }),
    };
  });

const requestArb: fc.Arbitrary<SimulatedRequest> = fc
  .record({
    target: fc.constantFrom(...TARGETS),
    region: fc.constantFrom('eu-west-1', 'us-east-1', 'ap-south-1'),
    secure: fc.constantFrom('true', 'false'),
    ip: fc.constantFrom('10.1.2.3', '192.0.2.1'),
    team: fc.constantFrom('platform', 'data'),
  })
  .map(({ target, region, secure, ip, team }) => ({
    action: target[0],
    resource: target[1],
    context: { 'aws:RequestedRegion': region, 'aws:SecureTransport': secure, 'aws:SourceIp': ip, 'aws:PrincipalTag/team': team },
  }));

const requestsArb = fc.array(requestArb, { minLength: REQUESTS_PER_POLICY, maxLength: REQUESTS_PER_POLICY });

/** The size of a document holding only `statement`, the least limit a split can meet. */
const aloneSize = (doc: PolicyDocument, statement: PolicyStatement) => policySize({ ...doc, Statement: [statement] }, 'characters');

const tally = { policies: 0, principals: 0, requests: 0, allowed: 0, merged: 0, split: 0, overflowed: 0 };

afterAll(() => {
  recordFigure('random policies merged and split (fit-policy)', tally.policies);
  recordFigure('random principals overflowed (fit-policy)', tally.principals);
  recordFigure('random requests decided (fit-policy)', tally.requests);
  recordFigure('requests simulated (fit-policy)', simulatedCount());
});

describe('the pools are real IAM names', () => {
  it('every action pattern matches an action in iam-data, every condition key is a global key', () => {
    for (const pattern of [...ACTIONS, ...TARGETS.map(([a]) => a)].filter((a) => a !== '*')) {
      const [service, name] = pattern.split(':');
      const re = new RegExp(`^${name.replace(/\*/g, '.*')}$`, 'i');
      expect([pattern, [...serviceActions(service).values()].some((a) => re.test(a.name))]).toEqual([pattern, true]);
    }
    const keys = CONDITIONS.flatMap((c) => Object.values(c!).flatMap((k) => Object.keys(k)));
    for (const key of keys) expect([key, globalConditionKey(key) !== undefined]).toEqual([key, true]);
  });
});

describe('fitPolicies on random policies, decided by the simulator', () => {
  it('merged, and split into several documents of one principal, each allows exactly what the policy allows', async () => {
    await fc.assert(
      fc.asyncProperty(policyArb(2, 8), requestsArb, fc.boolean(), async (policy, requests, mergeKeep) => {
        const options = mergeKeep ? { mergeableSids: ['Keep'] } : {};
        const merged = mergeStatements(policy, options);
        const mergedSize = policySize(merged, 'characters');
        // A limit every statement fits alone, under the merged size: forces a split when there are two statements.
        const limit = Math.max(...merged.Statement.map((s) => aloneSize(merged, s)), Math.ceil(mergedSize / 2));
        const split = fitPolicies(policy, { context: 'property', limit, maxDocuments: merged.Statement.length, ...options });
        tally.policies++;
        if (merged.Statement.length < policy.Statement.length) tally.merged++;
        if (split.length > 1) tally.split++;

        for (const doc of split) expect(policySize(doc, 'characters')).toBeLessThanOrEqual(limit);
        for (const request of requests) {
          const expected = await isAllowed(policy, request);
          tally.requests++;
          if (expected) tally.allowed++;
          expect([request, await isAllowed(merged, request)]).toEqual([request, expected]);
          expect([request, await isAllowedByPolicies(split, request)]).toEqual([request, expected]);
        }
      }),
      { seed: SEED, numRuns: POLICY_RUNS },
    );
    // The property cannot hold vacuously: merges and splits happened, and requests went both ways.
    expect(tally.merged).toBeGreaterThan(POLICY_RUNS / 4);
    expect(tally.split).toBeGreaterThan(POLICY_RUNS / 2);
    expect(tally.allowed).toBeGreaterThan(tally.requests / 10);
    expect(tally.allowed).toBeLessThan((tally.requests * 9) / 10);
  });

  it("a principal's inline policies, merged and overflowed into managed policies, allow together what they did", async () => {
    const before = { requests: tally.requests, allowed: tally.allowed };
    await fc.assert(
      fc.asyncProperty(fc.array(policyArb(1, 4), { minLength: 1, maxLength: 3 }), requestsArb, fc.double({ min: 0.3, max: 0.8, noNaN: true }), async (docs, requests, share) => {
        const policies = docs.map((document, i) => ({ name: `inline-${i}`, document }));
        const merged = policies.map((p) => mergeStatements(p.document));
        const mergedSize = merged.reduce((sum, d) => sum + policySize(d, 'characters'), 0);
        const managedLimit = Math.max(...merged.flatMap((d) => d.Statement.map((s) => aloneSize(d, s))));
        const limit = Math.floor(mergedSize * share);
        const fitted = fitPrincipalPolicies(policies, {
          context: 'property',
          principal: 'role property',
          kind: 'role-inline',
          limit,
          overflow: { name: 'property', attachmentLimit: 100, attached: 0, limit: managedLimit },
        });
        expect(fitted.findings).toEqual([]);
        tally.principals++;
        if (fitted.managed.length > 0) tally.overflowed++;
        const inlineSize = fitted.inline.reduce((sum, p) => sum + policySize(p.document, 'characters'), 0);
        expect(inlineSize).toBeLessThanOrEqual(limit);
        for (const p of fitted.managed) expect(policySize(p.document, 'characters')).toBeLessThanOrEqual(managedLimit);
        for (const p of [...fitted.inline, ...fitted.managed]) {
          const sids = p.document.Statement.flatMap((s) => (s.Sid === undefined ? [] : [s.Sid]));
          expect(new Set(sids).size).toBe(sids.length);
        }
        const all = [...fitted.inline, ...fitted.managed].map((p) => p.document);
        for (const request of requests) {
          const expected = await isAllowedByPolicies(docs, request);
          tally.requests++;
          if (expected) tally.allowed++;
          expect([request, await isAllowedByPolicies(all, request)]).toEqual([request, expected]);
        }
      }),
      { seed: SEED + 1, numRuns: PRINCIPAL_RUNS },
    );
    expect(tally.overflowed).toBeGreaterThan(PRINCIPAL_RUNS / 2);
    const allowed = tally.allowed - before.allowed;
    const decided = tally.requests - before.requests;
    expect(allowed).toBeGreaterThan(decided / 10);
    expect(allowed).toBeLessThan((decided * 9) / 10);
  });
});

describe('mergeStatements on random policies, without the simulator', () => {
  const keptAsIs = (s: PolicyStatement) => s.NotAction !== undefined || s.NotResource !== undefined || s.Sid !== undefined;

  it('is deterministic and idempotent, keeps Not* and Sid statements as they are, and never grows a policy', () => {
    fc.assert(
      fc.property(policyArb(1, 12), (policy) => {
        const merged = mergeStatements(policy);
        expect(JSON.stringify(mergeStatements(policy))).toBe(JSON.stringify(merged));
        expect(JSON.stringify(mergeStatements(merged))).toBe(JSON.stringify(merged));
        const canonical = canonicalPolicy(policy);
        expect(merged.Statement.filter(keptAsIs)).toEqual(canonical.Statement.filter(keptAsIs));
        expect(policySize(merged, 'characters')).toBeLessThanOrEqual(policySize(canonical, 'characters'));
        expect(merged.Statement.length).toBeLessThanOrEqual(policy.Statement.length);
      }),
      { seed: SEED + 2, numRuns: 300 },
    );
  });
});
