import type { ColumnarBatch } from '../../common/column-vector.js';
import type { Sluice } from '../../engine/session/sluice.js';
import * as api from '../../index.js';
import { canonicalRows } from '../canonical-rows.js';
import { compareResults } from '../compare-results.js';
import { median } from '../timing.js';
import { W3_TUMBLING_WINDOWS } from '../workloads/w3-tumbling-windows.js';
import { upsertRows } from './batch-rows.js';
import { peakRssMb, percentile, roundTo } from './percentile.js';
import { ProgressRecorder } from './progress-recorder.js';
import { newCheckpoint, removeCheckpoint } from './run-query.js';
import type { StreamFieldValue } from './stream-record.js';

/** What `stream-replay` runs on. */
export interface ReplayOptions {
  /** The dataset folder (Parquet files, as written by benchmarks/data). */
  readonly dataDir: string;
  /** Rows in the dataset (reported). */
  readonly rows: number;
  /** Files in the dataset = batches of the stream run (maxFilesPerTrigger=1). */
  readonly files: number;
  /** Timed runs of each engine (the median is reported); one untimed batch run comes first. */
  readonly runs: number;
  /** Folder under which the checkpoints are made. */
  readonly checkpointRoot: string;
}

const GROUP_KEYS: readonly string[] = ['window_start_ms', 'country'];

/** One stream run: wall seconds from start() to termination, the sink's batches, and the per-batch progress. */
async function streamRun(sluice: Sluice, o: ReplayOptions, run: number): Promise<{ seconds: number; out: ColumnarBatch[]; recorder: ProgressRecorder }> {
  const name = `bench_replay_${run}`;
  const recorder = new ProgressRecorder(name, o.files);
  const out: ColumnarBatch[] = [];
  const checkpoint = await newCheckpoint(o.checkpointRoot, 'replay');
  sluice.streams.addListener(recorder);
  try {
    const t0 = performance.now();
    const tx = await sluice.readStream.format('parquet').option('maxFilesPerTrigger', 1).load(o.dataDir);
    const query = await W3_TUMBLING_WINDOWS.sluice({ tx, merchants: null }, api)
      .writeStream.outputMode('update')
      .trigger({ kind: 'availableNow' })
      .option('checkpointLocation', checkpoint)
      .queryName(name)
      .foreachBatch(async (df) => {
        out.push(await df.collectBatch());
      })
      .start();
    await query.awaitTermination();
    return { seconds: (performance.now() - t0) / 1000, out, recorder };
  } finally {
    sluice.streams.removeListener(recorder);
    await removeCheckpoint(checkpoint);
  }
}

/**
 * `stream-replay`: W3 (1-minute tumbling windows by country: count, sum(amount)) over the
 * transactions dataset, once as a batch query (`read.parquet(dir)` ... `collectBatch()`) and
 * once as a stream (`readStream.format('parquet').option('maxFilesPerTrigger', 1)`, update
 * mode, trigger availableNow, checkpoint on local disk, a foreachBatch sink keeping each
 * batch's updated rows). Both are timed from the reader call to the whole result in memory
 * (the stream: until the query terminates after the last file). The stream's final table
 * (its update batches applied in order) is checked against the batch result.
 */
export async function streamReplay(sluice: Sluice, o: ReplayOptions): Promise<Record<string, StreamFieldValue>> {
  const batchRun = async (): Promise<ColumnarBatch> =>
    W3_TUMBLING_WINDOWS.sluice({ tx: await sluice.read.parquet(o.dataDir), merchants: null }, api).collectBatch();
  let expected = await batchRun();
  const batchTimes: number[] = [];
  for (let r = 0; r < o.runs; r++) {
    const t0 = performance.now();
    expected = await batchRun();
    batchTimes.push((performance.now() - t0) / 1000);
  }
  const streamTimes: number[] = [];
  let last: Awaited<ReturnType<typeof streamRun>> | null = null;
  for (let r = 0; r < o.runs; r++) {
    last = await streamRun(sluice, o, r);
    streamTimes.push(last.seconds);
  }
  if (last === null) throw new Error('stream-replay needs at least one run.');
  const columns = W3_TUMBLING_WINDOWS.columns;
  const cmp = compareResults(canonicalRows(upsertRows(last.out, GROUP_KEYS), columns), canonicalRows(upsertRows([expected], GROUP_KEYS), columns), columns);
  const streamSeconds = median(streamTimes);
  const batchSeconds = median(batchTimes);
  const rec = last.recorder;
  const sum = (xs: Float64Array): number => xs.subarray(0, rec.count).reduce((a, b) => a + b, 0);
  return {
    query: 'W3',
    rows: o.rows,
    files: o.files,
    streamSeconds: roundTo(streamSeconds, 4),
    batchSeconds: roundTo(batchSeconds, 4),
    streamToBatchRatio: roundTo(streamSeconds / batchSeconds, 3),
    meetsTarget: streamSeconds <= 2 * batchSeconds,
    streamRowsPerSecond: roundTo(o.rows / streamSeconds, 0),
    batchRowsPerSecond: roundTo(o.rows / batchSeconds, 0),
    streamBatches: rec.count,
    medianStreamBatchMs: roundTo(percentile(rec.phases.triggerExecution.subarray(0, rec.count), 50), 3),
    phasesTotalMs: {
      latestOffset: roundTo(sum(rec.phases.latestOffset), 1),
      walCommit: roundTo(sum(rec.phases.walCommit), 1),
      getBatch: roundTo(sum(rec.phases.getBatch), 1),
      queryPlanning: roundTo(sum(rec.phases.queryPlanning), 1),
      addBatch: roundTo(sum(rec.phases.addBatch), 1),
      commitOffsets: roundTo(sum(rec.phases.commitOffsets), 1),
    },
    outputRows: expected.numRows,
    resultsMatch: cmp.equal,
    ...(cmp.equal ? {} : { error: `stream result differs from batch: ${cmp.differences.join('; ')}` }),
    runs: o.runs,
    streamRunsSeconds: streamTimes.map((t) => roundTo(t, 4) ?? 0),
    batchRunsSeconds: batchTimes.map((t) => roundTo(t, 4) ?? 0),
    peakRssMb: roundTo(peakRssMb(), 1),
  };
}
