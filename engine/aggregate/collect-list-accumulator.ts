import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { concatVectors } from '../../common/vector-concat.js';
import { gatherVector } from '../../common/vector-gather.js';
import { vectorFromValues } from '../../common/vector-from-values.js';
import type { Accumulator } from './accumulator.js';
import { explodeLists, groupListVector, nonNullRows } from './group-list-vector.js';

/**
 * collectList: the non-null values of each group in input order (an empty list for a
 * group without any, as Spark). Values are kept as gathered chunks with their group ids and
 * sorted by group once at the end. State: the list itself.
 */
export class CollectListAccumulator implements Accumulator {
  private readonly chunks: ColumnVector[] = [];
  private readonly groupChunks: Int32Array[] = [];

  constructor(private readonly elementType: DataType) {}

  resize(): void {}

  update(groupIds: Int32Array, args: readonly ColumnVector[], numRows: number): void {
    const v = args[0] as ColumnVector;
    const { rows, groups } = nonNullRows(groupIds, v, numRows);
    this.add(groups.slice(), gatherVector(v, rows));
  }

  merge(groupIds: Int32Array, states: readonly ColumnVector[], numRows: number): void {
    const { groups, values } = explodeLists(groupIds, states[0] as ColumnVector, numRows);
    this.add(groups, values);
  }

  private add(groups: Int32Array, values: ColumnVector): void {
    if (groups.length === 0) return;
    this.groupChunks.push(groups);
    this.chunks.push(values);
  }

  stateVectors(numGroups: number): ColumnVector[] {
    return [this.finish(numGroups)];
  }

  finish(numGroups: number): ColumnVector {
    const count = this.groupChunks.reduce((s, c) => s + c.length, 0);
    const groupOf = new Int32Array(count);
    let pos = 0;
    for (const c of this.groupChunks) {
      groupOf.set(c, pos);
      pos += c.length;
    }
    const values = this.chunks.length === 0 ? vectorFromValues(this.elementType, []) : concatVectors(this.chunks);
    return groupListVector(this.elementType, groupOf, values, count, numGroups);
  }

  memoryBytes(): number {
    let n = 0;
    for (const g of this.groupChunks) n += g.byteLength;
    for (const c of this.chunks) n += c.values.byteLength + (c.offsets?.byteLength ?? 0);
    return n;
  }
}
