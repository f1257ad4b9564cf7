import type { ColumnVector } from '../../common/column-vector.js';
import { types } from '../../common/data-type.js';
import { int64At, int64Halves } from '../../common/int64.js';
import type { Accumulator } from './accumulator.js';
import { growArray } from './grow-array.js';
import { int64FromNumbers } from './int64-from-numbers.js';

/** count(*) (no args: every row) and count(x) (rows where every arg is non-null). State: `count` bigint. */
export class CountAccumulator implements Accumulator {
  private counts = new Float64Array(16);

  resize(numGroups: number): void {
    this.counts = growArray(this.counts, numGroups);
  }

  update(groupIds: Int32Array, args: readonly ColumnVector[], numRows: number): void {
    const c = this.counts;
    const masks = args.map((a) => (a.type.kind === 'null' ? new Uint8Array(numRows) : a.validity)).filter((m): m is Uint8Array => m !== null);
    if (masks.length === 0) {
      for (let i = 0; i < numRows; i++) {
        const g = groupIds[i] as number;
        c[g] = (c[g] as number) + 1;
      }
      return;
    }
    for (let i = 0; i < numRows; i++) {
      let ok = 1;
      for (const m of masks) ok &= m[i] as number;
      const g = groupIds[i] as number;
      c[g] = (c[g] as number) + ok;
    }
  }

  merge(groupIds: Int32Array, states: readonly ColumnVector[], numRows: number): void {
    const s = states[0] as ColumnVector;
    const h = int64Halves(s.values as BigInt64Array);
    const valid = s.validity;
    const c = this.counts;
    for (let i = 0; i < numRows; i++)
      if (valid === null || valid[i] === 1) {
        const g = groupIds[i] as number;
        c[g] = (c[g] as number) + int64At(h, i);
      }
  }

  stateVectors(numGroups: number): ColumnVector[] {
    return [this.finish(numGroups)];
  }

  finish(numGroups: number): ColumnVector {
    const out = int64FromNumbers(this.counts, numGroups);
    return { type: types.int64, length: numGroups, validity: null, values: out };
  }

  memoryBytes(): number {
    return this.counts.byteLength;
  }
}
