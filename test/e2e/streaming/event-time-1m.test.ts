import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchRows } from '../../../benchmarks/stream/batch-rows.js';
import { makeFlushedReplayInput } from '../../../benchmarks/stream/replay-input.js';
import { REPLAY_QUERIES, watermarked } from '../../../benchmarks/stream/replay-queries.js';
import type { BenchQuery, ResultColumn, SluiceFunctions } from '../../../benchmarks/workloads/bench-query.js';
import { W3_TUMBLING_WINDOWS } from '../../../benchmarks/workloads/w3-tumbling-windows.js';
import { W4_SLIDING_WINDOWS } from '../../../benchmarks/workloads/w4-sliding-windows.js';
import { W5_FRAUD_RULE } from '../../../benchmarks/workloads/w5-fraud-rule.js';
import { W6_SESSIONS } from '../../../benchmarks/workloads/w6-sessions.js';
import type { ColumnarBatch, DataFrame } from '../../../index.js';
import * as api from '../../../index.js';
import { Sluice } from '../../../index.js';
import { resultDifferences } from '../../helpers/compare-result-rows.js';
import { DuckDbClient } from '../../helpers/duckdb-client.js';
import { TX_1M_FILES, TX_1M_ROWS, ensureTx1m } from '../../helpers/tx1m-dataset.js';

/**
 * Issue 4, "batch = stream": W3 to W6 of ../shared/peers (tumbling windows, sliding
 * windows, the fraud rule, sessions) over the 1M-row benchmark data set (10 Parquet files
 * in arrival order, about half of adjacent rows out of event-time order, 0.5 % up to 10
 * minutes late):
 *
 * - the batch run (the benchmark's Sluice query over `read.parquet`) gives the same rows as
 *   DuckDB running the peer suite's SQL (wl_duckdb.py, as in benchmarks/workloads) over the
 *   same files;
 * - the stream (readStream parquet, {@link FILES_PER_TRIGGER} file(s) per trigger, a
 *   watermark of 11 minutes on event_time, append mode, availableNow) gives the same rows
 *   as the batch run once all input is in and the watermark has passed the end. As in the
 *   benchmark's stream replay, a last file with one row a day after the data moves the
 *   watermark past every window; the query drops that row after withWatermark.
 *
 * The queries are the benchmark's own (benchmarks/workloads and stream/replay-queries.ts),
 * so test and benchmark check the same code. W3's benchmark query buckets epoch
 * milliseconds arithmetically, which a stream cannot finalise in append mode; its stream
 * side is the same result through `window(event_time, '1 minute')`.
 */

/** Files per micro-batch of the stream runs. */
const FILES_PER_TRIGGER = 1;
/** Time limit of one case (its batch run, DuckDB run or stream run). */
const CASE_TIMEOUT_MS = 300_000;

/** W3's stream side: 1-minute tumbling windows via window() so append mode can finalise them. */
function w3Windowed(tx: DataFrame, { col, count, sum, unixMillis, window }: SluiceFunctions): DataFrame {
  return tx
    .groupBy(window(col('event_time'), '1 minute').alias('w'), col('country'))
    .agg(count().alias('n'), sum('amount').alias('sum_amount'))
    .select(unixMillis(col('w').getField('start')).alias('window_start_ms'), col('country'), col('n'), col('sum_amount'));
}

interface Case {
  readonly query: BenchQuery;
  /** The stream query over the raw stream (watermark added by the case). */
  stream(tx: DataFrame, fns: SluiceFunctions): DataFrame;
  /** Fewest result rows the case must have, so an empty result cannot pass. */
  readonly minRows: number;
}

const CASES: readonly Case[] = [
  { query: W3_TUMBLING_WINDOWS, stream: (tx, fns) => w3Windowed(watermarked(tx, fns), fns), minRows: 1_000 },
  { query: W4_SLIDING_WINDOWS, stream: (tx, fns) => REPLAY_QUERIES.W4?.stream(tx, fns) as DataFrame, minRows: 1_000 },
  { query: W5_FRAUD_RULE, stream: (tx, fns) => REPLAY_QUERIES.W5?.stream(tx, fns) as DataFrame, minRows: 100 },
  { query: W6_SESSIONS, stream: (tx, fns) => REPLAY_QUERIES.W6?.stream(tx, fns) as DataFrame, minRows: 100_000 },
];

let scratch: string;
let dataDir: string;
let streamDir: string;
let sluice: Sluice;
let duck: DuckDbClient;
/** Batch result rows by workload, kept for the stream comparison. */
const batchResults = new Map<string, Record<string, unknown>[]>();
/** Seconds per step, printed at the end. */
const timings: string[] = [];

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await fn();
  timings.push(`${label}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return out;
}

async function expectSameRows(
  label: string,
  got: readonly Record<string, unknown>[],
  want: readonly Record<string, unknown>[],
  columns: readonly ResultColumn[],
): Promise<void> {
  const differences = await timed(`${label} compare (${got.length} rows)`, async () => resultDifferences(got, want, columns));
  expect(differences).toEqual([]);
}

/** The batch result of `c` (computed once). */
async function batchResult(c: Case): Promise<Record<string, unknown>[]> {
  const known = batchResults.get(c.query.id);
  if (known !== undefined) return known;
  const rows = await timed(`${c.query.id} batch`, async () => {
    const tx = await sluice.read.parquet(dataDir);
    return batchRows(await c.query.sluice({ tx, merchants: null }, api).collectBatch());
  });
  batchResults.set(c.query.id, rows);
  return rows;
}

/** Runs `c` as a stream over the flushed input until availableNow ends; returns the appended rows. */
async function streamResult(c: Case): Promise<{ rows: Record<string, unknown>[]; dataBatches: number }> {
  const out: ColumnarBatch[] = [];
  const checkpoint = join(scratch, `cp-${c.query.id}`);
  const query = await c
    .stream(await sluice.readStream.format('parquet').option('maxFilesPerTrigger', FILES_PER_TRIGGER).load(streamDir), api)
    .writeStream.outputMode('append')
    .trigger({ kind: 'availableNow' })
    .option('checkpointLocation', checkpoint)
    .queryName(`event_time_1m_${c.query.id}`)
    .foreachBatch(async (df) => {
      out.push(await df.collectBatch());
    })
    .start();
  await query.awaitTermination();
  if (query.exception !== null) throw query.exception;
  const dataBatches = query.recentProgress.filter((p) => p.numInputRows > 0).length;
  return { rows: out.flatMap(batchRows), dataBatches };
}

beforeAll(async () => {
  scratch = mkdtempSync(join(process.env.TMPDIR ?? '/tmp', 'sluice-et1m-'));
  dataDir = await timed('data set', () => ensureTx1m(join(scratch, 'tx1m')));
  streamDir = join(scratch, 'in');
  await makeFlushedReplayInput(dataDir, streamDir);
  sluice = await Sluice.builder().workers(2).getOrCreate();
  duck = await DuckDbClient.open(2);
}, CASE_TIMEOUT_MS);

afterAll(async () => {
  await sluice?.stop();
  duck?.close();
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  console.log(`event-time-1m timings (${FILES_PER_TRIGGER} file(s) per trigger):\n  ${timings.join('\n  ')}`);
});

describe(`W3-W6 over ${TX_1M_ROWS.toLocaleString('en')} rows: batch = DuckDB, stream = batch`, () => {
  for (const c of CASES) {
    const id = c.query.id;

    it(
      `${id}: the batch run gives DuckDB's rows`,
      async () => {
        const mine = await batchResult(c);
        const theirs = await timed(`${id} duckdb`, () => duck.query(c.query.sql(`read_parquet('${dataDir}/*.parquet')`, '')));
        expect(mine.length).toBeGreaterThanOrEqual(c.minRows);
        await expectSameRows(`${id} batch vs duckdb`, mine, theirs, c.query.columns);
      },
      CASE_TIMEOUT_MS,
    );

    it(
      `${id}: the stream (append mode, watermark 11 minutes) gives the batch rows once the watermark passed the end`,
      async () => {
        const batch = await batchResult(c);
        const { rows, dataBatches } = await timed(`${id} stream`, () => streamResult(c));
        // One micro-batch per FILES_PER_TRIGGER data files, plus the flush file.
        expect(dataBatches).toBe(Math.ceil((TX_1M_FILES + 1) / FILES_PER_TRIGGER));
        await expectSameRows(`${id} stream vs batch`, rows, batch, c.query.columns);
      },
      CASE_TIMEOUT_MS,
    );
  }
});
