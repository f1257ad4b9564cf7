import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { types } from '../../common/data-type.js';
import { decodeUtf8, encodeUtf8 } from '../../common/utf8.js';
import { vectorFromValues } from '../../common/vector-from-values.js';
import { gatherVector } from '../../common/vector-gather.js';
import { nullVector } from '../../common/vector-null.js';
import type { LiteralValue } from '../../dataframe/expr/expr.js';

/** Vector construction and reading helpers shared by the kernels. */

export { nullVector };

/** A vector repeating one literal value `n` times (strings as a one-entry dictionary). */
export function broadcastValue(value: LiteralValue, type: DataType, n: number): ColumnVector {
  if (value === null) return nullVector(type, n);
  switch (type.kind) {
    case 'boolean':
      return { type, length: n, validity: null, values: new Uint8Array(n).fill(value ? 1 : 0) };
    case 'int32':
    case 'date':
      return { type, length: n, validity: null, values: new Int32Array(n).fill(value as number) };
    case 'float64':
      return { type, length: n, validity: null, values: new Float64Array(n).fill(value as number) };
    case 'int64':
    case 'decimal':
    case 'timestamp':
      return { type, length: n, validity: null, values: new BigInt64Array(n).fill(value as bigint) };
    case 'utf8': {
      const bytes = encodeUtf8(value as string);
      const dictionary: ColumnVector = { type, length: 1, validity: null, values: bytes, offsets: Int32Array.of(0, bytes.length) };
      return { type, length: n, validity: null, values: new Int32Array(n), dictionary };
    }
    default:
      return vectorFromValues(
        type,
        Array.from({ length: n }, () => value),
      );
  }
}

/** Row validity of both vectors combined (null when neither has nulls). May return one of the inputs: never mutate it. */
export function andValidity(a: Uint8Array | null, b: Uint8Array | null, n: number): Uint8Array | null {
  if (a === null) return b;
  if (b === null) return a;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (a[i] as number) & (b[i] as number);
  return out;
}

/** A boolean vector over computed bytes. */
export function booleanVector(values: Uint8Array, validity: Uint8Array | null): ColumnVector {
  return { type: types.boolean, length: values.length, validity, values };
}

/** Row `i` in literal form: boolean, number (int32, double, date days), bigint (int64, timestamp, decimal unscaled), string, or null. */
export function literalValueAt(v: ColumnVector, i: number): LiteralValue {
  if (v.type.kind === 'null' || (v.validity !== null && v.validity[i] === 0)) return null;
  switch (v.type.kind) {
    case 'boolean':
      return (v.values as Uint8Array)[i] === 1;
    case 'utf8': {
      if (v.dictionary) return literalValueAt(v.dictionary, (v.values as Int32Array)[i] as number);
      const o = v.offsets as Int32Array;
      return decodeUtf8(v.values as Uint8Array, o[i] as number, o[i + 1] as number);
    }
    case 'int64':
    case 'decimal':
    case 'timestamp':
      return (v.values as BigInt64Array)[i] as bigint;
    case 'list':
    case 'map':
      return null;
    default:
      return (v.values as Int32Array | Float64Array)[i] as number;
  }
}

/** Builds a vector from literal-form values. */
export function vectorFromLiterals(type: DataType, values: readonly LiteralValue[]): ColumnVector {
  if (type.kind === 'decimal') {
    // Literal decimals are unscaled bigints (see castValue), stored as they are.
    const out = new BigInt64Array(values.length);
    let validity: Uint8Array | null = null;
    values.forEach((x, i) => {
      if (x === null) {
        validity ??= new Uint8Array(values.length).fill(1);
        validity[i] = 0;
      } else out[i] = x as bigint;
    });
    return { type, length: values.length, validity, values: out };
  }
  return vectorFromValues(type, values);
}

/** Writes an integer-valued double (within +-2^63) into int64 halves at row `i`. */
export function writeInt64(halves: Int32Array, i: number, x: number): void {
  const hi = Math.floor(x / 4294967296);
  halves[2 * i] = (x - hi * 4294967296) | 0;
  halves[2 * i + 1] = hi | 0;
}

/** A fresh, writable validity for `n` rows combining `a` and `b` (all valid when both are null). */
export function writableValidity(a: Uint8Array | null, b: Uint8Array | null, n: number): Uint8Array {
  const out = new Uint8Array(n);
  if (a === null && b === null) out.fill(1);
  else if (a === null || b === null) out.set((a ?? b) as Uint8Array);
  else for (let i = 0; i < n; i++) out[i] = (a[i] as number) & (b[i] as number);
  return out;
}

/** Reads every row of each argument in literal form and applies `fn`; a null argument gives null unless `nullsIn`. */
export function mapRows(type: DataType, args: readonly ColumnVector[], n: number, fn: (values: LiteralValue[]) => LiteralValue, nullsIn = false): ColumnVector {
  const out: LiteralValue[] = new Array(n);
  const vals: LiteralValue[] = new Array(args.length);
  for (let i = 0; i < n; i++) {
    let hasNull = false;
    for (let k = 0; k < args.length; k++) {
      const v = literalValueAt(args[k] as ColumnVector, i);
      vals[k] = v;
      if (v === null) hasNull = true;
    }
    out[i] = hasNull && !nullsIn ? null : fn(vals);
  }
  return vectorFromLiterals(type, out);
}

/**
 * Applies a per-value function to a dictionary-encoded vector's entries once and maps the
 * result through the indices: a utf8 result stays dictionary-encoded over the new entries,
 * other results are gathered.
 */
export function mapDictionary(v: ColumnVector, type: DataType, fn: (entry: ColumnVector) => ColumnVector): ColumnVector {
  const dict = v.dictionary as ColumnVector;
  const mapped = fn(dict);
  const idx = v.values as Int32Array;
  if (type.kind === 'utf8' && mapped.validity === null && !mapped.dictionary)
    return { type, length: v.length, validity: v.validity, values: idx, dictionary: mapped };
  return gatherThroughIndices(mapped, idx, v.validity, v.length);
}

function gatherThroughIndices(src: ColumnVector, idx: Int32Array, validity: Uint8Array | null, n: number): ColumnVector {
  const safe = new Int32Array(n);
  for (let i = 0; i < n; i++) safe[i] = validity !== null && validity[i] === 0 ? -1 : (idx[i] as number);
  return gatherVector(src, safe, n);
}
