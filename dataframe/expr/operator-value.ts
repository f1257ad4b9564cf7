import type { DataType } from '../../common/data-type.js';
import { bytesCompare, encodeUtf8 } from '../../common/utf8.js';
import type { BinaryOp, LiteralValue } from './expr.js';

/**
 * Operators on single literal-form values, with exactly the kernels' semantics: int32
 * wraps, int64 is exact and wraps at 64 bits, `/` and `%` by zero are null, NaN equals NaN
 * and sorts above every number, strings compare byte-wise, and/or use three-valued logic.
 * Used by constant folding.
 */

/** Three-way comparison of two non-null values of one type. */
export function compareValues(a: LiteralValue, b: LiteralValue, type: DataType): number {
  switch (type.kind) {
    case 'utf8': {
      const x = encodeUtf8(a as string);
      const y = encodeUtf8(b as string);
      return Math.sign(bytesCompare(x, 0, x.length, y, 0, y.length));
    }
    case 'boolean':
      return (a ? 1 : 0) - (b ? 1 : 0);
    case 'float64': {
      const x = a as number;
      const y = b as number;
      if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : 1;
      if (Number.isNaN(y)) return -1;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    default: {
      const x = a as number | bigint;
      const y = b as number | bigint;
      return x < y ? -1 : x > y ? 1 : 0;
    }
  }
}

function arithmetic(op: BinaryOp, a: LiteralValue, b: LiteralValue, type: DataType): LiteralValue {
  if (type.kind === 'int64') {
    const x = a as bigint;
    const y = b as bigint;
    if (op === '%') return y === 0n ? null : BigInt.asIntN(64, x % y);
    return BigInt.asIntN(64, op === '+' ? x + y : op === '-' ? x - y : x * y);
  }
  const x = a as number;
  const y = b as number;
  if (type.kind === 'int32') {
    if (op === '%') return y === 0 ? null : (x % y) | 0;
    return op === '+' ? (x + y) | 0 : op === '-' ? (x - y) | 0 : Math.imul(x, y);
  }
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return y === 0 ? null : x / y;
    default:
      return y === 0 ? null : x % y;
  }
}

/**
 * A binary operator on literal values of the (common) operand type `type`. Nulls follow SQL:
 * null in gives null out, except `<=>` and the three-valued and/or.
 */
export function binaryValue(op: BinaryOp, a: LiteralValue, b: LiteralValue, type: DataType): LiteralValue {
  if (op === 'and') {
    if (a === false || b === false) return false;
    return a === null || b === null ? null : true;
  }
  if (op === 'or') {
    if (a === true || b === true) return true;
    return a === null || b === null ? null : false;
  }
  if (op === '<=>') return a === null || b === null ? a === b : compareValues(a, b, type) === 0;
  if (a === null || b === null) return null;
  switch (op) {
    case '=':
      return compareValues(a, b, type) === 0;
    case '!=':
      return compareValues(a, b, type) !== 0;
    case '<':
      return compareValues(a, b, type) < 0;
    case '<=':
      return compareValues(a, b, type) <= 0;
    case '>':
      return compareValues(a, b, type) > 0;
    case '>=':
      return compareValues(a, b, type) >= 0;
    default:
      return arithmetic(op, a, b, type);
  }
}

/** Arithmetic negation of a non-null value (int32 and int64 wrap). */
export function negateValue(a: LiteralValue, type: DataType): LiteralValue {
  if (type.kind === 'int64') return BigInt.asIntN(64, -(a as bigint));
  if (type.kind === 'int32') return -(a as number) | 0;
  return -(a as number);
}

/** SQL `IN`: true on a match, else null if the value or any item is null, else false. */
export function inValue(v: LiteralValue, list: readonly LiteralValue[], type: DataType): LiteralValue {
  if (v === null) return null;
  let sawNull = false;
  for (const x of list) {
    if (x === null) sawNull = true;
    else if (compareValues(v, x, type) === 0) return true;
  }
  return sawNull ? null : false;
}
