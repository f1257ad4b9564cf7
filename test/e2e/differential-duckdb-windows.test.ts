import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataFrame } from '../../index.js';
import { Sluice, col, count, sum, unixMillis, window } from '../../index.js';
import { DuckDbClient } from '../helpers/duckdb-client.js';
import { normalizeRows } from '../helpers/normalize-rows.js';

/**
 * W3 (1-minute tumbling windows by country) and W4 (10-minute windows sliding 1 minute by
 * card, count >= 5) of ../shared/peers, Sluice's batch window aggregation against DuckDB's
 * SQL from wl_duckdb.py, over a small generated transaction set with event times as
 * timestamp[ms, UTC] spread over four hours (with bursts so W4 keeps rows), in several row groups.
 */
const W3_WINDOW_MS = 60_000;
const W4_WINDOW_MS = 600_000;
const W4_SLIDE_MS = 60_000;
const W4_MIN_COUNT = 5;

let dir: string;
let duck: DuckDbClient;
let sluice: Sluice;
let tx: DataFrame;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-diff-win-'));
  duck = await DuckDbClient.open(1);
  await duck.query(`COPY (
    SELECT (TIMESTAMPTZ '2024-03-01 00:00:00+00' + to_milliseconds(((i * 7727) % 14400000)::BIGINT))::TIMESTAMPTZ AS event_time,
      (CASE WHEN i % 10 < 3 THEN (i * 13) % 7 ELSE (i * 31) % 200 END)::BIGINT AS card_id,
      ['US','GB','DE','FR','JP','BR'][(i * 17) % 6 + 1] AS country,
      round(((i * 104729) % 100003) / 100.0, 2)::DOUBLE AS amount
    FROM range(30000) r(i)) TO '${dir}/tx.parquet' (FORMAT parquet, ROW_GROUP_SIZE 4000)`);
  await duck.query(`CREATE VIEW tx AS SELECT * FROM '${dir}/tx.parquet'`);
  sluice = await Sluice.builder().workers(2).getOrCreate();
  tx = await sluice.read.parquet(`${dir}/tx.parquet`);
});

afterAll(async () => {
  await sluice?.stop();
  duck?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('window workloads against DuckDB', () => {
  it('W3: 1-minute tumbling windows by country', async () => {
    const mine = await tx
      .groupBy(window('event_time', '1 minute'), col('country'))
      .agg(count().alias('n'), sum('amount').alias('sum_amount'))
      .select(unixMillis(col('window.start')).alias('window_start_ms'), col('country'), col('n'), col('sum_amount'))
      .toArray();
    const theirs = await duck.query(`
SELECT epoch_ms(event_time) // ${W3_WINDOW_MS} * ${W3_WINDOW_MS} AS window_start_ms, country,
       count(*) AS n, sum(amount) AS sum_amount
FROM tx
GROUP BY ALL`);
    const columns = ['window_start_ms', 'country', 'n', 'sum_amount'];
    expect(mine.length).toBeGreaterThan(1000);
    expect(normalizeRows(mine, columns)).toEqual(normalizeRows(theirs, columns));
  });

  it('W4: 10-minute windows sliding 1 minute by card, count >= 5', async () => {
    const mine = await tx
      .groupBy(col('card_id'), window('event_time', '10 minutes', '1 minute'))
      .agg(count().alias('n'))
      .where(col('n').geq(W4_MIN_COUNT))
      .select(col('card_id'), unixMillis(col('window.start')).alias('window_start_ms'), col('n'))
      .toArray();
    const k = W4_WINDOW_MS / W4_SLIDE_MS;
    const theirs = await duck.query(`
SELECT card_id, b - k * ${W4_SLIDE_MS} AS window_start_ms, count(*) AS n
FROM (SELECT card_id, epoch_ms(event_time) // ${W4_SLIDE_MS} * ${W4_SLIDE_MS} AS b FROM tx) t,
     range(${k}) r(k)
GROUP BY ALL
HAVING count(*) >= ${W4_MIN_COUNT}`);
    const columns = ['card_id', 'window_start_ms', 'n'];
    expect(mine.length).toBeGreaterThan(500);
    expect(normalizeRows(mine, columns)).toEqual(normalizeRows(theirs, columns));
  });
});
