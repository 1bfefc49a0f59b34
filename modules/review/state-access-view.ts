/**
 * The state-access grants in Terraform's terms, recovered from the synthesized policy itself: for each
 * state object a principal may touch, whether it may apply (read and write the state), plan (read it
 * and take the lock, never write) or only read, and which backend key and workspaces that is.
 *
 * Which principals: those with a policy written by the state-access module (its Sids, `STATE_POLICY_SIDS`,
 * with `S3List`): the Sids only say where to look. What each may do is worked out from all of the
 * principal's Allow grants (any other policy that adds a write shows as one), request by request, the
 * way Terraform's S3 backend makes them (modules/state-access/README.md, "What each statement is for"):
 * - read: `s3:GetObject` on `<bucket>/<path>`;
 * - write: `s3:PutObject` on it, under no condition;
 * - lock: `dynamodb:GetItem`, `PutItem` and `DeleteItem` on a lock table for the items `<bucket>/<path>`
 *   and `<bucket>/<path>-md5`, or (`use_lockfile`) `s3:PutObject` with `If-None-Match: *` and
 *   `s3:GetObject`, `s3:DeleteObject` on `<path>.tflock`.
 * A path `<prefix>/<workspace>/<key>` is a named workspace when `<prefix>/` is one of the `s3:prefix`
 * values the principal may list (Terraform lists it to find the workspaces) or the default `env:`;
 * any other path is the default workspace of the key it names.
 * Denies are not subtracted (the report lists them beside this view).
 */
import { listOf, type PolicyDocument } from '../core/policy-document';
import { STATE_POLICY_SIDS } from '../state-access/state-permissions';
import { GrantSet } from './grant-cover';
import type { CanonicalCondition, Grant } from './grants';
import { expandActionPattern } from './private/action-catalog';
import type { Subject } from './stack-iam';
import { cmp } from '../core/order';

/** What a principal may do with one state object. */
export type StateLevel = 'apply' | 'plan' | 'read';

/** One state object path (it may hold wildcards), and what may be done with it. */
export interface StatePathAccess {
  readonly path: string;
  readonly read: boolean;
  readonly write: boolean;
  /** How it may be locked: `dynamodb <table ARN>` or `lockfile`; empty when it may not. */
  readonly locks: readonly string[];
  /** Undefined when the object may not even be read. */
  readonly level?: StateLevel;
}

/** One backend configuration in Terraform's terms, as the state-access module takes it (`StateAccessGrant`). */
export interface RecoveredStateGrant {
  readonly level: StateLevel;
  readonly key: string;
  readonly workspaceKeyPrefix: string;
  /** Named workspaces (they may hold wildcards), sorted. */
  readonly workspaces: readonly string[];
  readonly allowDefaultWorkspace: boolean;
  /** How its state may be locked, as in `StatePathAccess.locks`, for every path of the grant. */
  readonly locks: readonly string[];
}

/** The state in one bucket. */
export interface StateBucketView {
  readonly bucket: string;
  /** The workspace key prefixes Terraform would use, recovered from the listable prefixes. */
  readonly workspaceKeyPrefixes: readonly string[];
  readonly paths: readonly StatePathAccess[];
  readonly grants: readonly RecoveredStateGrant[];
}

/** The view of a subject; undefined when no policy of it was written by the state-access module. */
export function stateAccessView(subject: Subject, allowGrants: readonly Grant[]): StateBucketView[] | undefined {
  const buckets = new Set<string>();
  for (const policy of subject.policies) if (policy.document !== undefined) stateBuckets(policy.document).forEach((b) => buckets.add(b));
  if (buckets.size === 0) return undefined;
  const allowed = new GrantSet(allowGrants.filter((g) => g.effect === 'Allow'));
  return [...buckets].sort().map((bucket) => bucketView(bucket, allowGrants, allowed));
}

/** The bucket ARNs of `S3List` in a document whose Sids are all the state-access module's. */
function stateBuckets(doc: PolicyDocument): string[] {
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [];
  const sids = statements.map((s) => s.Sid);
  if (!sids.includes('S3List') || !sids.every((sid) => sid !== undefined && (STATE_POLICY_SIDS as readonly string[]).includes(sid))) return [];
  return statements.filter((s) => s.Sid === 'S3List' && s.Resource !== undefined).flatMap((s) => listOf(s.Resource!));
}

function bucketView(bucketArn: string, grants: readonly Grant[], allowed: GrantSet): StateBucketView {
  const bucketName = bucketArn.slice(bucketArn.lastIndexOf(':') + 1);
  const objectPrefix = `${bucketArn}/`;
  const prefixes = new Set<string>(['env:']);
  const tables = new Set<string>();
  const paths = new Set<string>();
  for (const g of grants) {
    if (g.effect !== 'Allow' || g.resource.kind !== 'pattern') continue;
    const resource = g.resource.pattern;
    if (g.action.id === 's3:listbucket' && resource === bucketArn) {
      for (const clause of g.condition) {
        if (clause.key.toLowerCase() !== 's3:prefix') continue;
        for (const value of clause.values) if (value.endsWith('/') && value.length > 1) prefixes.add(value.slice(0, -1));
      }
    }
    if (g.action.id === 'dynamodb:putitem') tables.add(resource);
    if ((g.action.id === 's3:getobject' || g.action.id === 's3:putobject') && resource.startsWith(objectPrefix)) {
      const path = resource.slice(objectPrefix.length);
      if (!path.endsWith('.tflock')) paths.add(path);
    }
  }
  const may = (action: string, resource: string, condition: CanonicalCondition = []) => allowed.covers(query(action, resource, condition));
  const access = [...paths].sort().map((path): StatePathAccess => {
    const object = `${objectPrefix}${path}`;
    const read = may('s3:GetObject', object);
    const write = may('s3:PutObject', object);
    const locks: string[] = [];
    const lockItems: CanonicalCondition = [{ operator: 'ForAllValues:StringLike', key: 'dynamodb:LeadingKeys', values: [`${bucketName}/${path}`, `${bucketName}/${path}-md5`] }];
    for (const table of [...tables].sort()) {
      if (['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'].every((a) => may(a, table, lockItems))) locks.push(`dynamodb ${table}`);
    }
    const lockFile = `${object}.tflock`;
    const createOnly: CanonicalCondition = [{ operator: 'StringEquals', key: 's3:if-none-match', values: ['*'] }];
    if (may('s3:PutObject', lockFile, createOnly) && may('s3:GetObject', lockFile) && may('s3:DeleteObject', lockFile)) locks.push('lockfile');
    const level: StateLevel | undefined = read && write ? 'apply' : read && locks.length > 0 ? 'plan' : read ? 'read' : undefined;
    return { path, read, write, locks, ...(level !== undefined && { level }) };
  });
  const workspaceKeyPrefixes = [...prefixes].sort();
  return { bucket: bucketArn, workspaceKeyPrefixes, paths: access, grants: recoveredGrants(access, workspaceKeyPrefixes) };
}

function query(action: string, resource: string, condition: CanonicalCondition): Grant {
  return {
    effect: 'Allow',
    action: expandActionPattern(action)[0],
    resource: { kind: 'pattern', pattern: resource },
    condition,
    origin: { policy: '(query)', statement: 0, notAction: false },
    key: '(query)',
  };
}

interface Draft {
  level: StateLevel;
  key: string;
  workspaceKeyPrefix: string;
  workspaces: Set<string>;
  allowDefaultWorkspace: boolean;
  locks: Set<string>[];
}

/** The paths as backend configurations: named workspaces grouped by prefix and key, defaults joined in. */
function recoveredGrants(paths: readonly StatePathAccess[], prefixes: readonly string[]): RecoveredStateGrant[] {
  const longestFirst = [...prefixes].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  const named = new Map<string, Draft>();
  const defaults: { level: StateLevel; key: string; locks: Set<string> }[] = [];
  for (const p of paths) {
    if (p.level === undefined) continue;
    const prefix = longestFirst.find((x) => p.path.startsWith(`${x}/`));
    const rest = prefix === undefined ? '' : p.path.slice(prefix.length + 1);
    const slash = rest.indexOf('/');
    if (prefix === undefined || slash <= 0 || slash === rest.length - 1) {
      defaults.push({ level: p.level, key: p.path, locks: new Set(p.locks) });
      continue;
    }
    const workspace = rest.slice(0, slash);
    const key = rest.slice(slash + 1);
    const id = `${p.level}\u0000${prefix}\u0000${key}`;
    const draft = named.get(id) ?? { level: p.level, key, workspaceKeyPrefix: prefix, workspaces: new Set<string>(), allowDefaultWorkspace: false, locks: [] };
    named.set(id, draft);
    draft.workspaces.add(workspace);
    draft.locks.push(new Set(p.locks));
  }
  const drafts = [...named.values()];
  for (const d of defaults) {
    const joins = drafts.filter((x) => x.level === d.level && x.key === d.key);
    if (joins.length === 1) {
      joins[0].allowDefaultWorkspace = true;
      joins[0].locks.push(d.locks);
    } else {
      drafts.push({ level: d.level, key: d.key, workspaceKeyPrefix: 'env:', workspaces: new Set(), allowDefaultWorkspace: true, locks: [d.locks] });
    }
  }
  const order: StateLevel[] = ['apply', 'plan', 'read'];
  return drafts
    .map((d): RecoveredStateGrant => ({
      level: d.level,
      key: d.key,
      workspaceKeyPrefix: d.workspaceKeyPrefix,
      workspaces: [...d.workspaces].sort(),
      allowDefaultWorkspace: d.allowDefaultWorkspace,
      // The lock methods every path of the grant has.
      locks: [...d.locks[0]].filter((l) => d.locks.every((set) => set.has(l))).sort(),
    }))
    .sort((a, b) => order.indexOf(a.level) - order.indexOf(b.level) || cmp(a.key, b.key) || cmp(a.workspaceKeyPrefix, b.workspaceKeyPrefix));
}
