import { invalidArgument } from './errors.js';

const UNIT_US: Readonly<Record<string, bigint>> = {
  us: 1n,
  microsecond: 1n,
  microseconds: 1n,
  ms: 1000n,
  millisecond: 1000n,
  milliseconds: 1000n,
  s: 1_000_000n,
  sec: 1_000_000n,
  secs: 1_000_000n,
  second: 1_000_000n,
  seconds: 1_000_000n,
  m: 60_000_000n,
  min: 60_000_000n,
  mins: 60_000_000n,
  minute: 60_000_000n,
  minutes: 60_000_000n,
  h: 3_600_000_000n,
  hour: 3_600_000_000n,
  hours: 3_600_000_000n,
  d: 86_400_000_000n,
  day: 86_400_000_000n,
  days: 86_400_000_000n,
  week: 604_800_000_000n,
  weeks: 604_800_000_000n,
};

/**
 * Parses a Spark-style duration into microseconds: '10 minutes', '1 minute 30 seconds',
 * 'interval 2 hours', '500 ms', '-5 minutes' (a leading minus negates the whole duration;
 * used for window start offsets). Months and years are rejected (they have no fixed length).
 * `what` names the argument in errors.
 */
export function parseDurationMicros(text: string, what = 'duration'): bigint {
  let s = text.trim().toLowerCase();
  if (s.startsWith('interval ')) s = s.slice('interval '.length).trim();
  let sign = 1n;
  if (s.startsWith('-')) {
    sign = -1n;
    s = s.slice(1).trim();
  }
  const part = /([0-9]+(?:\.[0-9]+)?)\s*([a-z]+)/y;
  let total = 0n;
  let matched = 0;
  let at = 0;
  while (at < s.length) {
    part.lastIndex = at;
    const m = part.exec(s);
    const unit = m === null ? undefined : UNIT_US[m[2] as string];
    if (m === null || unit === undefined)
      throw invalidArgument(
        `Cannot parse ${what} '${text}'. Write a number and a unit, e.g. '10 minutes', '30 seconds' or '1 hour 30 minutes'; units: microseconds, ms, seconds, minutes, hours, days, weeks (months and years have no fixed length).`,
      );
    const num = m[1] as string;
    const dot = num.indexOf('.');
    if (dot < 0) total += BigInt(num) * unit;
    else total += BigInt(Math.round(Number(num) * Number(unit)));
    matched++;
    at = part.lastIndex;
    while (s[at] === ' ') at++;
  }
  if (matched === 0) throw invalidArgument(`Cannot parse ${what} '${text}': it is empty. Write e.g. '10 minutes'.`);
  return sign * total;
}
