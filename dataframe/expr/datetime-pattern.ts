import { invalidArgument } from '../../common/errors.js';
import { civilFromDays, daysFromCivil, daysInMonth, weekdayFromDays } from './civil-time.js';
import { splitMicros } from './datetime-text.js';

/**
 * Spark's datetime patterns (`yyyy-MM-dd HH:mm:ss`), in UTC. Letters: G (era), y (year;
 * `yy` two digits), M/L (month; `MMM` Jan, `MMMM` January), d (day of month), D (day of
 * year), Q/q (quarter), E (day of week; `E`-`EEE` Mon, `EEEE` Monday), a (AM/PM), h (hour
 * 1-12), K (0-11), k (1-24), H (0-23), m (minute), s (second), S (fraction), and the zone
 * letters z, Z, X, x, O, V (always UTC: `Z` +0000, `XXX` Z, `xxx` +00:00, `z` UTC); text
 * in single quotes (`''` is a quote) and any other non-letter character are literal. Used
 * by dateFormat, fromUnixTime and toTimestamp with a format. Parsing reads numbers, month
 * and day names, AM/PM and zone offsets (`Z`, `UTC`, `+hh[:mm]`); it ignores day of week
 * and day of year.
 */
export interface DatePattern {
  /** Formats microseconds since the epoch. */
  format(micros: bigint): string;
  /** Parses text to microseconds since the epoch, or null when it does not match. */
  parse(text: string): bigint | null;
}

interface Token {
  readonly letter: string;
  readonly width: number;
  readonly text: string;
}

const LETTERS = 'GyMLdDQqEahKkHmsSzZXxOV';
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function tokenize(pattern: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i] as string;
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end < 0) throw invalidArgument(`Unclosed quote in datetime pattern '${pattern}'. Close literal text with a single quote.`);
      out.push({ letter: '', width: 0, text: end === i + 1 ? "'" : pattern.slice(i + 1, end) });
      i = end + 1;
    } else if (/[A-Za-z]/.test(c)) {
      if (!LETTERS.includes(c))
        throw invalidArgument(`Unsupported letter '${c}' in datetime pattern '${pattern}'. Supported: ${LETTERS.split('').join(', ')} and quoted text.`);
      let j = i;
      while (pattern[j] === c) j++;
      out.push({ letter: c, width: j - i, text: '' });
      i = j;
    } else {
      out.push({ letter: '', width: 0, text: c });
      i++;
    }
  }
  return out;
}

const civil = new Int32Array(3);

function zoneText(t: Token): string {
  switch (t.letter) {
    case 'z':
      return 'UTC';
    case 'V':
      return 'UTC';
    case 'O':
      return 'GMT';
    case 'X':
      return 'Z';
    case 'x':
      return t.width === 1 ? '+00' : t.width === 2 || t.width === 4 ? '+0000' : '+00:00';
    default:
      return t.width === 4 ? 'GMT' : t.width === 5 ? 'Z' : '+0000';
  }
}

function formatToken(t: Token, days: number, tod: number): string {
  civilFromDays(days, civil);
  const y = civil[0] as number;
  const mo = civil[1] as number;
  const secs = Math.floor(tod / 1e6);
  const hour = Math.floor(secs / 3600);
  const num = (v: number): string => String(v).padStart(t.width, '0');
  switch (t.letter) {
    case 'G':
      return y > 0 ? 'AD' : 'BC';
    case 'y':
      return t.width === 2 ? String(((y % 100) + 100) % 100).padStart(2, '0') : num(y);
    case 'M':
    case 'L':
      return t.width === 3 ? (MONTHS[mo - 1] as string).slice(0, 3) : t.width >= 4 ? (MONTHS[mo - 1] as string) : num(mo);
    case 'd':
      return num(civil[2] as number);
    case 'D':
      return num(days - daysFromCivil(y, 1, 1) + 1);
    case 'Q':
    case 'q': {
      const q = Math.floor((mo - 1) / 3) + 1;
      return t.width === 3 ? `Q${q}` : t.width >= 4 ? `${['1st', '2nd', '3rd', '4th'][q - 1]} quarter` : num(q);
    }
    case 'E': {
      const name = DAYS[weekdayFromDays(days)] as string;
      return t.width >= 4 ? name : name.slice(0, 3);
    }
    case 'a':
      return hour < 12 ? 'AM' : 'PM';
    case 'h':
      return num(hour % 12 === 0 ? 12 : hour % 12);
    case 'K':
      return num(hour % 12);
    case 'k':
      return num(hour === 0 ? 24 : hour);
    case 'H':
      return num(hour);
    case 'm':
      return num(Math.floor(secs / 60) % 60);
    case 's':
      return num(secs % 60);
    case 'S':
      return String(tod - secs * 1e6)
        .padStart(6, '0')
        .slice(0, t.width)
        .padEnd(t.width, '0');
    default:
      return zoneText(t);
  }
}

/** Matches one of `names` (full or 3-letter, case-insensitive) at `pos`: [index, length] or null. */
function matchName(text: string, pos: number, names: readonly string[]): [number, number] | null {
  const rest = text.slice(pos).toLowerCase();
  for (let k = 0; k < names.length; k++) if (rest.startsWith((names[k] as string).toLowerCase())) return [k, (names[k] as string).length];
  for (let k = 0; k < names.length; k++) if (rest.startsWith((names[k] as string).slice(0, 3).toLowerCase())) return [k, 3];
  return null;
}

const ZONE_RE = /^(?:Z|UTC|GMT|([+-])(\d{2}):?(\d{2})?)/i;

function parseWith(tokens: readonly Token[], text: string): bigint | null {
  const f: Record<string, number> = { y: 1970, M: 1, d: 1, H: 0, m: 0, s: 0 };
  let frac = 0;
  let pm = -1;
  let hour12 = -1;
  let offset = 0;
  let pos = 0;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k] as Token;
    if (t.letter === '') {
      if (!text.startsWith(t.text, pos)) return null;
      pos += t.text.length;
      continue;
    }
    if (((t.letter === 'M' || t.letter === 'L') && t.width >= 3) || t.letter === 'E') {
      const m = matchName(text, pos, t.letter === 'E' ? DAYS : MONTHS);
      if (m === null) return null;
      if (t.letter !== 'E') f.M = m[0] + 1;
      pos += m[1];
      continue;
    }
    if (t.letter === 'a') {
      const am = text.slice(pos, pos + 2).toUpperCase();
      if (am !== 'AM' && am !== 'PM') return null;
      pm = am === 'PM' ? 1 : 0;
      pos += 2;
      continue;
    }
    if (t.letter === 'G') {
      if (text.slice(pos, pos + 2).toUpperCase() !== 'AD') return null;
      pos += 2;
      continue;
    }
    if ('zZXxOV'.includes(t.letter)) {
      const m = ZONE_RE.exec(text.slice(pos));
      if (m === null) return null;
      if (m[1] !== undefined) offset = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60);
      pos += m[0].length;
      continue;
    }
    const next = tokens[k + 1];
    const adjacentDigits = next !== undefined && next.letter !== '';
    const max = t.width >= 2 || adjacentDigits ? (t.letter === 'y' && t.width !== 2 ? Math.max(t.width, 4) : t.width) : t.letter === 'y' ? 9 : 2;
    let end = pos;
    while (end < text.length && end - pos < max && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++;
    if (end === pos) return null;
    const digits = text.slice(pos, end);
    if (t.letter === 'S') frac = Number(digits.slice(0, 6).padEnd(6, '0'));
    else if (t.letter === 'h' || t.letter === 'K') hour12 = Number(digits) % 12;
    else if (t.letter === 'k') f.H = Number(digits) % 24;
    else if (t.letter === 'L') f.M = Number(digits);
    else if (t.letter === 'y' || t.letter === 'M' || t.letter === 'd' || t.letter === 'H' || t.letter === 'm' || t.letter === 's')
      f[t.letter] = t.letter === 'y' && t.width === 2 ? 2000 + Number(digits) : Number(digits);
    pos = end;
  }
  if (pos !== text.length) return null;
  if (hour12 >= 0) f.H = hour12 + (pm === 1 ? 12 : 0);
  else if (pm === 1 && (f.H as number) < 12) f.H = (f.H as number) + 12;
  const y = f.y as number;
  const mo = f.M as number;
  const d = f.d as number;
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || (f.H as number) > 23 || (f.m as number) > 59 || (f.s as number) > 59) return null;
  const seconds = daysFromCivil(y, mo, d) * 86400 + (f.H as number) * 3600 + (f.m as number) * 60 + (f.s as number) - offset;
  return BigInt(seconds) * 1000000n + BigInt(frac);
}

const compiled = new Map<string, DatePattern>();

/** Compiles a datetime pattern (cached); throws INVALID_ARGUMENT naming an unsupported letter. */
export function compileDatePattern(pattern: string): DatePattern {
  const hit = compiled.get(pattern);
  if (hit !== undefined) return hit;
  const tokens = tokenize(pattern);
  const p: DatePattern = {
    format(micros: bigint): string {
      const [days, tod] = splitMicros(micros);
      let s = '';
      for (const t of tokens) s += t.letter === '' ? t.text : formatToken(t, days, tod);
      return s;
    },
    parse: (text) => parseWith(tokens, text),
  };
  if (compiled.size >= 256) compiled.delete(compiled.keys().next().value as string);
  compiled.set(pattern, p);
  return p;
}
