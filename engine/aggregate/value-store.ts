import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { concatVectors } from '../../common/vector-concat.js';
import { gatherVector } from '../../common/vector-gather.js';
import { vectorFromValues } from '../../common/vector-from-values.js';
import { growArray } from './grow-array.js';

/**
 * One value of any type per group, for aggregates that keep an input value (first, last,
 * min/max of strings). Values are gathered per batch into compact chunks; a group refers
 * to its value by chunk and row. Chunks are re-compacted when replaced values make up most
 * of them, so memory stays proportional to the number of groups.
 */
export class ValueStore {
  private chunks: ColumnVector[] = [];
  private chunkRows = 0;
  private chunkOf = new Int32Array(16).fill(-1);
  private rowOf = new Int32Array(16);

  constructor(private readonly type: DataType) {}

  /** Makes room for group ids below `numGroups`. */
  resize(numGroups: number): void {
    this.chunkOf = growArray(this.chunkOf, numGroups, -1);
    this.rowOf = growArray(this.rowOf, numGroups);
  }

  /** True when group g holds a value (possibly null). */
  isSet(g: number): boolean {
    return (this.chunkOf[g] as number) >= 0;
  }

  /** The vector and row holding group g's value; only when {@link isSet}. */
  chunk(g: number): ColumnVector {
    return this.chunks[this.chunkOf[g] as number] as ColumnVector;
  }

  /** Row of group g's value within {@link chunk}. */
  row(g: number): number {
    return this.rowOf[g] as number;
  }

  /** Sets group `groups[k]` to row `rows[k]` of `source`, for k < count (groups distinct). */
  assign(groups: Int32Array, rows: Int32Array, count: number, source: ColumnVector, numGroups: number): void {
    if (count === 0) return;
    const c = this.chunks.length;
    this.chunks.push(gatherVector(source, rows, count));
    this.chunkRows += count;
    for (let k = 0; k < count; k++) {
      const g = groups[k] as number;
      this.chunkOf[g] = c;
      this.rowOf[g] = k;
    }
    if (this.chunkRows > 2 * numGroups + 4096) this.compact(numGroups);
  }

  private compact(numGroups: number): void {
    const all = this.toVector(numGroups);
    this.chunks = [all];
    this.chunkRows = numGroups;
    for (let g = 0; g < numGroups; g++) {
      if ((this.chunkOf[g] as number) < 0) continue;
      this.chunkOf[g] = 0;
      this.rowOf[g] = g;
    }
  }

  /** The values of groups `[0, numGroups)`; unset groups are null. */
  toVector(numGroups: number): ColumnVector {
    if (this.chunks.length === 0) return vectorFromValues(this.type, new Array(numGroups).fill(null));
    const base = new Int32Array(this.chunks.length);
    for (let c = 1; c < this.chunks.length; c++) base[c] = (base[c - 1] as number) + (this.chunks[c - 1] as ColumnVector).length;
    const idx = new Int32Array(numGroups);
    for (let g = 0; g < numGroups; g++) {
      const c = this.chunkOf[g] as number;
      idx[g] = c < 0 ? -1 : (base[c] as number) + (this.rowOf[g] as number);
    }
    return gatherVector(concatVectors(this.chunks), idx, numGroups);
  }

  /** Approximate bytes held. */
  memoryBytes(): number {
    let n = this.chunkOf.byteLength + this.rowOf.byteLength;
    for (const c of this.chunks) n += c.values.byteLength + (c.offsets?.byteLength ?? 0) + (c.validity?.byteLength ?? 0);
    return n;
  }
}
