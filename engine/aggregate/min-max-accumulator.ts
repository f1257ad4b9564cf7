import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { int64Halves } from '../../common/int64.js';
import type { Accumulator } from './accumulator.js';
import { growArray } from './grow-array.js';
import { aggValidity, numericAsDoubles } from './numeric-input.js';

/**
 * min / max over boolean, int32, date, float64, int64, decimal and timestamp (utf8 has its own
 * accumulator). Nulls are skipped; a group without values is null. NaN is larger than any
 * number (Spark), so max returns NaN when one is present and min only when all values are
 * NaN. int64 and timestamp compare exactly through their 32-bit halves. State: the
 * running value itself, so merging is updating.
 */
export class MinMaxAccumulator implements Accumulator {
  private readonly wide: boolean;
  private vals = new Float64Array(16);
  private words = new Int32Array(32);
  private has = new Uint8Array(16);

  constructor(
    private readonly type: DataType,
    private readonly isMax: boolean,
  ) {
    this.wide = type.kind === 'int64' || type.kind === 'timestamp' || type.kind === 'decimal';
  }

  resize(numGroups: number): void {
    this.has = growArray(this.has, numGroups);
    if (this.wide) this.words = growArray(this.words, numGroups * 2);
    else this.vals = growArray(this.vals, numGroups);
  }

  update(groupIds: Int32Array, args: readonly ColumnVector[], numRows: number): void {
    const v = args[0] as ColumnVector;
    if (v.type.kind === 'null') return;
    if (this.wide) this.updateWide(groupIds, v, numRows);
    else this.updateDouble(groupIds, v, numRows);
  }

  private updateDouble(groupIds: Int32Array, v: ColumnVector, numRows: number): void {
    const x = numericAsDoubles(v, numRows);
    const valid = aggValidity(v, numRows);
    const vals = this.vals;
    const has = this.has;
    const isMax = this.isMax;
    for (let i = 0; i < numRows; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const g = groupIds[i] as number;
      const a = x[i] as number;
      const c = vals[g] as number;
      let take: boolean;
      if (has[g] === 0) take = true;
      else if (isMax) take = a > c || (Number.isNaN(a) && !Number.isNaN(c));
      else take = a < c || (Number.isNaN(c) && !Number.isNaN(a));
      if (take) {
        vals[g] = a;
        has[g] = 1;
      }
    }
  }

  private updateWide(groupIds: Int32Array, v: ColumnVector, numRows: number): void {
    const h = int64Halves(v.values as BigInt64Array);
    const valid = v.validity;
    const w = this.words;
    const has = this.has;
    const sign = this.isMax ? 1 : -1;
    for (let i = 0; i < numRows; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const g = groupIds[i] as number;
      const hi = h[2 * i + 1] as number;
      const lo = (h[2 * i] as number) >>> 0;
      if (has[g] === 1) {
        const chi = w[2 * g + 1] as number;
        const clo = (w[2 * g] as number) >>> 0;
        const cmp = hi !== chi ? (hi > chi ? 1 : -1) : lo === clo ? 0 : lo > clo ? 1 : -1;
        if (cmp * sign <= 0) continue;
      }
      w[2 * g] = lo | 0;
      w[2 * g + 1] = hi;
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
    const validity = has.includes(0) ? has : null;
    const type = this.type;
    switch (type.kind) {
      case 'int64':
      case 'decimal':
      case 'timestamp':
        return { type, length: numGroups, validity, values: new BigInt64Array(this.words.slice(0, 2 * numGroups).buffer) };
      case 'float64':
        return { type, length: numGroups, validity, values: this.vals.slice(0, numGroups) };
      case 'boolean':
        return { type, length: numGroups, validity, values: Uint8Array.from(this.vals.subarray(0, numGroups)) };
      case 'null':
        return { type, length: numGroups, validity: null, values: new Uint8Array(0) };
      default:
        return { type, length: numGroups, validity, values: Int32Array.from(this.vals.subarray(0, numGroups)) };
    }
  }

  memoryBytes(): number {
    return this.vals.byteLength + this.words.byteLength + this.has.byteLength;
  }
}
