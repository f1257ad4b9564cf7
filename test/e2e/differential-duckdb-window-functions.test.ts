import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataFrame } from '../../index.js';
import { col, count, cumeDist, denseRank, firstValue, lag, lastValue, lead, ntile, percentRank, rank, rowNumber, Sluice, sum, Window } from '../../index.js';
import { DuckDbClient } from '../helpers/duckdb-client.js';
import { normalizeRows } from '../helpers/normalize-rows.js';

/**
 * Ranking, offset and frame-value window functions against DuckDB on a seeded set with
 * null partition keys, null and tied order values and null values (3,000 rows, several
 * row groups). Orders that break ties use the unique `id`; Spark's null placement (nulls
 * first ascending, last descending) is spelled out on the DuckDB side.
 */
let dir: string;
let duck: DuckDbClient;
let sluice: Sluice;
let t: DataFrame;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-diff-wfn-'));
  duck = await DuckDbClient.open(1);
  await duck.query(`COPY (
    SELECT i::BIGINT AS id,
      CASE WHEN i % 37 = 0 THEN NULL ELSE ['a','b','c','d','e','f','g'][(i * 17) % 7 + 1] END AS g,
      CASE WHEN i % 11 = 0 THEN NULL ELSE ((i * 7919) % 23)::INTEGER END AS o,
      CASE WHEN i % 5 = 0 THEN NULL ELSE round(((i * 104729) % 10007) / 10.0, 1)::DOUBLE END AS v,
      CASE WHEN i % 7 = 0 THEN NULL ELSE 's' || ((i * 31) % 50)::VARCHAR END AS s
    FROM range(3000) r(i)) TO '${dir}/t.parquet' (FORMAT parquet, ROW_GROUP_SIZE 700)`);
  await duck.query(`CREATE VIEW t AS SELECT * FROM '${dir}/t.parquet'`);
  sluice = await Sluice.builder().workers(2).getOrCreate();
  t = await sluice.read.parquet(`${dir}/t.parquet`);
});

afterAll(async () => {
  await sluice?.stop();
  duck?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function same(mine: DataFrame, sql: string, columns: string[]): Promise<void> {
  const a = await mine.toArray();
  const b = await duck.query(sql);
  expect(a.length).toBe(3000);
  expect(normalizeRows(a, columns)).toEqual(normalizeRows(b, columns));
}

describe('window functions against DuckDB', () => {
  it('rank, denseRank, percentRank, cumeDist over tied and null order values', async () => {
    const w = Window.partitionBy('g').orderBy('o');
    const wd = Window.partitionBy('g').orderBy(col('o').desc());
    await same(
      t.select(
        col('id'),
        rank().over(w).alias('r'),
        denseRank().over(w).alias('dr'),
        percentRank().over(w).alias('pr'),
        cumeDist().over(w).alias('cd'),
        rank().over(wd).alias('rd'),
        denseRank().over(wd).alias('drd'),
      ),
      `SELECT id,
        rank() OVER (PARTITION BY g ORDER BY o ASC NULLS FIRST) AS r,
        dense_rank() OVER (PARTITION BY g ORDER BY o ASC NULLS FIRST) AS dr,
        percent_rank() OVER (PARTITION BY g ORDER BY o ASC NULLS FIRST) AS pr,
        cume_dist() OVER (PARTITION BY g ORDER BY o ASC NULLS FIRST) AS cd,
        rank() OVER (PARTITION BY g ORDER BY o DESC NULLS LAST) AS rd,
        dense_rank() OVER (PARTITION BY g ORDER BY o DESC NULLS LAST) AS drd
      FROM t`,
      ['id', 'r', 'dr', 'pr', 'cd', 'rd', 'drd'],
    );
  });

  it('rowNumber, ntile, lag and lead with offsets and defaults', async () => {
    const w = Window.partitionBy('g').orderBy('o', 'id');
    const o = 'PARTITION BY g ORDER BY o ASC NULLS FIRST, id';
    await same(
      t.select(
        col('id'),
        rowNumber().over(w).alias('rn'),
        ntile(4).over(w).alias('n4'),
        ntile(500).over(w).alias('n500'),
        lag('v').over(w).alias('lag1'),
        lag('v', 3, -1).over(w).alias('lag3'),
        lead('s').over(w).alias('lead1'),
        lead('s', 2, 'none').over(w).alias('lead2'),
        lag('id', -2).over(w).alias('lagneg'),
        lead('v', 1, col('v')).over(w).alias('leadself'),
        rowNumber()
          .over(Window.orderBy(col('id').desc()))
          .alias('rn_all'),
      ),
      `SELECT id,
        row_number() OVER (${o}) AS rn,
        ntile(4) OVER (${o}) AS n4,
        ntile(500) OVER (${o}) AS n500,
        lag(v) OVER (${o}) AS lag1,
        lag(v, 3, -1) OVER (${o}) AS lag3,
        lead(s) OVER (${o}) AS lead1,
        lead(s, 2, 'none') OVER (${o}) AS lead2,
        lead(id, 2) OVER (${o}) AS lagneg,
        lead(v, 1, v) OVER (${o}) AS leadself,
        row_number() OVER (ORDER BY id DESC) AS rn_all
      FROM t`,
      ['id', 'rn', 'n4', 'n500', 'lag1', 'lag3', 'lead1', 'lead2', 'lagneg', 'leadself', 'rn_all'],
    );
  });

  it('firstValue/lastValue respect the frame and ignoreNulls; ranking ignores it', async () => {
    const w = Window.partitionBy('g').orderBy('o', 'id');
    const rows = w.rowsBetween(-2, 1);
    const whole = Window.partitionBy('g');
    const o = 'PARTITION BY g ORDER BY o ASC NULLS FIRST, id';
    await same(
      t.select(
        col('id'),
        firstValue('v').over(w).alias('fv'),
        lastValue('v').over(w).alias('lv'),
        firstValue('v', true).over(w).alias('fvi'),
        lastValue('s', true).over(rows).alias('lvi'),
        firstValue('v').over(rows).alias('fvr'),
        lastValue('v').over(rows).alias('lvr'),
        count().over(whole).alias('n'),
        sum('v').over(w).alias('running'),
        rowNumber().over(rows).alias('rn'),
      ),
      `SELECT id,
        first_value(v) OVER (${o}) AS fv,
        last_value(v) OVER (${o}) AS lv,
        first_value(v IGNORE NULLS) OVER (${o}) AS fvi,
        last_value(s IGNORE NULLS) OVER (${o} ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING) AS lvi,
        first_value(v) OVER (${o} ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING) AS fvr,
        last_value(v) OVER (${o} ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING) AS lvr,
        count(*) OVER (PARTITION BY g) AS n,
        sum(v) OVER (${o}) AS running,
        row_number() OVER (${o}) AS rn
      FROM t`,
      ['id', 'fv', 'lv', 'fvi', 'lvi', 'fvr', 'lvr', 'n', 'running', 'rn'],
    );
  });

  it('rejects ranking without order and window functions in agg(), at plan build', () => {
    expect(() => t.select(rank().over(Window.partitionBy('g')))).toThrow(/requires an ordered window/);
    expect(() => t.groupBy('g').agg(rowNumber())).toThrow(/needs an OVER clause/);
    expect(() => t.select(ntile(0).over(Window.orderBy('id')))).toThrow(/number of buckets must be a literal integer >= 1/);
  });
});
