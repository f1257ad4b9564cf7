import type { ColumnVector } from '../../common/column-vector.js';
import { types } from '../../common/data-type.js';
import { invalidArgument } from '../../common/errors.js';
import { mixColumnInto } from '../hash/hash-keys.js';
import { finalizeHash } from '../hash/hash-mix.js';
import type { Accumulator } from './accumulator.js';
import { growArray } from './grow-array.js';

const SEED_INDEX = 0x1b873593;
const SEED_RANK = 0x68e31da4;

/**
 * Register-count exponent for a relative standard deviation, as Spark computes it:
 * `ceil(2 * log2(1.106 / rsd))`; must come out between 4 and 18.
 */
export function hllPrecision(rsd: number): number {
  const p = Math.ceil((2 * Math.log(1.106 / rsd)) / Math.LN2);
  if (!(rsd > 0) || p < 4 || p > 18)
    throw invalidArgument(`approxCountDistinct rsd must be between 0.0022 and 0.39 (it sets 2^4..2^18 registers), got ${rsd}. The default is 0.05.`);
  return p;
}

/**
 * approxCountDistinct: HyperLogLog with 2^p six-bit registers per group (p from the rsd).
 * Each value's register index comes from one 32-bit hash and its rank from an independent
 * second hash, which together act as a (32 + p)-bit hash. The estimate is the harmonic
 * mean estimate, switching to linear counting while at most 2.5 * 2^p (near exact for small
 * cardinalities). Nulls are skipped. State: `registers`, a list of int32 packing four
 * 8-bit registers per element.
 */
export class HyperLogLogAccumulator implements Accumulator {
  private readonly p: number;
  private readonly m: number;
  private regs = new Uint8Array(0);

  constructor(rsd: number) {
    this.p = hllPrecision(rsd);
    this.m = 1 << this.p;
  }

  resize(numGroups: number): void {
    this.regs = growArray(this.regs, numGroups * this.m);
  }

  update(groupIds: Int32Array, args: readonly ColumnVector[], numRows: number): void {
    const v = args[0] as ColumnVector;
    if (v.type.kind === 'null') return;
    const h1 = new Int32Array(numRows).fill(SEED_INDEX);
    const h2 = new Int32Array(numRows).fill(SEED_RANK);
    mixColumnInto(h1, v, numRows);
    mixColumnInto(h2, v, numRows);
    const valid = v.validity;
    const regs = this.regs;
    const shift = 32 - this.p;
    const m = this.m;
    for (let i = 0; i < numRows; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const j = (groupIds[i] as number) * m + (finalizeHash(h1[i] as number) >>> shift);
      const rank = Math.clz32(finalizeHash(h2[i] as number)) + 1;
      if (rank > (regs[j] as number)) regs[j] = rank;
    }
  }

  merge(groupIds: Int32Array, states: readonly ColumnVector[], numRows: number): void {
    const lists = states[0] as ColumnVector;
    const offs = lists.offsets as Int32Array;
    const words = (lists.child as ColumnVector).values as Int32Array;
    const regs = this.regs;
    const m = this.m;
    for (let i = 0; i < numRows; i++) {
      if (lists.validity !== null && lists.validity[i] === 0) continue;
      const base = (groupIds[i] as number) * m;
      const start = offs[i] as number;
      for (let r = 0; r < m; r++) {
        const x = ((words[start + (r >> 2)] as number) >>> ((r & 3) * 8)) & 0xff;
        if (x > (regs[base + r] as number)) regs[base + r] = x;
      }
    }
  }

  stateVectors(numGroups: number): ColumnVector[] {
    const per = this.m >> 2;
    const words = new Int32Array(numGroups * per);
    new Uint8Array(words.buffer).set(this.regs.subarray(0, numGroups * this.m));
    const offsets = Int32Array.from({ length: numGroups + 1 }, (_, g) => g * per);
    return [
      {
        type: types.list(types.int32),
        length: numGroups,
        validity: null,
        values: new Uint8Array(0),
        offsets,
        child: { type: types.int32, length: words.length, validity: null, values: words },
      },
    ];
  }

  finish(numGroups: number): ColumnVector {
    const m = this.m;
    const alpha = m === 16 ? 0.673 : m === 32 ? 0.697 : m === 64 ? 0.709 : 0.7213 / (1 + 1.079 / m);
    const out = new BigInt64Array(numGroups);
    for (let g = 0; g < numGroups; g++) {
      let z = 0;
      let zeros = 0;
      for (let r = g * m; r < (g + 1) * m; r++) {
        const x = this.regs[r] as number;
        z += 2 ** -x;
        if (x === 0) zeros++;
      }
      let e = (alpha * m * m) / z;
      if (e <= 2.5 * m && zeros > 0) e = m * Math.log(m / zeros);
      out[g] = BigInt(Math.round(e));
    }
    return { type: types.int64, length: numGroups, validity: null, values: out };
  }

  memoryBytes(): number {
    return this.regs.byteLength;
  }
}
