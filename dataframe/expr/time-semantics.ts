import { civilFromDays, daysFromCivil, weekdayFromDays } from './civil-time.js';

/**
 * Per-value semantics of the date/time functions in UTC, over numbers: a timestamp is a
 * count of units since the epoch with `ups` units per second (1000 for ms, 1e6 for us),
 * exact while it stays within +-2^53; a date is a day count (`ups` = 0). Kernels call these
 * per row without allocating; constant folding calls the same functions.
 */

/** The fields extracted by year(), month(), ... */
export type DatePart = 'year' | 'month' | 'dayofmonth' | 'hour' | 'minute' | 'second';

/** Units accepted by dateTrunc (Spark's date_trunc; weeks start on Monday). */
export type TruncUnit = 'year' | 'quarter' | 'month' | 'week' | 'day' | 'hour' | 'minute' | 'second';

/** The accepted dateTrunc units with Spark's synonyms, lower case. */
export const TRUNC_UNITS: Readonly<Record<string, TruncUnit>> = Object.freeze({
  year: 'year',
  yyyy: 'year',
  yy: 'year',
  quarter: 'quarter',
  month: 'month',
  mon: 'month',
  mm: 'month',
  week: 'week',
  day: 'day',
  dd: 'day',
  hour: 'hour',
  minute: 'minute',
  second: 'second',
});

const civil = new Int32Array(3);

/** floor(a / b) for integers within +-2^53 and b > 0. */
export function floorDiv(a: number, b: number): number {
  const q = Math.floor(a / b);
  const r = a - q * b;
  return r < 0 ? q - 1 : r >= b ? q + 1 : q;
}

/** One field of a timestamp (`ups` > 0) or date (`ups` = 0) value. */
export function datePart(part: DatePart, value: number, ups: number): number {
  const unitsPerDay = ups * 86400;
  const days = ups === 0 ? value : floorDiv(value, unitsPerDay);
  if (part === 'year' || part === 'month' || part === 'dayofmonth') {
    civilFromDays(days, civil);
    return civil[part === 'year' ? 0 : part === 'month' ? 1 : 2] as number;
  }
  if (ups === 0) return 0;
  const secOfDay = floorDiv(value - days * unitsPerDay, ups);
  if (part === 'hour') return Math.floor(secOfDay / 3600);
  if (part === 'minute') return Math.floor(secOfDay / 60) % 60;
  return secOfDay % 60;
}

/** Truncates a timestamp value (`ups` units per second) to `unit`, returning the same unit. */
export function truncTimestamp(unit: TruncUnit, value: number, ups: number): number {
  const unitsPerDay = ups * 86400;
  switch (unit) {
    case 'second':
      return floorDiv(value, ups) * ups;
    case 'minute':
      return floorDiv(value, ups * 60) * ups * 60;
    case 'hour':
      return floorDiv(value, ups * 3600) * ups * 3600;
    case 'day':
      return floorDiv(value, unitsPerDay) * unitsPerDay;
    case 'week': {
      const days = floorDiv(value, unitsPerDay);
      return (days - weekdayFromDays(days)) * unitsPerDay;
    }
    default: {
      civilFromDays(floorDiv(value, unitsPerDay), civil);
      const y = civil[0] as number;
      const m = civil[1] as number;
      const month = unit === 'year' ? 1 : unit === 'quarter' ? Math.floor((m - 1) / 3) * 3 + 1 : m;
      return daysFromCivil(y, month, 1) * unitsPerDay;
    }
  }
}
