import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { int64Halves } from '../../common/int64.js';
import type { BoundKeyColumn, KeyStore } from './key-store.js';

const CANONICAL_NAN_HI = 0x7ff80000;

/** Number of 32-bit words one key value of `type` takes: 2 for int64, timestamp and float64. */
export function keyWidth(type: DataType): 1 | 2 {
  return type.kind === 'int64' || type.kind === 'decimal' || type.kind === 'timestamp' || type.kind === 'float64' ? 2 : 1;
}

/**
 * The rows of a fixed-width vector as 32-bit key words: the values themselves for
 * int32/date/boolean, the halves for int64/timestamp, and for float64 the bits with -0
 * turned into 0 and every NaN into one NaN, so equal keys have equal words.
 */
export function keyWords(v: ColumnVector, numRows: number): Int32Array | Uint8Array {
  switch (v.type.kind) {
    case 'int64':
    case 'decimal':
    case 'timestamp':
      return int64Halves(v.values as BigInt64Array);
    case 'float64': {
      const f = v.values as Float64Array;
      const src = new Int32Array(f.buffer, f.byteOffset, f.length * 2);
      const out = new Int32Array(numRows * 2);
      for (let i = 0; i < numRows; i++) {
        const d = f[i] as number;
        if (d === 0) continue;
        if (Number.isNaN(d)) out[2 * i + 1] = CANONICAL_NAN_HI;
        else {
          out[2 * i] = src[2 * i] as number;
          out[2 * i + 1] = src[2 * i + 1] as number;
        }
      }
      return out;
    }
    default:
      return v.values as Int32Array | Uint8Array;
  }
}

/** Key store for boolean, int32, date, int64, timestamp and float64 keys, as 32-bit words. */
export class FixedKeyStore implements KeyStore {
  /** `width` words per group; read directly by the single-key fast paths. */
  words: Int32Array;
  /** One byte per group, 1 = valid. */
  validity: Uint8Array;
  readonly width: 1 | 2;
  private hasNull = false;

  constructor(
    readonly type: DataType,
    capacity: number,
  ) {
    this.width = keyWidth(type);
    this.words = new Int32Array(capacity * this.width);
    this.validity = new Uint8Array(capacity).fill(1);
  }

  reserve(capacity: number): void {
    if (capacity <= this.validity.length) return;
    const words = new Int32Array(capacity * this.width);
    words.set(this.words);
    this.words = words;
    const validity = new Uint8Array(capacity).fill(1);
    validity.set(this.validity);
    this.validity = validity;
  }

  appendNull(g: number): void {
    this.validity[g] = 0;
    this.hasNull = true;
  }

  bind(v: ColumnVector): BoundKeyColumn {
    const src = keyWords(v, v.length);
    const valid = v.validity;
    if (this.width === 1) {
      return {
        equals: (g, i) => {
          const a = valid === null ? 1 : (valid[i] as number);
          if (a !== this.validity[g]) return false;
          return a === 0 || this.words[g] === src[i];
        },
        append: (g, i) => {
          if (valid !== null && valid[i] === 0) this.appendNull(g);
          else this.words[g] = src[i] as number;
        },
      };
    }
    return {
      equals: (g, i) => {
        const a = valid === null ? 1 : (valid[i] as number);
        if (a !== this.validity[g]) return false;
        return a === 0 || (this.words[2 * g] === src[2 * i] && this.words[2 * g + 1] === src[2 * i + 1]);
      },
      append: (g, i) => {
        if (valid !== null && valid[i] === 0) this.appendNull(g);
        else {
          this.words[2 * g] = src[2 * i] as number;
          this.words[2 * g + 1] = src[2 * i + 1] as number;
        }
      },
    };
  }

  toVector(size: number): ColumnVector {
    const validity = this.hasNull ? this.validity.slice(0, size) : null;
    const type = this.type;
    switch (type.kind) {
      case 'boolean':
        return { type, length: size, validity, values: Uint8Array.from(this.words.subarray(0, size)) };
      case 'int64':
      case 'decimal':
      case 'timestamp':
        return { type, length: size, validity, values: new BigInt64Array(this.words.slice(0, 2 * size).buffer) };
      case 'float64':
        return { type, length: size, validity, values: new Float64Array(this.words.slice(0, 2 * size).buffer) };
      default:
        return { type, length: size, validity, values: this.words.slice(0, size) };
    }
  }

  memoryBytes(): number {
    return this.words.byteLength + this.validity.byteLength;
  }
}
