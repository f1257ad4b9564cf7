import type { DataType } from './data-type.js';

/**
 * The in-memory column format every operator works on. Its layout is Arrow's, with two
 * simplifications that make kernels faster in JS: validity is one byte per row (1 = valid,
 * 0 = null) instead of a bitmap, and booleans are one byte per row. Vectors are plain
 * objects over typed arrays, so they structured-clone (or share, when the arrays sit on a
 * SharedArrayBuffer) across worker threads without per-row work.
 *
 * Storage by type:
 * - boolean: `values` is a Uint8Array of 0/1.
 * - int32: Int32Array. date: Int32Array of days since 1970-01-01.
 * - int64 and timestamp: BigInt64Array (timestamps count `unit`s since the epoch, UTC).
 * - float64: Float64Array.
 * - utf8: `values` is the UTF-8 bytes, `offsets` (length + 1 entries) delimits row i as
 *   `values[offsets[i] .. offsets[i+1])`. Dictionary-encoded utf8 instead has Int32Array
 *   `values` holding indices into `dictionary` (a plain utf8 vector).
 * - list: `offsets` delimits each row's slice of `child`; `values` is an empty Uint8Array.
 * - null: every row null; `values` is an empty Uint8Array.
 * - struct: `children` holds one vector per field, each of the struct's length; `values`
 *   is an empty Uint8Array; `validity` is the struct's own (a null struct row's children
 *   hold unspecified values).
 *
 * A null row's value slot holds an unspecified value (usually 0); kernels must consult
 * `validity`. Vectors are immutable once built.
 */
export interface ColumnVector {
  readonly type: DataType;
  readonly length: number;
  /** One byte per row, 1 = valid, 0 = null; `null` when the vector has no nulls. */
  readonly validity: Uint8Array | null;
  readonly values: Uint8Array | Int32Array | Float64Array | BigInt64Array;
  /** Row offsets into `values` (utf8) or `child` (list). */
  readonly offsets?: Int32Array;
  /** Present on dictionary-encoded utf8 vectors: the distinct strings `values` index into. */
  readonly dictionary?: ColumnVector;
  /** Element vector of a list vector. */
  readonly child?: ColumnVector;
  /** Field vectors of a struct vector, one per field, each of this vector's length. */
  readonly children?: readonly ColumnVector[];
}

/** A set of equal-length vectors with a schema: the unit of data between operators. */
export interface ColumnarBatch {
  readonly schema: import('./schema.js').Schema;
  readonly columns: readonly ColumnVector[];
  readonly numRows: number;
}

/** True when row `i` of `v` is null. */
export function isNullAt(v: ColumnVector, i: number): boolean {
  if (v.type.kind === 'null') return true;
  return v.validity !== null && v.validity[i] === 0;
}

/** Counts the null rows of a vector. */
export function nullCount(v: ColumnVector): number {
  if (v.type.kind === 'null') return v.length;
  const m = v.validity;
  if (m === null) return 0;
  let n = 0;
  for (let i = 0; i < v.length; i++) n += 1 - (m[i] as number);
  return n;
}
