/**
 * Property tests: random configurations and random requests, decided by the simulator against the
 * policy statePermissionsPolicy generates, and compared with a small model of what the configuration
 * should allow. The model is written from the seed module's variable descriptions and Terraform's S3
 * backend (which objects and items a grant names, what apply, plan and read may do), with its own wildcard
 * matcher; it shares no code with the module.
 */
import fc from 'fast-check';
import { PolicyValidationError } from '../../../modules/core';
import { type StateAccessGrant, statePermissionsPolicy, type StatePermissionsProps } from '../../../modules/state-access';
import { recordFigure } from '../../support/figures';
import { isAllowed, type SimulatedRequest, SIMULATED_ACCOUNT, simulatedCount } from '../../support/simulator';

jest.setTimeout(600_000);

const SEED = 20_261_201;
const RUNS = 1_000;
const BUCKET = 'model-state';
const OTHER_BUCKET = 'model-other';
const TABLE = `arn:aws:dynamodb:eu-west-1:${SIMULATED_ACCOUNT}:table/locks`;
const OTHER_TABLE = `arn:aws:dynamodb:eu-west-1:${SIMULATED_ACCOUNT}:table/other`;
const STATE_KEY = `arn:aws:kms:eu-west-1:${SIMULATED_ACCOUNT}:key/11111111-1111-4111-8111-111111111111`;
const TABLE_KEY = `arn:aws:kms:eu-west-1:${SIMULATED_ACCOUNT}:key/22222222-2222-4222-8222-222222222222`;
const OTHER_KEY = `arn:aws:kms:eu-west-1:${SIMULATED_ACCOUNT}:key/33333333-3333-4333-8333-333333333333`;

afterAll(() => recordFigure('requests simulated (property tests)', simulatedCount()));

// ---------------------------------------------------------------------------------------------------
// The model

/** IAM wildcard matching: `*` any run (slashes too), `?` one character. */
function matches(pattern: string, value: string): boolean {
  const source = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, 's').test(value);
}

interface Grant {
  readonly key: string;
  readonly prefix: string;
  readonly workspaces: readonly string[];
  readonly allowDefault: boolean;
}

// Seed descriptions: workspace_key_prefix "Default: env:", workspaces "Default: ["*"]",
// allow_default_workspace "Default: true".
function grant(g: StateAccessGrant): Grant {
  return { key: g.key, prefix: g.workspaceKeyPrefix ?? 'env:', workspaces: g.workspaces ?? ['*'], allowDefault: g.allowDefaultWorkspace ?? true };
}

/** "the value of key with no workspace_key_prefix" for the default workspace; the backend's path for the others. */
function paths(g: Grant): string[] {
  return [...(g.allowDefault ? [g.key] : []), ...g.workspaces.map((w) => `${g.prefix}/${w}/${g.key}`)];
}

interface Model {
  readonly apply: Grant[];
  readonly plan: Grant[];
  readonly read: Grant[];
  readonly props: StatePermissionsProps;
}

function modelOf(props: StatePermissionsProps): Model {
  return { apply: (props.canApply ?? []).map(grant), plan: (props.canPlan ?? []).map(grant), read: (props.canRead ?? []).map(grant), props };
}

const covers = (grants: Grant[], path: string) => grants.some((g) => paths(g).some((p) => matches(p, path)));

/** Whether the model says the request should be allowed. */
function shouldAllow(model: Model, request: SimulatedRequest): boolean {
  const { props, apply, plan, read } = model;
  const locking = [...apply, ...plan]; // can_apply "allows locking", can_plan "State locking is allowed"
  const lockFileOf = (key: string) => props.useLockfile === true && key.endsWith('.tflock') && covers(locking, key.slice(0, -'.tflock'.length));
  const [service] = request.action.split(':');
  if (service === 's3') {
    const bucketPrefix = `arn:aws:s3:::${BUCKET}`;
    if (request.action === 's3:ListBucket') {
      if (request.resource !== bucketPrefix) return false;
      if (props.allowFullBucketList) return true;
      const prefix = request.context['s3:prefix'] as string;
      const listable = [
        // init of a state not written yet: S3 answers 404, not 403, only when ListBucket covers the key
        ...[...apply, ...plan, ...read].filter((g) => g.allowDefault).map((g) => g.key),
        // every command lists the workspaces under <prefix>/
        ...[...apply, ...plan, ...read].filter((g) => g.workspaces.length > 0 || g.prefix !== 'env:').map((g) => `${g.prefix}/`),
        // `workspace new` reads the new workspace's state before it writes it: apply grants only
        ...(props.listNewWorkspaces === false ? [] : apply.flatMap((g) => g.workspaces.map((w) => `${g.prefix}/${w}/${g.key}`))),
      ];
      return listable.some((p) => matches(p, prefix));
    }
    if (!request.resource.startsWith(`${bucketPrefix}/`)) return false;
    const key = request.resource.slice(bucketPrefix.length + 1);
    switch (request.action) {
      case 's3:GetObject':
        return covers([...apply, ...plan, ...read], key) || lockFileOf(key);
      case 's3:PutObject':
        // can_plan: "write access to the state bucket is prevented"; the lock object is created, never overwritten
        return covers(apply, key) || (lockFileOf(key) && request.context['s3:if-none-match'] === '*');
      case 's3:DeleteObject':
        return covers(apply, key) || lockFileOf(key);
    }
    return false;
  }
  if (service === 'dynamodb') {
    // lock_table_arn: "If not provided, only S3 permissions will be generated"; can_read "does not allow locking"
    if (props.lockTableArn === undefined || request.resource !== TABLE) return false;
    const [id] = request.context['dynamodb:LeadingKeys'] as string[];
    if (!id.startsWith(`${BUCKET}/`)) return false;
    const path = id.slice(BUCKET.length + 1);
    return covers(locking, path) || (path.endsWith('-md5') && covers(locking, path.slice(0, -4)));
  }
  if (service === 'kms') {
    const via = request.context['kms:ViaService'];
    if (request.action === 'kms:Encrypt') return false; // neither S3 nor DynamoDB calls it for the caller
    if (request.resource === STATE_KEY && props.stateBucketKmsKeyArn === STATE_KEY && via === 's3.eu-west-1.amazonaws.com') {
      if (request.action === 'kms:Decrypt') return true; // every grant reads state
      if (request.action === 'kms:GenerateDataKey') return apply.length > 0 || (props.useLockfile === true && plan.length > 0);
    }
    if (request.resource === TABLE_KEY && props.lockTableKmsKeyArn === TABLE_KEY && via === 'dynamodb.eu-west-1.amazonaws.com') {
      return request.action === 'kms:Decrypt' && props.lockTableArn !== undefined && locking.length > 0;
    }
    return false;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------
// Generators

const segment = fc.constantFrom('a', 'b', 'app', 'team-1', 'x*', '*', 'st?ge', 'db.tfstate');
const pathOf = (min: number, max: number) => fc.array(segment, { minLength: min, maxLength: max }).map((s) => s.join('/'));
const workspaceName = fc.constantFrom('dev', 'prod', '*', 'st?ge', 'team-*');

const grantArb: fc.Arbitrary<StateAccessGrant> = fc
  .record(
    {
      key: fc.oneof(pathOf(1, 3), fc.constant('terraform.tfstate')),
      workspaceKeyPrefix: fc.oneof(fc.constant('env:'), pathOf(1, 2)),
      workspaces: fc.array(workspaceName, { maxLength: 3 }),
      allowDefaultWorkspace: fc.boolean(),
    },
    { requiredKeys: ['key'] },
  )
  .filter((g) => g.allowDefaultWorkspace !== false || g.workspaces === undefined || g.workspaces.length > 0);

const propsArb: fc.Arbitrary<StatePermissionsProps> = fc
  .record({
    canApply: fc.array(grantArb, { maxLength: 2 }),
    canPlan: fc.array(grantArb, { maxLength: 2 }),
    canRead: fc.array(grantArb, { maxLength: 2 }),
    lockTable: fc.boolean(),
    tableKey: fc.boolean(),
    stateKey: fc.boolean(),
    useLockfile: fc.boolean(),
    allowFullBucketList: fc.boolean(),
    listNewWorkspaces: fc.boolean(),
  })
  .filter((p) => p.canApply.length + p.canPlan.length + p.canRead.length > 0)
  .map((p) => ({
    stateBucketArn: `arn:aws:s3:::${BUCKET}`,
    canApply: p.canApply,
    canPlan: p.canPlan,
    canRead: p.canRead,
    ...(p.lockTable && { lockTableArn: TABLE }),
    ...(p.lockTable && p.tableKey && { lockTableKmsKeyArn: TABLE_KEY }),
    ...(p.stateKey && { stateBucketKmsKeyArn: STATE_KEY }),
    useLockfile: p.useLockfile,
    allowFullBucketList: p.allowFullBucketList,
    listNewWorkspaces: p.listNewWorkspaces,
  }));

/** A concrete value a wildcard pattern matches: `*` becomes nothing, a letter, or text with a slash. */
function instance(pattern: string, fillers: readonly string[]): string {
  let n = 0;
  return pattern.replace(/[*?]/g, (c) => (c === '?' ? 'q' : fillers[n++ % fillers.length]));
}

/** Requests near the configuration: its own paths, their lock files and digests, and others nearby. */
function requestsArb(props: StatePermissionsProps): fc.Arbitrary<SimulatedRequest[]> {
  const model = modelOf(props);
  const all = [...model.apply, ...model.plan, ...model.read];
  const patterns = [...all.flatMap(paths), ...all.map((g) => `${g.prefix}/`), 'other/terraform.tfstate', 'env:/dev/x', 'a'];
  const key = fc
    .tuple(fc.constantFrom(...patterns), fc.array(fc.constantFrom('', 'x', 'dev', 'a/b', 'team-1'), { minLength: 1, maxLength: 3 }), fc.constantFrom('', '.tflock', '-md5', '/x'))
    .map(([p, fillers, suffix]) => instance(p, fillers) + suffix)
    .filter((k) => k !== '');
  const request: fc.Arbitrary<SimulatedRequest> = fc.oneof(
    fc.tuple(fc.constantFrom('s3:GetObject', 's3:PutObject', 's3:DeleteObject'), key, fc.boolean(), fc.boolean()).map(([action, k, inm, other]) => ({
      action,
      resource: `arn:aws:s3:::${other ? OTHER_BUCKET : BUCKET}/${k}`,
      context: action === 's3:PutObject' && inm ? { 's3:if-none-match': '*' } : ({} as Record<string, string>),
    })),
    fc.tuple(key, fc.boolean()).map(([prefix, other]) => ({
      action: 's3:ListBucket',
      resource: `arn:aws:s3:::${other ? OTHER_BUCKET : BUCKET}`,
      context: { 's3:prefix': prefix },
    })),
    fc.tuple(fc.constantFrom('dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'), key, fc.boolean()).map(([action, k, other]) => ({
      action,
      resource: other ? OTHER_TABLE : TABLE,
      context: { 'dynamodb:LeadingKeys': [`${BUCKET}/${k}`] },
    })),
    fc
      .tuple(fc.constantFrom('kms:Decrypt', 'kms:GenerateDataKey', 'kms:Encrypt'), fc.constantFrom(STATE_KEY, TABLE_KEY, OTHER_KEY), fc.constantFrom('s3', 'dynamodb'))
      .map(([action, resource, via]) => ({
        action,
        resource,
        context: { 'kms:ViaService': `${via}.eu-west-1.amazonaws.com`, 'kms:CallerAccount': SIMULATED_ACCOUNT },
      })),
  );
  return fc.array(request, { minLength: 8, maxLength: 12 });
}

const configAndRequests = propsArb.chain((props) => requestsArb(props).map((requests) => ({ props, requests })));

async function disagreements(props: StatePermissionsProps, requests: readonly SimulatedRequest[]): Promise<string[]> {
  const policy = statePermissionsPolicy(props);
  const model = modelOf(props);
  const wrong: string[] = [];
  for (const request of requests) {
    const expected = shouldAllow(model, request);
    if ((await isAllowed(policy, request)) !== expected) {
      wrong.push(`${expected ? 'denied' : 'allowed'}, model says ${expected ? 'allow' : 'deny'}: ${request.action} ${request.resource} ${JSON.stringify(request.context)}`);
    }
  }
  return wrong;
}

// ---------------------------------------------------------------------------------------------------
// Properties

describe(`statePermissionsPolicy against the model (fast-check seed ${SEED}, ${RUNS} configurations)`, () => {
  it('allows exactly what the model allows, for random configurations and requests near them', async () => {
    let configurations = 0;
    await fc.assert(
      fc.asyncProperty(configAndRequests, async ({ props, requests }) => {
        configurations++;
        const wrong = await disagreements(props, requests);
        if (wrong.length > 0) throw new Error(`${JSON.stringify(props)}\n${wrong.join('\n')}`);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    recordFigure('random configurations checked', configurations);
  });

  // Bad values next to good ones: each configuration is rejected with the field named, or, where what
  // was given is valid after all, yields a policy that allows nothing outside the model.
  const badValue = <T>(good: fc.Arbitrary<T>, bad: readonly T[]) => fc.oneof({ arbitrary: good, weight: 2 }, { arbitrary: fc.constantFrom(...bad), weight: 1 });
  const malformedArb = fc
    .record({
      bucket: badValue(fc.constant(`arn:aws:s3:::${BUCKET}`), ['', BUCKET, `arn:aws:s3:::${BUCKET}/state`, 'arn:aws:s3:::Model_State', 'arn:aws:s3:::*', TABLE]),
      table: badValue(fc.constant(TABLE as string | undefined), [undefined, `arn:aws:s3:::${BUCKET}`, 'arn:aws:dynamodb:eu-west-1::table/locks', `${TABLE}/stream/x`]),
      stateKey: badValue(fc.constant(STATE_KEY as string | undefined), [
        undefined,
        `arn:aws:kms:eu-west-1:${SIMULATED_ACCOUNT}:alias/state`,
        'key-id',
        `arn:aws:kms:eu-west-1:${SIMULATED_ACCOUNT}:key/*`,
      ]),
      key: badValue(pathOf(1, 3), ['', '/lead', 'trail/', '//', 'a//b']),
      prefix: badValue(fc.constantFrom('env:', 'apps'), ['', '/apps', 'apps/']),
      workspace: badValue(workspaceName, ['', 'a/b', '/']),
      allowDefault: fc.boolean(),
      list: fc.constantFrom('canApply', 'canPlan', 'canRead'),
    })
    .chain((m) => {
      const props: StatePermissionsProps = {
        stateBucketArn: m.bucket,
        ...(m.table !== undefined && { lockTableArn: m.table }),
        ...(m.stateKey !== undefined && { stateBucketKmsKeyArn: m.stateKey }),
        [m.list]: [{ key: m.key, workspaceKeyPrefix: m.prefix, workspaces: [m.workspace], allowDefaultWorkspace: m.allowDefault }],
      };
      return requestsArb(m.bucket === `arn:aws:s3:::${BUCKET}` ? props : { ...props, stateBucketArn: `arn:aws:s3:::${BUCKET}` }).map((requests) => ({ props, requests }));
    });

  it('malformed input is rejected with the field named, or allows nothing outside the model', async () => {
    let rejected = 0;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(malformedArb, async ({ props, requests }) => {
        let error: unknown;
        try {
          statePermissionsPolicy(props);
        } catch (e) {
          error = e;
        }
        if (error !== undefined) {
          if (!(error instanceof PolicyValidationError)) throw error;
          for (const f of error.findings) if (!error.message.includes(`- ${f.field}: `)) throw new Error(`unnamed field in: ${error.message}`);
          rejected++;
          return;
        }
        accepted++;
        const wrong = await disagreements(props, requests);
        if (wrong.length > 0) throw new Error(`${JSON.stringify(props)}\n${wrong.join('\n')}`);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    expect(rejected).toBeGreaterThan(RUNS / 4);
    expect(accepted).toBeGreaterThan(RUNS / 10);
    recordFigure('malformed configurations rejected', rejected);
    recordFigure('malformed-looking configurations accepted and checked', accepted);
  });
});
