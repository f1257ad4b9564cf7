import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetManifest } from '../../../benchmarks/data/dataset-manifest.js';
import { ensureDataset } from '../../../benchmarks/data/write-dataset.js';
import type { Row } from '../../../dataframe/data-frame.js';
import { Sluice } from '../../../engine/session/sluice.js';
import fraud, { FRAUD_MIN_COUNT, FRAUD_MIN_MERCHANTS, TRANSACTIONS_SCHEMA } from '../../../jobs/examples/fraud-alerts.js';
import fraudConsole from '../../../jobs/examples/fraud-alerts-console.js';
import { runJob } from '../../../jobs/run-job.js';
import { batchRun, canonical, replayRun, streamRun } from '../../helpers/example-runs.js';

/**
 * The fraud-alerts example on the seeded benchmark generator's transactions (in event-time
 * order: no arrival jitter, so a card's transactions arrive in order, the rule's
 * assumption): the stream's and the replay's alerts equal the batch run's, each alert comes in the
 * micro-batch that read its (fifth or later) transaction, and the console variant prints
 * the same alerts. On data with arrival jitter and late rows the replay, which releases
 * rows in event-time order, still equals the batch run.
 */

const COLS = ['card_id', 'event_time_ms', 'n', 'n_merchants'];
let sluice: Sluice;
let dir: string;
let data: string;
let manifest: DatasetManifest;
let batchAlerts: Row[];

beforeAll(async () => {
  sluice = await Sluice.builder().workers(2).getOrCreate();
  dir = mkdtempSync(join(tmpdir(), 'sluice-fraud-modes-'));
  data = join(dir, 'tx');
  // ~3.5 hours of transactions at 3/s over 5,000 cards, 3 % of rows in fraud bursts.
  ({ manifest } = await ensureDataset({
    out: data,
    rows: 36_000,
    files: 6,
    rowGroupRows: 4096,
    cards: 5_000,
    merchants: 2_000,
    rate: 3,
    burstFrac: 0.03,
    jitterMeanMs: 0,
    jitterMaxMs: 0,
    lateFrac: 0,
  }));
  batchAlerts = await batchRun(sluice, fraud, { transactions: data }, join(dir, 'run'));
}, 120_000);

afterAll(async () => {
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('fraud-alerts example: batch, stream, replay', () => {
  it('batch finds the injected bursts: every alert has >= 5 transactions at >= 3 merchants', () => {
    expect(manifest.stats.fraudBursts).toBeGreaterThan(100);
    expect(batchAlerts.length).toBeGreaterThan(200);
    for (const a of batchAlerts) {
      expect(Number(a.n)).toBeGreaterThanOrEqual(FRAUD_MIN_COUNT);
      expect(Number(a.n_merchants)).toBeGreaterThanOrEqual(FRAUD_MIN_MERCHANTS);
    }
  });

  it('the stream (one file per micro-batch) writes the same alerts to Parquet', async () => {
    const { rows, query } = await streamRun(sluice, fraud, { transactions: data }, join(dir, 'run'));
    expect(query.recentProgress.filter((p) => p.numInputRows > 0).length).toBe(6);
    expect(canonical(rows, COLS)).toEqual(canonical(batchAlerts, COLS));
  });

  it('the replay (event-time order, 1-minute simulated triggers) writes the same alerts', async () => {
    const { rows, query } = await replayRun(sluice, fraud, { transactions: data }, join(dir, 'run'));
    // About 3.3 hours of event time in 1-minute triggers (recentProgress keeps the last 100).
    expect(query.lastProgress?.batchId).toBeGreaterThan(150);
    expect(canonical(rows, COLS)).toEqual(canonical(batchAlerts, COLS));
  });

  it('on transactions with arrival jitter and late rows, the replay (event-time order) still equals the batch run', async () => {
    const jittered = join(dir, 'tx-jittered');
    const gen = await ensureDataset({ out: jittered, rows: 12_000, files: 4, rowGroupRows: 4096, cards: 5_000, merchants: 2_000, rate: 3, burstFrac: 0.03 });
    expect(gen.manifest.stats.outOfOrderRows).toBeGreaterThan(1000);
    expect(gen.manifest.stats.lateEvents).toBeGreaterThan(20);
    const batch = await batchRun(sluice, fraud, { transactions: jittered }, join(dir, 'jittered'));
    expect(batch.length).toBeGreaterThan(50);
    const { rows } = await replayRun(sluice, fraud, { transactions: jittered }, join(dir, 'jittered'), 300_000);
    expect(canonical(rows, COLS)).toEqual(canonical(batch, COLS));
  });

  it('each alert comes in the micro-batch that read its transaction', async () => {
    const stream = await sluice.readStream.format('parquet').schema(TRANSACTIONS_SCHEMA).option('maxFilesPerTrigger', 1).load(data);
    const perBatch = new Map<number, Row[]>();
    const query = await fraud
      .transform({ transactions: stream })
      .writeStream.trigger({ kind: 'availableNow' })
      .option('checkpointLocation', join(dir, 'ckpt-batches'))
      .foreachBatch(async (df, batchId) => {
        perBatch.set(batchId, await df.toArray());
      })
      .start();
    await query.awaitTermination();
    // Data batches in order read files 0, 1, ...; no-data batches (watermark moves) emit nothing.
    const dataBatches = query.recentProgress.filter((p) => p.numInputRows > 0).map((p) => p.batchId);
    expect(dataBatches.length).toBe(6);
    let seen = 0;
    for (const [batchId, alerts] of perBatch) {
      const file = dataBatches.indexOf(batchId);
      if (file < 0) {
        expect(alerts).toEqual([]);
        continue;
      }
      const f = manifest.transactionFiles[file] as { minEventMs: number; maxEventMs: number };
      for (const a of alerts) {
        expect(Number(a.event_time_ms)).toBeGreaterThanOrEqual(f.minEventMs);
        expect(Number(a.event_time_ms)).toBeLessThanOrEqual(f.maxEventMs);
      }
      seen += alerts.length;
    }
    expect(seen).toBe(batchAlerts.length);
  });

  it('the console variant prints the alerts', async () => {
    const lines: string[] = [];
    const original = console.log;
    console.log = (...args: unknown[]) => {
      lines.push(args.join(' '));
    };
    try {
      await runJob(sluice, fraudConsole, { mode: 'batch', inputPaths: { transactions: data } });
    } finally {
      console.log = original;
    }
    const text = lines.join('\n');
    const first = batchAlerts[0] as Row;
    expect(text).toContain('event_time_ms');
    expect(text).toContain(String(first.card_id));
  });
});
