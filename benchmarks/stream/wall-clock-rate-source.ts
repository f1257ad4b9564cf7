import type { ColumnVector } from '../../common/column-vector.js';
import { makeBatch } from '../../common/columnar-batch.js';
import type { DataType } from '../../common/data-type.js';
import type { Schema } from '../../common/schema.js';
import { buildLocalRelation } from '../../dataframe/plan/builders/build-misc.js';
import type { LogicalPlan } from '../../dataframe/plan/logical-plan.js';
import type { Offset, ReadLimit, Source } from '../../sources/source.js';
import { RATE_SCHEMA } from '../../sources/rate/rate-schema.js';

const TWO_32 = 4294967296;

/** The types of the rate schema's two columns (timestamp, value). */
const RATE_TYPES: readonly [DataType, DataType] = ((): [DataType, DataType] => {
  const [stamp, value] = RATE_SCHEMA.fields;
  if (stamp === undefined || value === undefined) throw new Error('RATE_SCHEMA must have the columns timestamp and value.');
  return [stamp.type, value.type];
})();

/** Wall-clock time now, in microseconds since the epoch (sub-millisecond, monotonic within the process). */
export function wallClockMicros(): number {
  return (performance.timeOrigin + performance.now()) * 1000;
}

/** Microseconds since the epoch of an int64 slot read through its 32-bit halves (exact below 2^53). */
export function int64At(halves: Int32Array, i: number): number {
  return ((halves[2 * i] as number) >>> 0) + TWO_32 * (halves[2 * i + 1] as number);
}

function putInt64(halves: Int32Array, i: number, v: number): void {
  halves[2 * i] = (v % TWO_32) | 0;
  halves[2 * i + 1] = Math.floor(v / TWO_32);
}

/**
 * A benchmark source that creates `rowsPerSecond` rows per second of wall-clock time with
 * the rate source's schema (`timestamp`, `value`), at microsecond granularity: the offset is
 * the number of rows created so far, `floor((now - start) * rowsPerSecond / 1e6)` (now and
 * start in µs), so row v exists from `start + (v + 1) * 1e6 / rowsPerSecond` on, and that
 * instant (rounded up to a µs) is its `timestamp`: its creation time. The built-in `rate`
 * source has the same model at whole-second granularity (a row waits up to 1 s before any
 * batch can take it), which would measure the source's granularity instead of the engine.
 * The clock is the wall clock (`performance.timeOrigin + performance.now()`); the start is
 * the first `initialOffset()` call. Read limits are ignored, as the rate sources do.
 */
export class WallClockRateSource implements Source {
  readonly schema: Schema = RATE_SCHEMA;
  readonly description: string;
  private startUs: number | null = null;

  /** @param rowsPerSecond - creation rate (positive) */
  constructor(readonly rowsPerSecond: number) {
    if (!(rowsPerSecond > 0)) throw new RangeError(`rowsPerSecond must be positive, got ${rowsPerSecond}.`);
    this.description = `WallClockRateSource[rowsPerSecond=${rowsPerSecond}]`;
  }

  private start(): number {
    this.startUs ??= wallClockMicros();
    return this.startUs;
  }

  async initialOffset(): Promise<Offset> {
    this.start();
    return 0;
  }

  async latestOffset(start: Offset, _limit: ReadLimit): Promise<Offset> {
    const created = Math.floor(((wallClockMicros() - this.start()) * this.rowsPerSecond) / 1e6);
    return Math.max(Number(start), created);
  }

  async getBatch(start: Offset | null, end: Offset): Promise<LogicalPlan> {
    const from = start === null ? 0 : Number(start);
    const count = Math.max(0, Number(end) - from);
    if (count === 0) return buildLocalRelation(this.schema, []);
    const values = new BigInt64Array(count);
    const stamps = new BigInt64Array(count);
    const vh = new Int32Array(values.buffer);
    const th = new Int32Array(stamps.buffer);
    const base = this.start();
    const usPerRow = 1e6 / this.rowsPerSecond;
    for (let i = 0; i < count; i++) {
      const v = from + i;
      putInt64(vh, i, v);
      putInt64(th, i, Math.ceil(base + (v + 1) * usPerRow));
    }
    const [stampType, valueType] = RATE_TYPES;
    const columns: ColumnVector[] = [
      { type: stampType, length: count, validity: null, values: stamps },
      { type: valueType, length: count, validity: null, values },
    ];
    return buildLocalRelation(this.schema, [makeBatch(this.schema, columns, count)]);
  }

  async commit(_end: Offset): Promise<void> {}

  async stop(): Promise<void> {}
}
