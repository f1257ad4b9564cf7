import type { DataType } from '../../common/data-type.js';
import { types } from '../../common/data-type.js';
import { invalidArgument } from '../../common/errors.js';
import type { Expr } from './expr.js';

/**
 * Calendar intervals (Spark's CalendarInterval): months, days and microseconds, kept apart
 * because months and days have no fixed length. An interval value is the struct
 * `struct<months: int, days: int, microseconds: bigint>`; `ts + interval` and
 * `ts - interval` (timestamp or date) are rewritten by the analyzer into `addInterval`.
 * An SQL front end builds `INTERVAL '10' MINUTE` / `INTERVAL 1 DAY 2 HOURS` literals as
 * `intervalExpr(parseInterval(text))` (quoted numbers are accepted).
 */

/** The parts of a calendar interval. */
export interface IntervalParts {
  readonly months: number;
  readonly days: number;
  readonly microseconds: bigint;
}

/** The type of an interval value. */
export const INTERVAL_TYPE: DataType = types.struct([
  { name: 'months', type: types.int32, nullable: false },
  { name: 'days', type: types.int32, nullable: false },
  { name: 'microseconds', type: types.int64, nullable: false },
]);

/** True when `t` is the interval struct type. */
export function isIntervalType(t: DataType): boolean {
  if (t.kind !== 'struct' || t.fields.length !== 3) return false;
  const [m, d, u] = t.fields;
  return (
    m?.name === 'months' && m.type.kind === 'int32' && d?.name === 'days' && d.type.kind === 'int32' && u?.name === 'microseconds' && u.type.kind === 'int64'
  );
}

const UNITS: Readonly<Record<string, readonly [kind: 'months' | 'days' | 'micros', factor: number]>> = {
  year: ['months', 12],
  month: ['months', 1],
  week: ['days', 7],
  day: ['days', 1],
  hour: ['micros', 3_600_000_000],
  minute: ['micros', 60_000_000],
  min: ['micros', 60_000_000],
  second: ['micros', 1_000_000],
  sec: ['micros', 1_000_000],
  millisecond: ['micros', 1000],
  ms: ['micros', 1000],
  microsecond: ['micros', 1],
  us: ['micros', 1],
};

/**
 * Parses interval text: '10 minutes', '1 day 2 hours', '-3 months', '1.5 seconds',
 * 'interval 1 year 2 months' (units year, month, week, day, hour, minute, second,
 * millisecond, microsecond, singular or plural, any case; each number may carry a sign;
 * fractions only for seconds and smaller).
 */
export function parseInterval(text: string): IntervalParts {
  const bad = (why: string): never => {
    throw invalidArgument(`interval('${text}'): ${why}. Write e.g. interval('10 minutes') or interval('1 day 2 hours').`);
  };
  let s = text.trim().toLowerCase();
  if (s.startsWith('interval')) s = s.slice(8).trim();
  const words = s.split(/\s+/).filter((w) => w !== '');
  if (words.length === 0 || words.length % 2 !== 0) bad('expected pairs of a number and a unit');
  let months = 0;
  let days = 0;
  let micros = 0n;
  for (let k = 0; k < words.length; k += 2) {
    const num = (words[k] as string).replace(/^'|'$/g, '');
    const unitWord = words[k + 1] as string;
    const unit = UNITS[unitWord.endsWith('s') && UNITS[unitWord.slice(0, -1)] ? unitWord.slice(0, -1) : unitWord];
    if (unit === undefined) bad(`unknown unit '${unitWord}'`);
    const [kind, factor] = unit as readonly ['months' | 'days' | 'micros', number];
    if (!/^[+-]?\d+(\.\d+)?$/.test(num)) bad(`'${num}' is not a number`);
    if (kind !== 'micros') {
      if (num.includes('.')) bad(`'${num} ${unitWord}' must be a whole number`);
      if (kind === 'months') months += Number(num) * factor;
      else days += Number(num) * factor;
    } else {
      const [whole, frac = ''] = num.replace(/^[+-]/, '').split('.') as [string, string?];
      const scale = BigInt(factor);
      const fracUs = frac === '' ? 0n : (BigInt(frac.padEnd(18, '0').slice(0, 18)) * scale) / 10n ** 18n;
      const v = BigInt(whole) * scale + fracUs;
      micros += num.startsWith('-') ? -v : v;
    }
  }
  if (Math.abs(months) > 2147483647 || Math.abs(days) > 2147483647) bad('the interval is too large');
  return { months, days, microseconds: micros };
}

/** The expression of an interval literal: `struct(months, days, microseconds)` of literals. */
export function intervalExpr(p: IntervalParts): Expr {
  const field = (name: string, value: number | bigint, type: DataType): Expr =>
    Object.freeze({ kind: 'alias', name, child: Object.freeze({ kind: 'lit', value, type }) }) as Expr;
  return Object.freeze({
    kind: 'call',
    fn: 'struct',
    args: Object.freeze([field('months', p.months, types.int32), field('days', p.days, types.int32), field('microseconds', p.microseconds, types.int64)]),
  }) as Expr;
}
