import { civilFromDays, daysFromCivil, daysInMonth, weekdayFromDays } from './civil-time.js';

/**
 * Per-value semantics of Spark's date functions over day counts since 1970-01-01 and
 * microsecond timestamps (numbers, exact within +-2^53 µs, about 285 years around 1970), in
 * UTC. Kernels call these per row without allocating; constant folding calls the same.
 */

const civil = new Int32Array(3);
const MICROS_PER_DAY = 86_400_000_000;

/** Spark's `add_months`: the same day `months` later, clamped to the last day of a shorter month. */
export function addMonthsDays(days: number, months: number): number {
  civilFromDays(days, civil);
  const total = (civil[0] as number) * 12 + (civil[1] as number) - 1 + months;
  const y = Math.floor(total / 12);
  const m = total - y * 12 + 1;
  return daysFromCivil(y, m, Math.min(civil[2] as number, daysInMonth(y, m)));
}

/** Spark's `last_day`: the last day of the month of `days`. */
export function lastDayOf(days: number): number {
  civilFromDays(days, civil);
  const y = civil[0] as number;
  const m = civil[1] as number;
  return daysFromCivil(y, m, daysInMonth(y, m));
}

/** Spark's `dayofweek`: 1 = Sunday ... 7 = Saturday. */
export function dayOfWeek(days: number): number {
  return ((weekdayFromDays(days) + 1) % 7) + 1;
}

/** Spark's `dayofyear`: 1-366. */
export function dayOfYear(days: number): number {
  civilFromDays(days, civil);
  return days - daysFromCivil(civil[0] as number, 1, 1) + 1;
}

/** Spark's `weekofyear`: the ISO 8601 week (weeks start on Monday; week 1 holds the year's first Thursday). */
export function weekOfYear(days: number): number {
  const thursday = days - weekdayFromDays(days) + 3;
  civilFromDays(thursday, civil);
  return Math.floor((thursday - daysFromCivil(civil[0] as number, 1, 1)) / 7) + 1;
}

/** Spark's `quarter`: 1-4. */
export function quarterOf(days: number): number {
  civilFromDays(days, civil);
  return Math.floor(((civil[1] as number) - 1) / 3) + 1;
}

const WEEKDAYS: Readonly<Record<string, number>> = {
  MO: 0,
  MON: 0,
  MONDAY: 0,
  TU: 1,
  TUE: 1,
  TUESDAY: 1,
  WE: 2,
  WED: 2,
  WEDNESDAY: 2,
  TH: 3,
  THU: 3,
  THURSDAY: 3,
  FR: 4,
  FRI: 4,
  FRIDAY: 4,
  SA: 5,
  SAT: 5,
  SATURDAY: 5,
  SU: 6,
  SUN: 6,
  SUNDAY: 6,
};

/** Weekday 0 = Monday ... 6 = Sunday of a name Spark accepts ('MO', 'Mon', 'monday'...), or -1. */
export function weekdayOfName(name: string): number {
  return WEEKDAYS[name.trim().toUpperCase()] ?? -1;
}

/** Spark's `next_day`: the first date after `days` that is weekday `weekday` (0 = Monday). */
export function nextDayOf(days: number, weekday: number): number {
  const delta = (((weekday - weekdayFromDays(days)) % 7) + 7) % 7;
  return days + (delta === 0 ? 7 : delta);
}

/** Units of Spark's `trunc(date, fmt)`, upper case. */
export const DATE_TRUNC_FORMATS: Readonly<Record<string, 'year' | 'quarter' | 'month' | 'week'>> = {
  YEAR: 'year',
  YYYY: 'year',
  YY: 'year',
  QUARTER: 'quarter',
  MONTH: 'month',
  MON: 'month',
  MM: 'month',
  WEEK: 'week',
};

/** Spark's `trunc(date, fmt)` for a known unit. */
export function truncDate(days: number, unit: 'year' | 'quarter' | 'month' | 'week'): number {
  if (unit === 'week') return days - weekdayFromDays(days);
  civilFromDays(days, civil);
  const m = civil[1] as number;
  return daysFromCivil(civil[0] as number, unit === 'year' ? 1 : unit === 'quarter' ? Math.floor((m - 1) / 3) * 3 + 1 : m, 1);
}

function split(us: number): [number, number, number, number] {
  const days = Math.floor(us / MICROS_PER_DAY);
  civilFromDays(days, civil);
  return [(civil[0] as number) * 12 + (civil[1] as number), civil[2] as number, days, Math.floor((us - days * MICROS_PER_DAY) / 1e6)];
}

/**
 * Spark's `months_between(t1, t2, roundOff)` on microsecond timestamps: whole months when
 * both are the same day of month or both the last day of their months; otherwise the month
 * difference plus the difference of (day, second of day) over a 31-day month, rounded to 8
 * decimal places when `roundOff`.
 */
export function monthsBetween(us1: number, us2: number, roundOff: boolean): number {
  const [m1, d1, days1, s1] = split(us1);
  const [m2, d2, days2, s2] = split(us2);
  const monthDiff = m1 - m2;
  if (d1 === d2 || (lastDayOf(days1) === days1 && lastDayOf(days2) === days2)) return monthDiff;
  const secondsDiff = (d1 - d2) * 86400 + s1 - s2;
  const diff = monthDiff + secondsDiff / (31 * 86400);
  return roundOff ? Math.round(diff * 1e8) / 1e8 : diff;
}

/** Adds a calendar interval to a timestamp in `ups` units per second: months (day clamped), then days, then microseconds (Spark's order, UTC). */
export function addIntervalTo(value: number, ups: number, months: number, days: number, micros: number): number {
  const unitsPerDay = ups * 86400;
  let v = value;
  if (months !== 0) {
    const d = Math.floor(v / unitsPerDay);
    v = addMonthsDays(d, months) * unitsPerDay + (v - d * unitsPerDay);
  }
  return v + days * unitsPerDay + (ups === 1e6 ? micros : Math.floor(micros / 1000));
}
