import { describe, expect, it } from 'vitest';
import { types } from '../../../../../common/data-type.js';
import { SluiceError } from '../../../../../common/errors.js';
import { field, schemaOf } from '../../../../../common/schema.js';
import { analyzeExpr } from '../../../../../dataframe/expr/analyze-expr.js';
import type { Column } from '../../../../../dataframe/expr/column.js';
import { exprToString } from '../../../../../dataframe/expr/expr-to-string.js';
import { foldConstants } from '../../../../../dataframe/expr/fold-constants.js';
import { FUNCTION_CATALOG } from '../../../../../dataframe/expr/function-catalog.js';
import { col, lit } from '../../../../../dataframe/expr/functions.js';
import * as D from '../../../../../dataframe/expr/functions-datetime.js';
import * as J from '../../../../../dataframe/expr/functions-json.js';
import * as S from '../../../../../dataframe/expr/functions-strings.js';

const schema = schemaOf([
  field('s', types.utf8),
  field('n', types.int32),
  field('d', types.date),
  field('ts', types.timestamp('us')),
  field('x', types.float64),
]);
const analyze = (c: Column) => analyzeExpr(c.expr, schema);

function errorOf(f: () => unknown): SluiceError {
  try {
    f();
  } catch (e) {
    if (e instanceof SluiceError) return e;
    throw e;
  }
  throw new Error('expected a SluiceError');
}

describe('library functions at analysis', () => {
  it('every builder name is in the scalar function catalog under the camelCase of its Spark name (the SQL front end resolves them there)', () => {
    for (const name of [...Object.keys(S), ...Object.keys(D).filter((k) => k !== 'interval'), ...Object.keys(J)])
      expect(Object.hasOwn(FUNCTION_CATALOG, name), name).toBe(true);
    expect(exprToString(analyze(S.regexpReplace('s', 'a', 'b')).expr)).toBe("regexp_replace(s, 'a', 'b')");
    expect(exprToString(analyze(J.getJsonObject('s', '$.a')).expr)).toBe("get_json_object(s, '$.a')");
  });

  it('gives result types and implicit casts as Spark does', () => {
    expect(analyze(S.split('s', ',')).type).toEqual(types.list(types.utf8));
    expect(analyze(S.instr('s', 'a')).type).toEqual(types.int32);
    expect(analyze(S.rlike('s', 'a')).type).toEqual(types.boolean);
    expect(analyze(D.dateAdd('ts', 1)).type).toEqual(types.date);
    expect(analyze(D.monthsBetween('d', 'ts')).type).toEqual(types.float64);
    expect(analyze(D.dayofweek(lit('2024-02-29'))).type).toEqual(types.int32);
    expect(analyze(col('ts').plus(D.interval('1 hour'))).type).toEqual(types.timestamp('us'));
    expect(analyze(col('d').plus(D.interval('1 day'))).type).toEqual(types.date);
    expect(analyze(col('d').plus(D.interval('1 hour'))).type).toEqual(types.timestamp('us'));
    expect(analyze(S.lpad('n', 5, '0')).type).toEqual(types.utf8); // numbers cast to string
    const concat = analyze(S.concatWs(',', 's', lit(null)));
    expect(concat.nullable).toBe(false);
  });

  it('rejects bad arguments when the plan is built, naming the call and the fix', () => {
    expect(errorOf(() => analyze(S.regexpReplace('s', '(a', 'b'))).message).toMatch(/Invalid regular expression '\(a'/);
    expect(errorOf(() => analyze(S.regexpExtract('s', '(a)(b)', 3))).message).toMatch(/has 2 group\(s\), but group 3/);
    expect(errorOf(() => analyze(S.formatString('%d', 'x'))).message).toMatch(/'%d' needs an integer argument, but argument 1 is double/);
    expect(errorOf(() => analyze(S.formatString('%s %s', 's'))).message).toMatch(/only 1 are given/);
    expect(errorOf(() => analyze(D.nextDay('d', 'Funday'))).message).toMatch(/unknown day of week 'Funday'/);
    expect(errorOf(() => analyze(D.trunc('d', 'hour'))).message).toMatch(/unknown unit 'hour'.*dateTrunc/);
    expect(errorOf(() => analyze(D.dateFormat('ts', 'yyyy-ww'))).message).toMatch(/Unsupported letter 'w'/);
    expect(errorOf(() => analyze(J.toJson('s'))).code).toBe('TYPE_MISMATCH');
    expect(errorOf(() => analyze(D.dateAdd('x', 1))).message).toMatch(/needs a date, but x is double/);
    expect(errorOf(() => analyze(col('ts').plus(col('s')))).code).toBe('TYPE_MISMATCH');
  });

  it('folds calls on literals to the value the kernels give (not split, whose result has no literal form)', () => {
    const fold = (c: Column) => foldConstants(analyze(c).expr);
    expect(fold(S.regexpReplace(lit('a-b-c'), '-', '+'))).toEqual({ kind: 'lit', value: 'a+b+c', type: types.utf8 });
    expect(fold(S.concatWs('/', lit('a'), lit(null), lit('b')))).toEqual({ kind: 'lit', value: 'a/b', type: types.utf8 });
    expect(fold(S.formatString('%s!', lit(null)))).toEqual({ kind: 'lit', value: 'null!', type: types.utf8 });
    expect(fold(D.lastDay(lit('2024-02-10')))).toEqual({ kind: 'lit', value: 19782, type: types.date });
    expect(fold(S.split(lit('a,b'), ',')).kind).toBe('call');
  });

  it('fills the optional arguments SQL may leave out (regexp_extract idx 1, lpad pad a space, split limit -1)', () => {
    const call = (fn: string, ...args: Column[]) => ({ kind: 'call', fn, args: args.map((a) => a.expr) }) as never;
    const fold = (e: never) => foldConstants(analyzeExpr(e, schema).expr);
    expect(fold(call('regexpExtract', lit('ab12'), lit('([a-z]+)(\\d+)')))).toEqual({ kind: 'lit', value: 'ab', type: types.utf8 });
    expect(fold(call('lpad', lit('7'), lit(3)))).toEqual({ kind: 'lit', value: '  7', type: types.utf8 });
    expect(fold(call('locate', lit('b'), lit('abc')))).toEqual({ kind: 'lit', value: 2, type: types.int32 });
  });
});
