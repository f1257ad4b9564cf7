import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { types } from '../../../common/data-type.js';
import { field, schemaOf } from '../../../common/schema.js';
import type { DataFrame } from '../../../dataframe/data-frame.js';
import { Column } from '../../../dataframe/expr/column.js';
import type { Expr } from '../../../dataframe/expr/expr.js';
import { col, lit, sum } from '../../../dataframe/expr/functions.js';
import { median, percentileApprox } from '../../../dataframe/expr/functions-percentile.js';
import { grouping, groupingId } from '../../../dataframe/expr/grouping-functions.js';
import { Sluice } from '../../../engine/session/sluice.js';
import { MemoryStream } from '../../../sources/memory/memory-stream.js';

let sluice: Sluice;
let df: DataFrame;

beforeAll(async () => {
  sluice = await Sluice.builder().workers(1).getOrCreate();
  df = sluice.createDataFrame([
    { a: 1, b: 'x', c: 2.5 },
    { a: 3, b: '7', c: null },
    { a: null, b: null, c: 1e10 },
    { a: 4, b: 'x', c: Number.NaN },
  ]);
});

afterAll(async () => {
  await sluice.stop();
});

const agg = (fn: string, args: Expr[]) => new Column(Object.freeze({ kind: 'agg', fn, args }) as Expr);
const litE = (v: number) => lit(v).expr;

describe('percentiles', () => {
  it('accepts the SQL form percentile_approx(col, p, accuracy) and names columns as Spark', async () => {
    const sqlForm = agg('percentileApprox', [col('a').expr, litE(0.5), litE(100)]);
    const out = df.agg(sqlForm, percentileApprox('a', 0.5, 50), median('a'), percentileApprox('a', [0, 1]));
    expect(out.columns).toEqual(['percentile_approx(a, 0.5, 100)', 'percentile_approx(a, 0.5, 50)', 'median(a)', 'percentile_approx(a, array(0, 1), 10000)']);
    const [row] = await out.toDF('p', 'q', 'm', 'r').toArray();
    expect(row).toEqual({ p: 3n, q: 3n, m: 3, r: [1n, 4n] });
  });

  it('refuses bad percentages, accuracies and column types naming the fix', () => {
    expect(() => df.agg(percentileApprox('a', 1.5))).toThrow(/between 0.0 and 1.0, got 1.5/);
    expect(() => df.agg(percentileApprox('a', 0.5, 0))).toThrow(/accuracy must be a positive integer/);
    expect(() => df.agg(percentileApprox('b', 0.5))).toThrow(expect.objectContaining({ code: 'TYPE_MISMATCH' }));
    expect(() => df.agg(agg('percentileApprox', [col('a').expr, col('a').expr]))).toThrow(/percentage must be a literal number/);
  });
});

describe('grouping sets and pivot', () => {
  it('refuses grouping() outside cube/rollup/groupingSets and pivot after cube', () => {
    expect(() => df.groupBy('a').agg(grouping('a'))).toThrow(
      expect.objectContaining({ code: 'INVALID_PLAN', message: expect.stringMatching(/only allowed .* after cube\(\), rollup\(\) or groupingSets\(\)/) }),
    );
    expect(() => df.cube('a').agg(sum('c').plus(grouping('a')))).toThrow(/only allowed as its own column/);
    expect(() => df.rollup('a').agg(groupingId('b'))).toThrow(/'?b'? is not one of the grouping columns/);
    expect(() => df.cube('a').pivot('b', ['x'])).toThrow(/pivot\(\) follows groupBy/);
    expect(() => df.groupingSets([['a'], ['b']], 'a')).toThrow(/b is in a grouping set but not among the grouping columns/);
  });

  it('pivot without values on a stream asks for the values', () => {
    const stream = sluice.readStream.fromSource(new MemoryStream(schemaOf([field('k', types.utf8), field('v', types.int64)]), 'pivot'));
    expect(() => stream.groupBy('k').pivot('v')).toThrow(/pass the values: pivot\(column, \[v1, v2, \.\.\.\]\)/);
  });

  it('rollup gives subtotals and a grand total with grouping ids', async () => {
    const rows = await df.rollup('b', 'a').agg(sum('a').alias('s'), groupingId().alias('id')).orderBy('id', 'b', 'a').toArray();
    expect(rows.map((r) => `${r.b}|${r.a}|${r.s}|${r.id}`)).toEqual([
      'null|null|null|0',
      '7|3|3|0',
      'x|1|1|0',
      'x|4|4|0',
      'null|null|null|1',
      '7|null|3|1',
      'x|null|5|1',
      'null|null|8|3',
    ]);
  });
});

describe('describe and summary', () => {
  it("has Spark's shape and number formatting", async () => {
    const rows = await df.describe().toArray();
    expect(rows).toEqual([
      { summary: 'count', a: '3', b: '3', c: '3' },
      { summary: 'mean', a: '2.6666666666666665', b: '7.0', c: 'NaN' },
      { summary: 'stddev', a: '1.5275252316519468', b: null, c: 'NaN' },
      { summary: 'min', a: '1', b: '7', c: '2.5' },
      { summary: 'max', a: '4', b: 'x', c: 'NaN' },
    ]);
    const s = await df.summary('count', '50%', 'count_distinct').toArray();
    expect(s).toEqual([
      { summary: 'count', a: '3', b: '3', c: '3' },
      { summary: '50%', a: '3', b: null, c: '1.0E10' },
      { summary: 'count_distinct', a: '3', b: '2', c: '3' },
    ]);
  });

  it('names unknown columns and statistics', () => {
    expect(() => df.describe('zz')).toThrow(/unknown column 'zz'/);
    expect(() => df.summary('p99')).toThrow(/unknown statistic 'p99'/);
  });
});

describe('na functions and utilities', () => {
  it('fill treats NaN like null in double columns and refuses a value of the wrong kind', async () => {
    const rows = await df.na.fill(0).toArray();
    expect(rows.map((r) => r.c)).toEqual([2.5, 0, 1e10, 0]);
    expect(rows.map((r) => r.a)).toEqual([1n, 3n, 0n, 4n]);
    expect(() => df.na.fill({ a: 'x' })).toThrow(/column 'a' is bigint and cannot be filled with/);
    expect(await df.na.drop().count()).toBe(1);
    expect(await df.na.drop('all', ['a', 'c']).count()).toBe(4);
  });

  it('toDF checks the number of names', () => {
    expect(() => df.toDF('x')).toThrow(/toDF\(\) got 1 name\(s\) for 3 column\(s\)/);
  });
});

describe('sample', () => {
  it('keeps about the fraction, the same rows for the same seed whatever the partitioning, a subset for a smaller fraction', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => ({ id: i, s: `r${i % 97}` }));
    const one = sluice.createDataFrame(rows);
    const split = one.filter(col('id').lt(10_000)).union(one.filter(col('id').geq(10_000)));
    const ids = async (d: DataFrame) => (await d.select('id').toArray()).map((r) => Number(r.id)).sort((x, y) => x - y);
    const a = await ids(one.sample(0.3, 7));
    expect(a.length).toBeGreaterThan(5700);
    expect(a.length).toBeLessThan(6300);
    expect(await ids(split.sample(false, 0.3, 7))).toEqual(a);
    const b = await ids(one.sample(0.3, 8));
    expect(b).not.toEqual(a);
    const small = await ids(one.sample(0.1, 7));
    expect(small.every((x) => a.includes(x))).toBe(true);
    expect(await one.sample(0, 1).count()).toBe(0);
    expect(await one.sample(1, 1).count()).toBe(20_000);
  });

  it('refuses sampling with replacement and fractions outside [0, 1]', () => {
    expect(() => df.sample(true, 0.5, 1)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
    expect(() => df.sample(1.5)).toThrow(/between 0 and 1/);
  });
});
