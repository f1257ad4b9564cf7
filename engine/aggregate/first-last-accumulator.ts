import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { types } from '../../common/data-type.js';
import type { Accumulator } from './accumulator.js';
import { growArray } from './grow-array.js';
import { aggValidity } from './numeric-input.js';
import { ValueStore } from './value-store.js';

/**
 * first / last in input order (Spark's `first(x, ignoreNulls)`): without ignoreNulls the
 * first (last) row's value even when null; with it, the first (last) non-null value.
 * Works for every type. State: `value` (the input type) and `valueSet` boolean, so a
 * partial that saw only nulls does not hide a later partial's value.
 */
export class FirstLastAccumulator implements Accumulator {
  private readonly store: ValueStore;
  private numGroups = 0;
  private pick = new Int32Array(16).fill(-1);

  constructor(
    type: DataType,
    private readonly isLast: boolean,
    private readonly ignoreNulls: boolean,
  ) {
    this.store = new ValueStore(type);
  }

  resize(numGroups: number): void {
    this.numGroups = Math.max(this.numGroups, numGroups);
    this.store.resize(numGroups);
    this.pick = growArray(this.pick, numGroups, -1);
  }

  update(groupIds: Int32Array, args: readonly ColumnVector[], numRows: number): void {
    const v = args[0] as ColumnVector;
    this.take(groupIds, v, this.ignoreNulls ? aggValidity(v, numRows) : null, numRows);
  }

  merge(groupIds: Int32Array, states: readonly ColumnVector[], numRows: number): void {
    this.take(groupIds, states[0] as ColumnVector, (states[1] as ColumnVector).values as Uint8Array, numRows);
  }

  /** Picks, per group, the first/last row with `eligible[i] = 1` (all rows when null) and stores it. */
  private take(groupIds: Int32Array, v: ColumnVector, eligible: Uint8Array | null, numRows: number): void {
    const pick = this.pick;
    const groups = new Int32Array(Math.min(numRows, this.numGroups));
    let count = 0;
    for (let i = 0; i < numRows; i++) {
      if (eligible !== null && eligible[i] === 0) continue;
      const g = groupIds[i] as number;
      if (pick[g] === -1) {
        if (!this.isLast && this.store.isSet(g)) continue;
        groups[count++] = g;
        pick[g] = i;
      } else if (this.isLast) pick[g] = i;
    }
    const rows = new Int32Array(count);
    for (let k = 0; k < count; k++) {
      const g = groups[k] as number;
      rows[k] = pick[g] as number;
      pick[g] = -1;
    }
    this.store.assign(groups, rows, count, v, this.numGroups);
  }

  stateVectors(numGroups: number): ColumnVector[] {
    const set = new Uint8Array(numGroups);
    for (let g = 0; g < numGroups; g++) set[g] = this.store.isSet(g) ? 1 : 0;
    return [this.store.toVector(numGroups), { type: types.boolean, length: numGroups, validity: null, values: set }];
  }

  finish(numGroups: number): ColumnVector {
    return this.store.toVector(numGroups);
  }

  memoryBytes(): number {
    return this.store.memoryBytes() + this.pick.byteLength;
  }
}
