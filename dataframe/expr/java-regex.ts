import { invalidArgument } from '../../common/errors.js';

/**
 * Java regular expressions (Spark's flavour, java.util.regex) on JavaScript's engine. The
 * pattern is translated once: inline flags at the start (`(?i)`, `(?s)`, `(?m)`) become JS
 * flags; `\A`, `\z`, `\Z`, `$` (which in Java also matches before a final line
 * terminator), `.` (which in Java also excludes U+0085), `\Q...\E`, `\h`, `\R`, `\a`,
 * `\e`, `\s`/`\S` (ASCII in Java), escaped punctuation and the POSIX classes
 * `\p{Alpha}`... get JS equivalents. Constructs JS lacks (possessive quantifiers, atomic
 * groups, class intersection `&&`, nested classes, `\G`) are refused with INVALID_ARGUMENT
 * naming them. Matching uses the `u` flag, so `.` and
 * classes see code points, as Java does.
 */

const POSIX: Readonly<Record<string, string>> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r',
};
const JAVA_SPACE = '\\t\\n\\x0B\\f\\r ';
const H_SPACE = ' \\t\\xA0\\u1680\\u180E\\u2000-\\u200A\\u202F\\u205F\\u3000';
const V_SPACE = '\\n\\x0B\\f\\r\\x85\\u2028\\u2029';

function hexEscape(c: string): string {
  return `\\u{${(c.codePointAt(0) as number).toString(16)}}`;
}

function unsupported(pattern: string, what: string): never {
  throw invalidArgument(
    `Regular expression '${pattern}' uses ${what}, which Sluice's regex engine (JavaScript's) does not support. Rewrite the pattern without it.`,
  );
}

/** Translates a `\p{...}` / `\P{...}` body to JS, or to a bracket body for POSIX names. */
function property(pattern: string, name: string, negated: boolean, inClass: boolean): string {
  const posix = POSIX[name];
  if (posix !== undefined) {
    if (inClass && negated) unsupported(pattern, `\\P{${name}} inside a character class`);
    return inClass ? posix : negated ? `[^${posix}]` : `[${posix}]`;
  }
  let js = name;
  if (name.startsWith('Is'))
    js = /^Is(L|Lu|Ll|Lt|Lm|Lo|M|N|Nd|P|S|Z|C)$/.test(name)
      ? name.slice(2)
      : /^Is[A-Z][a-z]+$/.test(name) && !['IsAlphabetic', 'IsWhite_Space', 'IsLetter', 'IsDigit'].includes(name)
        ? `Script=${name.slice(2)}`
        : name.slice(2);
  if (js === 'Letter') js = 'L';
  if (js === 'Digit') js = 'Nd';
  if (name.startsWith('In') || name.startsWith('java')) unsupported(pattern, `the property \\p{${name}}`);
  return `\\${negated ? 'P' : 'p'}{${js}}`;
}

/** A translated pattern: JS source and flags. */
export interface JsRegex {
  readonly source: string;
  readonly flags: string;
}

/** Translates a Java regular expression to JS source and flags (see the file comment). */
export function translateJavaRegex(pattern: string): JsRegex {
  let flags = 'u';
  let i = 0;
  const lead = /^\(\?([imsx]+)\)/.exec(pattern);
  if (lead) {
    const f = lead[1] as string;
    if (f.includes('x')) unsupported(pattern, 'the comments flag (?x)');
    for (const c of f) if (!flags.includes(c)) flags += c;
    i = lead[0].length;
  }
  const multiline = flags.includes('m');
  const dotAll = flags.includes('s');
  let out = '';
  let inClass = false;
  while (i < pattern.length) {
    const c = pattern[i] as string;
    if (c === '\\') {
      const d = pattern[i + 1];
      if (d === undefined) throw invalidArgument(`Regular expression '${pattern}' ends with a lone backslash. Escape it as \\\\.`);
      i += 2;
      if (d === 'Q') {
        const end = pattern.indexOf('\\E', i);
        const lit = end < 0 ? pattern.slice(i) : pattern.slice(i, end);
        for (const ch of lit) out += /[A-Za-z0-9]/.test(ch) ? ch : hexEscape(ch);
        i = end < 0 ? pattern.length : end + 2;
      } else if (d === 'A') out += inClass ? unsupported(pattern, '\\A inside a class') : '(?<![\\s\\S])';
      else if (d === 'z') out += '(?![\\s\\S])';
      else if (d === 'Z') out += '(?=(?:\\r\\n|[\\n\\r\\x85\\u2028\\u2029])?(?![\\s\\S]))';
      else if (d === 's') out += inClass ? JAVA_SPACE : `[${JAVA_SPACE}]`;
      else if (d === 'S') out += inClass ? '\\S' : `[^${JAVA_SPACE}]`;
      else if (d === 'h') out += inClass ? H_SPACE : `[${H_SPACE}]`;
      else if (d === 'H') out += inClass ? unsupported(pattern, '\\H inside a class') : `[^${H_SPACE}]`;
      else if (d === 'v') out += inClass ? V_SPACE : `[${V_SPACE}]`;
      else if (d === 'V') out += inClass ? unsupported(pattern, '\\V inside a class') : `[^${V_SPACE}]`;
      else if (d === 'R') out += inClass ? unsupported(pattern, '\\R inside a class') : `(?:\\r\\n|[${V_SPACE}])`;
      else if (d === 'a') out += '\\x07';
      else if (d === 'e') out += '\\x1B';
      else if (d === 'G' || d === 'X' || d === 'K') unsupported(pattern, `\\${d}`);
      else if (d === 'p' || d === 'P') {
        let name: string;
        if (pattern[i] === '{') {
          const end = pattern.indexOf('}', i);
          if (end < 0) throw invalidArgument(`Regular expression '${pattern}' has an unclosed \\${d}{.`);
          name = pattern.slice(i + 1, end);
          i = end + 1;
        } else {
          name = pattern[i] ?? '';
          i++;
        }
        out += property(pattern, name, d === 'P', inClass);
      } else if (d === 'x' && pattern[i] === '{') {
        const end = pattern.indexOf('}', i);
        out += `\\u{${pattern.slice(i + 1, end)}}`;
        i = end + 1;
      } else if (d === '0') {
        const m = /^[0-3]?[0-7]{1,2}/.exec(pattern.slice(i)) ?? [''];
        out += hexEscape(String.fromCharCode(Number.parseInt((m[0] as string) || '0', 8)));
        i += (m[0] as string).length;
      } else if (/[A-Za-z0-9]/.test(d)) out += `\\${d}`;
      else {
        const cp = pattern.codePointAt(i - 1) as number;
        const ch = String.fromCodePoint(cp);
        i += ch.length - 1;
        out += hexEscape(ch);
      }
      continue;
    }
    if (inClass) {
      if (c === '[') unsupported(pattern, 'a nested character class');
      if (c === '&' && pattern[i + 1] === '&') unsupported(pattern, 'character class intersection (&&)');
      if (c === ']') inClass = false;
      out += c;
      i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      i++;
      if (pattern[i] === '^') {
        out += '^';
        i++;
      }
      if (pattern[i] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if ((c === '*' || c === '+' || c === '?' || c === '}') && pattern[i + 1] === '+') unsupported(pattern, 'a possessive quantifier');
    if (c === '(' && pattern.startsWith('(?>', i)) unsupported(pattern, 'an atomic group (?>...)');
    if (c === '(' && /^\(\?[imsx-]+[):]/.test(pattern.slice(i))) unsupported(pattern, 'inline flags after the start of the pattern');
    if (c === '$' && !multiline) out += '(?=(?:\\r\\n|[\\n\\r\\x85\\u2028\\u2029])?(?![\\s\\S]))';
    else if (c === '.' && !dotAll) out += '[^\\n\\r\\x85\\u2028\\u2029]';
    else out += c;
    i++;
  }
  return { source: out, flags };
}

const cache = new Map<string, RegExp>();

/**
 * The compiled (global) JS RegExp of a Java pattern, cached (up to 256 patterns). Throws
 * INVALID_ARGUMENT naming the pattern when it does not compile. Callers reset `lastIndex`.
 */
export function javaRegex(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (re !== undefined) return re;
  const t = translateJavaRegex(pattern);
  try {
    re = new RegExp(t.source, `${t.flags}g`);
  } catch (e) {
    throw invalidArgument(`Invalid regular expression '${pattern}': ${(e as Error).message}. Check the pattern (Java syntax, as in Spark).`);
  }
  if (cache.size >= 256) cache.delete(cache.keys().next().value as string);
  cache.set(pattern, re);
  return re;
}
