import { describe, expect, it } from 'vitest';
import { types } from '../../../../common/data-type.js';
import type { SluiceError } from '../../../../common/errors.js';
import { field, schemaOf } from '../../../../common/schema.js';
import { analyzeExpr, collectAggCalls, containsAggregate, exprOutputName, referencedColumns } from '../../../../dataframe/expr/analyze-expr.js';
import type { Expr } from '../../../../dataframe/expr/expr.js';
import { exprToString } from '../../../../dataframe/expr/expr-to-string.js';
import * as F from '../../../../dataframe/expr/functions.js';

const { col, lit } = F;

const schema = schemaOf([
  field('amount', types.float64),
  field('qty', types.int32, false),
  field('big', types.int64),
  field('merchant_id', types.utf8),
  field('ts', types.timestamp('us')),
  field('tms', types.timestamp('ms')),
  field('day', types.date),
  field('flag', types.boolean),
]);

function thrown(f: () => unknown): SluiceError {
  try {
    f();
  } catch (e) {
    return e as SluiceError;
  }
  throw new Error('expected an error');
}

describe('analyzeExpr', () => {
  it('resolves columns and reports unknown ones with the column list', () => {
    expect(analyzeExpr(col('qty').expr, schema)).toEqual({ expr: col('qty').expr, type: types.int32, nullable: false });
    const e = thrown(() => analyzeExpr(col('amout').expr, schema));
    expect(e.code).toBe('UNKNOWN_COLUMN');
    expect(e.message).toContain('amout');
    expect(e.message).toContain('amount, qty, big, merchant_id');
  });

  it('widens arithmetic operands and casts literals in place', () => {
    const a = analyzeExpr(col('qty').plus(col('big')).expr, schema);
    expect(a.type).toEqual(types.int64);
    expect(exprToString(a.expr)).toBe('(CAST(qty AS bigint) + big)');
    const b = analyzeExpr(col('amount').gt(100).expr, schema);
    expect(b.expr).toEqual({ kind: 'binary', op: '>', left: col('amount').expr, right: { kind: 'lit', value: 100, type: types.float64 } });
    const d = analyzeExpr(col('qty').divide(2).expr, schema);
    expect(d.type).toEqual(types.float64);
    expect(exprToString(d.expr)).toBe('(CAST(qty AS double) / 2.0)');
    expect(d.nullable).toBe(true);
    expect(analyzeExpr(col('qty').plus(1).expr, schema).nullable).toBe(false);
  });

  it('casts utf8 and date literals against timestamps and widens ms to us', () => {
    const a = analyzeExpr(col('ts').geq('2024-01-02 03:04:05').expr, schema);
    expect(a.expr.kind === 'binary' && a.expr.right).toEqual({ kind: 'lit', value: 1704164645000000n, type: types.timestamp('us') });
    const b = analyzeExpr(col('tms').lt(col('ts')).expr, schema);
    expect(exprToString(b.expr)).toBe('(CAST(tms AS timestamp[us]) < ts)');
    const c = analyzeExpr(col('day').eq('2024-03-01').expr, schema);
    expect(c.expr.kind === 'binary' && c.expr.right).toEqual({ kind: 'lit', value: 19783, type: types.date });
    const d = analyzeExpr(col('day').lt(col('tms')).expr, schema);
    expect(exprToString(d.expr)).toBe('(CAST(day AS timestamp[ms]) < tms)');
  });

  it('makes IN lists literals of the child type and types null literals', () => {
    const a = analyzeExpr(col('amount').isin(1, 2.5, null).expr, schema);
    expect(a.expr).toEqual({
      kind: 'in',
      child: col('amount').expr,
      list: [
        { kind: 'lit', value: 1, type: types.float64 },
        { kind: 'lit', value: 2.5, type: types.float64 },
        { kind: 'lit', value: null, type: types.float64 },
      ],
    });
    const c = analyzeExpr(F.coalesce(col('qty'), lit(null), col('big')).expr, schema);
    expect(c.type).toEqual(types.int64);
    expect(exprToString(c.expr)).toBe('coalesce(CAST(qty AS bigint), NULL, big)');
    const w = analyzeExpr(F.when(col('flag'), 1).when(lit(null), 2.5).otherwise(lit(null)).expr, schema);
    expect(w.type).toEqual(types.float64);
    expect(exprToString(w.expr)).toBe('CASE WHEN flag THEN 1.0 WHEN NULL THEN 2.5 ELSE NULL END');
  });

  it('rejects type errors with the expression, types and a fix', () => {
    const e = thrown(() => analyzeExpr(F.sum('merchant_id').expr, schema, { allowAggregates: true }));
    expect(e.code).toBe('TYPE_MISMATCH');
    expect(e.message).toBe(
      "sum(merchant_id) needs a numeric column, but merchant_id is string. Cast it with col('merchant_id').cast('double') or use count().",
    );
    const a = thrown(() => analyzeExpr(col('qty').and(col('flag')).expr, schema));
    expect(a.code).toBe('TYPE_MISMATCH');
    expect(a.message).toContain('(qty AND flag) needs a boolean, but qty is int');
    expect(thrown(() => analyzeExpr(col('flag').or(lit('x')).expr, schema)).code).toBe('TYPE_MISMATCH');
    expect(thrown(() => analyzeExpr(col('merchant_id').plus(1).expr, schema)).message).toContain("col('merchant_id').cast('double')");
    expect(thrown(() => analyzeExpr(col('merchant_id').gt(col('qty')).expr, schema)).message).toContain('compares string with int');
    expect(thrown(() => analyzeExpr(F.lower('qty').expr, schema)).code).toBe('TYPE_MISMATCH');
    expect(thrown(() => analyzeExpr(col('day').cast('int').expr, schema)).code).toBe('TYPE_MISMATCH');
    expect(thrown(() => analyzeExpr(F.dateTrunc('fortnight', 'ts').expr, schema)).code).toBe('INVALID_ARGUMENT');
  });

  it('allows aggregates only when asked and never nested', () => {
    expect(thrown(() => analyzeExpr(F.sum('qty').expr, schema)).code).toBe('INVALID_PLAN');
    const nested: Expr = { kind: 'agg', fn: 'sum', args: [F.max('qty').expr] };
    expect(thrown(() => analyzeExpr(nested, schema, { allowAggregates: true })).message).toContain('nested');
    const types_ = (e: Expr) => analyzeExpr(e, schema, { allowAggregates: true });
    expect(types_(F.count().expr)).toMatchObject({ type: types.int64, nullable: false });
    expect(types_(F.sum('qty').expr).type).toEqual(types.int64);
    expect(types_(F.sum('amount').expr).type).toEqual(types.float64);
    expect(types_(F.avg('qty').expr).type).toEqual(types.float64);
    expect(types_(F.stddev('big').expr).type).toEqual(types.float64);
    expect(types_(F.max('merchant_id').expr).type).toEqual(types.utf8);
    expect(types_(F.collectList('qty').expr)).toMatchObject({ type: types.list(types.int32), nullable: false });
    expect(types_(F.countDistinct('merchant_id').expr).type).toEqual(types.int64);
    expect(types_(F.sum('qty').divide(F.count()).expr).type).toEqual(types.float64);
  });

  it('gives Spark-like names and SQL text', () => {
    expect(exprOutputName(col('amount').gt(100).expr)).toBe('(amount > 100)');
    expect(exprOutputName(F.sum('amount').expr)).toBe('sum(amount)');
    expect(exprOutputName(F.count().expr)).toBe('count(1)');
    expect(exprOutputName(col('merchant_id').eq('x').expr)).toBe('(merchant_id = x)');
    expect(exprToString(col('merchant_id').eq('x').expr)).toBe("(merchant_id = 'x')");
    expect(exprOutputName(col('qty').cast('bigint').expr)).toBe('CAST(qty AS bigint)');
    expect(exprOutputName(F.when(col('flag'), 'a').otherwise('b').expr)).toBe('CASE WHEN flag THEN a ELSE b END');
    expect(exprOutputName(col('qty').alias('q').expr)).toBe('q');
    expect(exprOutputName(col('qty').isNull().expr)).toBe('(qty IS NULL)');
    expect(exprOutputName(F.countDistinct('qty').expr)).toBe('count(DISTINCT qty)');
    expect(exprOutputName(lit(1.5).expr)).toBe('1.5');
  });

  it('collects aggregate calls and column references', () => {
    const e = F.sum('qty').plus(F.sum('qty')).divide(F.count('big')).expr;
    expect(containsAggregate(e)).toBe(true);
    expect(containsAggregate(col('qty').plus(1).expr)).toBe(false);
    expect(collectAggCalls(e).map((c) => exprToString(c))).toEqual(['sum(qty)', 'count(big)']);
    expect(referencedColumns(col('a').plus(col('b')).gt(col('a')).expr).map((c) => c.name)).toEqual(['a', 'b']);
  });
});
