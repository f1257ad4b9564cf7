import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { types } from '../../common/data-type.js';
import { gatherVector } from '../../common/vector-gather.js';
import { GroupTable } from '../hash/group-table.js';
import type { Accumulator } from './accumulator.js';
import { growArray } from './grow-array.js';
import { explodeLists, groupListVector, nonNullRows } from './group-list-vector.js';

/**
 * collectSet and countDistinct: the distinct non-null values of each group, tracked as
 * distinct (group id, value) pairs in a {@link GroupTable} (so strings stay bytes and the
 * work is vectorised). collectSet finishes to the list of values in first-seen order,
 * countDistinct to their number. State of both: the list of distinct values.
 */
export class DistinctValuesAccumulator implements Accumulator {
  private readonly pairs: GroupTable;
  private pairGroup = new Int32Array(16);
  private counts = new Float64Array(16);

  constructor(
    private readonly elementType: DataType,
    private readonly countOnly: boolean,
  ) {
    this.pairs = new GroupTable([types.int32, elementType]);
  }

  resize(numGroups: number): void {
    this.counts = growArray(this.counts, numGroups);
  }

  update(groupIds: Int32Array, args: readonly ColumnVector[], numRows: number): void {
    const v = args[0] as ColumnVector;
    const { rows, groups } = nonNullRows(groupIds, v, numRows);
    this.add(groups, rows.length === numRows ? v : gatherVector(v, rows));
  }

  merge(groupIds: Int32Array, states: readonly ColumnVector[], numRows: number): void {
    const { groups, values } = explodeLists(groupIds, states[0] as ColumnVector, numRows);
    this.add(groups, values);
  }

  private add(groups: Int32Array, values: ColumnVector): void {
    const n = groups.length;
    if (n === 0) return;
    const before = this.pairs.size;
    const ids = this.pairs.insert([{ type: types.int32, length: n, validity: null, values: groups }, values], n);
    this.pairGroup = growArray(this.pairGroup, this.pairs.size);
    const counts = this.counts;
    for (let i = 0; i < n; i++) {
      const p = ids[i] as number;
      if (p < before || this.pairGroup[p] !== 0) continue;
      this.pairGroup[p] = (groups[i] as number) + 1;
      const g = groups[i] as number;
      counts[g] = (counts[g] as number) + 1;
    }
  }

  stateVectors(numGroups: number): ColumnVector[] {
    const count = this.pairs.size;
    const groupOf = new Int32Array(count);
    for (let p = 0; p < count; p++) groupOf[p] = (this.pairGroup[p] as number) - 1;
    const values = this.pairs.keyVectors()[1] as ColumnVector;
    return [groupListVector(this.elementType, groupOf, values, count, numGroups)];
  }

  finish(numGroups: number): ColumnVector {
    if (!this.countOnly) return this.stateVectors(numGroups)[0] as ColumnVector;
    const out = new BigInt64Array(numGroups);
    for (let g = 0; g < numGroups; g++) out[g] = BigInt(this.counts[g] as number);
    return { type: types.int64, length: numGroups, validity: null, values: out };
  }

  memoryBytes(): number {
    return this.pairs.memoryBytes() + this.pairGroup.byteLength + this.counts.byteLength;
  }
}
