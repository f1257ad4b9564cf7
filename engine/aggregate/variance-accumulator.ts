import type { ColumnVector } from '../../common/column-vector.js';
import { types } from '../../common/data-type.js';
import { int64At, int64Halves } from '../../common/int64.js';
import type { Accumulator } from './accumulator.js';
import { growArray } from './grow-array.js';
import { aggValidity, numericAsDoubles } from './numeric-input.js';

/** Which second-moment statistic a {@link VarianceAccumulator} finishes to. */
export type VarianceKind = 'stddev' | 'stddevPop' | 'variance' | 'varPop';

/**
 * stddev / stddevPop / variance / varPop via Welford's running mean and sum of squared
 * deviations, merged with Chan's parallel formula. Sample statistics of fewer than two rows
 * and population statistics of no rows are null (Spark 3). State: `count` bigint, `mean`
 * double, `m2` double.
 */
export class VarianceAccumulator implements Accumulator {
  private n = new Float64Array(16);
  private mean = new Float64Array(16);
  private m2 = new Float64Array(16);

  constructor(private readonly kind: VarianceKind) {}

  resize(numGroups: number): void {
    this.n = growArray(this.n, numGroups);
    this.mean = growArray(this.mean, numGroups);
    this.m2 = growArray(this.m2, numGroups);
  }

  update(groupIds: Int32Array, args: readonly ColumnVector[], numRows: number): void {
    const v = args[0] as ColumnVector;
    const x = numericAsDoubles(v, numRows);
    const valid = aggValidity(v, numRows);
    const { n, mean, m2 } = this;
    for (let i = 0; i < numRows; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const g = groupIds[i] as number;
      const c = (n[g] as number) + 1;
      const d = (x[i] as number) - (mean[g] as number);
      const mu = (mean[g] as number) + d / c;
      n[g] = c;
      mean[g] = mu;
      m2[g] = (m2[g] as number) + d * ((x[i] as number) - mu);
    }
  }

  merge(groupIds: Int32Array, states: readonly ColumnVector[], numRows: number): void {
    const cs = int64Halves((states[0] as ColumnVector).values as BigInt64Array);
    const ms = (states[1] as ColumnVector).values as Float64Array;
    const qs = (states[2] as ColumnVector).values as Float64Array;
    const { n, mean, m2 } = this;
    for (let i = 0; i < numRows; i++) {
      const nb = int64At(cs, i);
      if (nb === 0) continue;
      const g = groupIds[i] as number;
      const na = n[g] as number;
      const c = na + nb;
      const d = (ms[i] as number) - (mean[g] as number);
      mean[g] = (mean[g] as number) + (d * nb) / c;
      m2[g] = (m2[g] as number) + (qs[i] as number) + (d * d * na * nb) / c;
      n[g] = c;
    }
  }

  stateVectors(numGroups: number): ColumnVector[] {
    const counts = new BigInt64Array(numGroups);
    for (let g = 0; g < numGroups; g++) counts[g] = BigInt(this.n[g] as number);
    return [
      { type: types.int64, length: numGroups, validity: null, values: counts },
      { type: types.float64, length: numGroups, validity: null, values: this.mean.slice(0, numGroups) },
      { type: types.float64, length: numGroups, validity: null, values: this.m2.slice(0, numGroups) },
    ];
  }

  finish(numGroups: number): ColumnVector {
    const sample = this.kind === 'stddev' || this.kind === 'variance';
    const root = this.kind === 'stddev' || this.kind === 'stddevPop';
    const out = new Float64Array(numGroups);
    const validity = new Uint8Array(numGroups);
    for (let g = 0; g < numGroups; g++) {
      const c = this.n[g] as number;
      const div = sample ? c - 1 : c;
      if (div <= 0) continue;
      const v = (this.m2[g] as number) / div;
      out[g] = root ? Math.sqrt(v) : v;
      validity[g] = 1;
    }
    return { type: types.float64, length: numGroups, validity: validity.includes(0) ? validity : null, values: out };
  }

  memoryBytes(): number {
    return this.n.byteLength * 3;
  }
}
