import type { ColumnVector } from '../../common/column-vector.js';
import { SluiceError } from '../../common/errors.js';
import { valueAt } from '../../common/vector-value-at.js';
import type { UdfRef } from '../../dataframe/expr/udf-expr.js';
import type { UdfFunction } from './udf-functions.js';
import { udfResultVector, wrongResultType } from './udf-result.js';

/** Reads row `i` of a vector as a row UDF's argument (the `toArray()` value, null for null). */
type ArgReader = (i: number) => unknown;

function readerOf(v: ColumnVector): ArgReader {
  const kind = v.type.kind;
  if ((kind === 'float64' || kind === 'int32') && v.dictionary === undefined) {
    const values = v.values as Float64Array | Int32Array;
    const validity = v.validity;
    return validity === null ? (i) => values[i] : (i) => (validity[i] === 0 ? null : values[i]);
  }
  return (i) => valueAt(v, i);
}

/** UDF_FAILED for an error thrown by the user's function (a SluiceError passes through). */
export function udfThrew(ref: UdfRef, e: unknown, where: string): SluiceError {
  if (e instanceof SluiceError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new SluiceError('UDF_FAILED', `UDF '${ref.name}' threw ${where}: ${msg}`, { cause: e });
}

/** Calls `fn` on row `i`'s arguments. */
function caller(fn: UdfFunction, readers: readonly ArgReader[]): (i: number) => unknown {
  if (readers.length === 0) return () => fn();
  if (readers.length === 1) {
    const a = readers[0] as ArgReader;
    return (i) => fn(a(i));
  }
  if (readers.length === 2) {
    const a = readers[0] as ArgReader;
    const b = readers[1] as ArgReader;
    return (i) => fn(a(i), b(i));
  }
  const vals: unknown[] = new Array(readers.length);
  return (i) => {
    for (let k = 0; k < readers.length; k++) vals[k] = (readers[k] as ArgReader)(i);
    return fn(...vals);
  };
}

/** A double result written straight into its Float64Array, each value checked. */
function runDouble(ref: UdfRef, call: (i: number) => unknown, n: number): ColumnVector {
  const out = new Float64Array(n);
  let validity: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    let v: unknown;
    try {
      v = call(i);
    } catch (e) {
      throw udfThrew(ref, e, `on row ${i}`);
    }
    if (typeof v === 'number') out[i] = v;
    else if (v === null || v === undefined) {
      if (validity === null) validity = new Uint8Array(n).fill(1);
      validity[i] = 0;
    } else throw wrongResultType(ref, v, i);
  }
  return { type: ref.returnType, length: n, validity, values: out };
}

/**
 * Runs a row UDF over `n` rows: calls the function once per row with the argument values
 * (null for a null argument) and builds the result vector, checking each value against the
 * declared type. Double results and double/int arguments take a direct path over the typed
 * arrays; other types go through the `toArray()` value conversion.
 */
export function runRowUdf(ref: UdfRef, fn: UdfFunction, args: readonly ColumnVector[], n: number): ColumnVector {
  const call = caller(fn, args.map(readerOf));
  if (ref.returnType.kind === 'float64') return runDouble(ref, call, n);
  const out: unknown[] = new Array(n);
  let i = 0;
  try {
    for (; i < n; i++) out[i] = call(i);
  } catch (e) {
    throw udfThrew(ref, e, `on row ${i}`);
  }
  return udfResultVector(ref, out);
}
