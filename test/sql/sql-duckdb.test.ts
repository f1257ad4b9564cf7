import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sluice } from '../../index.js';
import { DuckDbClient } from '../helpers/duckdb-client.js';
import { normalizeRows } from '../helpers/normalize-rows.js';

/**
 * Differential test of the SQL front end: the same SQL text runs in Sluice (`sluice.sql`)
 * and in DuckDB over the same seeded Parquet data (nulls in every column); the rows must be
 * equal. `duck` overrides the text where the dialects differ (Spark's LEFT SEMI JOIN is
 * DuckDB's SEMI JOIN, for example); `ordered` compares in order.
 */
interface Case {
  name: string;
  sql: string;
  duck?: string;
  ordered?: boolean;
}

const cases: Case[] = [
  { name: 'select star', sql: 'SELECT * FROM t' },
  { name: 'expressions and aliases', sql: 'SELECT id, x * 2 + 1 AS x2, y - g AS yg, -x AS nx, y % 7 AS m, x / 4 AS q FROM t' },
  { name: 'implicit alias and quoted names', sql: 'SELECT id `the id`, s AS `s-name` FROM t', duck: 'SELECT id "the id", s AS "s-name" FROM t' },
  { name: 'where with three-valued logic', sql: 'SELECT id FROM t WHERE (x > 20 AND g < 5) OR b' },
  { name: 'where not', sql: 'SELECT id, b FROM t WHERE NOT b' },
  { name: 'is null / is not null', sql: 'SELECT id, x FROM t WHERE s IS NULL OR x IS NOT NULL AND g IS NULL' },
  { name: 'in and not in', sql: "SELECT id, s, g FROM t WHERE s IN ('alpha', 'gamma') AND g NOT IN (1, 3)" },
  { name: 'between and not between', sql: 'SELECT id FROM t WHERE x BETWEEN 10 AND 30 AND y NOT BETWEEN -1000 AND 1000' },
  { name: 'like and not like', sql: "SELECT id, s FROM t WHERE s LIKE '%ta' OR s NOT LIKE 'a%' AND s LIKE '_a%'" },
  { name: 'ilike', sql: "SELECT id, s FROM t WHERE s ILIKE 'AL%' OR s NOT ILIKE '%A'" },
  { name: 'case with operand', sql: "SELECT id, CASE g WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END AS c FROM t" },
  { name: 'case searched without else', sql: "SELECT id, CASE WHEN x > 50 THEN 'hi' WHEN x > 10 THEN 'mid' END AS c FROM t" },
  {
    name: 'cast and ::',
    sql: 'SELECT id, CAST(x AS BIGINT) AS xi, g::DOUBLE AS gd, CAST(g AS STRING) AS gs FROM t',
    // Spark's cast of a double to an integer truncates; DuckDB's rounds.
    duck: 'SELECT id, CAST(trunc(x) AS BIGINT) AS xi, g::DOUBLE AS gd, CAST(g AS STRING) AS gs FROM t',
  },
  { name: 'string functions and ||', sql: "SELECT id, upper(s) AS u, lower(s) AS l, length(s) AS n, s || '-' || s AS ss, substr(s, 2, 3) AS sub FROM t" },
  {
    name: 'coalesce, nvl, ifnull',
    sql: "SELECT id, coalesce(x, y, 0) AS c, nvl(g, -1) AS n, ifnull(s, 'none') AS i FROM t",
    duck: "SELECT id, coalesce(x, y, 0) AS c, coalesce(g, -1) AS n, ifnull(s, 'none') AS i FROM t",
  },
  { name: 'math functions', sql: 'SELECT id, abs(y) AS a, round(x, 1) AS r, floor(x) AS f, ceil(x) AS c, sqrt(abs(x)) AS q FROM t' },
  { name: 'date parts', sql: 'SELECT id, year(ts) AS yy, month(ts) AS mm, dayofmonth(ts) AS dd, hour(ts) AS hh, minute(ts) AS mi FROM t' },
  { name: 'typed literals', sql: "SELECT id FROM t WHERE ts < TIMESTAMP '2024-01-01 06:00:00' AND CAST(ts AS DATE) = DATE '2024-01-01'" },
  { name: 'global aggregates', sql: 'SELECT count(*) AS n, count(x) AS nx, sum(y) AS sy, avg(x) AS ax, min(s) AS mn, max(ts) AS mx FROM t' },
  { name: 'group by with nulls as a group', sql: 'SELECT g, count(*) AS n, sum(x) AS sx, avg(y) AS ay FROM t GROUP BY g' },
  { name: 'aggregates before keys', sql: 'SELECT count(*) AS n, g, s FROM t GROUP BY g, s' },
  { name: 'group by expression', sql: 'SELECT g % 3 AS k, count(*) AS n FROM t GROUP BY g % 3' },
  { name: 'group by alias and ordinal', sql: 'SELECT g % 3 AS k, s, max(x) AS mx FROM t GROUP BY k, 2' },
  { name: 'key expression over grouped column', sql: 'SELECT g + 1 AS g1, sum(x) AS sx FROM t GROUP BY g' },
  { name: 'expression of aggregates', sql: 'SELECT g, sum(x) / count(x) AS mean, max(y) - min(y) AS spread FROM t GROUP BY g' },
  { name: 'count distinct', sql: 'SELECT g, count(DISTINCT s) AS ns FROM t GROUP BY g' },
  { name: 'having on an aggregate in the select list', sql: 'SELECT g, count(*) AS n FROM t GROUP BY g HAVING count(*) > 550' },
  { name: 'having on a hidden aggregate', sql: 'SELECT g, count(*) AS n FROM t GROUP BY g HAVING avg(x) > 50 AND g IS NOT NULL' },
  { name: 'having on an alias', sql: 'SELECT s, sum(y) AS total FROM t GROUP BY s HAVING total > 0' },
  { name: 'group by rollup', sql: 'SELECT g, b, count(*) AS n, sum(x) AS sx FROM t WHERE g < 4 GROUP BY ROLLUP(g, b)' },
  {
    name: 'group by with cube',
    sql: 'SELECT b, s, count(*) AS n FROM t GROUP BY b, s WITH CUBE',
    duck: 'SELECT b, s, count(*) AS n FROM t GROUP BY CUBE(b, s)',
  },
  { name: 'group by grouping sets', sql: 'SELECT g, s, max(y) AS my FROM t GROUP BY GROUPING SETS ((g, s), (g), ())' },
  { name: 'distinct', sql: 'SELECT DISTINCT g, b FROM t' },
  { name: 'order by and limit', sql: 'SELECT id, x FROM t ORDER BY x DESC NULLS LAST, id LIMIT 25', ordered: true },
  { name: 'order by a column not selected', sql: 'SELECT id FROM t ORDER BY y NULLS FIRST, id LIMIT 30', ordered: true },
  { name: 'order by ordinal and alias', sql: 'SELECT id AS i, x * 2 AS x2 FROM t ORDER BY 2 DESC NULLS LAST, i LIMIT 20', ordered: true },
  { name: 'order by an aggregate not selected', sql: 'SELECT g FROM t GROUP BY g ORDER BY sum(x) DESC NULLS LAST', ordered: true },
  { name: 'order by a grouped result', sql: 'SELECT s, count(*) AS n FROM t GROUP BY s ORDER BY n DESC, s NULLS FIRST', ordered: true },
  { name: 'inner join on', sql: 'SELECT t.id, d.name, d.w FROM t JOIN d ON t.g = d.g' },
  { name: 'join with aliases and extra condition', sql: 'SELECT a.id, b.name FROM t a INNER JOIN d b ON a.g = b.g AND a.x > b.w' },
  { name: 'left join', sql: 'SELECT t.id, d.name FROM t LEFT OUTER JOIN d ON t.g = d.g' },
  { name: 'right join', sql: 'SELECT t.id, d.name FROM t RIGHT JOIN d ON t.g = d.g' },
  { name: 'full join', sql: 'SELECT t.id, d.name, d.g FROM t FULL OUTER JOIN d ON t.g = d.g' },
  { name: 'left semi join', sql: 'SELECT * FROM t LEFT SEMI JOIN d ON t.g = d.g', duck: 'SELECT * FROM t SEMI JOIN d ON t.g = d.g' },
  { name: 'left anti join', sql: 'SELECT * FROM t LEFT ANTI JOIN d ON t.g = d.g', duck: 'SELECT * FROM t ANTI JOIN d ON t.g = d.g' },
  { name: 'join using', sql: 'SELECT g, id, name FROM t JOIN d USING (g)' },
  { name: 'cross join with a filter', sql: 'SELECT t.id, d.name FROM t CROSS JOIN d WHERE t.id < 5' },
  { name: 'comma join', sql: 'SELECT t.id, d.name FROM t, d WHERE t.g = d.g AND t.id < 100' },
  { name: 'union all', sql: 'SELECT id, s FROM t WHERE g = 1 UNION ALL SELECT id, s FROM t WHERE g = 2' },
  { name: 'union distinct', sql: 'SELECT g FROM t UNION SELECT g FROM d' },
  { name: 'union with order and limit', sql: 'SELECT g FROM t UNION SELECT g FROM d ORDER BY g DESC NULLS LAST LIMIT 4', ordered: true },
  { name: 'intersect', sql: 'SELECT g FROM t INTERSECT SELECT g FROM d' },
  { name: 'except', sql: 'SELECT g, name FROM d EXCEPT SELECT g, s FROM t' },
  { name: 'intersect all and except all', sql: '(SELECT g FROM t WHERE id < 40 INTERSECT ALL SELECT g FROM t WHERE id < 60) EXCEPT ALL SELECT g FROM d' },
  { name: 'subquery in from', sql: 'SELECT k, n FROM (SELECT g AS k, count(*) AS n FROM t GROUP BY g) sub WHERE n > 550' },
  {
    name: 'ctes',
    sql: 'WITH big AS (SELECT * FROM t WHERE x > 50), agg AS (SELECT g, count(*) AS n FROM big GROUP BY g) SELECT agg.g, n, name FROM agg LEFT JOIN d ON agg.g = d.g',
  },
  { name: 'window running sum', sql: 'SELECT id, g, sum(y) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS run FROM t' },
  { name: 'window moving average', sql: 'SELECT id, avg(x) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING) AS mv FROM t' },
  { name: 'window whole partition', sql: 'SELECT id, count(*) OVER (PARTITION BY s) AS n, max(x) OVER (PARTITION BY s) AS mx FROM t' },
  { name: 'window range frame', sql: 'SELECT id, count(*) OVER (PARTITION BY g ORDER BY y RANGE BETWEEN 1000 PRECEDING AND CURRENT ROW) AS n FROM t' },
  {
    name: 'window over a grouped result',
    sql: 'SELECT g, sum(x) AS sx, sum(sum(x)) OVER (ORDER BY g NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cum FROM t GROUP BY g',
  },
  {
    name: 'group by a tumbling window',
    sql: "SELECT w.start AS ws, w.end AS we, n FROM (SELECT window(ts, '1 hour') AS w, count(*) AS n, sum(x) AS sx FROM t GROUP BY window(ts, INTERVAL 1 HOUR))",
    duck: "SELECT time_bucket(INTERVAL '1 hour', ts) AS ws, time_bucket(INTERVAL '1 hour', ts) + INTERVAL '1 hour' AS we, count(*) AS n FROM t GROUP BY 1",
  },
  { name: 'star with more columns', sql: 'SELECT *, w + 1 AS w1 FROM d' },
  { name: 'qualified star of a join', sql: 'SELECT d.*, t.id FROM t JOIN d ON t.g = d.g WHERE t.id < 50' },
  { name: 'self join', sql: 'SELECT a.id, b.id AS bid FROM t a JOIN t b ON a.id = b.id + 1 WHERE a.id < 200' },
  {
    name: 'nested ctes and subqueries',
    sql: 'WITH a AS (SELECT g, x FROM t WHERE g < 5), b AS (SELECT g, max(x) AS mx FROM a GROUP BY g) SELECT * FROM (SELECT g, mx * 2 AS m2 FROM b) q WHERE m2 > 10',
  },
  { name: 'distinct with order by', sql: 'SELECT DISTINCT s FROM t ORDER BY s NULLS FIRST', ordered: true },
  { name: 'big integer literals', sql: 'SELECT id + 3000000000 AS big, id * 2147483647 AS m FROM t WHERE id < 10' },
  { name: 'in subquery', sql: 'SELECT id, g FROM t WHERE x > 10 AND g IN (SELECT g FROM d WHERE w > 15) AND id < 3000' },
  {
    name: 'in subquery with a cte and aggregate',
    sql: "WITH big AS (SELECT s FROM t GROUP BY s HAVING count(*) > 10 AND s < 'e') SELECT s, count(*) AS n FROM t WHERE s IN (SELECT s FROM big) GROUP BY s",
  },
  { name: 'select without from', sql: "SELECT 1 + 2 AS three, 'x' || 'y' AS xy, CAST('2024-02-03' AS DATE) AS d, NULL AS n" },
  {
    name: 'timestamp +/- interval',
    sql: "SELECT id, ts + INTERVAL 1 HOUR 30 MINUTES AS a, ts - INTERVAL '2 days' AS b, ts + INTERVAL 1 MONTH AS c FROM t",
    duck: "SELECT id, ts + INTERVAL '90 minutes' AS a, ts - INTERVAL '2 days' AS b, ts + INTERVAL '1 month' AS c FROM t",
  },
  { name: 'rlike', sql: "SELECT id, s FROM t WHERE s RLIKE '^(a|g).*a$'", duck: "SELECT id, s FROM t WHERE regexp_matches(s, '^(a|g).*a$')" },
];

describe('SQL: Sluice and DuckDB give the same rows', () => {
  let dir: string;
  let duck: DuckDbClient;
  let sluice: Sluice;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-sql-diff-'));
    duck = await DuckDbClient.open(1);
    await duck.query(`COPY (
      SELECT i::BIGINT AS id,
        CASE WHEN i % 17 = 0 THEN NULL ELSE (i * 7) % 10 END::INTEGER AS g,
        CASE WHEN i % 13 = 0 THEN NULL ELSE ['alpha','beta','gamma','delta','epsilon','kappa','lambda'][(i * 31) % 7 + 1] END AS s,
        CASE WHEN i % 11 = 0 THEN NULL ELSE ((i * 7919) % 10007) / 100.0 END::DOUBLE AS x,
        CASE WHEN i % 19 = 0 THEN NULL ELSE (i * 104729) % 1000003 - 500000 END::BIGINT AS y,
        CASE WHEN i % 23 = 0 THEN NULL ELSE i % 3 = 0 END AS b,
        TIMESTAMP '2024-01-01 00:00:00' + to_milliseconds(((i * 7727) % 86400000)::BIGINT) AS ts
      FROM range(6000) r(i)) TO '${dir}/t.parquet' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
    await duck.query(`COPY (
      SELECT g::INTEGER AS g, name, w::DOUBLE AS w FROM (VALUES (0, 'zero', 10.0), (1, 'one', 20.0), (2, 'two', 30.0), (3, 'three', NULL), (5, 'five', 50.0), (42, 'extra', 1.0)) v(g, name, w)
    ) TO '${dir}/d.parquet' (FORMAT parquet)`);
    await duck.query(`CREATE VIEW t AS SELECT * FROM '${dir}/t.parquet'`);
    await duck.query(`CREATE VIEW d AS SELECT * FROM '${dir}/d.parquet'`);
    sluice = await Sluice.builder().workers(2).getOrCreate();
    // One view read through SQL's file syntax, the other through the reader.
    (await sluice.sql(`SELECT * FROM parquet.\`${dir}/t.parquet\``)).createOrReplaceTempView('t');
    (await sluice.read.parquet(`${dir}/d.parquet`)).createOrReplaceTempView('D');
  });

  afterAll(async () => {
    await sluice?.stop();
    duck?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const c of cases) {
    it(c.name, async () => {
      const got = await (await sluice.sql(c.sql)).toArray();
      const want = await duck.query(c.duck ?? c.sql);
      expect(want.length).toBeGreaterThan(0);
      const cols = Object.keys(want[0] as object);
      expect(Object.keys(got[0] ?? {})).toEqual(cols);
      expect(normalizeRows(got, cols, { ordered: c.ordered })).toEqual(normalizeRows(want, cols, { ordered: c.ordered }));
    });
  }
});
