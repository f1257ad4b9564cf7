import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { types } from '../../common/data-type.js';
import { int64At, int64Halves } from '../../common/int64.js';
import type { LiteralValue, ScalarFunctionName } from '../../dataframe/expr/expr.js';
import { scalarCallValue, upsOf } from '../../dataframe/expr/scalar-call-value.js';
import type { DatePart } from '../../dataframe/expr/time-semantics.js';
import { datePart, TRUNC_UNITS, truncTimestamp } from '../../dataframe/expr/time-semantics.js';
import { mapDictionary, mapRows, nullVector, writeInt64 } from './eval-vectors.js';
import type { CompiledExpr, Operand } from './operand.js';
import { operandVector } from './operand.js';

/**
 * Date/time kernels in UTC over int64 halves (timestamps) or day counts (dates), sharing
 * the per-value functions of `time-semantics.ts` with constant folding. Formatting and
 * parsing with a pattern run row by row (once per dictionary entry for parsing).
 */

/** Functions this file compiles. */
export const TIME_FUNCTIONS: ReadonlySet<ScalarFunctionName> = new Set([
  'year',
  'month',
  'dayofmonth',
  'hour',
  'minute',
  'second',
  'dateTrunc',
  'unixMillis',
  'unixSeconds',
  'fromUnixTime',
  'toTimestamp',
  'toDate',
]);

function numericLoop(v: ColumnVector, outType: DataType, f: (x: number) => number): ColumnVector {
  const n = v.length;
  const valid = v.validity;
  const isDate = v.type.kind === 'date';
  const src = isDate ? (v.values as Int32Array) : int64Halves(v.values as BigInt64Array);
  if (outType.kind === 'int32') {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) if (valid === null || valid[i] === 1) out[i] = f(isDate ? (src[i] as number) : int64At(src, i));
    return { type: outType, length: n, validity: valid, values: out };
  }
  const out = new BigInt64Array(n);
  const oh = int64Halves(out);
  for (let i = 0; i < n; i++) if (valid === null || valid[i] === 1) writeInt64(oh, i, f(isDate ? (src[i] as number) : int64At(src, i)));
  return { type: outType, length: n, validity: valid, values: out };
}

/** `floorDiv(x, div)` of every row of an int64/timestamp vector (|x| <= 2^53), as int64. */
function floorDivInt64(v: ColumnVector, div: number): ColumnVector {
  const n = v.length;
  const src = int64Halves(v.values as BigInt64Array);
  const out = new BigInt64Array(n);
  const oh = int64Halves(out);
  for (let i = 0; i < n; i++) {
    const x = (src[2 * i + 1] as number) * 4294967296 + ((src[2 * i] as number) >>> 0);
    let q = Math.floor(x / div);
    const r = x - q * div;
    if (r < 0) q--;
    else if (r >= div) q++;
    const hi = Math.floor(q * 2.3283064365386963e-10);
    oh[2 * i] = (q - hi * 4294967296) | 0;
    oh[2 * i + 1] = hi | 0;
  }
  return { type: types.int64, length: n, validity: v.validity, values: out };
}

/** Compiles a date/time function call over analyzed operands; `outType` is the call's analyzed type. */
export function compileTimeCall(fn: ScalarFunctionName, args: readonly Operand[], outType: DataType): CompiledExpr {
  const first = args[0] as Operand;
  const argTypes = args.map((a) => a.type);
  if (fn === 'toDate' || (fn === 'toTimestamp' && args.length === 1)) return (b) => operandVector(first, b);
  if (fn === 'dateTrunc') {
    const unitLit = first.kind === 'lit' ? first.value : null;
    const ts = args[1] as Operand;
    if (unitLit === null) return (b) => nullVector(outType, b.numRows);
    const unit = TRUNC_UNITS[String(unitLit).toLowerCase()] ?? 'second';
    const ups = upsOf(ts.type);
    return (b) => numericLoop(operandVector(ts, b), outType, (x) => truncTimestamp(unit, x, ups));
  }
  if (fn === 'unixMillis' || fn === 'unixSeconds') {
    const ups = upsOf(first.type);
    const div = fn === 'unixMillis' ? ups / 1000 : ups;
    // Millisecond timestamps already count milliseconds: share the storage.
    if (div === 1) return (b) => ({ ...operandVector(first, b), type: types.int64 });
    return (b) => floorDivInt64(operandVector(first, b), div);
  }
  if (fn === 'fromUnixTime' || fn === 'toTimestamp') {
    const rest = args.slice(1);
    const lits: LiteralValue[] = rest.map((a) => (a.kind === 'lit' ? a.value : null));
    return (batch) => {
      const v = operandVector(first, batch);
      const one = (d: ColumnVector): ColumnVector => mapRows(outType, [d], d.length, (vals) => scalarCallValue(fn, [vals[0] ?? null, ...lits], argTypes));
      if (rest.some((a) => a.kind !== 'lit'))
        return mapRows(outType, [v, ...rest.map((a) => operandVector(a, batch))], batch.numRows, (vals) => scalarCallValue(fn, vals, argTypes));
      if (lits.some((x) => x === null)) return nullVector(outType, batch.numRows);
      return v.dictionary ? mapDictionary(v, outType, one) : one(v);
    };
  }
  const part = fn as DatePart;
  const ups = upsOf(first.type);
  return (b) => numericLoop(operandVector(first, b), types.int32, (x) => datePart(part, x, ups));
}
