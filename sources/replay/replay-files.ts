import type { ColumnVector } from '../../common/column-vector.js';
import type { Field } from '../../common/schema.js';
import type { FileEntry } from '../../dataframe/plan/logical-plan.js';
import { readParquetFooter } from '../file/parquet-footer.js';
import { readParquetSplit } from '../file/parquet-reader.js';

/**
 * One input file of a replay with its event-time range and the time it is released from.
 * A file's rows are released in event-time order, but never before `releaseFromMs`: rows
 * older than that are "beyond the reorder bound" and go out with the first batch at or
 * after `releaseFromMs` (counted in the source's progress metrics).
 */
export interface ReplayFile {
  readonly entry: FileEntry;
  /** Position of the file in arrival (path) order. */
  readonly index: number;
  readonly numRows: number;
  /** Smallest and largest event time of the file (ms); NaN bounds for a file without event times. */
  readonly minMs: number;
  readonly maxMs: number;
  /** `max(minMs, newest event time of the earlier files - bound)`. */
  readonly releaseFromMs: number;
  /** The last release time of the file's rows: `max(maxMs, releaseFromMs)`. */
  readonly releaseToMs: number;
}

/** Event time in ms of row `i` of a timestamp vector (NaN when null). */
export function eventMsAt(v: ColumnVector, i: number): number {
  if (v.validity !== null && v.validity[i] === 0) return Number.NaN;
  const raw = Number((v.values as BigInt64Array)[i]);
  return v.type.kind === 'timestamp' && v.type.unit === 'us' ? raw / 1000 : raw;
}

/** Event times of a timestamp vector as ms (NaN for nulls). */
export function eventMillis(v: ColumnVector): Float64Array {
  const out = new Float64Array(v.length);
  const values = v.values as BigInt64Array;
  const scale = v.type.kind === 'timestamp' && v.type.unit === 'us' ? 1000 : 1;
  for (let i = 0; i < v.length; i++) out[i] = v.validity !== null && v.validity[i] === 0 ? Number.NaN : Number(values[i]) / scale;
  return out;
}

/** Event-time range of a file from its footer statistics, or null when they are missing. */
async function rangeFromFooter(path: string, column: string): Promise<{ min: number; max: number; rows: number } | null> {
  const footer = await readParquetFooter(path);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const rg of footer.rowGroups) {
    if (rg.numRows === 0) continue;
    const s = rg.columns.get(column);
    if (s === undefined || typeof s.min !== 'bigint' || typeof s.max !== 'bigint') return null;
    // Footer timestamps are microseconds.
    min = Math.min(min, Number(s.min) / 1000);
    max = Math.max(max, Number(s.max) / 1000);
  }
  return { min, max, rows: footer.numRows };
}

/** Event-time range of a file by reading its event-time column. */
async function rangeFromData(path: string, field: Field): Promise<{ min: number; max: number; rows: number }> {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let rows = 0;
  for await (const chunk of readParquetSplit(path, null, [field], 1 << 20)) {
    const ms = eventMillis(chunk.columns[0] as ColumnVector);
    rows += chunk.numRows;
    for (const t of ms) {
      if (t < min) min = t;
      if (t > max) max = t;
    }
  }
  return { min, max, rows };
}

/**
 * Indexes the files of a replay, in the given (arrival) order: each file's event-time
 * range (from the Parquet footer statistics when present, else by reading the column) and
 * its release window under the reorder bound `boundMs`. Files without rows are left out.
 */
export async function indexReplayFiles(files: readonly FileEntry[], eventTime: Field, boundMs: number): Promise<ReplayFile[]> {
  const out: ReplayFile[] = [];
  let newest = Number.NEGATIVE_INFINITY;
  for (const entry of files) {
    const r = (await rangeFromFooter(entry.path, eventTime.name)) ?? (await rangeFromData(entry.path, eventTime));
    if (r.rows === 0) continue;
    const min = Number.isFinite(r.min) ? r.min : newest;
    const max = Number.isFinite(r.max) ? r.max : min;
    const releaseFromMs = Number.isFinite(newest) ? Math.max(min, newest - boundMs) : min;
    out.push({
      entry,
      index: out.length,
      numRows: r.rows,
      minMs: r.min,
      maxMs: r.max,
      releaseFromMs,
      releaseToMs: Math.max(max, releaseFromMs),
    });
    if (Number.isFinite(r.max)) newest = Math.max(newest, r.max);
  }
  return out;
}
