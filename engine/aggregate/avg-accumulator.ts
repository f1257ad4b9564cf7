import type { ColumnVector } from '../../common/column-vector.js';
import { types } from '../../common/data-type.js';
import { int64At, int64Halves } from '../../common/int64.js';
import type { Accumulator } from './accumulator.js';
import { growArray } from './grow-array.js';
import { IntSumState } from './int-sum-state.js';
import { aggValidity, numericAsDoubles } from './numeric-input.js';
import { int64FromNumbers } from './int64-from-numbers.js';

/**
 * avg: double result, null for a group without non-null values. Integral input sums
 * exactly (as sum does) before the one division. State: `sum` (bigint for integral input,
 * else double) and `count` bigint.
 */
export class AvgAccumulator implements Accumulator {
  private readonly intSum: IntSumState | null;
  private sums = new Float64Array(16);
  private counts = new Float64Array(16);

  constructor(integral: boolean) {
    this.intSum = integral ? new IntSumState() : null;
  }

  resize(numGroups: number): void {
    this.intSum?.resize(numGroups);
    this.sums = growArray(this.sums, numGroups);
    this.counts = growArray(this.counts, numGroups);
  }

  update(groupIds: Int32Array, args: readonly ColumnVector[], numRows: number): void {
    const v = args[0] as ColumnVector;
    const valid = aggValidity(v, numRows);
    const counts = this.counts;
    for (let i = 0; i < numRows; i++)
      if (valid === null || valid[i] === 1) {
        const g = groupIds[i] as number;
        counts[g] = (counts[g] as number) + 1;
      }
    this.addSum(groupIds, v, numRows);
  }

  private addSum(groupIds: Int32Array, v: ColumnVector, numRows: number): void {
    if (this.intSum !== null) {
      this.intSum.add(groupIds, v, numRows);
      return;
    }
    const x = numericAsDoubles(v, numRows);
    const valid = aggValidity(v, numRows);
    const sums = this.sums;
    for (let i = 0; i < numRows; i++)
      if (valid === null || valid[i] === 1) {
        const g = groupIds[i] as number;
        sums[g] = (sums[g] as number) + (x[i] as number);
      }
  }

  merge(groupIds: Int32Array, states: readonly ColumnVector[], numRows: number): void {
    this.addSum(groupIds, states[0] as ColumnVector, numRows);
    const c = states[1] as ColumnVector;
    const h = int64Halves(c.values as BigInt64Array);
    const counts = this.counts;
    for (let i = 0; i < numRows; i++)
      if (c.validity === null || c.validity[i] === 1) {
        const g = groupIds[i] as number;
        counts[g] = (counts[g] as number) + int64At(h, i);
      }
  }

  stateVectors(numGroups: number): ColumnVector[] {
    const sum: ColumnVector =
      this.intSum !== null
        ? this.intSum.toVector(numGroups)
        : { type: types.float64, length: numGroups, validity: null, values: this.sums.slice(0, numGroups) };
    const counts = int64FromNumbers(this.counts, numGroups);
    return [sum, { type: types.int64, length: numGroups, validity: null, values: counts }];
  }

  finish(numGroups: number): ColumnVector {
    const out = new Float64Array(numGroups);
    let validity: Uint8Array | null = null;
    for (let g = 0; g < numGroups; g++) {
      const n = this.counts[g] as number;
      if (n === 0) {
        validity ??= new Uint8Array(numGroups).fill(1);
        validity[g] = 0;
      } else out[g] = (this.intSum !== null ? this.intSum.sumAsDouble(g) : (this.sums[g] as number)) / n;
    }
    return { type: types.float64, length: numGroups, validity, values: out };
  }

  memoryBytes(): number {
    return this.sums.byteLength + this.counts.byteLength + (this.intSum?.memoryBytes() ?? 0);
  }
}
