import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { typeName } from '../../common/data-type.js';
import { describeValue } from '../../common/describe-value.js';
import { SluiceError, typeMismatchError } from '../../common/errors.js';
import { encodeUtf8 } from '../../common/utf8.js';
import type { JsValue } from '../../common/vector-from-values.js';
import { vectorFromValues } from '../../common/vector-from-values.js';
import type { UdfRef } from '../../dataframe/expr/udf-expr.js';

const EXPECTED: Partial<Record<DataType['kind'], string>> = {
  boolean: 'a boolean',
  int32: 'an integer number within 32 bits',
  int64: 'a bigint or an integer number',
  float64: 'a number',
  utf8: 'a string',
  date: 'a Date',
  timestamp: 'a Date or a bigint',
};

/** TYPE_MISMATCH for a UDF result that is not of the declared type, naming the UDF, the value and the fix. */
export function wrongResultType(ref: UdfRef, value: unknown, row: number): SluiceError {
  const t = typeName(ref.returnType);
  return typeMismatchError(
    `UDF '${ref.name}' returned ${describeValue(value)} for row ${row}, but its declared return type is ${t}: return ${EXPECTED[ref.returnType.kind] ?? `a value of ${t}`} or null, or declare the UDF with the type it returns.`,
  );
}

function fits(kind: DataType['kind'], v: unknown): boolean {
  switch (kind) {
    case 'boolean':
      return typeof v === 'boolean';
    case 'int32':
      return typeof v === 'number' && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647;
    case 'int64':
      return typeof v === 'bigint' ? BigInt.asIntN(64, v) === v : typeof v === 'number' && Number.isSafeInteger(v);
    case 'float64':
      return typeof v === 'number';
    case 'utf8':
      return typeof v === 'string';
    case 'date':
      return v instanceof Date && !Number.isNaN(v.getTime());
    case 'timestamp':
      return (v instanceof Date && !Number.isNaN(v.getTime())) || typeof v === 'bigint';
    default:
      return true;
  }
}

function strings(values: readonly unknown[], validity: Uint8Array | null, type: DataType): ColumnVector {
  const n = values.length;
  const offsets = new Int32Array(n + 1);
  const parts: Uint8Array[] = new Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const b = validity !== null && validity[i] === 0 ? new Uint8Array(0) : encodeUtf8(values[i] as string);
    parts[i] = b;
    total += b.length;
    offsets[i + 1] = total;
  }
  const bytes = new Uint8Array(total);
  for (let i = 0; i < n; i++) bytes.set(parts[i] as Uint8Array, offsets[i] as number);
  return { type, length: n, validity, values: bytes, offsets };
}

/**
 * The result vector of a UDF from one JS value per row (null or undefined = null), each
 * checked against the declared return type: a value of another type is TYPE_MISMATCH naming
 * the UDF and the row. Nested types (arrays, structs, binary) are checked by conversion.
 */
export function udfResultVector(ref: UdfRef, values: readonly unknown[], rowBase = 0): ColumnVector {
  const type = ref.returnType;
  const n = values.length;
  let validity: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      if (validity === null) validity = new Uint8Array(n).fill(1);
      validity[i] = 0;
    } else if (!fits(type.kind, v)) throw wrongResultType(ref, v, rowBase + i);
  }
  switch (type.kind) {
    case 'float64': {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = (values[i] as number) ?? 0;
      return { type, length: n, validity, values: out };
    }
    case 'int32': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = (values[i] as number) ?? 0;
      return { type, length: n, validity, values: out };
    }
    case 'boolean': {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = values[i] === true ? 1 : 0;
      return { type, length: n, validity, values: out };
    }
    case 'utf8':
      return strings(values, validity, type);
    default:
      try {
        return vectorFromValues(type, values as readonly JsValue[], `result of UDF '${ref.name}'`);
      } catch (e) {
        if (e instanceof SluiceError) throw typeMismatchError(`${e.message} Its declared return type is ${typeName(type)}.`);
        throw e;
      }
  }
}
