/**
 * Per-value semantics of the string functions, Spark's: positions and lengths count
 * characters (code points), not bytes or UTF-16 units. Shared by constant folding and the
 * string kernels.
 */

const SURROGATE = /[\uD800-\uDFFF]/;

/** Number of characters (code points) of a string. */
export function charLength(s: string): number {
  if (!SURROGATE.test(s)) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * Spark's `substring(str, pos, len)`: 1-based `pos`, 0 acts as 1, a negative `pos` counts
 * from the end; a negative `len` gives ''.
 */
export function sqlSubstring(s: string, pos: number, len: number): string {
  const chars = SURROGATE.test(s) ? Array.from(s) : null;
  const n = chars === null ? s.length : chars.length;
  let start = pos > 0 ? pos - 1 : pos < 0 ? n + pos : 0;
  const end = Math.min(start + len, n);
  start = Math.max(start, 0);
  if (start >= end) return '';
  return chars === null ? s.slice(start, end) : chars.slice(start, end).join('');
}

/** Spark's `trim`: removes leading and trailing space characters (U+0020 only). */
export function sqlTrim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) === 32) a++;
  while (b > a && s.charCodeAt(b - 1) === 32) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** A parsed LIKE pattern: a regular expression, or a plain prefix/suffix/infix/equality test when the pattern is that simple. */
export interface LikeMatcher {
  /** `exact`, `prefix`, `suffix` or `contains` of `literal`, or `regex`. */
  readonly shape: 'exact' | 'prefix' | 'suffix' | 'contains' | 'regex';
  /** The unescaped literal text for the simple shapes. */
  readonly literal: string;
  /** Tests one string. */
  test(s: string): boolean;
}

/**
 * Compiles a SQL LIKE pattern: `%` any sequence, `_` any one character, backslash escapes
 * the next character. Matching is case-sensitive and spans newlines.
 */
export function compileLike(pattern: string): LikeMatcher {
  const parts: string[] = [];
  let literal = '';
  const pieces: ('%' | '_' | string)[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && i + 1 < pattern.length) {
      literal += pattern[++i];
    } else if (c === '%' || c === '_') {
      pieces.push(literal, c);
      literal = '';
    } else literal += c;
  }
  pieces.push(literal);
  for (const p of pieces) parts.push(p === '%' ? '.*' : p === '_' ? '.' : p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  const re = new RegExp(`^${parts.join('')}$`, 'su');
  const wild = pieces.filter((_, i) => i % 2 === 1);
  const texts = pieces.filter((_, i) => i % 2 === 0);
  const t0 = texts[0] ?? '';
  const t1 = texts[1] ?? '';
  const t2 = texts[2] ?? '';
  if (wild.length === 0) return { shape: 'exact', literal: t0, test: (s) => s === t0 };
  if (wild.length === 1 && wild[0] === '%' && t1 === '') return { shape: 'prefix', literal: t0, test: (s) => s.startsWith(t0) };
  if (wild.length === 1 && wild[0] === '%' && t0 === '') return { shape: 'suffix', literal: t1, test: (s) => s.endsWith(t1) };
  if (wild.length === 2 && wild[0] === '%' && wild[1] === '%' && t0 === '' && t2 === '') return { shape: 'contains', literal: t1, test: (s) => s.includes(t1) };
  return { shape: 'regex', literal: '', test: (s) => re.test(s) };
}
