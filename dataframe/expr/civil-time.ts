/**
 * Calendar arithmetic on the proleptic Gregorian calendar in UTC, the session time zone of
 * Sluice. Pure integer maths over numbers so kernels can call it per row without allocating.
 */

/** Microseconds in a day. */
export const MICROS_PER_DAY = 86_400_000_000;
/** Microseconds in a second. */
export const MICROS_PER_SECOND = 1_000_000;

/** Days since 1970-01-01 of a civil date (month 1-12, day 1-31). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Writes [year, month 1-12, day 1-31] of `days` since the epoch into `out`. */
export function civilFromDays(days: number, out: Int32Array): void {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  out[0] = yoe + era * 400 + (m <= 2 ? 1 : 0);
  out[1] = m;
  out[2] = d;
}

/** Number of days in a month of a year. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Day of the week of `days` since the epoch, 0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday). */
export function weekdayFromDays(days: number): number {
  return (((days + 3) % 7) + 7) % 7;
}

/** floor(a / b) and the non-negative remainder, exact for integers within +-2^53 and b > 0. */
export function floorDivMod(a: number, b: number, out: Float64Array): void {
  let q = Math.floor(a / b);
  let r = a - q * b;
  if (r < 0) {
    q -= 1;
    r += b;
  } else if (r >= b) {
    q += 1;
    r -= b;
  }
  out[0] = q;
  out[1] = r;
}

/** Number of a timestamp unit in one microsecond-based second: 1000 for ms, 1e6 for us. */
export function unitsPerSecond(unit: 'ms' | 'us'): number {
  return unit === 'ms' ? 1000 : MICROS_PER_SECOND;
}
