import type { ColumnarBatch, ColumnVector } from '../../common/column-vector.js';
import { concatBatches, gatherBatch, makeBatch, sliceBatch } from '../../common/columnar-batch.js';
import type { Schema } from '../../common/schema.js';
import { readParquetSplit } from '../file/parquet-reader.js';
import type { ReplayFile } from './replay-files.js';
import { eventMillis } from './replay-files.js';

/**
 * One replay file in memory, its rows in release order: by release time
 * `max(event time, file.releaseFromMs)`, then event time, then position in the file.
 * `keys[i]` is row i's release time (ascending), so the rows of a release range are one
 * slice found by binary search.
 */
export interface SortedReplayFile {
  readonly file: ReplayFile;
  readonly batch: ColumnarBatch;
  readonly keys: Float64Array;
  /** Event times in ms, in the same (sorted) order; NaN for nulls. */
  readonly events: Float64Array;
}

/** Index of the first key greater than `t` (keys ascending). */
export function upperBound(keys: Float64Array, t: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Sort permutation of rows by (release key, event time, position): an Int32Array of row
 * indices; `events` NaN (null event time) sorts first among equal keys. Rows already in
 * order give the identity. Otherwise the keys are packed with the row index into one
 * float64 each (`(key - min) * 2^bits + index`, exact while it stays below 2^53) and sorted
 * natively, then the runs of equal keys that hold rows released later than their event
 * time are ordered by event time; keys too wide to pack fall back to a comparison sort.
 */
export function releaseOrder(keys: Float64Array, events: Float64Array): Int32Array {
  const n = keys.length;
  const order = new Int32Array(n);
  let sorted = true;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let integral = true;
  for (let i = 0; i < n; i++) {
    order[i] = i;
    const k = keys[i] as number;
    if (k < min) min = k;
    if (k > max) max = k;
    if (integral && k !== Math.floor(k)) integral = false;
    if (i > 0 && (k < (keys[i - 1] as number) || (k === keys[i - 1] && !(evOf(events, i) >= evOf(events, i - 1))))) sorted = false;
  }
  if (sorted) return order;
  const scale = integral ? 1 : 1000;
  const bits = Math.max(1, Math.ceil(Math.log2(n + 1)));
  const span = Math.round((max - min) * scale);
  if (span * 2 ** bits >= 2 ** 53) {
    order.sort((a, b) => (keys[a] as number) - (keys[b] as number) || evOf(events, a) - evOf(events, b) || a - b);
    return order;
  }
  const mul = 2 ** bits;
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) packed[i] = Math.round(((keys[i] as number) - min) * scale) * mul + i;
  packed.sort();
  for (let i = 0; i < n; i++) order[i] = (packed[i] as number) % mul;
  // Equal keys are in position order; where a run holds rows released after their event time, order it by event time.
  for (let i = 0; i < n; ) {
    const k = keys[order[i] as number] as number;
    let j = i;
    let late = false;
    while (j < n && keys[order[j] as number] === k) {
      if (!(evOf(events, order[j] as number) >= k)) late = true;
      j++;
    }
    if (late && j - i > 1) order.subarray(i, j).sort((a, b) => evOf(events, a) - evOf(events, b) || a - b);
    i = j;
  }
  return order;
}

/** Event time of row i, with null (NaN) as -infinity. */
function evOf(events: Float64Array, i: number): number {
  const e = events[i] as number;
  return Number.isNaN(e) ? Number.NEGATIVE_INFINITY : e;
}

function isIdentity(order: Int32Array): boolean {
  for (let i = 0; i < order.length; i++) if (order[i] !== i) return false;
  return true;
}

/**
 * Reads a replay file (all columns of `schema`) and sorts it into release order with one
 * permutation gathered over the column vectors; no row objects are built.
 */
export async function loadSortedReplayFile(file: ReplayFile, schema: Schema, eventIndex: number): Promise<SortedReplayFile> {
  const parts: ColumnarBatch[] = [];
  for await (const chunk of readParquetSplit(file.entry.path, null, schema.fields, 1 << 30)) parts.push(makeBatch(schema, chunk.columns, chunk.numRows));
  const whole = parts.length === 1 ? (parts[0] as ColumnarBatch) : concatBatches(schema, parts);
  const events = eventMillis(whole.columns[eventIndex] as ColumnVector);
  const keys = new Float64Array(events.length);
  const from = file.releaseFromMs;
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as number;
    keys[i] = Number.isNaN(e) || e < from ? from : e;
  }
  const order = releaseOrder(keys, events);
  if (isIdentity(order)) return { file, batch: whole, keys, events };
  const batch = gatherBatch(whole, order);
  const sortedKeys = new Float64Array(order.length);
  const sortedEvents = new Float64Array(order.length);
  for (let i = 0; i < order.length; i++) {
    const j = order[i] as number;
    sortedKeys[i] = keys[j] as number;
    sortedEvents[i] = events[j] as number;
  }
  return { file, batch, keys: sortedKeys, events: sortedEvents };
}

/** The rows of `f` whose release time is in `(from, to]`, as a slice, with their keys and events. */
export function releaseSlice(f: SortedReplayFile, from: number, to: number): { batch: ColumnarBatch; keys: Float64Array; events: Float64Array } {
  const a = upperBound(f.keys, from);
  const b = upperBound(f.keys, to);
  return { batch: sliceBatch(f.batch, a, b), keys: f.keys.subarray(a, b), events: f.events.subarray(a, b) };
}
