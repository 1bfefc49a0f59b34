/**
 * Bin packing of policy statements into documents of a size limit. A document's size is
 * `base + Σ size(statement) + (n − 1)` (its statements joined by commas), so each statement weighs its own
 * size plus one and a document holds `limit − base + 1` of weight: packing is additive.
 */

import type { PolicyDocument, PolicyStatement } from '../policy-document';
import { type SizeUnit, textSize } from '../policy-kind';

/** A statement and the document it comes from, whose Version and Id it keeps. */
export interface SourcedStatement {
  readonly statement: PolicyStatement;
  readonly version: string;
  readonly id?: string;
}

/** What packing statements into documents gives. */
export interface PackedStatements {
  /** The documents, ordered by their first statement; each keeps its statements' order. */
  readonly documents: PolicyDocument[];
  /** Positions of the statements a document of their own would still be over the limit for: then no documents. */
  readonly tooLarge: number[];
  /** The size of a document holding only the statement at each position. */
  readonly aloneSize: number[];
}

/**
 * `statements` in the fewest documents of at most `limit` (in `unit`), by `packItems`. Statements of
 * different Version or Id never share a document, nor two with the same Sid.
 */
export function packStatements(statements: readonly SourcedStatement[], limit: number, unit: SizeUnit): PackedStatements {
  const groups = new Map<string, number[]>();
  statements.forEach((s, i) => {
    const key = JSON.stringify([s.version, s.id ?? null]);
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  const weights = statements.map((s) => textSize(JSON.stringify(s.statement), unit) + 1);
  const aloneSize: number[] = [];
  const tooLarge: number[] = [];
  const packed: { first: number; document: PolicyDocument }[] = [];
  for (const key of [...groups.keys()].sort()) {
    const members = groups.get(key)!;
    const { version, id } = statements[members[0]];
    const empty = (list: PolicyStatement[]): PolicyDocument => ({ Version: version, ...(id !== undefined && { Id: id }), Statement: list });
    const base = textSize(JSON.stringify(empty([])), unit);
    // base + Σ (size + 1) − 1: the statements and the commas between them.
    const capacity = limit - base + 1;
    for (const i of members) {
      aloneSize[i] = base + weights[i] - 1;
      if (weights[i] > capacity) tooLarge.push(i);
    }
    if (tooLarge.length > 0) continue;
    const items = members.map((i) => ({ index: i, weight: weights[i], ...(statements[i].statement.Sid !== undefined && { sid: statements[i].statement.Sid }) }));
    for (const bin of packItems(items, capacity)) packed.push({ first: bin[0], document: empty(bin.map((i) => statements[i].statement)) });
  }
  if (tooLarge.length > 0) return { documents: [], tooLarge: tooLarge.sort((a, b) => a - b), aloneSize };
  return { documents: packed.sort((a, b) => a.first - b.first).map((p) => p.document), tooLarge, aloneSize };
}

/** One statement to place. */
export interface PackItem {
  /** Its position among all items: output keeps this order. */
  readonly index: number;
  /** Its size plus one (the comma that joins it to the next). */
  readonly weight: number;
  /** Items with the same Sid never share a document: a Sid is unique within a policy. */
  readonly sid?: string;
}

/**
 * Nodes the exact search may visit before it settles for first-fit decreasing. A count, not a time: the
 * result is the same on every machine.
 */
const SEARCH_BUDGET = 200_000;

/**
 * The items in the fewest bins of `capacity`, each a list of item indexes in ascending order, the bins
 * ordered by their first index. Every item must weigh at most `capacity`.
 *
 * Algorithm: first-fit decreasing (heaviest first, ties by index; each into the first bin, in
 * the order bins were opened, with room and no item of the same Sid), which uses at most 11/9 of the
 * fewest bins plus one. When that is more than the lower bound (total weight over capacity, items over
 * half the capacity, items sharing a Sid), a depth-first search over the same order tries each smaller
 * count, placing each item in each open bin with room and in at most one empty bin; it stops at
 * `SEARCH_BUDGET` nodes and keeps the best packing found.
 */
export function packItems(items: readonly PackItem[], capacity: number): number[][] {
  const heavy = items.find((item) => item.weight > capacity);
  if (heavy !== undefined) throw new Error(`packItems: item ${heavy.index} weighs ${heavy.weight}, over the capacity ${capacity}`);
  if (items.length === 0) return [];
  const order = [...items].sort((a, b) => b.weight - a.weight || a.index - b.index);
  let bins = firstFitDecreasing(order, capacity);
  for (let count = lowerBound(order, capacity); count < bins.length; count++) {
    const found = exactPacking(order, capacity, count);
    if (found === 'budget') break;
    if (found !== undefined) {
      bins = found;
      break;
    }
  }
  return bins.map((bin) => [...bin].sort((a, b) => a - b)).sort((a, b) => a[0] - b[0]);
}

function fits(bin: { load: number; sids: Set<string> }, item: PackItem, capacity: number): boolean {
  return bin.load + item.weight <= capacity && (item.sid === undefined || !bin.sids.has(item.sid));
}

function firstFitDecreasing(order: readonly PackItem[], capacity: number): number[][] {
  const bins: { load: number; sids: Set<string>; items: number[] }[] = [];
  for (const item of order) {
    let bin = bins.find((b) => fits(b, item, capacity));
    if (bin === undefined) {
      bin = { load: 0, sids: new Set(), items: [] };
      bins.push(bin);
    }
    bin.load += item.weight;
    if (item.sid !== undefined) bin.sids.add(item.sid);
    bin.items.push(item.index);
  }
  return bins.map((b) => b.items);
}

function lowerBound(order: readonly PackItem[], capacity: number): number {
  const total = order.reduce((sum, item) => sum + item.weight, 0);
  const overHalf = order.filter((item) => 2 * item.weight > capacity).length;
  const sids = new Map<string, number>();
  for (const item of order) if (item.sid !== undefined) sids.set(item.sid, (sids.get(item.sid) ?? 0) + 1);
  return Math.max(1, Math.ceil(total / capacity), overHalf, ...sids.values());
}

/** A packing into exactly `count` bins, `undefined` when there is none, `'budget'` when the search gave up. */
function exactPacking(order: readonly PackItem[], capacity: number, count: number): number[][] | undefined | 'budget' {
  const bins = Array.from({ length: count }, () => ({ load: 0, sids: new Set<string>(), items: [] as number[] }));
  const remaining: number[] = [];
  for (let i = order.length - 1, sum = 0; i >= 0; i--) remaining[i] = sum += order[i].weight;
  let nodes = 0;
  const place = (i: number, used: number): boolean | 'budget' => {
    if (i === order.length) return true;
    if (++nodes > SEARCH_BUDGET) return 'budget';
    const free = count * capacity - bins.reduce((sum, b) => sum + b.load, 0);
    if (free < remaining[i]) return false;
    const item = order[i];
    // Open bins first, then one empty bin: empty bins are interchangeable.
    for (let b = 0; b < Math.min(used + 1, count); b++) {
      const bin = bins[b];
      if (!fits(bin, item, capacity)) continue;
      bin.load += item.weight;
      if (item.sid !== undefined) bin.sids.add(item.sid);
      bin.items.push(item.index);
      const result = place(i + 1, b === used ? used + 1 : used);
      if (result !== false) return result;
      bin.items.pop();
      if (item.sid !== undefined) bin.sids.delete(item.sid);
      bin.load -= item.weight;
    }
    return false;
  };
  const result = place(0, 0);
  if (result === 'budget') return 'budget';
  return result ? bins.map((b) => b.items).filter((items) => items.length > 0) : undefined;
}
