import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { W5_FRAUD_RULE, w5SluiceWindow } from '../../../../benchmarks/workloads/w5-fraud-rule.js';
import * as api from '../../../../index.js';
import type { DataFrame } from '../../../../index.js';
import { Sluice, SluiceError, Window, avg, col, count, countDistinct, field, max, min, schemaOf, stddev, sum, types } from '../../../../index.js';
import { MemoryStream } from '../../../../sources/memory/memory-stream.js';
import { DuckDbClient } from '../../../helpers/duckdb-client.js';
import { normalizeRows } from '../../../helpers/normalize-rows.js';
import { StreamTest } from '../../../helpers/stream-test.js';

let sluice: Sluice;

beforeAll(async () => {
  sluice = await Sluice.builder().workers(2).getOrCreate();
});
afterAll(async () => {
  await sluice.stop();
});

const schema = schemaOf([field('id', types.int32), field('k', types.utf8), field('t', types.int64), field('m', types.utf8), field('v', types.float64)]);

interface In {
  id: number;
  k?: string | null;
  t: number | null;
  m?: string | null;
  v?: number | null;
}

function frame(rows: In[]): DataFrame {
  return sluice.createDataFrame(
    rows.map((r) => ({ id: r.id, k: r.k === undefined ? 'a' : r.k, t: r.t === null ? null : BigInt(r.t), m: r.m ?? null, v: r.v === undefined ? 1 : r.v })),
    schema,
  );
}

/** Rows sorted by id, as plain values (bigints to numbers). */
async function rowsById(df: DataFrame): Promise<Record<string, unknown>[]> {
  const rows = await df.toArray();
  return rows
    .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])))
    .sort((a, b) => (a.id as number) - (b.id as number));
}

async function column(df: DataFrame, name: string): Promise<unknown[]> {
  return (await rowsById(df)).map((r) => r[name]);
}

describe('window functions: RANGE frames', () => {
  it('counts rows in [t - 10, t], ties included, per partition', async () => {
    const df = frame([
      { id: 1, t: 0 },
      { id: 2, t: 5 },
      { id: 3, t: 10 },
      { id: 4, t: 10 },
      { id: 5, t: 11 },
      { id: 6, t: 25 },
      { id: 7, t: 0, k: 'b' },
      { id: 8, t: 100, k: 'b' },
    ]);
    const w = Window.partitionBy('k').orderBy('t').rangeBetween(-10, Window.currentRow);
    const out = df.select(col('id'), count().over(w).alias('n'), sum('t').over(w).alias('s'));
    expect(await column(out, 'n')).toEqual([1, 2, 4, 4, 4, 1, 1, 1]);
    expect(await column(out, 's')).toEqual([0, 5, 25, 25, 36, 25, 0, 100]);
  });

  it('default frame with an order is RANGE UNBOUNDED PRECEDING .. CURRENT ROW (peers included)', async () => {
    const df = frame([
      { id: 1, t: 3, v: 1 },
      { id: 2, t: 1, v: 2 },
      { id: 3, t: 3, v: 4 },
      { id: 4, t: 2, v: 8 },
    ]);
    const w = Window.partitionBy('k').orderBy('t');
    expect(await column(df.withColumn('s', sum('v').over(w)), 's')).toEqual([15, 2, 15, 10]);
  });

  it('without an order the frame is the whole partition', async () => {
    const df = frame([
      { id: 1, t: 3, v: 1, k: 'a' },
      { id: 2, t: 1, v: 2, k: 'b' },
      { id: 3, t: 3, v: 4, k: 'a' },
    ]);
    const w = Window.partitionBy('k');
    const out = df.select(col('id'), count().over(w).alias('n'), avg('v').over(w).alias('a'), max('v').over(w).alias('mx'));
    expect(await rowsById(out)).toEqual([
      { id: 1, n: 2, a: 2.5, mx: 4 },
      { id: 2, n: 1, a: 2, mx: 2 },
      { id: 3, n: 2, a: 2.5, mx: 4 },
    ]);
  });

  it('null order values sort first ascending and are peers of each other', async () => {
    const df = frame([
      { id: 1, t: null },
      { id: 2, t: null },
      { id: 3, t: 0 },
      { id: 4, t: 5 },
    ]);
    const offsets = Window.partitionBy('k').orderBy('t').rangeBetween(-5, 0);
    const running = Window.partitionBy('k').orderBy('t');
    const out = df.select(col('id'), count().over(offsets).alias('n'), count().over(running).alias('r'));
    expect(await column(out, 'n')).toEqual([2, 2, 1, 2]);
    expect(await column(out, 'r')).toEqual([2, 2, 3, 4]);
  });

  it('descending order: preceding means larger values; nulls last', async () => {
    const df = frame([
      { id: 1, t: 0 },
      { id: 2, t: 5 },
      { id: 3, t: 10 },
      { id: 4, t: null },
    ]);
    const w = Window.partitionBy('k').orderBy(col('t').desc()).rangeBetween(-5, 0);
    expect(await column(df.select(col('id'), count().over(w).alias('n')), 'n')).toEqual([2, 2, 1, 1]);
  });

  it('following offsets and frames that are empty', async () => {
    const df = frame([
      { id: 1, t: 0 },
      { id: 2, t: 1 },
      { id: 3, t: 2 },
      { id: 4, t: 10 },
    ]);
    const ahead = Window.partitionBy('k').orderBy('t').rangeBetween(1, 2);
    const out = df.select(col('id'), count().over(ahead).alias('n'), min('t').over(ahead).alias('lo'));
    expect(await rowsById(out)).toEqual([
      { id: 1, n: 2, lo: 1 },
      { id: 2, n: 1, lo: 2 },
      { id: 3, n: 0, lo: null },
      { id: 4, n: 0, lo: null },
    ]);
  });

  it('timestamp order keys take millisecond offsets', async () => {
    const tsSchema = schemaOf([field('id', types.int32), field('ts', types.timestamp('us'))]);
    const df = sluice.createDataFrame(
      [0, 60_000, 120_000, 120_001].map((ms, i) => ({ id: i + 1, ts: new Date(ms) })),
      tsSchema,
    );
    const w = Window.orderBy('ts').rangeBetween(-120_000, Window.currentRow);
    expect(await column(df.select(col('id'), count().over(w).alias('n')), 'n')).toEqual([1, 2, 3, 3]);
  });
});

describe('window functions: date keys and withColumn', () => {
  it('date order keys take day offsets; withColumn can replace a column with a window result', async () => {
    const dSchema = schemaOf([field('id', types.int32), field('d', types.date), field('v', types.int64)]);
    const day = 86_400_000;
    const df = sluice.createDataFrame(
      [
        { id: 1, d: new Date(0), v: 1n },
        { id: 2, d: new Date(day), v: 2n },
        { id: 3, d: new Date(3 * day), v: 4n },
      ],
      dSchema,
    );
    const w = Window.orderBy('d').rangeBetween(-1, Window.currentRow);
    const out = df.withColumn('v', sum('v').over(w));
    expect(out.columns).toEqual(['id', 'd', 'v']);
    expect(await column(out, 'v')).toEqual([1, 3, 4]);
  });
});

describe('window functions: ROWS frames', () => {
  it('sliding sums, min and max over positions', async () => {
    const df = frame([
      { id: 1, t: 1, v: 5 },
      { id: 2, t: 2, v: 1 },
      { id: 3, t: 3, v: 4 },
      { id: 4, t: 4, v: null },
      { id: 5, t: 5, v: 2 },
    ]);
    const w = Window.partitionBy('k').orderBy('t').rowsBetween(-1, 1);
    const out = df.select(col('id'), sum('v').over(w).alias('s'), min('v').over(w).alias('mn'), max('v').over(w).alias('mx'), count('v').over(w).alias('c'));
    expect(await rowsById(out)).toEqual([
      { id: 1, s: 6, mn: 1, mx: 5, c: 2 },
      { id: 2, s: 10, mn: 1, mx: 5, c: 3 },
      { id: 3, s: 5, mn: 1, mx: 4, c: 2 },
      { id: 4, s: 6, mn: 2, mx: 4, c: 2 },
      { id: 5, s: 2, mn: 2, mx: 2, c: 1 },
    ]);
  });

  it('unbounded preceding .. current row is a running total that resets per partition', async () => {
    const df = frame([
      { id: 1, t: 1, v: 1, k: 'x' },
      { id: 2, t: 2, v: 2, k: 'x' },
      { id: 3, t: 2, v: 3, k: 'x' },
      { id: 4, t: 1, v: 10, k: 'y' },
      { id: 5, t: 1, v: 7, k: null },
    ]);
    const w = Window.partitionBy('k').orderBy('t').rowsBetween(Window.unboundedPreceding, Window.currentRow);
    expect(await column(df.withColumn('s', sum('v').over(w)), 's')).toEqual([1, 3, 6, 10, 7]);
  });
});

describe('window functions: countDistinct sliding', () => {
  it('counts distinct merchants entering and leaving the frame; nulls are not counted', async () => {
    const df = frame([
      { id: 1, t: 0, m: 'A' },
      { id: 2, t: 1, m: 'B' },
      { id: 3, t: 2, m: 'A' },
      { id: 4, t: 3, m: null },
      { id: 5, t: 4, m: 'C' },
      { id: 6, t: 7, m: 'C' },
      { id: 7, t: 0, m: 'A', k: 'b' },
    ]);
    const w = Window.partitionBy('k').orderBy('t').rangeBetween(-2, 0);
    const out = df.select(col('id'), countDistinct('m').over(w).alias('d'), count().over(w).alias('n'));
    expect(await column(out, 'd')).toEqual([1, 2, 2, 2, 2, 1, 1]);
    expect(await column(out, 'n')).toEqual([1, 2, 3, 3, 3, 1, 1]);
  });
});

describe('window functions: plans and errors', () => {
  it('a filter on window results stays above the window; one on partition keys goes below', async () => {
    const df = frame([
      { id: 1, t: 0, k: 'a' },
      { id: 2, t: 1, k: 'a' },
      { id: 3, t: 0, k: 'b' },
    ]);
    const w = Window.partitionBy('k').orderBy('t');
    const out = df.select(col('id'), col('k'), count().over(w).alias('n')).where(col('n').geq(2).or(col('k').equalTo('b')));
    expect(await rowsById(out)).toEqual([
      { id: 2, k: 'a', n: 2 },
      { id: 3, k: 'b', n: 1 },
    ]);
    const byKey = df.select(col('id'), col('k'), count().over(w).alias('n')).where(col('k').equalTo('a'));
    expect(await rowsById(byKey)).toEqual([
      { id: 1, k: 'a', n: 1 },
      { id: 2, k: 'a', n: 2 },
    ]);
  });

  it('an empty input gives no rows; unaliased window columns get their SQL name', async () => {
    const df = frame([{ id: 1, t: 0 }]).where(col('id').gt(5));
    const w = Window.partitionBy('k').orderBy('t');
    const out = df.select(col('id'), count().over(w));
    expect(out.columns).toEqual(['id', 'count(1) OVER (PARTITION BY k ORDER BY t ASC NULLS FIRST)']);
    expect(await out.toArray()).toEqual([]);
  });

  it('rejects misuse with SluiceErrors that name the fix', async () => {
    const df = frame([{ id: 1, t: 0 }]);
    const w = Window.partitionBy('k').orderBy('t');
    expect(() => df.where(count().over(w).gt(1))).toThrow(/only allowed in select\(\) or withColumn\(\)/);
    expect(() => df.select(count().over(Window.partitionBy('k').orderBy('k').rangeBetween(-1, 0)))).toThrow(/numeric, date or timestamp orderBy/);
    expect(() => df.select(count().over(Window.partitionBy('k').orderBy('t', 'id').rangeBetween(-1, 0)))).toThrow(/exactly one orderBy column/);
    expect(() => df.select(stddev('v').over(w))).toThrow(SluiceError);
    expect(() => df.select(min('m').over(w))).toThrow(/numeric, date, timestamp or boolean/);
    expect(() => col('t').over(w)).toThrow(/needs an aggregate call/);
  });

  it('is refused on a stream with a message that names the alternatives', async () => {
    const stream = new MemoryStream(schemaOf([field('k', types.utf8), field('t', types.timestamp('ms'))]), 'window-refused');
    const w = Window.partitionBy('k').orderBy('t');
    const q = sluice.readStream.fromSource(stream).select(col('k'), count().over(w).alias('n'));
    const t = new StreamTest(q, { outputMode: 'append' });
    await expect(t.start()).rejects.toThrow(/not supported on a streaming DataFrame.*transformWithState/);
  });
});

describe('window functions against DuckDB', () => {
  let dir: string;
  let duck: DuckDbClient;
  let tx: DataFrame;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-window-agg-'));
    duck = await DuckDbClient.open(1);
    // 40,000 transactions of 60 cards over ~3 hours, with bursts (many rows within 2 minutes),
    // exact ties, a few null merchants and amounts, in several row groups.
    await duck.query(`COPY (
      SELECT i AS id,
        (CASE WHEN i % 50 = 7 THEN NULL ELSE
          TIMESTAMPTZ '2024-03-01 00:00:00+00' + to_milliseconds((CASE WHEN i % 5 = 0 THEN (i // 5) * 1000 ELSE (i * 7919) % 10800000 END)::BIGINT)
        END)::TIMESTAMPTZ AS event_time,
        ((i * 31) % 60)::BIGINT AS card_id,
        CASE WHEN i % 37 = 0 THEN NULL ELSE 'M' || ((i * 13) % 9)::VARCHAR END AS merchant_id,
        CASE WHEN i % 23 = 0 THEN NULL ELSE round(((i * 104729) % 100003) / 100.0, 2)::DOUBLE END AS amount
      FROM range(40000) r(i)) TO '${dir}/tx.parquet' (FORMAT parquet, ROW_GROUP_SIZE 3000)`);
    await duck.query(`CREATE VIEW tx AS SELECT * FROM '${dir}/tx.parquet'`);
    tx = await sluice.read.parquet(`${dir}/tx.parquet`);
  });

  afterAll(() => {
    duck?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('W5 (the fraud rule as a RANGE window) returns the peer SQL rows', async () => {
    const mine = await w5SluiceWindow(tx, api).toArray();
    const theirs = await duck.query(W5_FRAUD_RULE.sql('tx', ''));
    const columns = W5_FRAUD_RULE.columns.map((c) => c.name);
    expect(mine.length).toBeGreaterThan(200);
    expect(normalizeRows(mine, columns)).toEqual(normalizeRows(theirs, columns));
  });

  it('RANGE frames with preceding and following offsets, and ROWS frames, for every function', async () => {
    const range = Window.partitionBy('card_id').orderBy('event_time').rangeBetween(-60_000, 30_000);
    const rows = Window.partitionBy('card_id').orderBy('event_time', 'id').rowsBetween(-3, 2);
    const running = Window.partitionBy('card_id').orderBy('event_time');
    const mine = await tx
      .select(
        col('id'),
        count().over(range).alias('rn'),
        countDistinct('merchant_id').over(range).alias('rd'),
        sum('amount').over(range).alias('rs'),
        count('amount').over(rows).alias('wc'),
        sum('amount').over(rows).alias('ws'),
        avg('amount').over(rows).alias('wa'),
        min('amount').over(rows).alias('wmin'),
        max('event_time').over(rows).alias('wmax'),
        sum('id').over(running).alias('cum'),
      )
      .where(col('id').mod(10).equalTo(0))
      .toArray();
    // Every row takes part in the frames; one in ten is compared (the filter stays above the window).
    const theirs = await duck.query(`
SELECT * FROM (SELECT id,
  count(*) OVER r AS rn, count(DISTINCT merchant_id) OVER r AS rd, sum(amount) OVER r AS rs,
  count(amount) OVER w AS wc, sum(amount) OVER w AS ws, avg(amount) OVER w AS wa, min(amount) OVER w AS wmin, max(event_time) OVER w AS wmax,
  sum(id) OVER c AS cum
FROM tx
WINDOW r AS (PARTITION BY card_id ORDER BY event_time ASC NULLS FIRST RANGE BETWEEN INTERVAL 60000 MILLISECONDS PRECEDING AND INTERVAL 30000 MILLISECONDS FOLLOWING),
       w AS (PARTITION BY card_id ORDER BY event_time ASC NULLS FIRST, id ROWS BETWEEN 3 PRECEDING AND 2 FOLLOWING),
       c AS (PARTITION BY card_id ORDER BY event_time ASC NULLS FIRST)) WHERE id % 10 = 0`);
    const columns = ['id', 'rn', 'rd', 'rs', 'wc', 'ws', 'wa', 'wmin', 'wmax', 'cum'];
    expect(mine.length).toBe(4_000);
    expect(normalizeRows(mine, columns)).toEqual(normalizeRows(theirs, columns));
  });
});
