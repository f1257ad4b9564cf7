import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import type { BoundKeyColumn, KeyStore } from './key-store.js';

/** Key store for utf8 keys: every group's bytes in one growable arena, delimited by offsets. */
export class Utf8KeyStore implements KeyStore {
  /** The bytes of all groups; read directly by the single-key fast path. */
  bytes: Uint8Array;
  /** Group g is `bytes[offsets[g] .. offsets[g+1])`. */
  offsets: Int32Array;
  /** One byte per group, 1 = valid. */
  validity: Uint8Array;
  private hasNull = false;

  constructor(
    readonly type: DataType,
    capacity: number,
  ) {
    this.bytes = new Uint8Array(capacity * 8);
    this.offsets = new Int32Array(capacity + 1);
    this.validity = new Uint8Array(capacity).fill(1);
  }

  reserve(capacity: number): void {
    if (capacity <= this.validity.length) return;
    const offsets = new Int32Array(capacity + 1);
    offsets.set(this.offsets);
    this.offsets = offsets;
    const validity = new Uint8Array(capacity).fill(1);
    validity.set(this.validity);
    this.validity = validity;
  }

  appendNull(g: number): void {
    this.validity[g] = 0;
    this.hasNull = true;
    this.offsets[g + 1] = this.offsets[g] as number;
  }

  /** Stores `src[start..end)` as group `g` (the next group id); may replace `bytes`. */
  appendBytes(g: number, src: Uint8Array, start: number, end: number): void {
    const at = this.offsets[g] as number;
    const need = at + end - start;
    if (need > this.bytes.length) {
      const grown = new Uint8Array(Math.max(need, this.bytes.length * 2));
      grown.set(this.bytes.subarray(0, at));
      this.bytes = grown;
    }
    const dst = this.bytes;
    for (let k = start, d = at; k < end; k++, d++) dst[d] = src[k] as number;
    this.offsets[g + 1] = need;
  }

  bind(v: ColumnVector): BoundKeyColumn {
    const valid = v.validity;
    const idx = v.dictionary ? (v.values as Int32Array) : null;
    const plain = v.dictionary ?? v;
    const src = plain.values as Uint8Array;
    const so = plain.offsets as Int32Array;
    return {
      equals: (g, i) => {
        const a = valid === null ? 1 : (valid[i] as number);
        if (a !== this.validity[g]) return false;
        if (a === 0) return true;
        const r = idx === null ? i : (idx[i] as number);
        const s = so[r] as number;
        const n = (so[r + 1] as number) - s;
        const at = this.offsets[g] as number;
        if ((this.offsets[g + 1] as number) - at !== n) return false;
        const b = this.bytes;
        for (let k = 0; k < n; k++) if (b[at + k] !== src[s + k]) return false;
        return true;
      },
      append: (g, i) => {
        if (valid !== null && valid[i] === 0) this.appendNull(g);
        else {
          const r = idx === null ? i : (idx[i] as number);
          this.appendBytes(g, src, so[r] as number, so[r + 1] as number);
        }
      },
    };
  }

  toVector(size: number): ColumnVector {
    const validity = this.hasNull ? this.validity.slice(0, size) : null;
    const offsets = this.offsets.slice(0, size + 1);
    return { type: this.type, length: size, validity, values: this.bytes.slice(0, offsets[size] as number), offsets };
  }

  memoryBytes(): number {
    return this.bytes.byteLength + this.offsets.byteLength + this.validity.byteLength;
  }
}
