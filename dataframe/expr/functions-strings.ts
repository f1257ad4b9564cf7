import type { ColumnOrLiteral } from './column.js';
import { Column, toExpr } from './column.js';
import type { Expr, ScalarFunctionName } from './expr.js';
import type { ColumnLike } from './functions.js';
import { exprOf } from './functions.js';
import { literalOf } from './literal-of.js';

/**
 * String and regular-expression functions (Spark's, camelCase). Patterns are Java regular
 * expressions as in Spark (see docs/SEMANTICS.md for how they run on JavaScript's engine);
 * positions are 1-based and count characters. A column may be given by name or as a Column.
 */

function call(fn: ScalarFunctionName, args: readonly Expr[]): Column {
  return new Column(Object.freeze({ kind: 'call', fn, args: Object.freeze([...args]) }));
}

/** Spark's `regexp_replace`: every match of `pattern` (from 1-based `position`) replaced by `replacement`, where `$1` / `${name}` insert groups. */
export function regexpReplace(str: ColumnLike, pattern: ColumnOrLiteral, replacement: ColumnOrLiteral, position?: number): Column {
  const args = [exprOf(str), toExpr(pattern), toExpr(replacement)];
  return call('regexpReplace', position === undefined ? args : [...args, literalOf(position)]);
}

/** Spark's `regexp_extract`: group `idx` of the first match of `pattern` ('' when there is none). */
export function regexpExtract(str: ColumnLike, pattern: string, idx = 1): Column {
  return call('regexpExtract', [exprOf(str), literalOf(pattern), literalOf(idx)]);
}

/** Spark's `rlike`: true when `pattern` matches anywhere in the string (also `col('s').rlike(p)`). */
export function rlike(str: ColumnLike, pattern: ColumnOrLiteral): Column {
  return call('rlike', [exprOf(str), toExpr(pattern)]);
}

/** Spark's `split`: array<string> of the parts around matches of `pattern`; `limit` > 0 caps the number of parts. */
export function split(str: ColumnLike, pattern: string, limit = -1): Column {
  return call('split', [exprOf(str), literalOf(pattern), literalOf(limit)]);
}

/** Spark's `concat_ws`: the non-null strings (and string-array elements) joined by `sep`. */
export function concatWs(sep: string, ...cols: ColumnLike[]): Column {
  return call('concatWs', [literalOf(sep), ...cols.map(exprOf)]);
}

/** Spark's `lpad`: left-padded with `pad` to `len` characters (truncated when longer). */
export function lpad(str: ColumnLike, len: number, pad: string): Column {
  return call('lpad', [exprOf(str), literalOf(len), literalOf(pad)]);
}

/** Spark's `rpad`: right-padded with `pad` to `len` characters (truncated when longer). */
export function rpad(str: ColumnLike, len: number, pad: string): Column {
  return call('rpad', [exprOf(str), literalOf(len), literalOf(pad)]);
}

/** Spark's `ltrim`: leading spaces removed, or leading characters found in `chars`. */
export function ltrim(str: ColumnLike, chars?: string): Column {
  return call('ltrim', chars === undefined ? [exprOf(str)] : [exprOf(str), literalOf(chars)]);
}

/** Spark's `rtrim`: trailing spaces removed, or trailing characters found in `chars`. */
export function rtrim(str: ColumnLike, chars?: string): Column {
  return call('rtrim', chars === undefined ? [exprOf(str)] : [exprOf(str), literalOf(chars)]);
}

/** Spark's `initcap`: lower case with the first letter of each space-separated word upper case. */
export function initcap(str: ColumnLike): Column {
  return call('initcap', [exprOf(str)]);
}

/** Spark's `translate`: each character of `matching` replaced by the one at the same place in `replace` (removed when there is none). */
export function translate(str: ColumnLike, matching: string, replace: string): Column {
  return call('translate', [exprOf(str), literalOf(matching), literalOf(replace)]);
}

/** Spark's `format_string`: printf-style formatting with Java's rules (`%s`, `%d`, `%.2f`, `%-10s`, `%05d`, `%x`, `%,d`). */
export function formatString(format: string, ...cols: ColumnLike[]): Column {
  return call('formatString', [literalOf(format), ...cols.map(exprOf)]);
}

/** Spark's `substring_index`: the text before the `count`-th `delim` (count > 0) or after the `count`-th from the end (count < 0). */
export function substringIndex(str: ColumnLike, delim: string, count: number): Column {
  return call('substringIndex', [exprOf(str), literalOf(delim), literalOf(count)]);
}

/** Spark's `instr`: 1-based position of the first `substring` in the string, 0 when absent. */
export function instr(str: ColumnLike, substring: string): Column {
  return call('instr', [exprOf(str), literalOf(substring)]);
}

/** Spark's `locate`: 1-based position of the first `substr` in `str` at or after `pos`, 0 when absent. */
export function locate(substr: string, str: ColumnLike, pos = 1): Column {
  return call('locate', [literalOf(substr), exprOf(str), literalOf(pos)]);
}

/** Spark's `repeat`: the string repeated `n` times. */
export function repeat(str: ColumnLike, n: number): Column {
  return call('repeat', [exprOf(str), literalOf(n)]);
}

/** Spark's `reverse`: a string's characters, or an array's elements, in reverse order. */
export function reverse(strOrArray: ColumnLike): Column {
  return call('reverse', [exprOf(strOrArray)]);
}
