import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataFrame } from '../../index.js';
import {
  Sluice,
  abs,
  avg,
  coalesce,
  col,
  collectList,
  concat,
  count,
  countDistinct,
  dateTrunc,
  dayofmonth,
  floor,
  hour,
  length,
  lit,
  lower,
  max,
  min,
  month,
  round,
  stddev,
  substring,
  sum,
  unixMillis,
  upper,
  variance,
  when,
  year,
} from '../../index.js';
import { DuckDbClient } from '../helpers/duckdb-client.js';
import { normalizeRows } from '../helpers/normalize-rows.js';

/**
 * Differential test: the same queries on Sluice (DataFrame API) and DuckDB (SQL) over the
 * same Parquet files, with nulls in every column; results must be equal.
 */
interface Case {
  name: string;
  sluice: (t: DataFrame, d: DataFrame) => DataFrame;
  sql: string;
  ordered?: boolean;
}

const cases: Case[] = [
  { name: 'scan all', sluice: (t) => t, sql: 'SELECT * FROM t' },
  {
    name: 'project arithmetic',
    sluice: (t) => t.select(col('id'), col('x').multiply(2).plus(1).alias('x2'), col('y').minus(col('g')).alias('yg')),
    sql: 'SELECT id, x*2+1 AS x2, y-g AS yg FROM t',
  },
  {
    name: 'division by zero is null',
    sluice: (t) => t.select(col('id'), col('y').divide(col('g')).alias('q')),
    sql: 'SELECT id, CASE WHEN g = 0 THEN NULL ELSE y / g END AS q FROM t',
  },
  { name: 'modulo', sluice: (t) => t.select(col('id'), col('y').mod(7).alias('m')), sql: 'SELECT id, y % 7 AS m FROM t' },
  { name: 'filter gt', sluice: (t) => t.filter(col('x').gt(50)), sql: 'SELECT * FROM t WHERE x > 50' },
  {
    name: 'filter and/or with nulls',
    sluice: (t) => t.filter(col('x').gt(20).and(col('g').lt(5)).or(col('b'))),
    sql: 'SELECT * FROM t WHERE (x > 20 AND g < 5) OR b',
  },
  { name: 'filter not', sluice: (t) => t.filter(col('b').not()), sql: 'SELECT * FROM t WHERE NOT b' },
  { name: 'isNull', sluice: (t) => t.filter(col('s').isNull()).select('id'), sql: 'SELECT id FROM t WHERE s IS NULL' },
  { name: 'isNotNull', sluice: (t) => t.filter(col('x').isNotNull()).select('id', 'x'), sql: 'SELECT id, x FROM t WHERE x IS NOT NULL' },
  {
    name: 'isin strings',
    sluice: (t) => t.filter(col('s').isin('alpha', 'gamma')).select('id', 's'),
    sql: "SELECT id, s FROM t WHERE s IN ('alpha', 'gamma')",
  },
  { name: 'isin ints', sluice: (t) => t.filter(col('g').isin(1, 3, 5)).select('id', 'g'), sql: 'SELECT id, g FROM t WHERE g IN (1, 3, 5)' },
  { name: 'between', sluice: (t) => t.filter(col('x').between(10, 30)).select('id'), sql: 'SELECT id FROM t WHERE x BETWEEN 10 AND 30' },
  {
    name: 'case when',
    sluice: (t) => t.select(col('id'), when(col('x').gt(50), 'big').when(col('x').gt(10), 'mid').otherwise('small').alias('c')),
    sql: "SELECT id, CASE WHEN x > 50 THEN 'big' WHEN x > 10 THEN 'mid' ELSE 'small' END AS c FROM t",
  },
  {
    name: 'case without else',
    sluice: (t) => t.select(col('id'), when(col('g').eq(1), col('y')).alias('c')),
    sql: 'SELECT id, CASE WHEN g = 1 THEN y END AS c FROM t',
  },
  { name: 'coalesce', sluice: (t) => t.select(col('id'), coalesce(col('s'), lit('none')).alias('c')), sql: "SELECT id, coalesce(s, 'none') AS c FROM t" },
  { name: 'cast double to bigint', sluice: (t) => t.select(col('id'), col('x').cast('bigint').alias('c')), sql: 'SELECT id, trunc(x)::BIGINT AS c FROM t' },
  { name: 'cast int to string', sluice: (t) => t.select(col('id'), col('g').cast('string').alias('c')), sql: 'SELECT id, g::VARCHAR AS c FROM t' },
  {
    name: 'string functions',
    sluice: (t) => t.select(col('id'), upper('s').alias('u'), lower(upper('s')).alias('l'), length('s').alias('n')),
    sql: 'SELECT id, upper(s) AS u, lower(upper(s)) AS l, length(s) AS n FROM t',
  },
  { name: 'substring', sluice: (t) => t.select(col('id'), substring('s', 2, 3).alias('sub')), sql: 'SELECT id, substring(s, 2, 3) AS sub FROM t' },
  {
    name: 'concat',
    sluice: (t) => t.select(col('id'), concat(col('s'), lit('-'), col('g').cast('string')).alias('c')),
    sql: "SELECT id, s || '-' || g::VARCHAR AS c FROM t",
  },
  {
    name: 'like / startsWith / contains',
    sluice: (t) => t.filter(col('s').like('%a_a%').or(col('s').startsWith('del')).or(col('s').contains('psi'))).select('id'),
    sql: "SELECT id FROM t WHERE s LIKE '%a_a%' OR starts_with(s, 'del') OR contains(s, 'psi')",
  },
  {
    name: 'time parts',
    sluice: (t) => t.select(col('id'), year('ts').alias('y'), month('ts').alias('m'), dayofmonth('ts').alias('d'), hour('ts').alias('h')),
    sql: 'SELECT id, year(ts) AS y, month(ts) AS m, day(ts) AS d, hour(ts) AS h FROM t',
  },
  { name: 'dateTrunc hour', sluice: (t) => t.select(col('id'), dateTrunc('hour', 'ts').alias('h')), sql: "SELECT id, date_trunc('hour', ts) AS h FROM t" },
  {
    name: 'unixMillis window start',
    sluice: (t) => t.select(col('id'), floor(unixMillis('ts').divide(60000)).multiply(60000).alias('w')),
    sql: 'SELECT id, (epoch_ms(ts) // 60000) * 60000 AS w FROM t',
  },
  {
    name: 'abs and round',
    sluice: (t) => t.select(col('id'), abs(col('x').minus(50)).alias('a'), round(col('x'), 1).alias('r')),
    sql: 'SELECT id, abs(x - 50) AS a, round(x, 1) AS r FROM t',
  },
  { name: 'global count', sluice: (t) => t.agg(count().alias('n')), sql: 'SELECT count(*) AS n FROM t' },
  {
    name: 'global aggregates',
    sluice: (t) => t.agg(count('x').alias('n'), sum('x').alias('s'), avg('x').alias('a'), min('x').alias('lo'), max('x').alias('hi')),
    sql: 'SELECT count(x) AS n, sum(x) AS s, avg(x) AS a, min(x) AS lo, max(x) AS hi FROM t',
  },
  {
    name: 'aggregates over empty input',
    sluice: (t) => t.filter(col('x').gt(1e9)).agg(count().alias('n'), sum('x').alias('s'), max('s').alias('m')),
    sql: 'SELECT count(*) AS n, sum(x) AS s, max(s) AS m FROM t WHERE x > 1e9',
  },
  {
    name: 'group by int with null keys',
    sluice: (t) => t.groupBy('g').agg(count().alias('n'), sum('y').alias('sy')),
    sql: 'SELECT g, count(*) AS n, sum(y) AS sy FROM t GROUP BY g',
  },
  {
    name: 'group by string',
    sluice: (t) => t.groupBy('s').agg(count('x').alias('n'), avg('x').alias('a'), max('ts').alias('mts')),
    sql: 'SELECT s, count(x) AS n, avg(x) AS a, max(ts) AS mts FROM t GROUP BY s',
  },
  {
    name: 'group by two keys',
    sluice: (t) => t.groupBy('g', 'b').agg(min('s').alias('ms'), max('y').alias('my')),
    sql: 'SELECT g, b, min(s) AS ms, max(y) AS my FROM t GROUP BY g, b',
  },
  {
    name: 'group by expression',
    sluice: (t) => t.groupBy(col('y').mod(3).alias('k')).agg(count().alias('n')),
    sql: 'SELECT y % 3 AS k, count(*) AS n FROM t GROUP BY y % 3',
  },
  { name: 'countDistinct', sluice: (t) => t.groupBy('g').agg(countDistinct('s').alias('ds')), sql: 'SELECT g, count(DISTINCT s) AS ds FROM t GROUP BY g' },
  {
    name: 'stddev and variance',
    sluice: (t) => t.groupBy('g').agg(stddev('x').alias('sd'), variance('x').alias('v')),
    sql: 'SELECT g, stddev_samp(x) AS sd, var_samp(x) AS v FROM t GROUP BY g',
  },
  {
    name: 'collectList',
    sluice: (t) => t.filter(col('id').lt(200)).groupBy('g').agg(collectList('s').alias('l')),
    sql: 'SELECT g, list(s) FILTER (WHERE s IS NOT NULL) AS l FROM t WHERE id < 200 GROUP BY g',
  },
  {
    name: 'aggregate expression',
    sluice: (t) => t.groupBy('g').agg(sum('x').divide(count('x')).alias('m'), max('y').minus(min('y')).alias('r')),
    sql: 'SELECT g, sum(x) / count(x) AS m, max(y) - min(y) AS r FROM t GROUP BY g',
  },
  {
    name: 'filter after aggregate',
    sluice: (t) => t.groupBy('s').agg(count().alias('n')).filter(col('n').gt(2000)),
    sql: 'SELECT s, count(*) AS n FROM t GROUP BY s HAVING count(*) > 2000',
  },
  { name: 'inner join using', sluice: (t, d) => t.join(d, 'g').select('id', 'g', 'name', 'w'), sql: 'SELECT id, t.g, name, w FROM t JOIN d ON t.g = d.g' },
  { name: 'left join', sluice: (t, d) => t.join(d, 'g', 'left').select('id', 'name'), sql: 'SELECT id, name FROM t LEFT JOIN d ON t.g = d.g' },
  {
    name: 'right join',
    sluice: (t, d) => t.join(d, 'g', 'right').select('g', 'id', 'name'),
    sql: 'SELECT d.g AS g, id, name FROM t RIGHT JOIN d ON t.g = d.g',
  },
  {
    name: 'full join',
    sluice: (t, d) => t.filter(col('id').lt(500)).join(d, 'g', 'full').select('g', 'id', 'name'),
    sql: 'SELECT coalesce(t.g, d.g) AS g, id, name FROM (SELECT * FROM t WHERE id < 500) t FULL JOIN d ON t.g = d.g',
  },
  { name: 'semi join', sluice: (t, d) => t.join(d, 'g', 'semi').select('id'), sql: 'SELECT id FROM t SEMI JOIN d ON t.g = d.g' },
  { name: 'anti join', sluice: (t, d) => t.join(d, 'g', 'anti').select('id'), sql: 'SELECT id FROM t ANTI JOIN d ON t.g = d.g' },
  {
    name: 'join with extra condition',
    sluice: (t, d) =>
      t
        .alias('a')
        .join(
          d.alias('b'),
          col('a.g')
            .eq(col('b.g'))
            .and(col('a.x').gt(col('b.w'))),
          'left',
        )
        .select(col('a.id'), col('b.name')),
    sql: 'SELECT t.id, d.name FROM t LEFT JOIN d ON t.g = d.g AND t.x > d.w',
  },
  {
    name: 'join then aggregate',
    sluice: (t, d) => t.join(d, 'g').groupBy('name').agg(count().alias('n'), sum('x').alias('sx')),
    sql: 'SELECT name, count(*) AS n, sum(x) AS sx FROM t JOIN d ON t.g = d.g GROUP BY name',
  },
  {
    name: 'order by asc nulls first',
    sluice: (t) => t.select('id', 'x').orderBy(col('x').asc(), col('id').asc()),
    sql: 'SELECT id, x FROM t ORDER BY x ASC NULLS FIRST, id',
    ordered: true,
  },
  {
    name: 'order by desc nulls last',
    sluice: (t) => t.select('id', 's').orderBy(col('s').desc(), col('id').desc()),
    sql: 'SELECT id, s FROM t ORDER BY s DESC NULLS LAST, id DESC',
    ordered: true,
  },
  {
    name: 'order by + limit',
    sluice: (t) => t.select('id', 'y').orderBy(col('y').descNullsLast(), col('id').asc()).limit(25),
    sql: 'SELECT id, y FROM t ORDER BY y DESC NULLS LAST, id LIMIT 25',
    ordered: true,
  },
  { name: 'distinct', sluice: (t) => t.select('g', 'b').distinct(), sql: 'SELECT DISTINCT g, b FROM t' },
  { name: 'dropDuplicates keeps one row per key', sluice: (t) => t.dropDuplicates(['s']).select('s'), sql: 'SELECT DISTINCT s FROM t' },
  {
    name: 'union',
    sluice: (t) =>
      t
        .select('id', 'g')
        .filter(col('id').lt(100))
        .union(t.select('id', 'g').filter(col('id').gt(19900))),
    sql: 'SELECT id, g FROM t WHERE id < 100 UNION ALL SELECT id, g FROM t WHERE id > 19900',
  },
  {
    name: 'unionByName',
    sluice: (t) =>
      t
        .select('id', 'g')
        .filter(col('id').lt(50))
        .unionByName(t.select('g', 'id').filter(col('id').gt(19950))),
    sql: 'SELECT id, g FROM t WHERE id < 50 UNION ALL SELECT id, g FROM t WHERE id > 19950',
  },
  {
    name: 'withColumn and rename and drop',
    sluice: (t) =>
      t
        .withColumn('z', col('y').multiply(col('g')))
        .withColumnRenamed('s', 'label')
        .drop('ts', 'b'),
    sql: 'SELECT id, g, s AS label, x, y, y * g AS z FROM t',
  },
];

describe('Sluice equals DuckDB on the same Parquet data', () => {
  let dir: string;
  let duck: DuckDbClient;
  let sluice: Sluice;
  let t: DataFrame;
  let d: DataFrame;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-diff-'));
    duck = await DuckDbClient.open(1);
    await duck.query(`COPY (
      SELECT i::BIGINT AS id,
        CASE WHEN i % 17 = 0 THEN NULL ELSE (i * 7) % 10 END::INTEGER AS g,
        CASE WHEN i % 13 = 0 THEN NULL ELSE ['alpha','beta','gamma','delta','epsilon','kappa','lambda'][(i * 31) % 7 + 1] END AS s,
        CASE WHEN i % 11 = 0 THEN NULL ELSE ((i * 7919) % 10007) / 100.0 END::DOUBLE AS x,
        CASE WHEN i % 19 = 0 THEN NULL ELSE (i * 104729) % 1000003 - 500000 END::BIGINT AS y,
        CASE WHEN i % 23 = 0 THEN NULL ELSE i % 3 = 0 END AS b,
        TIMESTAMP '2024-01-01 00:00:00' + to_milliseconds(((i * 7727) % 86400000)::BIGINT) AS ts
      FROM range(20000) r(i)) TO '${dir}/t.parquet' (FORMAT parquet, ROW_GROUP_SIZE 4096)`);
    await duck.query(`COPY (
      SELECT * FROM (VALUES (0, 'zero', 10.0), (1, 'one', 20.0), (2, 'two', 30.0), (3, 'three', NULL), (5, 'five', 50.0), (42, 'extra', 1.0)) v(g, name, w)
    ) TO '${dir}/d.parquet' (FORMAT parquet)`);
    await duck.query(`CREATE VIEW t AS SELECT * FROM '${dir}/t.parquet'`);
    await duck.query(`CREATE VIEW d AS SELECT g::INTEGER AS g, name, w::DOUBLE AS w FROM '${dir}/d.parquet'`);
    sluice = await Sluice.builder().workers(2).getOrCreate();
    t = await sluice.read.parquet(`${dir}/t.parquet`);
    d = (await sluice.read.parquet(`${dir}/d.parquet`)).select(col('g').cast('int').alias('g'), col('name'), col('w').cast('double').alias('w'));
  });

  afterAll(async () => {
    await sluice?.stop();
    duck?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has at least 40 queries', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  for (const c of cases) {
    it(c.name, async () => {
      const df = c.sluice(t, d);
      const mine = await df.toArray();
      const theirs = await duck.query(c.sql);
      const columns = df.columns;
      expect(Object.keys(theirs[0] ?? Object.fromEntries(columns.map((x) => [x, null])))).toEqual(columns);
      expect(mine.length).toBe(theirs.length);
      expect(normalizeRows(mine, columns, { ordered: c.ordered ?? false })).toEqual(normalizeRows(theirs, columns, { ordered: c.ordered ?? false }));
    });
  }
});
