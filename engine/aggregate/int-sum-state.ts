import type { ColumnVector } from '../../common/column-vector.js';
import { types } from '../../common/data-type.js';
import { int64Halves, SAFE_LIMIT } from '../../common/int64.js';
import { growArray } from './grow-array.js';

/**
 * Exact per-group sums of int32/int64 values: doubles while a group's sum stays within
 * +-2^53, then BigInt for that group only. Results wrap to 64 bits like Spark's non-ANSI sum.
 */
export class IntSumState {
  /** Per-group sum while exact as a double. */
  private sums = new Float64Array(16);
  /** 1 when the group has seen a non-null value. */
  has = new Uint8Array(16);
  /** 1 for groups whose sum left the double-exact range and lives in `big`. */
  private isBig = new Uint8Array(16);
  private readonly big = new Map<number, bigint>();

  /** Makes room for group ids below `numGroups`. */
  resize(numGroups: number): void {
    this.sums = growArray(this.sums, numGroups);
    this.has = growArray(this.has, numGroups);
    this.isBig = growArray(this.isBig, numGroups);
  }

  /** Adds the non-null rows of an int32 or int64 vector. */
  add(groupIds: Int32Array, v: ColumnVector, numRows: number): void {
    if (v.type.kind === 'null') return;
    const valid = v.validity;
    const sums = this.sums;
    const has = this.has;
    const isBig = this.isBig;
    if (v.type.kind === 'int32') {
      const x = v.values as Int32Array;
      for (let i = 0; i < numRows; i++) {
        if (valid !== null && valid[i] === 0) continue;
        const g = groupIds[i] as number;
        has[g] = 1;
        const r = (sums[g] as number) + (x[i] as number);
        if (r > SAFE_LIMIT || r < -SAFE_LIMIT || isBig[g] === 1) this.addBig(g, BigInt(x[i] as number));
        else sums[g] = r;
      }
      return;
    }
    const h = int64Halves(v.values as BigInt64Array);
    const big = v.values as BigInt64Array;
    for (let i = 0; i < numRows; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const g = groupIds[i] as number;
      has[g] = 1;
      const hi = h[2 * i + 1] as number;
      const r = (sums[g] as number) + (hi * 4294967296 + ((h[2 * i] as number) >>> 0));
      if (hi > 0x1fffff || hi < -0x200000 || r > SAFE_LIMIT || r < -SAFE_LIMIT || isBig[g] === 1) this.addBig(g, big[i] as bigint);
      else sums[g] = r;
    }
  }

  private addBig(g: number, x: bigint): void {
    const cur = this.big.get(g) ?? BigInt(this.sums[g] as number);
    this.big.set(g, cur + x);
    this.isBig[g] = 1;
  }

  /** The sums of groups `[0, numGroups)` as an int64 vector, null where no value was seen. */
  toVector(numGroups: number): ColumnVector {
    const out = new BigInt64Array(numGroups);
    let validity: Uint8Array | null = null;
    for (let g = 0; g < numGroups; g++) {
      if (this.has[g] === 0) {
        validity ??= new Uint8Array(numGroups).fill(1);
        validity[g] = 0;
        continue;
      }
      const b = this.big.get(g);
      out[g] = b === undefined ? BigInt(this.sums[g] as number) : BigInt.asIntN(64, b);
    }
    return { type: types.int64, length: numGroups, validity, values: out };
  }

  /** The exact (unwrapped) sums of groups `[0, numGroups)`, null where no value was seen. */
  exactSums(numGroups: number): (bigint | null)[] {
    const out: (bigint | null)[] = new Array(numGroups);
    for (let g = 0; g < numGroups; g++) out[g] = this.has[g] === 0 ? null : (this.big.get(g) ?? BigInt(this.sums[g] as number));
    return out;
  }

  /** Group g's sum as a double (for averages). */
  sumAsDouble(g: number): number {
    const b = this.big.get(g);
    return b === undefined ? (this.sums[g] as number) : Number(b);
  }

  /** Approximate bytes held. */
  memoryBytes(): number {
    return this.sums.byteLength + this.has.byteLength + this.isBig.byteLength + this.big.size * 48;
  }
}
