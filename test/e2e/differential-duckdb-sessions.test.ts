import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataFrame } from '../../index.js';
import { Sluice, col, count, max, min, sessionWindow, sum, unixMillis, window } from '../../index.js';
import { DuckDbClient } from '../helpers/duckdb-client.js';
import { normalizeRows } from '../helpers/normalize-rows.js';

/**
 * W6 of ../shared/peers (session windows per card, gap 5 minutes: start, end = last + gap,
 * count, sum(amount), length = last - first) in Sluice batch mode and as a stream in append
 * mode, against DuckDB's SQL from wl_duckdb.py, over generated transactions with ties and
 * rows exactly one gap apart.
 */
const GAP_MS = 300_000;

let dir: string;
let duck: DuckDbClient;
let sluice: Sluice;
let tx: DataFrame;
let cpRoot: string;

const W6_SQL = `
WITH s AS (SELECT card_id, epoch_ms(event_time) AS t, amount FROM tx),
m AS (SELECT *, CASE WHEN t - lag(t) OVER (PARTITION BY card_id ORDER BY t) <= ${GAP_MS}
                     THEN 0 ELSE 1 END AS new_session FROM s),
g AS (SELECT *, sum(new_session) OVER (PARTITION BY card_id ORDER BY t) AS sid FROM m)
SELECT card_id, min(t) AS session_start_ms, max(t) + ${GAP_MS} AS session_end_ms,
       count(*) AS n, sum(amount) AS sum_amount, max(t) - min(t) AS length_ms
FROM g
GROUP BY card_id, sid`;

function w6(df: DataFrame): DataFrame {
  return df
    .groupBy(col('card_id'), sessionWindow(col('event_time'), '5 minutes'))
    .agg(count().alias('n'), sum('amount').alias('sum_amount'), min('event_time').alias('first'), max('event_time').alias('last'))
    .select(
      col('card_id'),
      unixMillis(col('session_window.start')).alias('session_start_ms'),
      unixMillis(col('session_window.end')).alias('session_end_ms'),
      col('n'),
      col('sum_amount'),
      unixMillis(col('last'))
        .minus(unixMillis(col('first')))
        .alias('length_ms'),
    );
}

const COLUMNS = ['card_id', 'session_start_ms', 'session_end_ms', 'n', 'sum_amount', 'length_ms'];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-diff-sess-'));
  cpRoot = mkdtempSync(join(tmpdir(), 'sluice-diff-sess-cp-'));
  duck = await DuckDbClient.open(1);
  // 20 000 rows over 6 hours, 300 cards; times on a 30 s grid so many rows are exactly 5 min apart.
  await duck.query(`CREATE TABLE gen AS
    SELECT (TIMESTAMPTZ '2024-03-01 00:00:00+00' + to_milliseconds((((i * 7727) % 720) * 30000)::BIGINT))::TIMESTAMPTZ AS event_time,
      ((i * 31) % 300)::BIGINT AS card_id,
      round(((i * 104729) % 100003) / 100.0, 2)::DOUBLE AS amount
    FROM range(20000) r(i)`);
  // Four files in event-time order: a stream with maxFilesPerTrigger 1 reads one per batch.
  for (let f = 0; f < 4; f++) {
    await duck.query(`COPY (SELECT * FROM gen WHERE epoch_ms(event_time) >= ${1709251200000 + f * 5_400_000 - (f > 0 ? 60_000 : 0)}
      AND epoch_ms(event_time) < ${1709251200000 + (f + 1) * 5_400_000 - (f < 3 ? 60_000 : 0)} ORDER BY event_time)
      TO '${dir}/part-${f}.parquet' (FORMAT parquet, ROW_GROUP_SIZE 3000)`);
  }
  await duck.query(`CREATE VIEW tx AS SELECT * FROM '${dir}/*.parquet'`);
  sluice = await Sluice.builder().workers(2).config('sluice.sql.shuffle.partitions', 3).getOrCreate();
  tx = await sluice.read.parquet(dir);
});

afterAll(async () => {
  await sluice?.stop();
  duck?.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(cpRoot, { recursive: true, force: true });
});

describe('session windows (W6) against DuckDB', () => {
  it('batch: sessions per card with a 5-minute gap', async () => {
    const mine = await w6(tx).toArray();
    const theirs = await duck.query(W6_SQL);
    expect(mine.length).toBeGreaterThan(1000);
    expect(normalizeRows(mine, COLUMNS)).toEqual(normalizeRows(theirs, COLUMNS));
  });

  it('per-row gaps, null times and the only-as-a-key rule', async () => {
    const rows = [
      { k: 'a', t: new Date(0), g: 10_000 },
      { k: 'a', t: new Date(5_000), g: 1_000 },
      { k: 'a', t: new Date(10_000), g: 1_000 },
      { k: 'a', t: new Date(11_001), g: 1_000 },
      { k: 'a', t: null, g: 1_000 },
      { k: 'b', t: new Date(0), g: 0 },
    ];
    const df = sluice.createDataFrame(rows, 'k string, t timestamp, g bigint');
    const out = await df
      .groupBy('k', sessionWindow(col('t'), col('g')))
      .agg(count().alias('n'))
      .select(col('k'), unixMillis(col('session_window.start')).alias('s'), unixMillis(col('session_window.end')).alias('e'), col('n'))
      .orderBy('k', 's')
      .toArray();
    // [0,10s) + [5s,6s) + [10s,11s) merge (10 s <= 10 s); 11.001 s starts a new one; the null
    // time and the zero gap give no session.
    expect(out).toEqual([
      { k: 'a', s: 0n, e: 11_000n, n: 3n },
      { k: 'a', s: 11_001n, e: 12_001n, n: 1n },
    ]);
    await expect(df.select(sessionWindow(col('t'), '1 minute')).toArray()).rejects.toThrow(/only be used as a grouping key/);
  });

  it('stream: append mode with a watermark gives the batch rows once all input is in', async () => {
    const cp = join(cpRoot, 'cp');
    const stream = (await sluice.readStream.format('parquet').schema(tx.schema).option('maxFilesPerTrigger', 1).load(dir)).withWatermark(
      'event_time',
      '10 minutes',
    );
    const q = await w6(stream)
      .writeStream.format('memory')
      .queryName('w6')
      .outputMode('append')
      .option('checkpointLocation', cp)
      .trigger({ kind: 'availableNow' })
      .start();
    await q.awaitTermination();
    expect(q.recentProgress.filter((p) => p.numInputRows > 0)).toHaveLength(4);
    // Nothing is emitted before the watermark passes the end; the final no-data batch of
    // availableNow emits what the watermark passed. Sessions ending after it stay in state.
    const lastWm = Date.parse(q.lastProgress?.eventTime.watermark ?? '');
    const streamed = await sluice.table('w6').toArray();
    const batch = (await w6(tx).toArray()).filter((r) => Number(r.session_end_ms) <= lastWm);
    expect(streamed.length).toBeGreaterThan(500);
    expect(normalizeRows(streamed, COLUMNS)).toEqual(normalizeRows(batch, COLUMNS));
  });
});

describe('sliding windows as a stream (W4 shape)', () => {
  it('append mode emits each window once, equal to the batch rows the watermark passed', async () => {
    const cp = join(cpRoot, 'cp-w4');
    const w4 = (df: DataFrame) =>
      df
        .groupBy(col('card_id'), window('event_time', '10 minutes', '1 minute'))
        .agg(count().alias('n'))
        .select(col('card_id'), unixMillis(col('window.start')).alias('window_start_ms'), col('n'));
    const stream = (await sluice.readStream.format('parquet').schema(tx.schema).option('maxFilesPerTrigger', 1).load(dir)).withWatermark(
      'event_time',
      '10 minutes',
    );
    const q = await w4(stream)
      .writeStream.format('memory')
      .queryName('w4s')
      .outputMode('append')
      .option('checkpointLocation', cp)
      .trigger({ kind: 'availableNow' })
      .start();
    await q.awaitTermination();
    expect(q.recentProgress.filter((p) => p.numInputRows > 0)).toHaveLength(4);
    const lastWm = Date.parse(q.lastProgress?.eventTime.watermark ?? '');
    const streamed = await sluice.table('w4s').toArray();
    const batch = (await w4(tx).toArray()).filter((r) => Number(r.window_start_ms) + 600_000 <= lastWm);
    const cols = ['card_id', 'window_start_ms', 'n'];
    expect(streamed.length).toBeGreaterThan(500);
    expect(normalizeRows(streamed, cols)).toEqual(normalizeRows(batch, cols));
  });
});

describe('AvailableNow with flushAtEnd', () => {
  it('emits every session and window at the end, so the stream equals the whole batch result', async () => {
    const s2 = await Sluice.builder().workers(2).config('sluice.streaming.availableNow.flushAtEnd', 'true').getOrCreate();
    try {
      const tx2 = await s2.read.parquet(dir);
      const stream = (await s2.readStream.format('parquet').schema(tx2.schema).option('maxFilesPerTrigger', 2).load(dir)).withWatermark(
        'event_time',
        '10 minutes',
      );
      const q = await w6(stream)
        .writeStream.format('memory')
        .queryName('w6flush')
        .outputMode('append')
        .option('checkpointLocation', join(cpRoot, 'cp-flush'))
        .trigger({ kind: 'availableNow' })
        .start();
      await q.awaitTermination();
      const progress = q.recentProgress;
      // Two data batches, the ordinary no-data batch, then the flush batch at the end of time.
      expect(progress.at(-1)?.numInputRows).toBe(0);
      expect(progress.at(-1)?.eventTime.watermark).toBe(new Date(8_640_000_000_000_000).toISOString());
      const streamed = await s2.table('w6flush').toArray();
      const batch = await w6(tx2).toArray();
      expect(normalizeRows(streamed, COLUMNS)).toEqual(normalizeRows(batch, COLUMNS));
    } finally {
      await s2.stop();
    }
  });
});
