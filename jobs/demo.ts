/**
 * The flagship demo (`npm start`): generates a seeded sample of card transactions as
 * Parquet, then runs a few DataFrame jobs in batch mode on the worker pool, the same job
 * as a batch job and a stream, and the fraud-alerts job as a stream with a progress line,
 * and prints their results and timings, and the address of the live dashboard it serves
 * on loopback meanwhile. Needs no server; data goes to `.sluice-demo/` (or
 * `SLUICE_DEMO_DIR`), rows default to 1,000,000 (`SLUICE_DEMO_ROWS`); the dashboard is on
 * port 4040 (`SLUICE_DEMO_UI_PORT`, a free port when taken) and stays up after the demo
 * until Ctrl-C with `SLUICE_DEMO_KEEP_UI=1`.
 */
import { availableParallelism } from 'node:os';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ensureDataset } from '../benchmarks/data/write-dataset.js';
import { demoFraudStream } from './demo-fraud-stream.js';
import type { DataFrame } from '../index.js';
import { Sluice, avg, col, count, countDistinct, defineJob, desc, floor, max, runJob, sum, unixMillis } from '../index.js';

/** The job of step 6: spend per country, run once as a batch job and once as a stream. */
const spendByCountry = defineJob({
  name: 'spend-by-country',
  description: 'Transactions and spend per country.',
  inputs: {
    transactions: {
      format: 'parquet',
      schema: 'event_time timestamp[ms, UTC], card_id BIGINT, merchant_id STRING, amount DOUBLE, country STRING, is_online BOOLEAN',
    },
  },
  transform: ({ transactions }) => (transactions as DataFrame).groupBy('country').agg(count().alias('n'), sum('amount').alias('total')),
  outputMode: 'complete',
  sink: { format: 'parquet' },
});

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await fn();
  console.log(`  (${label}: ${((performance.now() - t0) / 1000).toFixed(2)} s)\n`);
  return out;
}

/**
 * The demo's session: one worker per core and the live dashboard on port 4040 (as Spark's
 * UI), or `SLUICE_DEMO_UI_PORT`; when that port is taken, on a free one.
 */
async function startSession(): Promise<Sluice> {
  const port = Number(process.env.SLUICE_DEMO_UI_PORT ?? 4040);
  const builder = () => Sluice.builder().workers(availableParallelism()).appName('demo');
  try {
    return await builder().ui(port).getOrCreate();
  } catch (e) {
    if (port === 0 || !(e instanceof Error) || !e.message.includes('in use')) throw e;
    return builder().ui(0).getOrCreate();
  }
}

async function main(): Promise<void> {
  const dir = resolve(process.env.SLUICE_DEMO_DIR ?? '.sluice-demo');
  const rows = Number(process.env.SLUICE_DEMO_ROWS ?? 1_000_000);
  const data = join(dir, 'transactions');
  console.log(`Sluice demo: ${rows.toLocaleString('en-US')} seeded card transactions in ${data}`);
  const gen = await ensureDataset({ out: data, rows, files: 4 });
  console.log(
    gen.generated ? `  generated ${gen.manifest.transactionFiles.length} Parquet files in ${gen.seconds.toFixed(1)} s\n` : '  reusing the generated files\n',
  );

  const sluice = await startSession();
  const uiUrl = sluice.ui?.url ?? '';
  console.log(`Live dashboard of the streaming queries: ${uiUrl} (while the demo runs; SLUICE_DEMO_KEEP_UI=1 keeps it open at the end)\n`);
  try {
    const tx = await sluice.read.parquet(data);
    const merchants = await sluice.read.parquet(join(data, '_merchants'));
    tx.printSchema();
    console.log();

    console.log('1. Spend by country (group by, order by):');
    await timed('spend by country', () =>
      tx.groupBy('country').agg(count().alias('n'), sum('amount').alias('total'), avg('amount').alias('avg_amount')).orderBy(desc('total')).show(5),
    );

    console.log('2. Large purchases in US, GB and DE (filter pushdown, row-group pruning, partial aggregation):');
    await timed('large purchases', () =>
      tx
        .filter(
          col('amount')
            .gt(100)
            .and(col('country').isin('US', 'GB', 'DE')),
        )
        .agg(count().alias('n'), sum('amount').alias('sum_amount'), max('amount').alias('max_amount'))
        .show(),
    );

    console.log('3. Busiest one-minute windows (window-start arithmetic on event time):');
    const perMinute: DataFrame = tx
      .withColumn('window_start_ms', floor(unixMillis('event_time').divide(60000)).multiply(60000))
      .groupBy('window_start_ms')
      .agg(count().alias('n'), countDistinct('card_id').alias('cards'));
    await timed('per-minute windows', () => perMinute.orderBy(desc('n')).show(5));

    console.log('4. Spend by merchant category (broadcast hash join with the merchants table):');
    await timed('join', () =>
      tx.join(merchants, 'merchant_id').groupBy('category').agg(count().alias('n'), sum('amount').alias('total')).orderBy(desc('total')).show(5),
    );

    console.log('5. Write the per-minute result as Parquet and read it back:');
    const out = join(dir, 'per-minute');
    await timed('write + read back', async () => {
      await perMinute.write.mode('overwrite').parquet(out);
      console.log(`  ${await (await sluice.read.parquet(out)).count()} rows in ${out}`);
    });

    console.log('6. One job, two modes: the same job as a batch job and as a stream (available-now, one file per micro-batch):');
    await timed('batch and stream', async () => {
      const batchOut = join(dir, 'job-batch');
      const streamOut = join(dir, 'job-stream');
      const checkpoint = join(dir, 'job-checkpoint');
      await rm(checkpoint, { recursive: true, force: true });
      await runJob(sluice, spendByCountry, { mode: 'batch', inputPaths: { transactions: data }, output: batchOut });
      const run = await runJob(sluice, spendByCountry, {
        mode: 'available-now',
        inputPaths: { transactions: data },
        output: streamOut,
        checkpoint,
        maxFilesPerTrigger: 1,
      });
      console.log(`  stream ran ${run.query?.recentProgress.length ?? 0} micro-batches`);
      const read = async (p: string) => (await sluice.read.parquet(p)).orderBy('country').toArray();
      const [b, s] = await Promise.all([read(batchOut), read(streamOut)]);
      const same =
        JSON.stringify(b, (_, v) => (typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? Number(v.toPrecision(12)) : v)) ===
        JSON.stringify(s, (_, v) => (typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? Number(v.toPrecision(12)) : v));
      console.log(`  batch: ${b.length} countries, stream: ${s.length} countries -> ${same ? 'same answer' : 'DIFFERENT ANSWERS'}`);
      if (!same) process.exitCode = 1;
    });

    console.log('7. Fraud alerts as a stream (transformWithState with event-time timers; one file per micro-batch):');
    console.log(`  (watch it on the dashboard: ${uiUrl})`);
    await timed('fraud stream', () => demoFraudStream(sluice, dir));
    if (process.env.SLUICE_DEMO_KEEP_UI === '1') {
      console.log(`Dashboard still at ${uiUrl}; press Ctrl-C to end.`);
      await new Promise<void>((done) => process.once('SIGINT', () => done()));
    }
  } finally {
    await sluice.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
