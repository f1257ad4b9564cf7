import { invalidArgument } from '../../common/errors.js';
import { civilFromDays, daysFromCivil, daysInMonth } from './civil-time.js';
import { splitMicros } from './datetime-text.js';

/**
 * A compiled subset of Spark's datetime patterns (`yyyy-MM-dd HH:mm:ss`): letters
 * y (year), M (month), d (day), H (hour 0-23), m (minute), s (second), S (fraction);
 * text in single quotes and any non-letter character are literal. Used by
 * fromUnixTime and toTimestamp with a format. UTC.
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

const LETTERS = 'yMdHmsS';

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
        throw invalidArgument(`Unsupported letter '${c}' in datetime pattern '${pattern}'. Supported: y, M, d, H, m, s, S and quoted text.`);
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

/** Compiles a datetime pattern; throws INVALID_ARGUMENT naming an unsupported letter. */
export function compileDatePattern(pattern: string): DatePattern {
  const tokens = tokenize(pattern);
  return {
    format(micros: bigint): string {
      const [days, tod] = splitMicros(micros);
      civilFromDays(days, civil);
      const secs = Math.floor(tod / 1e6);
      const fields: Record<string, number> = {
        y: civil[0] as number,
        M: civil[1] as number,
        d: civil[2] as number,
        H: Math.floor(secs / 3600),
        m: Math.floor(secs / 60) % 60,
        s: secs % 60,
      };
      let s = '';
      for (const t of tokens) {
        if (t.letter === '') s += t.text;
        else if (t.letter === 'S')
          s += String(tod - secs * 1e6)
            .padStart(6, '0')
            .slice(0, t.width)
            .padEnd(t.width, '0');
        else if (t.letter === 'y' && t.width === 2) s += String((fields.y as number) % 100).padStart(2, '0');
        else s += String(fields[t.letter]).padStart(t.width, '0');
      }
      return s;
    },
    parse(text: string): bigint | null {
      const f: Record<string, number> = { y: 1970, M: 1, d: 1, H: 0, m: 0, s: 0 };
      let frac = 0;
      let pos = 0;
      for (let k = 0; k < tokens.length; k++) {
        const t = tokens[k] as Token;
        if (t.letter === '') {
          if (!text.startsWith(t.text, pos)) return null;
          pos += t.text.length;
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
        else f[t.letter] = t.letter === 'y' && t.width === 2 ? 2000 + Number(digits) : Number(digits);
        pos = end;
      }
      if (pos !== text.length) return null;
      const y = f.y as number;
      const mo = f.M as number;
      const d = f.d as number;
      if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || (f.H as number) > 23 || (f.m as number) > 59 || (f.s as number) > 59) return null;
      const seconds = daysFromCivil(y, mo, d) * 86400 + (f.H as number) * 3600 + (f.m as number) * 60 + (f.s as number);
      return BigInt(seconds) * 1000000n + BigInt(frac);
    },
  };
}
