import { types } from '../../common/data-type.js';
import { describeValue } from '../../common/describe-value.js';
import { invalidArgument } from '../../common/errors.js';
import type { Literal } from './expr.js';

/** A JS value accepted as a literal: null, boolean, number, bigint, string or Date. */
export type LiteralInput = null | boolean | number | bigint | string | Date;

/**
 * Builds a literal node with Spark's literal typing: integers that fit 32 bits are int,
 * other integers bigint, non-integers double, bigint values bigint, Date a millisecond
 * timestamp in UTC.
 */
export function literalOf(value: LiteralInput): Literal {
  if (value === null || value === undefined) return Object.freeze({ kind: 'lit', value: null, type: types.null });
  switch (typeof value) {
    case 'boolean':
      return Object.freeze({ kind: 'lit', value, type: types.boolean });
    case 'number':
      if (Number.isInteger(value) && value >= -2147483648 && value <= 2147483647) return Object.freeze({ kind: 'lit', value, type: types.int32 });
      if (Number.isSafeInteger(value)) return Object.freeze({ kind: 'lit', value: BigInt(value), type: types.int64 });
      return Object.freeze({ kind: 'lit', value, type: types.float64 });
    case 'bigint':
      return Object.freeze({ kind: 'lit', value, type: types.int64 });
    case 'string':
      return Object.freeze({ kind: 'lit', value, type: types.utf8 });
    default:
      if (value instanceof Date) {
        const ms = value.getTime();
        if (Number.isNaN(ms)) throw invalidArgument('lit() got an invalid Date. Pass a valid Date or an ISO 8601 string.');
        return Object.freeze({ kind: 'lit', value: BigInt(ms), type: types.timestamp('ms', 'UTC') });
      }
      throw invalidArgument(`lit() cannot make a literal of ${describeValue(value)}. Use a boolean, number, bigint, string, Date or null.`);
  }
}
