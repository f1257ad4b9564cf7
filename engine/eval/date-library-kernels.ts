import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { types } from '../../common/data-type.js';
import { int64At, int64Halves } from '../../common/int64.js';
import {
  addIntervalTo,
  addMonthsDays,
  DATE_TRUNC_FORMATS,
  dayOfWeek,
  dayOfYear,
  lastDayOf,
  monthsBetween,
  nextDayOf,
  quarterOf,
  truncDate,
  weekdayOfName,
  weekOfYear,
} from '../../dataframe/expr/date-library-semantics.js';
import type { LibraryFunctionName } from '../../dataframe/expr/library-catalog.js';
import { libraryValueFn } from '../../dataframe/expr/library-catalog.js';
import { andValidity, mapRows, nullVector, writeInt64 } from './eval-vectors.js';
import type { CompiledExpr, Operand } from './operand.js';
import { operandVector } from './operand.js';

/**
 * Date/time library kernels as typed-array loops: day counts (Int32Array) in and out for
 * date arithmetic and date parts, int64 halves for timestamps, Float64Array for
 * months_between. A function whose string argument (a weekday, a unit) is a column, not a
 * literal, falls back to the per-value form row by row.
 */

/** Functions this file compiles. */
export const DATE_LIBRARY_KERNELS: ReadonlySet<string> = new Set<LibraryFunctionName>([
  'dateAdd',
  'dateSub',
  'datediff',
  'addMonths',
  'dayofweek',
  'dayofyear',
  'weekofyear',
  'quarter',
  'lastDay',
  'nextDay',
  'trunc',
  'monthsBetween',
  'addInterval',
]);

const UNARY: Readonly<Record<string, (d: number) => number>> = {
  dayofweek: dayOfWeek,
  dayofyear: dayOfYear,
  weekofyear: weekOfYear,
  quarter: quarterOf,
  lastDay: lastDayOf,
};

const BINARY: Readonly<Record<string, (a: number, b: number) => number>> = {
  dateAdd: (a, b) => a + b,
  dateSub: (a, b) => a - b,
  datediff: (a, b) => a - b,
  addMonths: addMonthsDays,
};

/** `f` over the day numbers of a date (or int) vector. */
function mapInt32(v: ColumnVector, outType: DataType, f: (d: number) => number): ColumnVector {
  if (v.type.kind === 'null') return nullVector(outType, v.length);
  const n = v.length;
  const src = v.values as Int32Array;
  const out = new Int32Array(n);
  const valid = v.validity;
  for (let i = 0; i < n; i++) if (valid === null || valid[i] === 1) out[i] = f(src[i] as number);
  return { type: outType, length: n, validity: valid, values: out };
}

function int32Pair(a: Operand, b: Operand, outType: DataType, f: (x: number, y: number) => number): CompiledExpr {
  if (b.kind === 'lit') {
    if (b.value === null) return (batch) => nullVector(outType, batch.numRows);
    const k = b.value as number;
    return (batch) => mapInt32(operandVector(a, batch), outType, (x) => f(x, k));
  }
  return (batch) => {
    const x = operandVector(a, batch);
    const y = operandVector(b, batch);
    const n = batch.numRows;
    if (x.type.kind === 'null' || y.type.kind === 'null') return nullVector(outType, n);
    const xs = x.values as Int32Array;
    const ys = y.values as Int32Array;
    const validity = andValidity(x.validity, y.validity, n);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) if (validity === null || validity[i] === 1) out[i] = f(xs[i] as number, ys[i] as number);
    return { type: outType, length: n, validity, values: out };
  };
}

function perValue(fn: LibraryFunctionName, args: readonly Operand[], outType: DataType): CompiledExpr {
  const value = libraryValueFn(fn);
  const argTypes = args.map((a) => a.type);
  return (batch) =>
    mapRows(
      outType,
      args.map((a) => operandVector(a, batch)),
      batch.numRows,
      (vals) => value(vals, argTypes),
    );
}

/** Timestamps of a vector as numbers in microseconds (exact within +-2^53). */
function microsAt(v: ColumnVector): (i: number) => number {
  const h = int64Halves(v.values as BigInt64Array);
  const f = v.type.kind === 'timestamp' && v.type.unit === 'ms' ? 1000 : 1;
  return (i) => int64At(h, i) * f;
}

function compileMonthsBetween(args: readonly Operand[]): CompiledExpr {
  const roundOff = (args[2] as Operand).kind === 'lit' ? (args[2] as Operand & { kind: 'lit' }).value !== false : true;
  return (batch) => {
    const a = operandVector(args[0] as Operand, batch);
    const b = operandVector(args[1] as Operand, batch);
    const n = batch.numRows;
    if (a.type.kind === 'null' || b.type.kind === 'null') return nullVector(types.float64, n);
    const validity = andValidity(a.validity, b.validity, n);
    const ta = microsAt(a);
    const tb = microsAt(b);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) if (validity === null || validity[i] === 1) out[i] = monthsBetween(ta(i), tb(i), roundOff);
    return { type: types.float64, length: n, validity, values: out };
  };
}

function compileAddInterval(args: readonly Operand[], outType: DataType): CompiledExpr {
  const [t, mo, d, us] = args as [Operand, Operand, Operand, Operand];
  if (mo.kind !== 'lit' || d.kind !== 'lit' || us.kind !== 'lit') return perValue('addInterval', args, outType);
  if (mo.value === null || d.value === null || us.value === null) return (b) => nullVector(outType, b.numRows);
  const months = mo.value as number;
  const days = d.value as number;
  const micros = Number(us.value);
  if (outType.kind === 'date')
    return (b) => mapInt32(operandVector(t, b), outType, (x) => addMonthsDays(x, months) + days + Math.floor(micros / 86_400_000_000));
  const ups = outType.kind === 'timestamp' && outType.unit === 'ms' ? 1000 : 1e6;
  return (batch) => {
    const v = operandVector(t, batch);
    const n = batch.numRows;
    if (v.type.kind === 'null') return nullVector(outType, n);
    const src = int64Halves(v.values as BigInt64Array);
    const out = new BigInt64Array(n);
    const oh = int64Halves(out);
    const valid = v.validity;
    for (let i = 0; i < n; i++) if (valid === null || valid[i] === 1) writeInt64(oh, i, addIntervalTo(int64At(src, i), ups, months, days, micros));
    return { type: outType, length: n, validity: valid, values: out };
  };
}

/** Compiles a date/time library call; `outType` is the call's analyzed type. */
export function compileDateLibraryCall(fn: LibraryFunctionName, args: readonly Operand[], outType: DataType): CompiledExpr {
  const first = args[0] as Operand;
  const unary = UNARY[fn];
  if (unary !== undefined) return (b) => mapInt32(operandVector(first, b), outType, unary);
  const binary = BINARY[fn];
  if (binary !== undefined) return int32Pair(first, args[1] as Operand, outType, binary);
  if (fn === 'monthsBetween') return compileMonthsBetween(args);
  if (fn === 'addInterval') return compileAddInterval(args, outType);
  const second = args[1] as Operand;
  if (second.kind === 'lit' && (fn === 'nextDay' || fn === 'trunc')) {
    if (second.value === null) return (b) => nullVector(outType, b.numRows);
    const name = String(second.value);
    if (fn === 'nextDay') {
      const w = weekdayOfName(name);
      if (w < 0) return (b) => nullVector(outType, b.numRows);
      return (b) => mapInt32(operandVector(first, b), outType, (x) => nextDayOf(x, w));
    }
    const unit = DATE_TRUNC_FORMATS[name.toUpperCase()];
    if (unit === undefined) return (b) => nullVector(outType, b.numRows);
    return (b) => mapInt32(operandVector(first, b), outType, (x) => truncDate(x, unit));
  }
  return perValue(fn, args, outType);
}
