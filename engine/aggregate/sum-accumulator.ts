import type { ColumnVector } from '../../common/column-vector.js';
import { types } from '../../common/data-type.js';
import type { Accumulator } from './accumulator.js';
import { growArray } from './grow-array.js';
import { IntSumState } from './int-sum-state.js';
import { aggValidity, numericAsDoubles } from './numeric-input.js';

/** sum over int32/int64: exact bigint result, null when a group has no non-null value. State: `sum` bigint. */
export class IntSumAccumulator implements Accumulator {
  private readonly state = new IntSumState();

  resize(numGroups: number): void {
    this.state.resize(numGroups);
  }

  update(groupIds: Int32Array, args: readonly ColumnVector[], numRows: number): void {
    this.state.add(groupIds, args[0] as ColumnVector, numRows);
  }

  merge(groupIds: Int32Array, states: readonly ColumnVector[], numRows: number): void {
    this.state.add(groupIds, states[0] as ColumnVector, numRows);
  }

  stateVectors(numGroups: number): ColumnVector[] {
    return [this.finish(numGroups)];
  }

  finish(numGroups: number): ColumnVector {
    return this.state.toVector(numGroups);
  }

  memoryBytes(): number {
    return this.state.memoryBytes();
  }
}

/** sum over double: double result, null when a group has no non-null value. State: `sum` double. */
export class DoubleSumAccumulator implements Accumulator {
  private sums = new Float64Array(16);
  private has = new Uint8Array(16);

  resize(numGroups: number): void {
    this.sums = growArray(this.sums, numGroups);
    this.has = growArray(this.has, numGroups);
  }

  update(groupIds: Int32Array, args: readonly ColumnVector[], numRows: number): void {
    const v = args[0] as ColumnVector;
    const x = numericAsDoubles(v, numRows);
    const valid = aggValidity(v, numRows);
    const sums = this.sums;
    const has = this.has;
    for (let i = 0; i < numRows; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const g = groupIds[i] as number;
      sums[g] = (sums[g] as number) + (x[i] as number);
      has[g] = 1;
    }
  }

  merge(groupIds: Int32Array, states: readonly ColumnVector[], numRows: number): void {
    this.update(groupIds, states, numRows);
  }

  stateVectors(numGroups: number): ColumnVector[] {
    return [this.finish(numGroups)];
  }

  finish(numGroups: number): ColumnVector {
    const has = this.has.slice(0, numGroups);
    return { type: types.float64, length: numGroups, validity: has.includes(0) ? has : null, values: this.sums.slice(0, numGroups) };
  }

  memoryBytes(): number {
    return this.sums.byteLength + this.has.byteLength;
  }
}
