/**
 * Step 7 of the demo (`npm start`): the fraud-alerts example job run as a stream over
 * generated transactions, one file per micro-batch, with the CLI's progress line
 * (jobs/cli/query-progress-reporter.ts) and a few of the alerts at the end. Kept apart
 * from demo.ts so the demo stays readable.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDataset } from '../benchmarks/data/write-dataset.js';
import { col, floor, fromUnixTime } from '../dataframe/expr/functions.js';
import type { Sluice } from '../engine/session/sluice.js';
import { QueryProgressReporter } from './cli/query-progress-reporter.js';
import fraud from './examples/fraud-alerts.js';
import { runJob } from './run-job.js';

/** Files (= micro-batches) of the fraud stream's input. */
const FRAUD_FILES = 12;

/**
 * Generates (or reuses) 60,000 transactions in {@link FRAUD_FILES} Parquet files under
 * `dir` (50 minutes at 20/s over 20,000 cards, 1 % of rows in injected fraud bursts, in
 * event-time order), streams the fraud-alerts job over them with a progress line, and
 * prints the number of alerts and the first five. Returns the number of alerts.
 */
export async function demoFraudStream(sluice: Sluice, dir: string): Promise<number> {
  const data = join(dir, 'fraud-transactions');
  const out = join(dir, 'fraud-alerts');
  const checkpoint = join(dir, 'fraud-checkpoint');
  await ensureDataset({
    out: data,
    rows: 60_000,
    files: FRAUD_FILES,
    rowGroupRows: 8192,
    cards: 20_000,
    merchants: 5_000,
    rate: 20,
    zipfS: 0.3,
    burstFrac: 0.01,
    jitterMeanMs: 0,
    jitterMaxMs: 0,
    lateFrac: 0,
  });
  await rm(out, { recursive: true, force: true });
  await rm(checkpoint, { recursive: true, force: true });
  // The CLI's progress line: rewritten in place on a terminal, one line per batch otherwise.
  const reporter = new QueryProgressReporter(process.stdout, process.stdout.isTTY === true ? 'auto' : 'text', fraud.name);
  sluice.streams.addListener(reporter);
  const t0 = performance.now();
  let failed = true;
  try {
    await runJob(sluice, fraud, { mode: 'available-now', inputPaths: { transactions: data }, output: out, checkpoint, maxFilesPerTrigger: 1 });
    failed = false;
  } finally {
    sluice.streams.removeListener(reporter);
    reporter.summary({ job: fraud.name, mode: 'available-now', durationMs: performance.now() - t0, failed });
  }
  const alerts = await sluice.read.parquet(out);
  const n = await alerts.count();
  console.log(`  ${n} alerts in ${out}; the first five:`);
  await alerts
    .orderBy('event_time_ms', 'card_id')
    .select(
      'card_id',
      fromUnixTime(floor(col('event_time_ms').divide(1000))).alias('event_time'),
      col('n').alias('transactions'),
      col('n_merchants').alias('merchants'),
    )
    .show(5);
  return n;
}
