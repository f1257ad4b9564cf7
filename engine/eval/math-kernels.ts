import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { types } from '../../common/data-type.js';
import { int64At, int64Halves, SAFE_LIMIT } from '../../common/int64.js';
import type { ScalarFunctionName } from '../../dataframe/expr/expr.js';
import { roundHalfUp } from '../../dataframe/expr/number-text.js';
import { doubleToInt64, scalarCallValue } from '../../dataframe/expr/scalar-call-value.js';
import { mapRows, writeInt64 } from './eval-vectors.js';
import type { CompiledExpr, Operand } from './operand.js';
import { operandVector } from './operand.js';

/**
 * Math kernels: abs (int/bigint wrap at their minimum, as Spark), round HALF_UP (Spark's,
 * on the decimal text of doubles), floor/ceil to bigint (null for NaN, infinities and
 * doubles outside the bigint range), sqrt (NaN for negatives).
 */

/** Functions this file compiles. */
export const MATH_FUNCTIONS: ReadonlySet<ScalarFunctionName> = new Set(['abs', 'round', 'floor', 'ceil', 'sqrt']);

function doubles(v: ColumnVector, f: (x: number) => number): ColumnVector {
  const a = v.values as Float64Array;
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = f(a[i] as number);
  return { type: types.float64, length: v.length, validity: v.validity, values: out };
}

function floorCeil(v: ColumnVector, ceil: boolean): ColumnVector {
  const n = v.length;
  if (v.type.kind === 'int64') return { ...v, type: types.int64 };
  const out = new BigInt64Array(n);
  const oh = int64Halves(out);
  if (v.type.kind === 'int32') {
    const a = v.values as Int32Array;
    for (let i = 0; i < n; i++) {
      const x = a[i] as number;
      oh[2 * i] = x;
      oh[2 * i + 1] = x >> 31;
    }
    return { type: types.int64, length: n, validity: v.validity, values: out };
  }
  const a = v.values as Float64Array;
  // Validity is copied only when a value has no bigint (NaN, infinite or out of range).
  let valid = v.validity;
  let own = false;
  for (let i = 0; i < n; i++) {
    const f = ceil ? Math.ceil(a[i] as number) : Math.floor(a[i] as number);
    if (f <= SAFE_LIMIT && f >= -SAFE_LIMIT) {
      const hi = Math.floor(f * 2.3283064365386963e-10);
      oh[2 * i] = (f - hi * 4294967296) | 0;
      oh[2 * i + 1] = hi | 0;
      continue;
    }
    if (valid !== null && valid[i] === 0) continue;
    const b = doubleToInt64(f);
    if (b !== null) out[i] = b;
    else {
      if (!own) {
        valid = valid === null ? new Uint8Array(n).fill(1) : valid.slice(0, n);
        own = true;
      }
      (valid as Uint8Array)[i] = 0;
    }
  }
  return { type: types.int64, length: n, validity: valid, values: out };
}

function absolute(v: ColumnVector): ColumnVector {
  const n = v.length;
  if (v.type.kind === 'float64') return doubles(v, Math.abs);
  if (v.type.kind === 'int32') {
    const a = v.values as Int32Array;
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.abs(a[i] as number);
    return { type: v.type, length: n, validity: v.validity, values: out };
  }
  const a = v.values as BigInt64Array;
  const h = int64Halves(a);
  const out = new BigInt64Array(n);
  const oh = int64Halves(out);
  for (let i = 0; i < n; i++) {
    const x = int64At(h, i);
    if (Math.abs(x) <= SAFE_LIMIT) writeInt64(oh, i, Math.abs(x));
    else out[i] = BigInt.asIntN(64, (a[i] as bigint) < 0n ? -(a[i] as bigint) : (a[i] as bigint));
  }
  return { type: v.type, length: n, validity: v.validity, values: out };
}

/** Compiles a math function call over analyzed operands; `outType` is the call's analyzed type. */
export function compileMathCall(fn: ScalarFunctionName, args: readonly Operand[], outType: DataType): CompiledExpr {
  const first = args[0] as Operand;
  switch (fn) {
    case 'abs':
      return (b) => absolute(operandVector(first, b));
    case 'sqrt':
      return (b) => doubles(operandVector(first, b), Math.sqrt);
    case 'floor':
    case 'ceil':
      return (b) => floorCeil(operandVector(first, b), fn === 'ceil');
    default: {
      const scaleArg = args[1];
      const scale = scaleArg?.kind === 'lit' ? (scaleArg.value as number) : 0;
      if (outType.kind === 'float64') return (b) => doubles(operandVector(first, b), (x) => roundHalfUp(x, scale));
      if (scale >= 0) return (b) => operandVector(first, b);
      const argTypes = [first.type, types.int32];
      return (b) => mapRows(outType, [operandVector(first, b)], b.numRows, (vals) => scalarCallValue('round', [vals[0] ?? null, scale], argTypes));
    }
  }
}
