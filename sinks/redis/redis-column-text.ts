import { formatDecimal } from '../../common/decimal.js';
import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { decodeUtf8 } from '../../common/utf8.js';

/** Reads row `i` of a column as the value Redis stores (text, or the bytes of a binary column), or null for a null row. */
export type ColumnText = (i: number) => string | Buffer | null;

/** True for the column types the Redis sink can write (everything but lists and structs). */
export function isWritableScalar(type: DataType): boolean {
  return type.kind !== 'list' && type.kind !== 'map' && type.kind !== 'struct';
}

const DAY_MS = 86_400_000;

function isoTimestamp(value: bigint, unit: 'ms' | 'us'): string {
  const ms = unit === 'ms' ? Number(value) : Number(value / 1000n) - (value % 1000n < 0n ? 1 : 0);
  return new Date(ms).toISOString();
}

/**
 * The text of each row of `v`, read straight from the vector's typed arrays: UTF-8 slices
 * (a dictionary column's strings are decoded once), numbers in JavaScript's shortest
 * round-trip form, binary columns as their bytes, booleans as `true`/`false`, dates as `YYYY-MM-DD`, timestamps as ISO
 * 8601 UTC with milliseconds. Lists and structs are rejected before this is called.
 */
export function columnText(v: ColumnVector): ColumnText {
  const valid = v.validity;
  const t = v.type;
  let read: (i: number) => string | Buffer;
  switch (t.kind) {
    case 'null':
      return () => null;
    case 'utf8': {
      if (v.dictionary !== undefined) {
        const dict = v.dictionary;
        const strings: string[] = [];
        const dOff = dict.offsets as Int32Array;
        for (let d = 0; d < dict.length; d++) strings.push(decodeUtf8(dict.values as Uint8Array, dOff[d] as number, dOff[d + 1] as number));
        const idx = v.values as Int32Array;
        read = (i) => strings[idx[i] as number] as string;
      } else {
        const bytes = v.values as Uint8Array;
        const off = v.offsets as Int32Array;
        read = (i) => decodeUtf8(bytes, off[i] as number, off[i + 1] as number);
      }
      break;
    }
    case 'binary': {
      const bytes = v.values as Uint8Array;
      const off = v.offsets as Int32Array;
      read = (i) => Buffer.from(bytes.buffer, bytes.byteOffset + (off[i] as number), (off[i + 1] as number) - (off[i] as number));
      break;
    }
    case 'boolean': {
      const b = v.values as Uint8Array;
      read = (i) => (b[i] === 1 ? 'true' : 'false');
      break;
    }
    case 'int32':
    case 'float64': {
      const n = v.values as Int32Array | Float64Array;
      read = (i) => String(n[i]);
      break;
    }
    case 'int64': {
      const n = v.values as BigInt64Array;
      read = (i) => String(n[i]);
      break;
    }
    case 'decimal': {
      const n = v.values as BigInt64Array;
      const scale = t.scale;
      read = (i) => formatDecimal(n[i] as bigint, scale);
      break;
    }
    case 'date': {
      const n = v.values as Int32Array;
      read = (i) => new Date((n[i] as number) * DAY_MS).toISOString().slice(0, 10);
      break;
    }
    case 'timestamp': {
      const n = v.values as BigInt64Array;
      const unit = t.unit;
      read = (i) => isoTimestamp(n[i] as bigint, unit);
      break;
    }
    default:
      throw new Error(`columnText: unsupported type ${t.kind}`);
  }
  return valid === null ? read : (i) => (valid[i] === 0 ? null : read(i));
}

/** Reads row `i` of a numeric column as a number (zset scores), or null for a null row. */
export function columnNumber(v: ColumnVector): (i: number) => number | null {
  const valid = v.validity;
  const n = v.values as Int32Array | Float64Array | BigInt64Array;
  const read = v.type.kind === 'int64' ? (i: number) => Number(n[i]) : (i: number) => n[i] as number;
  return valid === null ? read : (i) => (valid[i] === 0 ? null : read(i));
}
