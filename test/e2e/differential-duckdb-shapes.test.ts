import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataFrame } from '../../index.js';
import { Sluice, Window, avg, col, count, grouping, lit, groupingId, max, median, percentile, percentileApprox, sum } from '../../index.js';
import { DuckDbClient } from '../helpers/duckdb-client.js';
import { normalizeRows } from '../helpers/normalize-rows.js';
import { sparkPercentileSql as q, writeShapesDataset } from '../helpers/shapes-dataset.js';

/**
 * Differential tests of the "shapes" API (percentiles, pivot, cube, rollup, grouping sets,
 * set operations, na functions): the same query on Sluice and DuckDB over the same Parquet
 * file with nulls in every column; the rows must be equal.
 */
interface Case {
  name: string;
  sluice: (t: DataFrame) => DataFrame;
  sql: string;
  ordered?: boolean;
}

const cases: Case[] = [
  {
    name: 'percentileApprox and median per group',
    sluice: (t) =>
      t
        .groupBy('g')
        .agg(
          percentileApprox('x', 0.25).alias('p25'),
          percentileApprox(col('y'), 0.5, 100).alias('p50'),
          percentileApprox('d', 0.9).alias('d90'),
          median('x').alias('mx'),
          median('y').alias('my'),
          count().alias('n'),
        ),
    sql: `SELECT g, ${q('x', 0.25)} AS p25, ${q('y', 0.5)} AS p50, ${q('d', 0.9)} AS d90, median(x) AS mx, quantile_cont(y, 0.5) AS my, count(*) AS n FROM t GROUP BY g`,
  },
  {
    name: 'percentileApprox with an array of percentages, and percentile',
    sluice: (t) =>
      t.groupBy('k').agg(percentileApprox('y', [0.1, 0.5, 0.99]).alias('ps'), percentile('x', [0.3, 0.7]).alias('qs'), percentile('y', 0.05).alias('q5')),
    sql: `SELECT k, [${q('y', 0.1)}, ${q('y', 0.5)}, ${q('y', 0.99)}] AS ps, [quantile_cont(x, 0.3), quantile_cont(x, 0.7)] AS qs, quantile_cont(y, 0.05) AS q5 FROM t GROUP BY k`,
  },
  {
    name: 'percentile of a whole table and of an empty group',
    sluice: (t) => t.filter(col('id').lt(0)).agg(median('x').alias('m'), percentileApprox('y', 0.5).alias('p'), sum('y').alias('s')),
    sql: 'SELECT median(x) AS m, quantile_disc(y, 0.5) AS p, sum(y) AS s FROM t WHERE id < 0',
  },
  {
    name: 'percentiles over windows: whole partitions and sliding rows frames',
    sluice: (t) =>
      t.select(
        col('id'),
        median('x').over(Window.partitionBy('g')).alias('m'),
        percentileApprox('y', 0.5).over(Window.partitionBy('g')).alias('p'),
        percentile('x', 0.25).over(Window.partitionBy('k').orderBy('id').rowsBetween(-3, Window.currentRow)).alias('q'),
      ),
    sql: `WITH p AS (SELECT g, ${q('y', 0.5)} AS p FROM t GROUP BY g)
      SELECT t.id, median(x) OVER (PARTITION BY t.g) AS m, p.p AS p, quantile_cont(x, 0.25) OVER (PARTITION BY k ORDER BY id ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) AS q
      FROM t JOIN p ON t.g IS NOT DISTINCT FROM p.g`,
  },
  {
    name: 'cube with grouping() and groupingId()',
    sluice: (t) => t.cube('g', 'k').agg(sum('y').alias('s'), count().alias('n'), grouping('k').alias('gk'), groupingId().alias('gid')),
    sql: 'SELECT g, k, sum(y) AS s, count(*) AS n, grouping(k) AS gk, grouping(g, k) AS gid FROM t GROUP BY CUBE (g, k)',
  },
  {
    name: 'rollup over an expression and a column',
    sluice: (t) => t.rollup(col('id').mod(3).alias('m'), 'k').agg(max('x').alias('mx'), groupingId('m', 'k').alias('gid')),
    sql: 'SELECT id % 3 AS m, k, max(x) AS mx, grouping(m, k) AS gid FROM t GROUP BY ROLLUP (m, k)',
  },
  {
    name: 'groupingSets, with a repeated set',
    sluice: (t) => t.groupingSets([['g', 'k'], ['g'], [], ['g']], 'g', 'k').agg(avg('x').alias('a'), grouping('g').alias('gg')),
    sql: 'SELECT g, k, avg(x) AS a, grouping(g) AS gg FROM t GROUP BY GROUPING SETS ((g, k), (g), (), (g))',
  },
  {
    name: 'intersect and except (distinct), nulls equal',
    sluice: (t) =>
      t
        .select('g', 'k')
        .intersect(t.filter(col('id').mod(2).eq(0)).select('g', 'k'))
        .union(
          t
            .filter(col('id').lt(1000))
            .select('g', 'k')
            .except(t.filter(col('id').gt(3000)).select('g', 'k')),
        ),
    sql: `(SELECT g, k FROM t INTERSECT SELECT g, k FROM t WHERE id % 2 = 0) UNION ALL (SELECT g, k FROM t WHERE id < 1000 EXCEPT SELECT g, k FROM t WHERE id > 3000)`,
  },
  {
    name: 'intersect of an int and a bigint column widens to bigint',
    sluice: (t) => t.select('g').intersect(t.select('y')),
    sql: 'SELECT g FROM t INTERSECT SELECT y FROM t',
  },
  {
    name: 'intersectAll and exceptAll keep duplicate counts',
    sluice: (t) => {
      const a = t.filter(col('id').lt(2500)).select('g', 'k');
      const b = t.filter(col('id').mod(3).eq(0)).select('g', 'k');
      return a
        .intersectAll(b)
        .withColumn('op', lit('i'))
        .union(a.exceptAll(b).withColumn('op', lit('e')));
    },
    sql: `SELECT *, 'i' AS op FROM (SELECT g, k FROM t WHERE id < 2500 INTERSECT ALL SELECT g, k FROM t WHERE id % 3 = 0)
      UNION ALL SELECT *, 'e' AS op FROM (SELECT g, k FROM t WHERE id < 2500 EXCEPT ALL SELECT g, k FROM t WHERE id % 3 = 0)`,
  },
  {
    name: 'na.fill: by kind, by subset (cast to int), by column map; fillna',
    sluice: (t) => t.na.fill(2.7, ['g', 'x']).na.fill('none').fillna({ y: -1 }).select('id', 'g', 'k', 'x', 'y'),
    sql: "SELECT id, coalesce(g, 2) AS g, coalesce(k, 'none') AS k, coalesce(x, 2.7) AS x, coalesce(y, -1) AS y FROM t",
  },
  {
    name: 'na.drop: any, all, thresh; dropna',
    sluice: (t) =>
      t.na
        .drop('any', ['g', 'k'])
        .select('id')
        .withColumn('how', lit('any'))
        .union(t.na.drop('all', ['x', 'y']).select('id').withColumn('how', lit('all')))
        .union(
          t
            .dropna({ thresh: 4, subset: ['g', 'k', 'x', 'y', 'd'] })
            .select('id')
            .withColumn('how', lit('thresh')),
        ),
    sql: `SELECT id, 'any' AS how FROM t WHERE g IS NOT NULL AND k IS NOT NULL
      UNION ALL SELECT id, 'all' FROM t WHERE x IS NOT NULL OR y IS NOT NULL
      UNION ALL SELECT id, 'thresh' FROM t WHERE (g IS NOT NULL)::INT + (k IS NOT NULL)::INT + (x IS NOT NULL)::INT + (y IS NOT NULL)::INT + (d IS NOT NULL)::INT >= 4`,
  },
  {
    name: 'na.replace: strings in one column (to null), numbers in every numeric column',
    sluice: (t) =>
      t.na
        .replace(
          'k',
          new Map([
            ['red', 'rouge'],
            ['blue', null],
          ]),
        )
        .na.replace('*', new Map([[0, 100]]))
        .select('id', 'g', 'k', 'y'),
    sql: "SELECT CASE WHEN id = 0 THEN 100 ELSE id END AS id, CASE WHEN g = 0 THEN 100 ELSE g END AS g, CASE WHEN k = 'red' THEN 'rouge' WHEN k = 'blue' THEN NULL ELSE k END AS k, CASE WHEN y = 0 THEN 100 ELSE y END AS y FROM t",
  },
  {
    name: 'withColumns replaces in place and appends; toDF renames; transform chains',
    sluice: (t) =>
      t
        .select('id', 'g', 'x')
        .withColumns({ g: col('g').plus(1), z: col('x').multiply(2) })
        .toDF('a', 'b', 'c', 'd')
        .transform((df) => df.filter(col('b').gt(2))),
    sql: 'SELECT id AS a, g + 1 AS b, x AS c, x * 2 AS d FROM t WHERE g + 1 > 2',
  },
];

/** Cases whose Sluice side is async (pivot without values runs a job first). */
const asyncCases: { name: string; sluice: (t: DataFrame) => Promise<DataFrame>; sql: string; ordered?: boolean }[] = [
  {
    name: 'pivot without values: distinct values sorted, null included',
    sluice: async (t) => (await t.groupBy('g').pivot('k')).sum('y'),
    sql: `SELECT g, sum(y) FILTER (WHERE k IS NULL) AS "null", sum(y) FILTER (WHERE k = 'blue') AS blue, sum(y) FILTER (WHERE k = 'green') AS green, sum(y) FILTER (WHERE k = 'red') AS red FROM t GROUP BY g`,
  },
  {
    name: 'pivot with values and several aggregates',
    sluice: async (t) => t.groupBy('k').pivot('g', [0, 3, 42]).agg(avg('x').alias('a'), percentileApprox('y', 0.5).alias('p')),
    sql: `SELECT k, avg(x) FILTER (WHERE g = 0) AS "0_a", ${q('y', 0.5, 'g = 0')} AS "0_p", avg(x) FILTER (WHERE g = 3) AS "3_a", ${q('y', 0.5, 'g = 3')} AS "3_p", NULL::DOUBLE AS "42_a", NULL::BIGINT AS "42_p" FROM t GROUP BY k`,
  },
];

describe('shapes: Sluice equals DuckDB', () => {
  let dir: string;
  let duck: DuckDbClient;
  let sluice: Sluice;
  let t: DataFrame;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-shapes-'));
    duck = await DuckDbClient.open(1);
    await writeShapesDataset(duck, dir);
    sluice = await Sluice.builder().workers(2).getOrCreate();
    t = await sluice.read.parquet(`${dir}/t.parquet`);
  });

  afterAll(async () => {
    await sluice?.stop();
    duck?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('describe and summary equal DuckDB statistics (numbers parsed from the strings)', async () => {
    const mine = await t.summary('count', 'mean', 'stddev', 'min', '25%', '75%', 'max').toArray();
    expect(mine.map((r) => r.summary)).toEqual(['count', 'mean', 'stddev', 'min', '25%', '75%', 'max']);
    expect(Object.keys(mine[0] ?? {})).toEqual(['summary', 'id', 'g', 'k', 'x', 'y']);
    const stats = (c: string) =>
      `count(${c})::VARCHAR, avg(${c})::VARCHAR, stddev_samp(${c})::VARCHAR, min(${c})::VARCHAR, (${q(c, 0.25)})::VARCHAR, (${q(c, 0.75)})::VARCHAR, max(${c})::VARCHAR`;
    for (const c of ['id', 'g', 'x', 'y']) {
      const [row] = await duck.query(`SELECT ${stats(c)} FROM t`);
      const theirs = Object.values(row ?? {}).map((v) => Number(v));
      const got = mine.map((r) => Number(r[c]));
      expect(got.map((v) => Number(v.toPrecision(10)))).toEqual(theirs.map((v) => Number(v.toPrecision(10))));
    }
    const [k] = await duck.query('SELECT count(k)::VARCHAR AS n, min(k) AS lo, max(k) AS hi FROM t');
    expect(mine.map((r) => r.k)).toEqual([k?.n, null, null, k?.lo, null, null, k?.hi]);
    const d = await t.describe('x').toArray();
    expect(d.map((r) => r.x)).toEqual([mine[0]?.x, mine[1]?.x, mine[2]?.x, mine[3]?.x, mine[6]?.x]);
  });

  for (const c of [...cases, ...asyncCases]) {
    it(c.name, async () => {
      const df = await c.sluice(t);
      const mine = await df.toArray();
      const theirs = await duck.query(c.sql);
      const columns = df.columns;
      expect(Object.keys(theirs[0] ?? Object.fromEntries(columns.map((x) => [x, null])))).toEqual(columns);
      expect(mine.length).toBe(theirs.length);
      const opts = { ordered: c.ordered ?? false, sortArrays: false };
      expect(normalizeRows(mine, columns, opts)).toEqual(normalizeRows(theirs, columns, opts));
    });
  }
});
