import type { ColumnVector } from '../../common/column-vector.js';
import { types } from '../../common/data-type.js';
import { bytesCompare } from '../../common/utf8.js';
import type { Accumulator } from './accumulator.js';
import { growArray } from './grow-array.js';
import { ValueStore } from './value-store.js';

/** Compares row i of utf8 vector a with row j of b by bytes (dictionary-encoded or plain). */
function compareRows(a: ColumnVector, i: number, b: ColumnVector, j: number): number {
  const pa = a.dictionary ?? a;
  const pb = b.dictionary ?? b;
  const ra = a.dictionary ? ((a.values as Int32Array)[i] as number) : i;
  const rb = b.dictionary ? ((b.values as Int32Array)[j] as number) : j;
  const oa = pa.offsets as Int32Array;
  const ob = pb.offsets as Int32Array;
  return bytesCompare(pa.values as Uint8Array, oa[ra] as number, oa[ra + 1] as number, pb.values as Uint8Array, ob[rb] as number, ob[rb + 1] as number);
}

/**
 * min / max over utf8 in byte order (code-point order). Each batch first finds its best
 * row per group, then compares that once against the group's stored value. State: the
 * running value.
 */
export class Utf8MinMaxAccumulator implements Accumulator {
  private readonly store = new ValueStore(types.utf8);
  private numGroups = 0;
  private best = new Int32Array(16).fill(-1);

  constructor(private readonly isMax: boolean) {}

  resize(numGroups: number): void {
    this.numGroups = Math.max(this.numGroups, numGroups);
    this.store.resize(numGroups);
    this.best = growArray(this.best, numGroups, -1);
  }

  update(groupIds: Int32Array, args: readonly ColumnVector[], numRows: number): void {
    const v = args[0] as ColumnVector;
    if (v.type.kind === 'null') return;
    const valid = v.validity;
    const best = this.best;
    const sign = this.isMax ? 1 : -1;
    const groups = new Int32Array(Math.min(numRows, this.numGroups));
    let count = 0;
    for (let i = 0; i < numRows; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const g = groupIds[i] as number;
      const b = best[g] as number;
      if (b === -1) {
        groups[count++] = g;
        best[g] = i;
      } else if (compareRows(v, i, v, b) * sign > 0) best[g] = i;
    }
    let kept = 0;
    const rows = new Int32Array(count);
    for (let k = 0; k < count; k++) {
      const g = groups[k] as number;
      const r = best[g] as number;
      best[g] = -1;
      if (this.store.isSet(g) && compareRows(v, r, this.store.chunk(g), this.store.row(g)) * sign <= 0) continue;
      groups[kept] = g;
      rows[kept++] = r;
    }
    this.store.assign(groups, rows, kept, v, this.numGroups);
  }

  merge(groupIds: Int32Array, states: readonly ColumnVector[], numRows: number): void {
    this.update(groupIds, states, numRows);
  }

  stateVectors(numGroups: number): ColumnVector[] {
    return [this.finish(numGroups)];
  }

  finish(numGroups: number): ColumnVector {
    return this.store.toVector(numGroups);
  }

  memoryBytes(): number {
    return this.store.memoryBytes() + this.best.byteLength;
  }
}
