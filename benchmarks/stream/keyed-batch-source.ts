import type { ColumnVector } from '../../common/column-vector.js';
import { makeBatch } from '../../common/columnar-batch.js';
import { types } from '../../common/data-type.js';
import type { Schema } from '../../common/schema.js';
import { field, schemaOf } from '../../common/schema.js';
import { buildLocalRelation } from '../../dataframe/plan/builders/build-misc.js';
import type { LogicalPlan } from '../../dataframe/plan/logical-plan.js';
import type { Offset, ReadLimit, Source } from '../../sources/source.js';
import { SeededRandom } from '../data/seeded-random.js';

/** Sizes of a {@link KeyedBatchSource}. */
export interface KeyedBatchOptions {
  /** Distinct keys: `0 .. keys-1`. */
  readonly keys: number;
  /** Rows of a fill batch (each key once, in key order); the fill takes `ceil(keys / fillRows)` batches. */
  readonly fillRows: number;
  /** Batches after the fill. */
  readonly steadyBatches: number;
  /** Rows of a steady batch, each with a key drawn uniformly from `0 .. keys-1`. */
  readonly steadyRows: number;
  /** Seed of the steady batches' keys. */
  readonly seed: number;
}

/** The schema of a {@link KeyedBatchSource}: `key` int64, `amount` float64. */
export const KEYED_BATCH_SCHEMA: Schema = schemaOf([field('key', types.int64, false), field('amount', types.float64, false)]);

/** Batches a fill of `keys` keys takes at `fillRows` rows per batch. */
export function fillBatchCount(o: Pick<KeyedBatchOptions, 'keys' | 'fillRows'>): number {
  return Math.ceil(o.keys / o.fillRows);
}

/**
 * A deterministic benchmark source for the state-scaling benchmark. Its offset is the
 * number of batches produced; each `latestOffset` call admits exactly one more batch until
 * all `fill + steadyBatches` are out, then reports no new data (so an availableNow run ends
 * after the last one). Fill batch b holds the keys `[b·fillRows, (b+1)·fillRows)` once
 * each, so the fill touches every key exactly once; steady batch s holds `steadyRows` keys
 * drawn uniformly (seeded by `seed` and s, the same on every call). `amount` of row i of a
 * batch is `(i % 1000) / 4`, exact in binary, so sums compare exactly.
 */
export class KeyedBatchSource implements Source {
  readonly schema: Schema = KEYED_BATCH_SCHEMA;
  readonly description: string;
  /** Fill batches, then steady ones. */
  readonly fillBatches: number;
  /** All batches. */
  readonly totalBatches: number;

  constructor(readonly options: KeyedBatchOptions) {
    for (const k of ['keys', 'fillRows', 'steadyRows'] as const) {
      if (!Number.isSafeInteger(options[k]) || options[k] < 1) throw new RangeError(`KeyedBatchSource: ${k} must be a positive integer, got ${options[k]}.`);
    }
    this.fillBatches = fillBatchCount(options);
    this.totalBatches = this.fillBatches + options.steadyBatches;
    this.description = `KeyedBatchSource[keys=${options.keys}, fillRows=${options.fillRows}, steadyRows=${options.steadyRows}]`;
  }

  async initialOffset(): Promise<Offset> {
    return 0;
  }

  async latestOffset(start: Offset, _limit: ReadLimit): Promise<Offset> {
    return Math.min(Number(start) + 1, this.totalBatches);
  }

  async getBatch(start: Offset | null, end: Offset): Promise<LogicalPlan> {
    const from = start === null ? 0 : Number(start);
    const batches = [];
    for (let b = from; b < Number(end); b++) batches.push(this.batch(b));
    return buildLocalRelation(this.schema, batches);
  }

  /** The keys of batch `b` (0-based), as numbers. */
  batchKeys(b: number): Float64Array {
    const o = this.options;
    if (b < this.fillBatches) {
      const first = b * o.fillRows;
      const n = Math.min(o.fillRows, o.keys - first);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = first + i;
      return out;
    }
    const rnd = new SeededRandom(o.seed * 1_000_003 + (b - this.fillBatches));
    const out = new Float64Array(o.steadyRows);
    for (let i = 0; i < out.length; i++) out[i] = rnd.intBelow(o.keys);
    return out;
  }

  private batch(b: number) {
    const keys = this.batchKeys(b);
    const n = keys.length;
    const k = new BigInt64Array(n);
    const halves = new Int32Array(k.buffer);
    const amount = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      // Keys are below 2^31, so the high half is 0.
      halves[2 * i] = keys[i] as number;
      amount[i] = (i % 1000) / 4;
    }
    const [keyField, amountField] = this.schema.fields;
    const columns: ColumnVector[] = [
      { type: keyField?.type ?? types.int64, length: n, validity: null, values: k },
      { type: amountField?.type ?? types.float64, length: n, validity: null, values: amount },
    ];
    return makeBatch(this.schema, columns, n);
  }

  async commit(_end: Offset): Promise<void> {}

  async stop(): Promise<void> {}
}
