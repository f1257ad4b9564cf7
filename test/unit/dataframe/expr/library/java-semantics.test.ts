import { describe, expect, it } from 'vitest';
import { types } from '../../../../../common/data-type.js';
import { formatString } from '../../../../../dataframe/expr/format-string.js';
import { parseInterval } from '../../../../../dataframe/expr/interval.js';
import { javaRegex } from '../../../../../dataframe/expr/java-regex.js';
import { regexpExtract, regexpReplace, rlike, splitRegex } from '../../../../../dataframe/expr/regexp-semantics.js';
import { getJsonObject } from '../../../../../dataframe/expr/json-path.js';
import { compileDatePattern } from '../../../../../dataframe/expr/datetime-pattern.js';

/** Java (Spark) semantics that DuckDB does not share, checked against the values Java gives. */
describe('Java regular expressions on the JS engine', () => {
  it('$ also matches before a final line terminator, \\z only at the end, \\A only at the start', () => {
    expect(rlike('abc\n', 'c$')).toBe(true);
    expect(rlike('abc\n', 'c\\z')).toBe(false);
    expect(rlike('abc\ndef', 'c$')).toBe(false);
    expect(rlike('abc\ndef', '(?m)c$')).toBe(true);
    expect(rlike('x\nabc', '\\Aabc')).toBe(false);
  });

  it('inline flags at the start, \\Q..\\E quoting, escaped punctuation and POSIX classes', () => {
    expect(rlike('HELLO', '(?i)hello')).toBe(true);
    expect(regexpReplace('a.b*c', '\\Q.b*\\E', '-')).toBe('a-c');
    expect(regexpReplace('a_b-c@d', '[\\_\\-\\@]', '')).toBe('abcd');
    expect(regexpReplace('ab12!?', '\\p{Alpha}', 'x')).toBe('xx12!?');
    expect(regexpReplace('ab12!?', '\\p{Punct}', '')).toBe('ab12');
    expect(regexpReplace('a\u00a0b c', '\\s', '_')).toBe('a\u00a0b_c'); // Java's \s is ASCII only
  });

  it('refuses constructs JavaScript lacks, naming them', () => {
    expect(() => javaRegex('a++')).toThrow(/possessive quantifier/);
    expect(() => javaRegex('(?>a)')).toThrow(/atomic group/);
    expect(() => javaRegex('[a-z&&[^aeiou]]')).toThrow(/nested character class|intersection/);
    expect(() => javaRegex('a(?i)b')).toThrow(/inline flags/);
    expect(() => javaRegex('(unclosed')).toThrow(/Invalid regular expression '\(unclosed'/);
  });

  it('replacement strings: $n, named groups, backslash escapes, group numbers that stop at the group count', () => {
    expect(regexpReplace('john smith', '(\\w+) (\\w+)', '$2, $1')).toBe('smith, john');
    const named = ['d', 'm', 'y'].map((g) => `$\{${g}}`).join('/');
    expect(regexpReplace('2024-02-29', '(?<y>\\d+)-(?<m>\\d+)-(?<d>\\d+)', named)).toBe('29/02/2024');
    expect(regexpReplace('cost', 'cost', '\\$5')).toBe('$5');
    expect(regexpReplace('ab', '(a)', '$10')).toBe('a0b'); // one group: $10 is group 1 then '0'
    expect(() => regexpReplace('ab', '(a)', '$2')).toThrow(/group 2/);
    expect(regexpReplace('abc', '', '-')).toBe('-a-b-c-');
    expect(regexpReplace('aaa', 'a', 'b', 2)).toBe('abb');
    expect(regexpReplace('😀x😀', 'x', 'y', 2)).toBe('😀y😀');
  });

  it("regexpExtract gives '' when nothing matches or the group did not take part", () => {
    expect(regexpExtract('abc', '(\\d+)', 1)).toBe('');
    expect(regexpExtract('abc', '(a)|(z)', 2)).toBe('');
    expect(() => regexpExtract('abc', '(a)', 2)).toThrow(/1 group/);
  });

  it("split follows Java's String.split with limit (Spark passes -1 for limit <= 0)", () => {
    expect(splitRegex('a,b,,c,,', ',', -1)).toEqual(['a', 'b', '', 'c', '', '']);
    expect(splitRegex('abc', '', -1)).toEqual(['a', 'b', 'c']);
    expect(splitRegex('a1b22c', '\\d+', 2)).toEqual(['a', 'b22c']);
    expect(splitRegex('', ',', -1)).toEqual(['']);
    expect(splitRegex('a(b)c', '[()]', -1)).toEqual(['a', 'b', 'c']);
    expect(splitRegex('x😀y', '', -1)).toEqual(['x', '😀', 'y']);
  });
});

describe("Java's Formatter (format_string)", () => {
  const f = (fmt: string, ...a: (number | bigint | string | boolean | null)[]): string | null =>
    formatString(
      fmt,
      a,
      a.map((v) =>
        typeof v === 'bigint'
          ? types.int64
          : typeof v === 'number'
            ? Number.isInteger(v) && !String(v).includes('.')
              ? types.int32
              : types.float64
            : typeof v === 'boolean'
              ? types.boolean
              : types.utf8,
      ),
    );
  const fd = (fmt: string, x: number): string | null => formatString(fmt, [x], [types.float64]);

  it('rounds HALF_UP on the shortest decimal form, as Java does', () => {
    expect(fd('%.2f', 1.005)).toBe('1.01');
    expect(fd('%.1f', 0.25)).toBe('0.3');
    expect(fd('%.0f', 2.5)).toBe('3');
    expect(fd('%f', -1.5)).toBe('-1.500000');
    expect(fd('%10.3f|', Math.PI)).toBe('     3.142|');
    expect(fd('%-8.1f|', 2.25)).toBe('2.3     |');
    expect(fd('%08.2f', -3.14259)).toBe('-0003.14');
    expect(fd('%,.2f', 1234567.891)).toBe('1,234,567.89');
  });

  it('scientific and general forms', () => {
    expect(fd('%e', 12345.678)).toBe('1.234568e+04');
    expect(fd('%.2E', 0.000123)).toBe('1.23E-04');
    expect(fd('%g', 0.0001234)).toBe('0.000123400');
    expect(fd('%g', 123456789)).toBe('1.23457e+08');
    expect(fd('%.3g', 99.95)).toBe('100');
  });

  it('integers, hex of negatives in two’s complement, flags, argument indexes and null', () => {
    expect(f('%d|%5d|%-5d|%05d', 42, 42, 42, -42)).toBe('42|   42|42   |-0042');
    expect(f('%,d %+d %(d', 1234567, 5, -5)).toBe('1,234,567 +5 (5)');
    expect(f('%x %X %o %#x', -1, 255, 8, 255)).toBe('ffffffff FF 10 0xff');
    expect(formatString('%x', [-1n], [types.int64])).toBe('ffffffffffffffff');
    expect(f('%2$s %1$s %<s', 'a', 'b')).toBe('b a a');
    expect(f('%s %b %b %S %.2s %%%n', null, null, 'x', 'up', 'abc')).toBe('null false true UP ab %\n');
    expect(f('%c', 128512)).toBe('😀');
  });
});

describe('intervals, JSON paths and datetime patterns', () => {
  it('parses interval text into months, days and microseconds', () => {
    expect(parseInterval('10 minutes')).toEqual({ months: 0, days: 0, microseconds: 600_000_000n });
    expect(parseInterval('INTERVAL 1 year 2 months 3 weeks -1 day 1.5 seconds')).toEqual({ months: 14, days: 20, microseconds: 1_500_000n });
    expect(parseInterval('-90 ms')).toEqual({ months: 0, days: 0, microseconds: -90_000n });
    expect(() => parseInterval('10 fortnights')).toThrow(/unknown unit 'fortnights'/);
    expect(() => parseInterval('1.5 days')).toThrow(/whole number/);
    expect(() => parseInterval('minutes')).toThrow(/pairs/);
  });

  it('get_json_object paths, wildcards and invalid input', () => {
    const j = '{"a":{"b":[{"c":1},{"c":2.5}]},"s":"x","z":null}';
    expect(getJsonObject(j, '$.a.b[*].c')).toBe('[1,2.5]');
    expect(getJsonObject(j, '$.a.b[0]')).toBe('{"c":1}');
    expect(getJsonObject(j, '$.z')).toBeNull();
    expect(getJsonObject(j, '$.missing')).toBeNull();
    expect(getJsonObject('{bad', '$.s')).toBeNull();
    expect(getJsonObject(j, '$')).toBe(j);
  });

  it('formats and parses Spark pattern letters in UTC', () => {
    const us = 1709214300_123456n; // 2024-02-29 13:45:00.123456 UTC, a Thursday
    const p = (s: string): string => compileDatePattern(s).format(us);
    expect(p('yyyy-MM-dd HH:mm:ss.SSSSSS')).toBe('2024-02-29 13:45:00.123456');
    expect(p('EEE EEEE MMM MMMM d D Q')).toBe('Thu Thursday Feb February 29 60 1');
    expect(p('h:mm a K k')).toBe('1:45 PM 1 13');
    expect(p("yy 'week' XXX xxx Z z")).toBe('24 week Z +00:00 +0000 UTC');
    expect(compileDatePattern('dd MMM yyyy hh:mm a').parse('29 Feb 2024 01:45 PM')).toBe(1709214300_000000n);
    expect(compileDatePattern("yyyy-MM-dd'T'HH:mmXXX").parse('2024-02-29T15:45+02:00')).toBe(1709214300_000000n);
    expect(compileDatePattern('yyyy-MM-dd').parse('2023-02-29')).toBeNull();
    expect(() => compileDatePattern('yyyy-ww')).toThrow(/Unsupported letter 'w'/);
  });
});

describe('Java line terminators', () => {
  it('. does not match U+0085 unless (?s)', () => {
    expect(rlike('a\u0085b', 'a.b')).toBe(false);
    expect(rlike('a\u0085b', '(?s)a.b')).toBe(true);
    expect(rlike('a.b', 'a\\.b')).toBe(true);
    expect(rlike('a+b', 'a[.+]b')).toBe(true);
  });
});

describe('SQL interval literal text', () => {
  it("accepts Spark SQL's quoted numbers and plural units", () => {
    expect(parseInterval("INTERVAL '10' MINUTE")).toEqual({ months: 0, days: 0, microseconds: 600_000_000n });
    expect(parseInterval("interval '2' days '3' hours")).toEqual({ months: 0, days: 2, microseconds: 10_800_000_000n });
  });
});
