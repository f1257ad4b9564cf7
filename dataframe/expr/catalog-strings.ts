import type { DataType } from '../../common/data-type.js';
import { types } from '../../common/data-type.js';
import { invalidArgument } from '../../common/errors.js';
import type { AnalyzedExpr } from './analyze-expr.js';
import { apiCallName } from './api-call-name.js';
import { anyNullable, intArg, literalArgValue, needArg, resolved, stringArg } from './catalog-args.js';
import type { Call, LiteralValue } from './expr.js';
import { checkFormat, formatString } from './format-string.js';
import type { FunctionSpec } from './function-catalog.js';
import { javaRegex } from './java-regex.js';
import { groupCount, regexpExtract, regexpReplace, rlike } from './regexp-semantics.js';
import { initcap, locate, pad, repeatString, reverseString, substringIndex, translate, trimChars } from './string-library-semantics.js';

/** The string and regular-expression functions of the library (Spark's names in camelCase). */
export type StringLibraryName =
  | 'regexpReplace'
  | 'regexpExtract'
  | 'rlike'
  | 'split'
  | 'concatWs'
  | 'lpad'
  | 'rpad'
  | 'ltrim'
  | 'rtrim'
  | 'initcap'
  | 'translate'
  | 'formatString'
  | 'substringIndex'
  | 'instr'
  | 'locate'
  | 'repeat'
  | 'reverse';

/** A per-value implementation on literal-form arguments (non-null unless the function takes nulls). */
export type LibraryValueFn = (args: readonly LiteralValue[], argTypes: readonly DataType[]) => LiteralValue;

/** Checks a literal Java pattern compiles (INVALID_ARGUMENT otherwise) and returns the argument as a string. */
function patternArg(a: AnalyzedExpr, call: Call): AnalyzedExpr {
  const p = stringArg(a, call);
  if (p.expr.kind === 'lit' && typeof p.expr.value === 'string') javaRegex(p.expr.value);
  return p;
}

function strings(doc: string, arity: readonly [number, number], out: DataType): FunctionSpec {
  return {
    doc,
    arity,
    resolve: (args, call) =>
      resolved(
        args.map((a) => stringArg(a, call)),
        out,
      ),
  };
}

/** An analyzed literal, for an omitted optional argument. */
function literal(value: string | number, type: DataType): AnalyzedExpr {
  return { expr: Object.freeze({ kind: 'lit', value, type }), type, nullable: false };
}

function padSpec(doc: string): FunctionSpec {
  return {
    doc,
    arity: [2, 3],
    resolve: (args, call) =>
      resolved(
        [
          stringArg(args[0] as AnalyzedExpr, call),
          intArg(args[1] as AnalyzedExpr, call),
          args[2] === undefined ? literal(' ', types.utf8) : stringArg(args[2], call),
        ],
        types.utf8,
      ),
  };
}

/** Catalog entries of the string library. */
export const STRING_CATALOG: Readonly<Record<StringLibraryName, FunctionSpec>> = {
  regexpReplace: {
    doc: 'regexp_replace(str, regexp, rep [, position]): every match of the Java regexp from 1-based `position` replaced by `rep` ($1 inserts group 1; a dollar sign with a braced name inserts a named group).',
    arity: [3, 4],
    resolve: (args, call) => {
      const a = [stringArg(args[0] as AnalyzedExpr, call), patternArg(args[1] as AnalyzedExpr, call), stringArg(args[2] as AnalyzedExpr, call)];
      if (args[3] !== undefined) a.push(intArg(args[3], call));
      return resolved(a, types.utf8);
    },
  },
  regexpExtract: {
    doc: "regexp_extract(str, regexp [, idx]): group `idx` of the first match of the Java regexp; '' when nothing matches or the group did not take part.",
    arity: [2, 3],
    resolve: (args, call) => {
      const p = patternArg(args[1] as AnalyzedExpr, call);
      const idxArg = args[2] ?? literal(1, types.int32);
      const idx = literalArgValue(call, idxArg, 'the group index');
      if (typeof idx !== 'number' || !Number.isInteger(idx) || idx < 0) throw invalidArgument(`${apiCallName(call)} needs a non-negative integer group index.`);
      if (p.expr.kind === 'lit' && typeof p.expr.value === 'string') {
        const n = groupCount(javaRegex(p.expr.value));
        if (idx > n) throw invalidArgument(`${apiCallName(call)}: the pattern has ${n} group(s), but group ${idx} was asked for. Use an index from 0 to ${n}.`);
      }
      return resolved([stringArg(args[0] as AnalyzedExpr, call), p, idxArg], types.utf8);
    },
  },
  rlike: {
    doc: 'str rlike regexp: true when the Java regexp matches anywhere in the string.',
    arity: [2, 2],
    resolve: (args, call) => resolved([stringArg(args[0] as AnalyzedExpr, call), patternArg(args[1] as AnalyzedExpr, call)], types.boolean),
  },
  split: {
    doc: 'split(str, regexp [, limit]): array<string> of the parts around matches of the Java regexp; limit > 0 caps the number of parts (the last holds the rest), limit <= 0 keeps all, trailing empty parts included.',
    arity: [2, 3],
    resolve: (args, call) => {
      const a = [stringArg(args[0] as AnalyzedExpr, call), patternArg(args[1] as AnalyzedExpr, call)];
      a.push(
        args[2] === undefined
          ? { expr: Object.freeze({ kind: 'lit', value: -1, type: types.int32 }), type: types.int32, nullable: false }
          : intArg(args[2], call),
      );
      return resolved(a, types.list(types.utf8));
    },
  },
  concatWs: {
    doc: 'concat_ws(sep, a, b, ...): the non-null strings (and the elements of string arrays) joined by `sep`; null only when `sep` is null.',
    arity: [1, Number.POSITIVE_INFINITY],
    resolve: (args, call) => {
      const sep = stringArg(args[0] as AnalyzedExpr, call);
      const rest = args.slice(1).map((a) => {
        if (a.type.kind === 'list') {
          needArg(call, a, a.type.element.kind === 'utf8' || a.type.element.kind === 'null', 'strings or arrays of strings', 'array<string>');
          return a;
        }
        return stringArg(a, call);
      });
      return resolved([sep, ...rest], types.utf8, sep.nullable);
    },
  },
  lpad: padSpec("lpad(str, len [, pad]): `str` left-padded with `pad` (default a space) to `len` characters (truncated when longer; '' for len <= 0)."),
  rpad: padSpec("rpad(str, len [, pad]): `str` right-padded with `pad` (default a space) to `len` characters (truncated when longer; '' for len <= 0)."),
  ltrim: strings('ltrim(str [, chars]): `str` without leading spaces, or without leading characters found in `chars`.', [1, 2], types.utf8),
  rtrim: strings('rtrim(str [, chars]): `str` without trailing spaces, or without trailing characters found in `chars`.', [1, 2], types.utf8),
  initcap: strings('initcap(str): lower case with the first letter of each space-separated word in upper case.', [1, 1], types.utf8),
  translate: strings(
    'translate(str, from, to): each character of `from` replaced by the one at the same place in `to`, removed when `to` is shorter.',
    [3, 3],
    types.utf8,
  ),
  formatString: {
    doc: 'format_string(fmt, args...): printf-style formatting with Java\'s Formatter rules (%s, %d, %5.2f, %-10s, %x, %,d ...); null arguments print "null".',
    arity: [1, Number.POSITIVE_INFINITY],
    resolve: (args, call) => {
      const fmt = stringArg(args[0] as AnalyzedExpr, call);
      const rest = args.slice(1);
      for (const a of rest)
        if (a.type.kind === 'list' || a.type.kind === 'struct' || a.type.kind === 'binary') needArg(call, a, false, 'scalar arguments', 'string');
      if (fmt.expr.kind === 'lit' && typeof fmt.expr.value === 'string') {
        const problem = checkFormat(
          fmt.expr.value,
          rest.map((a) => a.type),
        );
        if (problem !== null) throw invalidArgument(`${apiCallName(call)}: ${problem}.`);
      }
      return resolved([fmt, ...rest], types.utf8, fmt.nullable || fmt.expr.kind !== 'lit');
    },
  },
  substringIndex: {
    doc: "substring_index(str, delim, count): the text before the count-th `delim` (count > 0) or after the count-th from the end (count < 0); '' for count 0.",
    arity: [3, 3],
    resolve: (args, call) =>
      resolved([stringArg(args[0] as AnalyzedExpr, call), stringArg(args[1] as AnalyzedExpr, call), intArg(args[2] as AnalyzedExpr, call)], types.utf8),
  },
  instr: strings('instr(str, substr): 1-based character position of the first `substr` in `str`, 0 when absent.', [2, 2], types.int32),
  locate: {
    doc: 'locate(substr, str [, pos]): 1-based character position of the first `substr` in `str` at or after `pos` (default 1); 0 when absent, when pos < 1, or when pos is null.',
    arity: [2, 3],
    resolve: (args, call) => {
      const pos =
        args[2] === undefined
          ? { expr: Object.freeze({ kind: 'lit', value: 1, type: types.int32 }), type: types.int32, nullable: false }
          : intArg(args[2], call);
      const a = [stringArg(args[0] as AnalyzedExpr, call), stringArg(args[1] as AnalyzedExpr, call), pos as AnalyzedExpr];
      return resolved(a, types.int32, anyNullable(a.slice(0, 2)));
    },
  },
  repeat: {
    doc: "repeat(str, n): `str` repeated n times ('' for n <= 0).",
    arity: [2, 2],
    resolve: (args, call) => resolved([stringArg(args[0] as AnalyzedExpr, call), intArg(args[1] as AnalyzedExpr, call)], types.utf8),
  },
  reverse: {
    doc: 'reverse(x): the characters of string `x`, or the elements of array `x`, in reverse order.',
    arity: [1, 1],
    resolve: (args, call) => {
      const a = args[0] as AnalyzedExpr;
      if (a.type.kind === 'list') return resolved([a], a.type);
      return resolved([stringArg(a, call)], types.utf8);
    },
  },
};

/** Functions of this catalog whose value is computed from null arguments too (the rest give null for any null argument). */
export const STRING_NULL_TOLERANT: ReadonlySet<string> = new Set(['concatWs', 'formatString', 'locate']);

const s = (v: LiteralValue | undefined): string => v as string;
const n = (v: LiteralValue | undefined): number => v as number;

/** Per-value implementations (split has no literal form and is never folded). */
export const STRING_VALUES: Readonly<Record<StringLibraryName, LibraryValueFn | null>> = {
  regexpReplace: (a) => regexpReplace(s(a[0]), s(a[1]), s(a[2]), a[3] === undefined ? 1 : n(a[3])),
  regexpExtract: (a) => regexpExtract(s(a[0]), s(a[1]), n(a[2])),
  rlike: (a) => rlike(s(a[0]), s(a[1])),
  split: null,
  concatWs: (a) =>
    a[0] === null
      ? null
      : a
          .slice(1)
          .filter((x) => x !== null)
          .join(s(a[0])),
  lpad: (a) => pad(s(a[0]), n(a[1]), s(a[2]), true),
  rpad: (a) => pad(s(a[0]), n(a[1]), s(a[2]), false),
  ltrim: (a) => trimChars(s(a[0]), a.length > 1 ? s(a[1]) : null, 'leading'),
  rtrim: (a) => trimChars(s(a[0]), a.length > 1 ? s(a[1]) : null, 'trailing'),
  initcap: (a) => initcap(s(a[0])),
  translate: (a) => translate(s(a[0]), s(a[1]), s(a[2])),
  formatString: (a, t) => (a[0] === null ? null : formatString(s(a[0]), a.slice(1), t.slice(1))),
  substringIndex: (a) => substringIndex(s(a[0]), s(a[1]), n(a[2])),
  instr: (a) => locate(s(a[1]), s(a[0]), 1),
  locate: (a) => (a[0] === null || a[1] === null ? null : a[2] === null ? 0 : locate(s(a[0]), s(a[1]), n(a[2]))),
  repeat: (a) => repeatString(s(a[0]), n(a[1])),
  reverse: (a) => reverseString(s(a[0])),
};
