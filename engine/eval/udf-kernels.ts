import * as arrow from 'apache-arrow';
import { arrowVectorOf, columnFromArrowVector } from '../../common/arrow-vector.js';
import type { ColumnVector } from '../../common/column-vector.js';
import { typeEquals, typeName } from '../../common/data-type.js';
import { describeValue } from '../../common/describe-value.js';
import { SluiceError, typeMismatchError } from '../../common/errors.js';
import type { UdfRef } from '../../dataframe/expr/udf-expr.js';
import type { UdfFunction } from '../udf/udf-functions.js';
import { udfFunction } from '../udf/udf-functions.js';
import { udfResultVector } from '../udf/udf-result.js';
import { runRowUdf, udfThrew } from '../udf/run-row-udf.js';
import { andValidity } from './eval-vectors.js';
import type { CompiledExpr } from './operand.js';

const TYPED_FOR: Partial<Record<string, string>> = {
  float64: 'Float64Array',
  int32: 'Int32Array',
  date: 'Int32Array',
  int64: 'BigInt64Array',
  timestamp: 'BigInt64Array',
  boolean: 'Uint8Array',
};

function fromTypedArray(ref: UdfRef, r: ArrayBufferView, args: readonly ColumnVector[], n: number): ColumnVector {
  const want = TYPED_FOR[ref.returnType.kind];
  if (want !== r.constructor.name)
    throw typeMismatchError(
      `Vectorized UDF '${ref.name}' returned a ${r.constructor.name}, but its declared return type is ${typeName(ref.returnType)}: return ${want ? `a ${want}` : 'an Arrow Vector or an array'} of the batch's length, or declare the UDF with the type it returns.`,
    );
  let validity: Uint8Array | null = null;
  for (const a of args) validity = andValidity(validity, a.type.kind === 'null' ? new Uint8Array(n) : a.validity, n);
  return { type: ref.returnType, length: n, validity, values: r as ColumnVector['values'] };
}

function fromResult(ref: UdfRef, r: unknown, args: readonly ColumnVector[], n: number): ColumnVector {
  const len = (r as { length?: unknown } | null)?.length;
  if (len !== n && (ArrayBuffer.isView(r) || Array.isArray(r) || r instanceof arrow.Vector))
    throw new SluiceError(
      'UDF_FAILED',
      `Vectorized UDF '${ref.name}' returned ${String(len)} values for a batch of ${n} rows; return exactly one value per row.`,
    );
  if (r instanceof arrow.Vector) {
    const v = columnFromArrowVector(r, `result of UDF '${ref.name}'`);
    if (!typeEquals(v.type, ref.returnType) && v.type.kind !== 'null')
      throw typeMismatchError(
        `Vectorized UDF '${ref.name}' returned an Arrow vector of ${typeName(v.type)}, but its declared return type is ${typeName(ref.returnType)}. Return a vector of that type or declare the UDF with the type it returns.`,
      );
    return v.type.kind === 'null' ? udfResultVector(ref, new Array(n).fill(null)) : v;
  }
  if (ArrayBuffer.isView(r)) return fromTypedArray(ref, r, args, n);
  if (Array.isArray(r)) return udfResultVector(ref, r);
  throw typeMismatchError(
    `Vectorized UDF '${ref.name}' returned ${describeValue(r)}; return an Arrow Vector, a typed array or an array with one value per row of the batch.`,
  );
}

function runVectorized(ref: UdfRef, fn: UdfFunction, args: readonly ColumnVector[], n: number): ColumnVector {
  let r: unknown;
  try {
    r = fn(...args.map(arrowVectorOf));
  } catch (e) {
    throw udfThrew(ref, e, 'on a batch');
  }
  return fromResult(ref, r, args, n);
}

/**
 * Compiles a UDF call over compiled arguments. The function is looked up on the first
 * batch (so planning and explain() never need it): a module export loaded beforehand by
 * `loadUdfFunctions`, or an inline closure of this thread. A row UDF is called per row with
 * JS values; a vectorized UDF once per batch with Arrow vectors. A thrown error becomes
 * UDF_FAILED naming the UDF; a result of the wrong type, TYPE_MISMATCH naming it.
 */
export function compileUdfCall(ref: UdfRef, args: readonly CompiledExpr[]): CompiledExpr {
  let fn: UdfFunction | null = null;
  return (b) => {
    fn ??= udfFunction(ref);
    const vectors = args.map((a) => a(b));
    return ref.vectorized ? runVectorized(ref, fn, vectors, b.numRows) : runRowUdf(ref, fn, vectors, b.numRows);
  };
}
