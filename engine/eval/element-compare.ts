import type { ColumnVector } from '../../common/column-vector.js';
import { decodeDictionary } from '../../common/vector-concat.js';
import { decodeUtf8 } from '../../common/utf8.js';
import { valueAt } from '../../common/vector-value-at.js';

/**
 * Equality, ordering and hash keys of single elements of vectors of one type, for the
 * array and map kernels (which work element by element inside rows). Utf8 vectors must be
 * plain ({@link plainVector}). NaN equals NaN and orders above every number (Spark).
 */

/** The vector with dictionary-encoded strings decoded (elements compare by bytes). */
export function plainVector(v: ColumnVector): ColumnVector {
  return v.dictionary ? decodeDictionary(v) : v;
}

/** True when row `i` of `v` is null. */
export function isNullElement(v: ColumnVector, i: number): boolean {
  return v.type.kind === 'null' || (v.validity !== null && v.validity[i] === 0);
}

function bytesCompare(a: ColumnVector, i: number, b: ColumnVector, j: number): number {
  const ao = a.offsets as Int32Array;
  const bo = b.offsets as Int32Array;
  const ab = a.values as Uint8Array;
  const bb = b.values as Uint8Array;
  const as = ao[i] as number;
  const bs = bo[j] as number;
  const al = (ao[i + 1] as number) - as;
  const bl = (bo[j + 1] as number) - bs;
  const m = Math.min(al, bl);
  for (let k = 0; k < m; k++) {
    const d = (ab[as + k] as number) - (bb[bs + k] as number);
    if (d !== 0) return d;
  }
  return al - bl;
}

/** Orders non-null elements `a[i]` and `b[j]` (same type): negative, zero or positive. */
export function compareElements(a: ColumnVector, i: number, b: ColumnVector, j: number): number {
  switch (a.type.kind) {
    case 'utf8':
    case 'binary':
      return bytesCompare(a, i, b, j);
    case 'int64':
    case 'decimal':
    case 'timestamp': {
      const x = (a.values as BigInt64Array)[i] as bigint;
      const y = (b.values as BigInt64Array)[j] as bigint;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 'boolean':
    case 'int32':
    case 'date':
    case 'float64': {
      const x = (a.values as Float64Array)[i] as number;
      const y = (b.values as Float64Array)[j] as number;
      if (x < y) return -1;
      if (x > y) return 1;
      if (x === y) return 0;
      // At least one NaN: NaN is the largest value and equals NaN.
      return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : 1) : -1;
    }
    default: {
      const x = JSON.stringify(valueAt(a, i), (_, v) => (typeof v === 'bigint' ? String(v) : v));
      const y = JSON.stringify(valueAt(b, j), (_, v) => (typeof v === 'bigint' ? String(v) : v));
      return x < y ? -1 : x > y ? 1 : 0;
    }
  }
}

/** True when non-null elements `a[i]` and `b[j]` are equal. */
export function elementsEqual(a: ColumnVector, i: number, b: ColumnVector, j: number): boolean {
  const k = a.type.kind;
  if (k === 'int32' || k === 'date' || k === 'boolean') return (a.values as Int32Array)[i] === (b.values as Int32Array)[j];
  return compareElements(a, i, b, j) === 0;
}

/** A JS value usable as a Set/Map key that is equal exactly when elements are equal (null for a null element). */
export function elementKey(v: ColumnVector, i: number): unknown {
  if (isNullElement(v, i)) return null;
  switch (v.type.kind) {
    case 'utf8': {
      const o = v.offsets as Int32Array;
      return decodeUtf8(v.values as Uint8Array, o[i] as number, o[i + 1] as number);
    }
    case 'int64':
    case 'decimal':
    case 'timestamp':
    case 'boolean':
    case 'int32':
    case 'date':
    case 'float64':
      return (v.values as Float64Array)[i];
    default:
      return JSON.stringify(valueAt(v, i), (_, x) => (typeof x === 'bigint' ? `${x}n` : x));
  }
}
