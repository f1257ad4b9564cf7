import { mkdir } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { roundTo } from './percentile.js';
import { Sluice } from '../../engine/session/sluice.js';
import { ensureDataset } from '../data/write-dataset.js';
import type { StreamBenchOptions } from './stream-bench-options.js';
import { parseStreamBenchArgs } from './stream-bench-options.js';
import { streamLatency } from './stream-latency.js';
import { streamOverhead } from './stream-overhead.js';
import type { StreamFieldValue, StreamRecord } from './stream-record.js';
import { appendStreamRecord } from './stream-record.js';
import { parseInterval } from '../../scheduler/parse-interval.js';
import { streamReplay } from './stream-replay.js';
import { fullGc, stateScaling } from './state-scaling.js';

/** What {@link runStreamBenchmark} returns: the record written, and the exit status for the runner. */
export interface StreamBenchOutcome {
  /** The last record written. */
  readonly record: StreamRecord;
  /** Every record written (state-scaling writes one per key count; the others one). */
  readonly records: readonly StreamRecord[];
  /** 0, or 1 when the benchmark failed or (stream-replay) the stream's result differs from the batch result. */
  readonly status: number;
}

async function measure(sluice: Sluice, o: StreamBenchOptions, query: string): Promise<Record<string, StreamFieldValue>> {
  switch (o.name) {
    case 'stream-overhead':
      return streamOverhead(sluice, {
        batches: o.batches,
        rowsPerBatch: o.rows,
        checkpointRoot: o.checkpointDir,
        throughput: o.throughput ? { rowsPerBatch: o.throughputRows, batches: o.throughputBatches, groupKeys: o.groupKeys } : null,
      });
    case 'stream-latency':
      return streamLatency(sluice, {
        rowsPerSecond: o.rows,
        triggerMs: o.triggerMs,
        batches: o.batches,
        warmupBatches: o.warmupBatches,
        checkpointRoot: o.checkpointDir,
      });
    default: {
      const dataset = await ensureDataset({ out: o.dataDir, rows: o.rows, files: o.files, seed: o.seed });
      process.stderr.write(
        dataset.generated
          ? `generated ${o.rows} rows into ${o.dataDir} in ${dataset.seconds.toFixed(1)} s\n`
          : `using ${o.dataDir} (${o.rows} rows, manifest matches)\n`,
      );
      return streamReplay(sluice, {
        dataDir: o.dataDir,
        rows: o.rows,
        files: o.files,
        runs: o.runs,
        checkpointRoot: o.checkpointDir,
        query,
        source: o.source,
        replayTriggerMs: parseInterval(o.replayTrigger),
      });
    }
  }
}

/**
 * One item of a run: a key count of state-scaling, a workload of stream-replay, a workload
 * with a worker (= state executor) count and state location of replay-executors, nothing for
 * the others.
 */
type Item = { readonly keys: number } | { readonly query: string; readonly executors?: number; readonly stateLocation?: 'workers' | 'driver' } | null;

function itemsOf(o: StreamBenchOptions): readonly Item[] {
  if (o.name === 'state-scaling') return o.keys.map((keys) => ({ keys }));
  if (o.name === 'stream-replay') return o.queries.map((query) => ({ query }));
  if (o.name === 'replay-executors') {
    // Each workload with its state on 1 and 2 state executors, and (for comparison) on the driver thread with 2 workers.
    return o.queries.flatMap((query) => [
      { query, executors: 1, stateLocation: 'workers' as const },
      { query, executors: 2, stateLocation: 'workers' as const },
      { query, executors: 2, stateLocation: 'driver' as const },
    ]);
  }
  return [null];
}

/** The session of one item: `--workers` threads, or the item's executor count (one state executor per worker thread). */
async function sessionFor(o: StreamBenchOptions, item: Item): Promise<Sluice> {
  const b = Sluice.builder().appName('sluice-stream-bench');
  if (item !== null && 'query' in item && item.executors !== undefined) {
    return b
      .workers(item.executors)
      .config('sluice.streaming.stateStore.location', item.stateLocation ?? 'workers')
      .getOrCreate();
  }
  return b.workers(o.workers).getOrCreate();
}

/** One measurement of benchmark `o.name` for `item`. */
async function measureOne(sluice: Sluice, o: StreamBenchOptions, item: Item): Promise<Record<string, StreamFieldValue>> {
  if (item === null || !('keys' in item)) return measure(sluice, o, item?.query ?? 'W3');
  fullGc();
  return stateScaling(sluice, {
    keys: item.keys,
    fillRows: o.fillRows,
    steadyBatches: o.steadyBatches,
    steadyRows: o.steadyRows,
    seed: o.seed,
    checkpointRoot: o.checkpointDir,
  });
}

/**
 * Runs one streaming benchmark in this process (`argv`: its name and options, see
 * {@link parseStreamBenchArgs}) on a session with `--workers` worker threads, prints its
 * JSON line on stdout and appends it to `<results-dir>/<UTC date>.jsonl`. A failure is
 * recorded as a line with `error`. `state-scaling` writes one line per `--keys` value and
 * `stream-replay` one per `--query` workload, in order, on a fresh session each.
 */
export async function runStreamBenchmark(argv: readonly string[], commit: string | null): Promise<StreamBenchOutcome> {
  const o = parseStreamBenchArgs(argv);
  await mkdir(o.checkpointDir, { recursive: true });
  const records: StreamRecord[] = [];
  let status = 0;
  for (const item of itemsOf(o)) {
    const label =
      item === null ? '' : 'keys' in item ? `, ${item.keys} keys` : `, ${item.query}${item.stateLocation ? `, state on ${item.stateLocation}` : ''}`;
    const workers = item !== null && 'query' in item ? (item.executors ?? o.workers) : o.workers;
    process.stderr.write(`${o.name}: running (${workers} workers${label})...\n`);
    const sluice = await sessionFor(o, item);
    let fields: Record<string, StreamFieldValue>;
    try {
      fields = await measureOne(sluice, o, item);
      if (item !== null && 'query' in item && item.stateLocation !== undefined) {
        fields = {
          ...fields,
          stateLocation: item.stateLocation,
          stateExecutors: item.stateLocation === 'workers' ? workers : 0,
          loadAverage1m: roundTo(loadavg()[0] ?? 0, 2),
        };
      }
      if (fields.resultsMatch === false) status = 1;
    } catch (e) {
      fields = { ...(item ?? {}), error: e instanceof Error ? e.message : String(e) };
      status = 1;
    } finally {
      await sluice.stop();
    }
    const record: StreamRecord = { workload: o.name, ...fields, workers, commit, timestamp: new Date().toISOString() };
    process.stdout.write(`${JSON.stringify(record)}\n`);
    await appendStreamRecord(o.resultsDir, record);
    if (typeof fields.error === 'string') process.stderr.write(`${o.name}: ${fields.error}\n`);
    records.push(record);
  }
  return { record: records[records.length - 1] as StreamRecord, records, status };
}
