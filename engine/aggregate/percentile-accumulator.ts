import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { types } from '../../common/data-type.js';
import type { Accumulator } from './accumulator.js';
import { CollectListAccumulator } from './collect-list-accumulator.js';
import { valuesAtRanks } from './select-rank.js';

/**
 * How a percentile aggregate picks its result from a group's sorted values:
 * - `rank` (percentileApprox): the value at 1-based rank ceil(p * n), an actual input value;
 *   p at or below 1/accuracy gives the minimum and p at or above 1 - 1/accuracy the maximum,
 *   as Spark's quantile summaries answer those queries.
 * - `interpolate` (percentile, median): position p * (n - 1) between the two nearest values,
 *   linearly interpolated, as a double.
 */
export type PercentileMode = { readonly kind: 'rank'; readonly accuracy: number } | { readonly kind: 'interpolate' };

/** The typed arrays percentiles sort and pick from. */
export type Sortable = Float64Array | Int32Array | BigInt64Array;

/**
 * percentileApprox, percentile and median: keeps the non-null values of each group (the
 * state is their list, as collectList's) and, when finishing, sorts each group's values once
 * and reads every requested percentage from them. The answer is exact (see
 * {@link PercentileMode}); memory grows with the number of values per group.
 */
export class PercentileAccumulator implements Accumulator {
  private readonly values: CollectListAccumulator;

  constructor(
    private readonly valueType: DataType,
    private readonly percentages: readonly number[],
    private readonly asArray: boolean,
    private readonly mode: PercentileMode,
  ) {
    this.values = new CollectListAccumulator(valueType);
  }

  resize(): void {}

  update(groupIds: Int32Array, args: readonly ColumnVector[], numRows: number): void {
    this.values.update(groupIds, args, numRows);
  }

  merge(groupIds: Int32Array, states: readonly ColumnVector[], numRows: number): void {
    this.values.merge(groupIds, states, numRows);
  }

  stateVectors(numGroups: number): ColumnVector[] {
    return this.values.stateVectors(numGroups);
  }

  finish(numGroups: number): ColumnVector {
    const lists = this.values.finish(numGroups);
    const offs = lists.offsets as Int32Array;
    const child = lists.child as ColumnVector;
    const outType = this.mode.kind === 'interpolate' ? types.float64 : this.valueType;
    const np = this.percentages.length;
    const out = newPercentileValues(outType, numGroups * np);
    const validity = new Uint8Array(numGroups);
    for (let g = 0; g < numGroups; g++) {
      const s = offs[g] as number;
      const e = offs[g + 1] as number;
      if (e === s) continue;
      validity[g] = 1;
      const values = (child.values as Sortable).slice(s, e);
      const picked = selectPercentiles(values, this.percentages, this.mode);
      for (let k = 0; k < np; k++) out[g * np + k] = picked[k] as never;
    }
    return percentileVector(outType, this.asArray, np, out, validity);
  }

  memoryBytes(): number {
    return this.values.memoryBytes();
  }
}

/** The value at percentage `p` of `sorted` (non-empty, ascending) under `mode`. */
export function pickPercentile(sorted: Sortable, p: number, mode: PercentileMode): number | bigint {
  const n = sorted.length;
  if (mode.kind === 'rank') {
    const eps = 1 / mode.accuracy;
    const rank = p <= eps ? 1 : p >= 1 - eps ? n : Math.min(n, Math.max(1, Math.ceil(p * n)));
    return sorted[rank - 1] as number | bigint;
  }
  const pos = p * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = Number(sorted[lo]);
  const b = Number(sorted[hi]);
  return lo === hi ? a : (hi - pos) * a + (pos - lo) * b;
}

/** The 0-based sorted positions `pickPercentile` reads for percentage `p` of `n` values. */
function positions(n: number, p: number, mode: PercentileMode): number[] {
  if (mode.kind === 'rank') {
    const eps = 1 / mode.accuracy;
    const rank = p <= eps ? 1 : p >= 1 - eps ? n : Math.min(n, Math.max(1, Math.ceil(p * n)));
    return [rank - 1];
  }
  const pos = p * (n - 1);
  return [Math.floor(pos), Math.ceil(pos)];
}

/**
 * {@link pickPercentile} for every percentage over unsorted `values` (reordered in place):
 * the few order statistics needed are found by selection rather than a full sort.
 */
export function selectPercentiles(values: Sortable, percentages: readonly number[], mode: PercentileMode): (number | bigint)[] {
  const n = values.length;
  const ks = percentages.map((p) => positions(n, p, mode));
  const at = valuesAtRanks(values, ks.flat());
  let next = 0;
  return percentages.map((p, i) => {
    const k = ks[i] as number[];
    const a = at[next++] as number | bigint;
    if (k.length === 1) return a;
    const b = at[next++] as number | bigint;
    const pos = p * (n - 1);
    const lo = k[0] as number;
    const hi = k[1] as number;
    return lo === hi ? Number(a) : (hi - pos) * Number(a) + (pos - lo) * Number(b);
  });
}

/** A zeroed typed array for `n` values of type `t` (numeric, date or timestamp). */
export function newPercentileValues(t: DataType, n: number): Sortable {
  if (t.kind === 'int64' || t.kind === 'decimal' || t.kind === 'timestamp') return new BigInt64Array(n);
  if (t.kind === 'int32' || t.kind === 'date') return new Int32Array(n);
  return new Float64Array(n);
}

/**
 * The result vector of `validity.length` rows from `out` (np values per row, row-major):
 * a vector of `outType` when np = 1 and not `asArray`, else a list vector (null rows where
 * validity is 0).
 */
export function percentileVector(outType: DataType, asArray: boolean, np: number, out: Sortable, validity: Uint8Array): ColumnVector {
  const n = validity.length;
  let nulls = 0;
  for (let r = 0; r < n; r++) nulls += 1 - (validity[r] as number);
  const valid = nulls === 0 ? null : validity;
  if (!asArray) return { type: outType, length: n, validity: valid, values: out };
  const offsets = new Int32Array(n + 1);
  for (let r = 0; r < n; r++) offsets[r + 1] = (offsets[r] as number) + (validity[r] === 1 ? np : 0);
  const elems = compact(out, validity, np, offsets[n] as number);
  const elemVector: ColumnVector = { type: outType, length: elems.length, validity: null, values: elems };
  return { type: types.list(outType), length: n, validity: valid, values: new Uint8Array(0), offsets, child: elemVector };
}

/** The per-group slices of `out` (np values per group) of the groups with a result, back to back. */
function compact(out: Sortable, validity: Uint8Array, np: number, total: number): Sortable {
  const elems = out.slice(0, total);
  let w = 0;
  for (let g = 0; g < validity.length; g++) {
    if (validity[g] === 0) continue;
    for (let k = 0; k < np; k++) elems[w++] = out[g * np + k] as never;
  }
  return elems;
}
