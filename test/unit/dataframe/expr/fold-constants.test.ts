import { describe, expect, it } from 'vitest';
import type { DataType } from '../../../../common/data-type.js';
import { types } from '../../../../common/data-type.js';
import { field, schemaOf } from '../../../../common/schema.js';
import { vectorFromValues } from '../../../../common/vector-from-values.js';
import { analyzeExpr } from '../../../../dataframe/expr/analyze-expr.js';
import type { Column } from '../../../../dataframe/expr/column.js';
import type { Expr, LiteralValue } from '../../../../dataframe/expr/expr.js';
import { exprToString } from '../../../../dataframe/expr/expr-to-string.js';
import { foldConstants } from '../../../../dataframe/expr/fold-constants.js';
import * as F from '../../../../dataframe/expr/functions.js';
import { rewriteExpr } from '../../../../dataframe/plan/optimizer/expr-rewrite.js';
import { compileExpr } from '../../../../engine/eval/compile-expr.js';
import { literalValueAt } from '../../../../engine/eval/eval-vectors.js';

const { col, lit } = F;
const empty = schemaOf([]);

function fold(c: Column): Expr {
  return foldConstants(analyzeExpr(c.expr, empty).expr);
}

describe('foldConstants', () => {
  it('evaluates literal subtrees', () => {
    expect(fold(lit(1).plus(2).multiply(3))).toEqual({ kind: 'lit', value: 9, type: types.int32 });
    expect(fold(lit(7).divide(2))).toEqual({ kind: 'lit', value: 3.5, type: types.float64 });
    expect(fold(lit(1).divide(0))).toEqual({ kind: 'lit', value: null, type: types.float64 });
    expect(fold(lit(false).and(lit(null)))).toEqual({ kind: 'lit', value: false, type: types.boolean });
    expect(fold(lit(true).and(lit(null)))).toEqual({ kind: 'lit', value: null, type: types.boolean });
    expect(fold(lit(null).isNull())).toEqual({ kind: 'lit', value: true, type: types.boolean });
    expect(fold(F.upper(F.concat(lit('a'), lit('b'))))).toEqual({ kind: 'lit', value: 'AB', type: types.utf8 });
    expect(fold(F.when(lit(false), 1).when(lit(true), 2).otherwise(3))).toEqual({ kind: 'lit', value: 2, type: types.int32 });
    expect(fold(lit('12').cast('int').plus(1))).toEqual({ kind: 'lit', value: 13, type: types.int32 });
  });

  it('simplifies boolean identities around non-constant parts', () => {
    const s = schemaOf([field('x', types.boolean), field('n', types.int32)]);
    const f = (c: Column): string => exprToString(foldConstants(analyzeExpr(c.expr, s).expr));
    expect(f(col('x').and(lit(true)))).toBe('x');
    expect(f(lit(true).and(col('x')))).toBe('x');
    expect(f(col('x').or(lit(false)))).toBe('x');
    expect(f(col('x').not().not())).toBe('x');
    expect(f(col('x').and(lit(1).gt(2)))).toBe('false');
    expect(f(col('n').plus(lit(1).plus(1)))).toBe('(n + 2)');
    expect(f(F.when(lit(false), col('n')).when(col('x'), 1).otherwise(0))).toBe('CASE WHEN x THEN 1 ELSE 0 END');
    const same = analyzeExpr(col('n').gt(1).expr, s).expr;
    expect(foldConstants(same)).toBe(same);
  });
});

/** Each case: an expression over columns c0, c1, ... and one row of values for them. */
const cases: [Column, [DataType, LiteralValue][]][] = [
  [
    col('c0').plus(col('c1')),
    [
      [types.int32, 2147483647],
      [types.int32, 1],
    ],
  ],
  [
    col('c0').multiply(col('c1')),
    [
      [types.int64, 2n ** 62n],
      [types.int64, 3n],
    ],
  ],
  [
    col('c0').mod(col('c1')),
    [
      [types.int64, -7n],
      [types.int64, 0n],
    ],
  ],
  [
    col('c0').divide(col('c1')),
    [
      [types.float64, 1],
      [types.float64, -0],
    ],
  ],
  [
    col('c0').minus(col('c1')),
    [
      [types.float64, 0.1],
      [types.float64, 0.3],
    ],
  ],
  [
    col('c0').gt(col('c1')),
    [
      [types.float64, Number.NaN],
      [types.float64, 1e308],
    ],
  ],
  [
    col('c0').eq(col('c1')),
    [
      [types.float64, Number.NaN],
      [types.float64, Number.NaN],
    ],
  ],
  [
    col('c0').lt(col('c1')),
    [
      [types.utf8, '\uFFFF'],
      [types.utf8, '😀'],
    ],
  ],
  [
    col('c0').eqNullSafe(col('c1')),
    [
      [types.int32, null],
      [types.int32, null],
    ],
  ],
  [
    col('c0').and(col('c1')),
    [
      [types.boolean, null],
      [types.boolean, false],
    ],
  ],
  [
    col('c0').or(col('c1')),
    [
      [types.boolean, null],
      [types.boolean, false],
    ],
  ],
  [col('c0').isin(1, 2, null), [[types.int32, 3]]],
  [col('c0').isin('a', 'b'), [[types.utf8, 'b']]],
  [col('c0').cast('int'), [[types.utf8, ' 12.7 ']]],
  [col('c0').cast('string'), [[types.float64, 1.5e10]]],
  [col('c0').cast('string'), [[types.timestamp('us'), 1709214330100000n]]],
  [col('c0').cast('bigint'), [[types.timestamp('ms'), -1500n]]],
  [col('c0').cast('timestamp'), [[types.float64, 1.5]]],
  [col('c0').cast('date'), [[types.utf8, '2024-02-30']]],
  [col('c0').cast('boolean'), [[types.utf8, 'yes']]],
  [col('c0').negate(), [[types.int64, -(2n ** 63n)]]],
  [
    F.coalesce(col('c0'), col('c1')),
    [
      [types.int32, null],
      [types.int64, 5n],
    ],
  ],
  [F.when(col('c0').gt(0), 'pos').otherwise('neg'), [[types.int32, -1]]],
  [F.substring('c0', -3, 2), [[types.utf8, 'abcdé']]],
  [F.length('c0'), [[types.utf8, 'a😀b']]],
  [F.like('c0', 'a%_c'), [[types.utf8, 'abxc']]],
  [F.trim('c0'), [[types.utf8, '  x y  ']]],
  [
    F.contains('c0', col('c1')),
    [
      [types.utf8, 'haystack'],
      [types.utf8, 'st'],
    ],
  ],
  [F.year('c0'), [[types.timestamp('ms'), -1n]]],
  [F.dateTrunc('month', 'c0'), [[types.timestamp('us'), 1709214330123456n]]],
  [F.unixSeconds('c0'), [[types.timestamp('us'), -1n]]],
  [F.fromUnixTime('c0'), [[types.int64, 86399n]]],
  [F.toTimestamp('c0'), [[types.utf8, '2024-01-01 10:00:00+02:00']]],
  [F.round('c0', 1), [[types.float64, 0.05]]],
  [F.round('c0'), [[types.float64, -0.5]]],
  [F.floor('c0'), [[types.float64, -1e300]]],
  [F.abs('c0'), [[types.int32, -2147483648]]],
  [F.sqrt('c0'), [[types.float64, -4]]],
];

describe('folding equals evaluation', () => {
  for (const [c, cols] of cases) {
    it(`${exprToString(c.expr)} on ${cols.map(([, v]) => String(v)).join(', ')}`, () => {
      const schema = schemaOf(cols.map(([t], i) => field(`c${i}`, t)));
      const batch = { schema, numRows: 1, columns: cols.map(([t, v]) => vectorFromValues(t, [v])) };
      const analyzed = analyzeExpr(c.expr, schema).expr;
      const evaluated = literalValueAt(compileExpr(analyzed, schema)(batch), 0);
      const substituted = rewriteExpr(analyzed, (x) => {
        if (x.kind !== 'col') return x;
        const [t, v] = cols[Number(x.name.slice(1))] as [DataType, LiteralValue];
        return { kind: 'lit', value: v, type: t };
      });
      const folded = foldConstants(substituted);
      expect(folded.kind).toBe('lit');
      expect(folded.kind === 'lit' ? folded.value : undefined).toEqual(evaluated);
    });
  }
});
