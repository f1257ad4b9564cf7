import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataFrame } from '../../index.js';
import {
  array,
  arrayContains,
  arrayDistinct,
  arrayJoin,
  arrayMax,
  arrayMin,
  col,
  createMap,
  elementAt,
  explode,
  explodeOuter,
  lit,
  mapKeys,
  mapValues,
  posexplode,
  posexplodeOuter,
  Sluice,
  size,
  sortArray,
} from '../../index.js';
import { DuckDbClient } from '../helpers/duckdb-client.js';
import { normalizeRows } from '../helpers/normalize-rows.js';

/**
 * The explode family and the array/map functions against DuckDB's unnest and list/map
 * functions, on a seeded DuckDB-written Parquet file (2,000 rows) with null and empty
 * arrays, null elements, string arrays and maps with null values, in several row groups.
 * Spark semantics that DuckDB spells differently (size(null) = -1, array_contains null
 * when no match and a null element, sort_array null placement, array_join of only nulls is
 * '') are spelled out in the SQL.
 */
let dir: string;
let duck: DuckDbClient;
let sluice: Sluice;
let t: DataFrame;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-diff-coll-'));
  duck = await DuckDbClient.open(1);
  await duck.query(`COPY (
    SELECT i::INTEGER AS id,
      CASE WHEN i % 9 = 0 THEN NULL WHEN i % 9 = 1 THEN []::INTEGER[]
        ELSE list_transform(range((i * 7) % 6 + 1), x -> CASE WHEN (x + i) % 5 = 0 THEN NULL ELSE ((x * 31 + i) % 13)::INTEGER END) END AS xs,
      CASE WHEN i % 8 = 0 THEN NULL
        ELSE list_transform(range(i % 4), x -> CASE WHEN (x + i) % 7 = 0 THEN NULL ELSE 's' || ((x * i) % 5)::VARCHAR END) END AS ss,
      CASE WHEN i % 10 = 0 THEN NULL
        ELSE map_from_entries(list_transform(range(i % 4), x -> {'k': 'k' || x::VARCHAR, 'v': CASE WHEN (i + x) % 6 = 0 THEN NULL ELSE ((x * i) % 11)::INTEGER END})) END AS m,
      CASE WHEN i % 13 = 0 THEN NULL ELSE (i % 17)::INTEGER END AS a,
      (i % 5)::INTEGER AS b
    FROM range(2000) r(i)) TO '${dir}/t.parquet' (FORMAT parquet, ROW_GROUP_SIZE 300)`);
  await duck.query(`CREATE VIEW t AS SELECT * FROM '${dir}/t.parquet'`);
  sluice = await Sluice.builder().workers(2).getOrCreate();
  t = await sluice.read.parquet(`${dir}/t.parquet`);
});

afterAll(async () => {
  await sluice?.stop();
  duck?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function same(mine: DataFrame, sql: string, columns: string[], minRows: number, sortArrays = false): Promise<void> {
  const a = await mine.toArray();
  const b = await duck.query(sql);
  expect(a.length).toBeGreaterThanOrEqual(minRows);
  expect(normalizeRows(a, columns, { sortArrays })).toEqual(normalizeRows(b, columns, { sortArrays }));
}

describe('explode family against DuckDB unnest', () => {
  it('explode and posexplode of arrays', async () => {
    await same(t.select(col('id'), explode('xs').alias('x')), 'SELECT id, unnest(xs) AS x FROM t', ['id', 'x'], 3000);
    await same(t.select(col('id'), posexplode('xs')), 'SELECT id, generate_subscripts(xs, 1) - 1 AS pos, unnest(xs) AS col FROM t', ['id', 'pos', 'col'], 3000);
  });

  it('explodeOuter and posexplodeOuter keep null and empty arrays as one null row', async () => {
    await same(
      t.select(col('id'), explodeOuter('ss').alias('s')),
      'SELECT id, unnest(CASE WHEN len(ss) > 0 THEN ss ELSE [NULL] END) AS s FROM t',
      ['id', 's'],
      2000,
    );
    await same(
      t.select(col('id'), posexplodeOuter('xs')),
      `SELECT id, CASE WHEN len(xs) > 0 THEN p - 1 END AS pos, x AS col
       FROM (SELECT id, xs, generate_subscripts(CASE WHEN len(xs) > 0 THEN xs ELSE [NULL] END, 1) AS p,
                    unnest(CASE WHEN len(xs) > 0 THEN xs ELSE [NULL] END) AS x FROM t)`,
      ['id', 'pos', 'col'],
      3000,
    );
  });

  it('explode and posexplode of maps give key and value columns', async () => {
    await same(t.select(col('id'), explode('m')), 'SELECT id, unnest(map_keys(m)) AS key, unnest(map_values(m)) AS value FROM t', ['id', 'key', 'value'], 2000);
    await same(
      t.withColumn('b2', col('b').multiply(2)).select(posexplodeOuter('m'), col('b2'), col('id')),
      `SELECT id, b * 2 AS b2, CASE WHEN cardinality(m) > 0 THEN generate_subscripts(CASE WHEN cardinality(m) > 0 THEN map_keys(m) ELSE [NULL] END, 1) - 1 END AS pos,
              unnest(CASE WHEN cardinality(m) > 0 THEN map_keys(m) ELSE [NULL] END) AS key,
              unnest(CASE WHEN cardinality(m) > 0 THEN map_values(m) ELSE [NULL] END) AS value FROM t`,
      ['id', 'b2', 'pos', 'key', 'value'],
      2000,
    );
  });
});

describe('array and map functions against DuckDB list functions', () => {
  it('size, elementAt, getItem, arrayContains, arrayMax, arrayMin, sortArray, arrayJoin', async () => {
    await same(
      t.select(
        col('id'),
        size('xs').alias('n'),
        elementAt('xs', 2).alias('e2'),
        elementAt('xs', -1).alias('last'),
        elementAt('xs', col('b')).alias('eb'),
        col('xs').getItem(0).alias('g0'),
        arrayContains('xs', 3).alias('has3'),
        arrayContains('xs', col('a')).alias('hasa'),
        arrayMax('xs').alias('mx'),
        arrayMin('ss').alias('mn'),
        sortArray('xs').alias('sa'),
        sortArray('ss', false).alias('sd'),
        arrayJoin('ss', '|').alias('j'),
        arrayJoin('ss', ',', '?').alias('jn'),
      ),
      `SELECT id,
        CASE WHEN xs IS NULL THEN -1 ELSE len(xs) END AS n,
        xs[2] AS e2, xs[-1] AS last, CASE WHEN b = 0 THEN NULL ELSE xs[b] END AS eb, xs[1] AS g0,
        CASE WHEN xs IS NULL THEN NULL WHEN list_contains(xs, 3) THEN true WHEN len(xs) > list_count(xs) THEN NULL ELSE false END AS has3,
        CASE WHEN xs IS NULL OR a IS NULL THEN NULL WHEN list_contains(xs, a) THEN true WHEN len(xs) > list_count(xs) THEN NULL ELSE false END AS hasa,
        list_max(xs) AS mx, list_min(ss) AS mn,
        list_sort(xs, 'ASC', 'NULLS FIRST') AS sa, list_sort(ss, 'DESC', 'NULLS LAST') AS sd,
        CASE WHEN ss IS NULL THEN NULL ELSE coalesce(array_to_string(ss, '|'), '') END AS j, -- Spark: '' when every element is null
        array_to_string(list_transform(ss, s -> coalesce(s, '?')), ',') AS jn
      FROM t`,
      ['id', 'n', 'e2', 'last', 'eb', 'g0', 'has3', 'hasa', 'mx', 'mn', 'sa', 'sd', 'j', 'jn'],
      2000,
    );
  });

  it('arrayDistinct keeps one null and first occurrences in order', async () => {
    await same(
      t.select(col('id'), arrayDistinct('xs').alias('d')),
      `SELECT id, CASE WHEN xs IS NULL THEN NULL ELSE
         list_filter(list_transform(range(1, len(xs) + 1), k -> CASE WHEN list_position(xs[1:k - 1], xs[k]) IS NULL AND NOT (xs[k] IS NULL AND len(xs[1:k - 1]) > list_count(xs[1:k - 1])) THEN k END), k -> k IS NOT NULL) END AS ks, xs
       FROM t`.replace('SELECT id,', 'SELECT id, list_transform(ks, k -> xs[k]) AS d FROM (SELECT id,') + ')',
      ['id', 'd'],
      2000,
    );
  });

  it('array(...), map(...), mapKeys, mapValues, elementAt on maps', async () => {
    await same(
      t.select(
        col('id'),
        array(col('a'), col('b'), lit(7)).alias('arr'),
        mapKeys('m').alias('mk'),
        mapValues('m').alias('mv'),
        elementAt('m', 'k1').alias('k1'),
        col('m').getItem('k2').alias('k2'),
        size('m').alias('ms'),
        mapKeys(createMap(lit('x'), col('a'), lit('y'), col('b'))).alias('ck'),
        mapValues(createMap(lit('x'), col('a'), lit('y'), col('b'))).alias('cv'),
      ),
      `SELECT id, [a, b, 7] AS arr, map_keys(m) AS mk, map_values(m) AS mv, m['k1'] AS k1, m['k2'] AS k2,
        CASE WHEN m IS NULL THEN -1 ELSE cardinality(m) END AS ms,
        ['x', 'y'] AS ck, [a, b] AS cv
      FROM t`,
      ['id', 'arr', 'mk', 'mv', 'k1', 'k2', 'ms', 'ck', 'cv'],
      2000,
    );
  });
});
