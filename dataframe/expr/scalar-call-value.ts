import type { DataType } from '../../common/data-type.js';
import { compileDatePattern } from './datetime-pattern.js';
import type { LiteralValue, ScalarFunctionName } from './expr.js';
import { isLibraryFunction, libraryCallValue } from './library-catalog.js';
import { roundHalfUp, roundIntegerHalfUp } from './number-text.js';
import { trimChars } from './string-library-semantics.js';
import { charLength, compileLike, sqlSubstring, sqlTrim } from './string-semantics.js';
import type { DatePart } from './time-semantics.js';
import { datePart, floorDiv, TRUNC_UNITS, truncTimestamp } from './time-semantics.js';

/**
 * Value of one scalar function call on non-null literal-form arguments of analyzed types
 * (see `function-catalog.ts`). Used by constant folding; the kernels in engine/eval give
 * the same results over vectors. Null arguments yield null before this is called, except
 * for coalesce, which the caller handles.
 */

const TWO63 = 2 ** 63;
const DEFAULT_UNIXTIME = compileDatePattern('yyyy-MM-dd HH:mm:ss');

/** Units per second of a timestamp type, 0 for date (a day count). */
export function upsOf(t: DataType): number {
  return t.kind === 'timestamp' ? (t.unit === 'ms' ? 1000 : 1000000) : 0;
}

/** Double to bigint for floor/ceil; null for NaN, infinities and values outside the int64 range. */
export function doubleToInt64(x: number): bigint | null {
  return Number.isFinite(x) && x >= -TWO63 && x < TWO63 ? BigInt(x) : null;
}

/** Evaluates `fn` on non-null arguments. */
export function scalarCallValue(fn: ScalarFunctionName, args: readonly LiteralValue[], argTypes: readonly DataType[]): LiteralValue {
  const a = args[0] as LiteralValue;
  const t = argTypes[0] as DataType;
  switch (fn) {
    case 'coalesce':
      return args.find((x) => x !== null) ?? null;
    case 'lower':
      return (a as string).toLowerCase();
    case 'upper':
      return (a as string).toUpperCase();
    case 'trim':
      return args.length > 1 ? trimChars(a as string, args[1] as string, 'both') : sqlTrim(a as string);
    case 'length':
      return charLength(a as string);
    case 'substring':
      return sqlSubstring(a as string, args[1] as number, args[2] as number);
    case 'concat':
      return args.join('');
    case 'like':
      return compileLike(args[1] as string).test(a as string);
    case 'startsWith':
      return (a as string).startsWith(args[1] as string);
    case 'endsWith':
      return (a as string).endsWith(args[1] as string);
    case 'contains':
      return (a as string).includes(args[1] as string);
    case 'year':
    case 'month':
    case 'dayofmonth':
    case 'hour':
    case 'minute':
    case 'second':
      return datePart(fn as DatePart, Number(a), upsOf(t));
    case 'dateTrunc': {
      const ts = argTypes[1] as DataType;
      return BigInt(truncTimestamp(TRUNC_UNITS[(a as string).toLowerCase()] ?? 'second', Number(args[1]), upsOf(ts)));
    }
    case 'unixMillis':
      return BigInt(floorDiv(Number(a), upsOf(t) / 1000));
    case 'unixSeconds':
      return BigInt(floorDiv(Number(a), upsOf(t)));
    case 'fromUnixTime': {
      const p = args.length > 1 ? compileDatePattern(args[1] as string) : DEFAULT_UNIXTIME;
      return p.format((a as bigint) * 1000000n);
    }
    case 'toTimestamp':
      return args.length > 1 ? compileDatePattern(args[1] as string).parse(a as string) : a;
    case 'toDate':
      return a;
    case 'abs':
      if (t.kind === 'int32') return Math.abs(a as number) | 0;
      if (t.kind === 'int64') return BigInt.asIntN(64, (a as bigint) < 0n ? -(a as bigint) : (a as bigint));
      return Math.abs(a as number);
    case 'round': {
      const scale = args[1] as number;
      if (t.kind === 'float64') return roundHalfUp(a as number, scale);
      if (t.kind === 'int32') return Number(BigInt.asIntN(32, roundIntegerHalfUp(BigInt(a as number), scale)));
      return BigInt.asIntN(64, roundIntegerHalfUp(a as bigint, scale));
    }
    case 'floor':
    case 'ceil':
      if (t.kind === 'float64') return doubleToInt64(fn === 'floor' ? Math.floor(a as number) : Math.ceil(a as number));
      return BigInt(a as number | bigint);
    case 'sqrt':
      return Math.sqrt(a as number);
    case 'window':
    case 'windowTime':
    case 'session_window':
    case 'struct':
    case 'getField':
    case 'from_json':
    case 'rowHash':
      // Struct values have no literal form (and rowHash hashes columns); constant folding leaves these calls alone.
      return null;
    default:
      if (isLibraryFunction(fn)) return libraryCallValue(fn, args, argTypes);
      // Array and map functions: no literal form either (see collection-function-names.ts).
      return null;
  }
}
