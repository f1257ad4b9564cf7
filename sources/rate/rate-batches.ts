import type { ColumnarBatch, ColumnVector } from '../../common/column-vector.js';
import { makeBatch, sliceBatch } from '../../common/columnar-batch.js';
import { RATE_SCHEMA } from './rate-schema.js';

/** Which rows of a rate source to generate and the time each gets. */
export interface RateRows {
  /** Value of the first row; rows count up from it. */
  readonly firstValue: number;
  /** Number of rows. */
  readonly count: number;
  /** Timestamp of the first row, ms since the epoch. */
  readonly baseMs: number;
  /** Milliseconds between consecutive rows (may be fractional or 0); row i gets `baseMs + round(i * msPerRow)`. */
  readonly msPerRow: number;
}

const TWO_32 = 4294967296;

/** Writes a non-negative integer below 2^53 into slot `i` of an int64 array seen as 32-bit halves. */
function putInt64(halves: Int32Array, i: number, v: number): void {
  halves[2 * i] = (v % TWO_32) | 0;
  halves[2 * i + 1] = Math.floor(v / TWO_32);
}

/**
 * Generates rate-source rows as columnar batches of {@link RATE_SCHEMA}, split into
 * `numPartitions` contiguous ranges of values (as Spark's range partitions; empty ranges
 * are left out). Values and microsecond timestamps are written through the 32-bit halves
 * of the int64 arrays, so no BigInt is allocated per row.
 */
export function rateBatches(rows: RateRows, numPartitions: number): ColumnarBatch[] {
  const { firstValue, count, baseMs, msPerRow } = rows;
  const values = new BigInt64Array(count);
  const stamps = new BigInt64Array(count);
  const vh = new Int32Array(values.buffer);
  const th = new Int32Array(stamps.buffer);
  for (let i = 0; i < count; i++) {
    putInt64(vh, i, firstValue + i);
    putInt64(th, i, (baseMs + Math.round(i * msPerRow)) * 1000);
  }
  const columns: ColumnVector[] = [
    { type: RATE_SCHEMA.fields[0]!.type, length: count, validity: null, values: stamps },
    { type: RATE_SCHEMA.fields[1]!.type, length: count, validity: null, values },
  ];
  const whole = makeBatch(RATE_SCHEMA, columns, count);
  if (numPartitions <= 1 || count === 0) return count === 0 ? [] : [whole];
  const out: ColumnarBatch[] = [];
  for (let p = 0; p < numPartitions; p++) {
    const start = Math.floor((count * p) / numPartitions);
    const end = Math.floor((count * (p + 1)) / numPartitions);
    if (end > start) out.push(sliceBatch(whole, start, end));
  }
  return out;
}
