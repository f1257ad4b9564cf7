import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import type { AggCall } from '../../dataframe/expr/expr.js';
import { percentileOptions } from '../../dataframe/expr/percentile-options.js';
import type { PercentileMode, Sortable } from '../aggregate/percentile-accumulator.js';
import { newPercentileValues, percentileVector, pickPercentile } from '../aggregate/percentile-accumulator.js';
import type { WindowFrames } from './window-agg-exec.js';

/**
 * percentileApprox, percentile and median over each row's window frame (same answers as the
 * grouped aggregates): the frame's non-null values are gathered and sorted, and a row whose
 * frame equals the previous row's (a whole-partition frame, or peers) reuses its answer, so a
 * partition-wide frame costs one sort per partition; sliding frames cost one sort per row.
 */
export function percentileWindowColumn(call: AggCall, arg: ColumnVector, outType: DataType, f: WindowFrames, n: number): ColumnVector {
  const o = percentileOptions(call);
  const mode: PercentileMode = o.accuracy === null ? { kind: 'interpolate' } : { kind: 'rank', accuracy: o.accuracy };
  const elemType = outType.kind === 'list' ? outType.element : outType;
  const np = o.percentages.length;
  const out = newPercentileValues(elemType, n * np);
  const validity = new Uint8Array(n);
  const values = arg.values as Sortable;
  const valid = arg.validity;
  const { perm, lo, hi } = f;
  const scratch = newPercentileValues(arg.type, n);
  let prevLo = -1;
  let prevHi = -1;
  let prevRow = -1;
  for (let k = 0; k < n; k++) {
    const row = perm[k] as number;
    const a = lo[k] as number;
    const b = hi[k] as number;
    if (a === prevLo && b === prevHi && prevRow >= 0) {
      validity[row] = validity[prevRow] as number;
      for (let i = 0; i < np; i++) out[row * np + i] = out[prevRow * np + i] as never;
      prevRow = row;
      continue;
    }
    let m = 0;
    for (let j = a; j < b; j++) {
      const r = perm[j] as number;
      if (valid !== null && valid[r] === 0) continue;
      scratch[m++] = values[r] as never;
    }
    prevLo = a;
    prevHi = b;
    prevRow = row;
    if (m === 0) continue;
    validity[row] = 1;
    const sorted = scratch.subarray(0, m).sort();
    for (let i = 0; i < np; i++) out[row * np + i] = pickPercentile(sorted, o.percentages[i] as number, mode) as never;
  }
  return percentileVector(elemType, o.asArray, np, out, validity);
}
