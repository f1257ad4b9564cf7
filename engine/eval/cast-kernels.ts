import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { typeEquals } from '../../common/data-type.js';
import { int64At, int64Halves } from '../../common/int64.js';
import { decodeDictionary } from '../../common/vector-concat.js';
import { castValue } from '../../dataframe/expr/cast-value.js';
import { mapDictionary, mapRows, nullVector } from './eval-vectors.js';
import type { CompiledExpr } from './operand.js';

/**
 * Cast kernels with Spark's non-ANSI semantics (see `dataframe/expr/cast-value.ts`, which
 * defines them per value). Numeric widenings, double -> int and timestamp unit changes run
 * as loops over typed arrays; casts from strings run once per dictionary entry when the
 * input is dictionary-encoded; the rest convert row by row through `castValue`.
 */

const TWO63 = 2 ** 63;

function withNulls(valid: Uint8Array | null, n: number): Uint8Array {
  return valid === null ? new Uint8Array(n).fill(1) : valid.slice(0, n);
}

function fastCast(v: ColumnVector, to: DataType, n: number): ColumnVector | null {
  const from = v.type;
  // binary <-> string reinterpret the bytes (UTF-8), as Spark's cast does: no copy.
  if (from.kind === 'binary' && to.kind === 'utf8') return { type: to, length: n, validity: v.validity, values: v.values, offsets: v.offsets as Int32Array };
  if (from.kind === 'utf8' && to.kind === 'binary') {
    const plain = decodeDictionary(v);
    return { type: to, length: n, validity: plain.validity, values: plain.values, offsets: plain.offsets as Int32Array };
  }
  if (from.kind === 'int32' && to.kind === 'float64') return { type: to, length: n, validity: v.validity, values: Float64Array.from(v.values as Int32Array) };
  if (from.kind === 'int32' && to.kind === 'int64') {
    const out = new BigInt64Array(n);
    const h = int64Halves(out);
    const a = v.values as Int32Array;
    for (let i = 0; i < n; i++) {
      const x = a[i] as number;
      h[2 * i] = x;
      h[2 * i + 1] = x < 0 ? -1 : 0;
    }
    return { type: to, length: n, validity: v.validity, values: out };
  }
  if (from.kind === 'int64' && to.kind === 'float64') {
    const a = v.values as BigInt64Array;
    const h = int64Halves(a);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = int64At(h, i);
      out[i] = Math.abs(x) <= 9007199254740991 ? x : Number(a[i] as bigint);
    }
    return { type: to, length: n, validity: v.validity, values: out };
  }
  if (from.kind === 'int64' && to.kind === 'int32') {
    const h = int64Halves(v.values as BigInt64Array);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = h[2 * i] as number;
    return { type: to, length: n, validity: v.validity, values: out };
  }
  if (from.kind === 'float64' && (to.kind === 'int32' || to.kind === 'int64')) {
    const a = v.values as Float64Array;
    const valid = withNulls(v.validity, n);
    const is32 = to.kind === 'int32';
    const out = is32 ? new Int32Array(n) : new BigInt64Array(n);
    const lo = is32 ? -2147483648 : -TWO63;
    const hi = is32 ? 2147483647 : TWO63 - 1;
    for (let i = 0; i < n; i++) {
      if (valid[i] === 0) continue;
      const t = Math.trunc(a[i] as number);
      if (!(t >= lo && t <= hi) || (!is32 && t >= TWO63)) valid[i] = 0;
      else if (is32) out[i] = t;
      else (out as BigInt64Array)[i] = BigInt(t);
    }
    return { type: to, length: n, validity: valid, values: out };
  }
  if (from.kind === 'timestamp' && to.kind === 'timestamp') {
    if (from.unit === to.unit) return { ...v, type: to };
    if (from.unit === 'ms') {
      const a = v.values as BigInt64Array;
      const out = new BigInt64Array(n);
      for (let i = 0; i < n; i++) out[i] = BigInt.asIntN(64, (a[i] as bigint) * 1000n);
      return { type: to, length: n, validity: v.validity, values: out };
    }
  }
  return null;
}

/** Compiles a cast of an analyzed child from `from` to `to`. */
export function compileCast(child: CompiledExpr, from: DataType, to: DataType): CompiledExpr {
  if (typeEquals(from, to)) return child;
  const slow = (v: ColumnVector, n: number): ColumnVector => mapRows(to, [v], n, (vals) => castValue(vals[0] ?? null, from, to));
  return (batch) => {
    const v = child(batch);
    const n = batch.numRows;
    if (from.kind === 'null') return nullVector(to, n);
    const fast = fastCast(v, to, n);
    if (fast !== null) return fast;
    if (v.dictionary) return mapDictionary(v, to, (d) => slow(d, d.length));
    return slow(v, n);
  };
}
