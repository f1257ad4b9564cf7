/**
 * Per-value semantics of Spark's string library functions (lpad, rpad, trim variants,
 * initcap, translate, substring_index, instr, locate, repeat, reverse). Positions and
 * lengths count characters (code points), as Spark's do. Shared by constant folding and
 * the kernels.
 */

const SURROGATE = /[\uD800-\uDFFF]/;

function chars(s: string): string[] {
  return SURROGATE.test(s) ? Array.from(s) : s.split('');
}

/** Spark's `lpad(str, len, pad)` / `rpad`: padded (or truncated) to `len` characters; '' for len <= 0; an empty pad only truncates. */
export function pad(s: string, len: number, padding: string, left: boolean): string {
  if (len <= 0) return '';
  const c = chars(s);
  if (c.length >= len || padding === '') return c.length > len ? c.slice(0, len).join('') : s;
  const p = chars(padding);
  const need = len - c.length;
  let fill = '';
  for (let k = 0; k < need; k++) fill += p[k % p.length];
  return left ? fill + s : s + fill;
}

/** Spark's `trim(str, chars)` family: removes any of `trimChars` from the start (`ltrim`), end (`rtrim`) or both ends. */
export function trimChars(s: string, trimChars: string | null, side: 'both' | 'leading' | 'trailing'): string {
  const set = trimChars === null ? null : new Set(chars(trimChars));
  const c = set === null && !SURROGATE.test(s) ? null : chars(s);
  if (c === null) {
    let a = 0;
    let b = s.length;
    if (side !== 'trailing') while (a < b && s.charCodeAt(a) === 32) a++;
    if (side !== 'leading') while (b > a && s.charCodeAt(b - 1) === 32) b--;
    return s.slice(a, b);
  }
  const strip = (x: string): boolean => (set === null ? x === ' ' : set.has(x));
  let a = 0;
  let b = c.length;
  if (side !== 'trailing') while (a < b && strip(c[a] as string)) a++;
  if (side !== 'leading') while (b > a && strip(c[b - 1] as string)) b--;
  return c.slice(a, b).join('');
}

/** Spark's `initcap`: lower case, then the first letter and every letter after a space upper case. */
export function initcap(s: string): string {
  const lower = s.toLowerCase();
  let out = '';
  let prevSpace = true;
  for (const ch of lower) {
    out += prevSpace ? toTitle(ch) : ch;
    prevSpace = ch === ' ';
  }
  return out;
}

function toTitle(ch: string): string {
  const u = ch.toUpperCase();
  // Keep one character (Java's toTitleCase maps code point to code point: 'ß' stays 'ß').
  return Array.from(u).length === 1 ? u : ch;
}

/** Spark's `translate(src, matching, replace)`: each character of `matching` becomes the one at the same place in `replace`, or is removed when `replace` is shorter; the first mapping of a character wins. */
export function translate(s: string, matching: string, replace: string): string {
  const from = chars(matching);
  const to = chars(replace);
  const dict = new Map<string, string>();
  from.forEach((c, k) => {
    if (!dict.has(c)) dict.set(c, to[k] ?? '');
  });
  let out = '';
  for (const ch of s) out += dict.get(ch) ?? ch;
  return out;
}

/**
 * Spark's `substring_index(str, delim, count)`: the text before the `count`-th occurrence of
 * `delim` (count > 0), or after the `count`-th occurrence from the end (count < 0); the
 * whole string when there are fewer occurrences; '' when count is 0 or delim is empty.
 */
export function substringIndex(s: string, delim: string, count: number): string {
  if (count === 0 || delim === '') return '';
  if (count > 0) {
    let idx = -1;
    for (let k = 0; k < count; k++) {
      idx = s.indexOf(delim, idx + 1);
      if (idx < 0) return s;
    }
    return s.slice(0, idx);
  }
  let idx = s.length;
  for (let k = 0; k < -count; k++) {
    if (idx - 1 < 0) return s;
    idx = s.lastIndexOf(delim, idx - 1);
    if (idx < 0) return s;
  }
  return s.slice(idx + delim.length);
}

/** Code points in `s` before UTF-16 index `unit`. */
function cpCount(s: string, unit: number): number {
  if (!SURROGATE.test(s)) return unit;
  return Array.from(s.slice(0, unit)).length;
}

/** Spark's `locate(substr, str, pos)`: 1-based character position of `substr` in `str` at or after `pos`; 0 when absent or pos < 1; an empty `substr` is found at 1. `instr(str, substr)` is locate with pos 1. */
export function locate(substr: string, s: string, pos: number): number {
  if (pos < 1) return 0;
  // Spark's UTF8String.indexOf finds an empty string at 0 whatever the start.
  if (substr === '') return 1;
  const from = SURROGATE.test(s)
    ? Array.from(s)
        .slice(0, pos - 1)
        .join('').length
    : pos - 1;
  if (from > s.length) return 0;
  const at = s.indexOf(substr, from);
  return at < 0 ? 0 : cpCount(s, at) + 1;
}

/** Spark's `repeat(str, n)`: '' for n <= 0. */
export function repeatString(s: string, n: number): string {
  return n <= 0 ? '' : s.repeat(n);
}

/** Spark's `reverse` of a string, by code point. */
export function reverseString(s: string): string {
  return chars(s).reverse().join('');
}
