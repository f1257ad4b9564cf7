import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { types } from '../../common/data-type.js';
import { field, schemaOf } from '../../common/schema.js';
import type { DataFrame, Row } from '../../dataframe/data-frame.js';
import { Sluice } from '../../engine/session/sluice.js';
import job, { FRAUD_MIN_COUNT, FRAUD_MIN_MERCHANTS, FRAUD_RANGE_MS } from '../../jobs/examples/fraud-alerts.js';
import { MemoryStream } from '../../sources/memory/memory-stream.js';
import { DuckDbClient } from '../helpers/duckdb-client.js';
import { StreamTest } from '../helpers/stream-test.js';

/**
 * The fraud-alerts example job (transformWithState) against the W5 reference query of the
 * peer benchmarks (/work/shared/peers/wl_duckdb.py, same SQL) on generated transactions:
 * the streaming job's alerts, fed in event-time order over many micro-batches with a
 * restart in the middle, and the batch job's alerts must both equal DuckDB's rows; each
 * alert must come in the micro-batch that brought its transaction.
 */

const schema = schemaOf([
  field('event_time', types.timestamp('ms', 'UTC')),
  field('card_id', types.int64),
  field('merchant_id', types.utf8),
  field('amount', types.float64),
]);

/** One generated transaction (a type alias, so it is a valid input row object). */
type Tx = {
  event_time: Date;
  card_id: bigint;
  merchant_id: string | null;
  amount: number;
};

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Bursty card transactions over ~2 hours at whole seconds (so ties happen), in event-time order. */
function generate(seed: number, cards: number, bursts: number): Tx[] {
  const r = rng(seed);
  const merchants = ['m0', 'm1', 'm2', 'm3', 'm4', 'm5', null];
  const out: Tx[] = [];
  const t0 = Date.UTC(2026, 0, 1);
  for (let b = 0; b < bursts; b++) {
    const card = BigInt(Math.floor(r() * cards));
    const start = t0 + Math.floor(r() * 7200) * 1000;
    const n = 2 + Math.floor(r() * 7);
    const spread = 30 + Math.floor(r() * 200); // seconds
    const pool = 1 + Math.floor(r() * 4);
    for (let i = 0; i < n; i++) {
      out.push({
        event_time: new Date(start + Math.floor(r() * spread) * 1000),
        card_id: card,
        merchant_id: merchants[Math.floor(r() * Math.min(pool + 1, merchants.length))] ?? null,
        amount: Math.round(r() * 50000) / 100,
      });
    }
  }
  return out.sort((a, b) => a.event_time.getTime() - b.event_time.getTime());
}

/** Splits rows (in time order) into chunks of about `size`, never splitting one timestamp. */
function chunks(rows: Tx[], size: number): Tx[][] {
  const out: Tx[][] = [];
  let i = 0;
  while (i < rows.length) {
    let j = Math.min(rows.length, i + size);
    while (j < rows.length && rows[j]?.event_time.getTime() === rows[j - 1]?.event_time.getTime()) j++;
    out.push(rows.slice(i, j));
    i = j;
  }
  return out;
}

const render = (r: Record<string, unknown>): string => `${r.card_id}|${r.event_time_ms}|${r.n}|${r.n_merchants}`;

let sluice: Sluice;
let duck: DuckDbClient;

beforeAll(async () => {
  sluice = await Sluice.builder().workers(1).config('sluice.sql.shuffle.partitions', 3).getOrCreate();
  duck = await DuckDbClient.open();
});

afterAll(async () => {
  duck.close();
  await sluice.stop();
});

async function duckW5(rows: Tx[]): Promise<string[]> {
  await duck.query('CREATE OR REPLACE TABLE t (event_time TIMESTAMP, card_id BIGINT, merchant_id VARCHAR, amount DOUBLE)');
  const values = rows.map((x) => `(epoch_ms(${x.event_time.getTime()}), ${x.card_id}, ${x.merchant_id === null ? 'NULL' : `'${x.merchant_id}'`}, ${x.amount})`);
  await duck.query(`INSERT INTO t VALUES ${values.join(',')}`);
  // W5 of /work/shared/peers/wl_duckdb.py with src = t.
  const res = await duck.query(`
SELECT card_id, event_time_ms, n, n_merchants FROM (
  SELECT card_id, epoch_ms(event_time) AS event_time_ms,
         count(*) OVER w AS n,
         count(DISTINCT merchant_id) OVER w AS n_merchants
  FROM t
  WINDOW w AS (PARTITION BY card_id ORDER BY event_time
               RANGE BETWEEN INTERVAL ${FRAUD_RANGE_MS} MILLISECONDS PRECEDING AND CURRENT ROW)
) WHERE n >= ${FRAUD_MIN_COUNT} AND n_merchants >= ${FRAUD_MIN_MERCHANTS}`);
  return res.map(render).sort();
}

describe('fraud-alerts example job equals the W5 reference query (DuckDB)', () => {
  const rows = generate(7, 25, 700);

  it('batch mode', async () => {
    const expected = await duckW5(rows);
    expect(expected.length).toBeGreaterThan(50);
    const out = await job.transform({ transactions: sluice.createDataFrame(rows, schema) }).toArray();
    expect(out.map(render).sort()).toEqual(expected);
  });

  it('stream mode, micro-batch by micro-batch with a restart, alerts in the batch of their transaction', async () => {
    const expected = await duckW5(rows);
    const input = new MemoryStream(schema, 'transactions');
    const df: DataFrame = job.transform({ transactions: sluice.readStream.fromSource(input) });
    const t = new StreamTest(df, { outputMode: 'append' });
    await t.start();
    const parts = chunks(rows, 97);
    expect(parts.length).toBeGreaterThan(20);
    let seen = 0;
    const all: Row[] = [];
    for (const [i, part] of parts.entries()) {
      if (i === Math.floor(parts.length / 2)) await t.restart();
      input.addData(part);
      await t.processAllAvailable();
      const now = t.answer();
      const fresh = now.slice(seen);
      seen = now.length;
      const times = new Set(part.map((x) => `${x.card_id}|${x.event_time.getTime()}`));
      for (const a of fresh) expect(times.has(`${a.card_id}|${a.event_time_ms}`)).toBe(true);
      all.push(...fresh);
    }
    expect(all.map(render).sort()).toEqual(expected);
    // Cards idle for more than 2 minutes of event time were cleared by their timers.
    const progress = t.query?.lastProgress?.stateOperators[0];
    expect(progress?.numRowsTotal).toBeLessThan(25);
    await t.cleanup();
  });
});
