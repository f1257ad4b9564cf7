import { invalidArgument } from '../common/errors.js';

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1000,
  sec: 1000,
  secs: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  week: 604_800_000,
  weeks: 604_800_000,
};

/**
 * Parses a Spark-style duration into milliseconds: '100 milliseconds', '1 second',
 * '5 seconds', '1 minute 30 seconds', 'interval 2 hours', '500ms'. A bare number is
 * milliseconds. Throws INVALID_ARGUMENT naming the accepted units otherwise.
 */
export function parseInterval(text: string): number {
  let s = text.trim().toLowerCase();
  if (s.startsWith('interval ')) s = s.slice('interval '.length).trim();
  if (/^[0-9]+(\.[0-9]+)?$/.test(s)) return Number(s);
  const part = /([0-9]+(?:\.[0-9]+)?)\s*([a-z]+)/gy;
  let total = 0;
  let matched = 0;
  let at = 0;
  while (at < s.length) {
    part.lastIndex = at;
    const m = part.exec(s);
    const unit = m === null ? undefined : UNIT_MS[m[2] as string];
    if (m === null || unit === undefined) {
      throw invalidArgument(
        `Cannot parse interval '${text}'. Write a number and a unit, e.g. '100 milliseconds', '1 second', '5 seconds' or '1 minute'; units: ms, seconds, minutes, hours, days, weeks.`,
      );
    }
    total += Number(m[1]) * unit;
    matched++;
    at = part.lastIndex;
    while (s[at] === ' ') at++;
  }
  if (matched === 0) throw invalidArgument(`Cannot parse interval '${text}': it is empty. Write e.g. '1 second'.`);
  return Math.round(total);
}
