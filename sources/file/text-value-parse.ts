/** Parsers of text field values (CSV cells, JSON strings) into column values; undefined means malformed. */

const INT_RE = /^[+-]?\d+$/;
const FLOAT_RE = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|NaN|Infinity|Inf)$/;
const DATE_RE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const TS_RE = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** An int32 or undefined. */
export function parseInt32(s: string): number | undefined {
  const t = s.trim();
  if (!INT_RE.test(t)) return undefined;
  const n = Number(t);
  return n >= -2147483648 && n <= 2147483647 ? n : undefined;
}

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

/** An int64 (bigint) or undefined. */
export function parseInt64(s: string): bigint | undefined {
  const t = s.trim();
  if (!INT_RE.test(t)) return undefined;
  if (t.length < 16) return BigInt(Number(t));
  const b = BigInt(t);
  return b >= I64_MIN && b <= I64_MAX ? b : undefined;
}

/** A double or undefined (accepts NaN, Infinity and Inf, like Spark). */
export function parseFloat64(s: string): number | undefined {
  const t = s.trim();
  if (!FLOAT_RE.test(t)) return undefined;
  if (t.endsWith('Inf')) return t.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return Number(t);
}

/** A boolean (true/false, any case) or undefined. */
export function parseBoolean(s: string): boolean | undefined {
  const t = s.trim().toLowerCase();
  return t === 'true' ? true : t === 'false' ? false : undefined;
}

/** Days since 1970-01-01 of a `yyyy-mm-dd` date, or undefined. */
export function parseDateDays(s: string): number | undefined {
  const m = DATE_RE.exec(s.trim());
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const check = new Date(ms);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined;
  return Math.round(ms / 86400000);
}

/**
 * Microseconds since the epoch of an ISO-8601 timestamp (`2024-01-31T10:00:00.123456Z`,
 * a space instead of `T`, optional fraction up to nanoseconds, optional `Z` or `+hh:mm`
 * offset), or undefined. A timestamp without an offset is taken as UTC.
 */
export function parseTimestampMicros(s: string): bigint | undefined {
  const m = TS_RE.exec(s.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, sec] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return undefined;
  let ms = Date.UTC(y, mo - 1, d, h, mi, sec);
  if (new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return undefined;
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offMin = Number(digits.slice(0, 2)) * 60 + (digits.length > 2 ? Number(digits.slice(2, 4)) : 0);
    ms -= sign * offMin * 60000;
  }
  const frac = (m[7] ?? '').padEnd(6, '0').slice(0, 6);
  return BigInt(ms) * 1000n + BigInt(frac);
}

/** True when the text looks like a date-time rather than a date only. */
export function hasTimePart(s: string): boolean {
  return /\d[T ]\d/.test(s);
}
