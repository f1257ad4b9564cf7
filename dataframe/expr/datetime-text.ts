import { civilFromDays, daysFromCivil, daysInMonth, MICROS_PER_DAY } from './civil-time.js';

/**
 * Text forms of dates and timestamps, Spark's in UTC: `yyyy-MM-dd` and
 * `yyyy-MM-dd HH:mm:ss[.ffffff]` (fraction trimmed of trailing zeros), and the lenient
 * ISO 8601 parsing of Spark's string-to-timestamp cast.
 */

const scratch = new Int32Array(3);
const DAY = BigInt(MICROS_PER_DAY);

function pad(n: number, width: number): string {
  const s = String(Math.abs(n)).padStart(width, '0');
  return n < 0 ? `-${s}` : s;
}

/** `yyyy-MM-dd` of a day count since the epoch. */
export function formatDate(days: number): string {
  civilFromDays(days, scratch);
  return `${pad(scratch[0] as number, 4)}-${pad(scratch[1] as number, 2)}-${pad(scratch[2] as number, 2)}`;
}

/** Splits microseconds since the epoch into [days, microsecond of day]. */
export function splitMicros(micros: bigint): [number, number] {
  let d = micros / DAY;
  let r = micros - d * DAY;
  if (r < 0n) {
    d -= 1n;
    r += DAY;
  }
  return [Number(d), Number(r)];
}

/** `yyyy-MM-dd HH:mm:ss[.ffffff]` of microseconds since the epoch (UTC), as Spark casts a timestamp to string. */
export function formatTimestamp(micros: bigint): string {
  const [days, tod] = splitMicros(micros);
  const secs = Math.floor(tod / 1e6);
  const frac = tod - secs * 1e6;
  const hms = `${pad(Math.floor(secs / 3600), 2)}:${pad(Math.floor(secs / 60) % 60, 2)}:${pad(secs % 60, 2)}`;
  const f = frac === 0 ? '' : `.${String(frac).padStart(6, '0').replace(/0+$/, '')}`;
  return `${formatDate(days)} ${hms}${f}`;
}

const DATE_RE = /^([+-]?\d{4,6})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/;
const TS_RE =
  /^([+-]?\d{4,6})(?:-(\d{1,2})(?:-(\d{1,2})(?:[T ](\d{1,2})(?::(\d{1,2})(?::(\d{1,2})(?:\.(\d{0,9}))?)?)?)?)?)?\s*(Z|UTC|[+-]\d{1,2}(?::?\d{2})?)?$/i;

function validDate(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/**
 * Parses a date as Spark's cast does: `yyyy`, `yyyy-[m]m`, `yyyy-[m]m-[d]d`, optionally
 * followed by `T` or a space and anything (a time part, which is ignored). Null when it does not parse.
 */
export function parseDate(text: string): number | null {
  const s = text.trim();
  const cut = s.search(/[T ]/);
  const m = DATE_RE.exec(cut >= 0 ? s.slice(0, cut) : s);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = m[2] === undefined ? 1 : Number(m[2]);
  const d = m[3] === undefined ? 1 : Number(m[3]);
  return validDate(y, mo, d) ? daysFromCivil(y, mo, d) : null;
}

/**
 * Parses an ISO 8601 timestamp to microseconds since the epoch: `yyyy[-mm[-dd[(T| )hh[:mm[:ss[.f...]]]]]]`
 * with an optional zone `Z`, `UTC` or `+hh[:mm]`; no zone means UTC. Fractions beyond
 * microseconds are truncated. Null when it does not parse.
 */
export function parseTimestamp(text: string): bigint | null {
  const m = TS_RE.exec(text.trim());
  if (!m) return null;
  const y = Number(m[1]);
  const mo = m[2] === undefined ? 1 : Number(m[2]);
  const d = m[3] === undefined ? 1 : Number(m[3]);
  const h = m[4] === undefined ? 0 : Number(m[4]);
  const mi = m[5] === undefined ? 0 : Number(m[5]);
  const sec = m[6] === undefined ? 0 : Number(m[6]);
  if (!validDate(y, mo, d) || h > 23 || mi > 59 || sec > 59) return null;
  const frac = m[7] === undefined || m[7] === '' ? 0 : Number(m[7].slice(0, 6).padEnd(6, '0'));
  let offsetSeconds = 0;
  const zone = m[8];
  if (zone !== undefined && zone.toUpperCase() !== 'Z' && zone.toUpperCase() !== 'UTC') {
    const z = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(zone);
    if (!z) return null;
    const zh = Number(z[2]);
    const zm = z[3] === undefined ? 0 : Number(z[3]);
    if (zh > 18 || zm > 59) return null;
    offsetSeconds = (z[1] === '-' ? -1 : 1) * (zh * 3600 + zm * 60);
  }
  const seconds = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offsetSeconds;
  return BigInt(seconds) * 1000000n + BigInt(frac);
}
