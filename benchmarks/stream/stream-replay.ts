import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ColumnarBatch } from '../../common/column-vector.js';
import type { Sluice } from '../../engine/session/sluice.js';
import * as api from '../../index.js';
import { canonicalRows } from '../canonical-rows.js';
import { compareResults } from '../compare-results.js';
import { median } from '../timing.js';
import { batchRows, upsertRows } from './batch-rows.js';
import { peakRssMb, percentile, roundTo } from './percentile.js';
import { ProgressRecorder } from './progress-recorder.js';
import { makeFlushedReplayInput } from './replay-input.js';
import type { ReplayQuery } from './replay-queries.js';
import { replayQuery } from './replay-queries.js';
import { ReplayClock } from '../../scheduler/replay-clock.js';
import { newCheckpoint, removeCheckpoint } from './run-query.js';
import type { StreamFieldValue } from './stream-record.js';

/** What `stream-replay` runs on. */
export interface ReplayOptions {
  /** The dataset folder (Parquet files, as written by benchmarks/data). */
  readonly dataDir: string;
  /** Rows in the dataset (reported). */
  readonly rows: number;
  /** Files in the dataset = data batches of the stream run (maxFilesPerTrigger=1). */
  readonly files: number;
  /** Timed runs of each engine (the median is reported); one untimed batch run comes first. */
  readonly runs: number;
  /** Folder under which the checkpoints (and an append-mode replay's input folder) are made. */
  readonly checkpointRoot: string;
  /** The workload to replay (W3, W4, W5, W6), or a {@link ReplayQuery} of one's own. Default W3. */
  readonly query?: string | ReplayQuery;
  /** The stream's source: the file source (default) or the replay source at speed max. */
  readonly source?: 'files' | 'replay';
  /** Replay source: trigger interval in event time (default 10 minutes). */
  readonly replayTriggerMs?: number;
}

/** Default trigger interval of `--source replay`: 10 minutes of event time. */
export const DEFAULT_REPLAY_TRIGGER_MS = 600_000;

/** Batches a recorder keeps at most beyond the files (the flush file and no-data batches). */
const EXTRA_BATCHES = 64;
/** Batches a recorder keeps at most with the replay source (one per trigger slot with data). */
const REPLAY_CAPACITY = 4096;

/** One stream run: wall seconds from the reader call to termination, the sink's batches, and the per-batch progress. */
async function streamRun(
  sluice: Sluice,
  q: ReplayQuery,
  inputDir: string,
  capacity: number,
  checkpointRoot: string,
  run: number,
  replayTriggerMs: number | null,
): Promise<{ seconds: number; out: ColumnarBatch[]; recorder: ProgressRecorder }> {
  const name = `bench_replay_${q.id}_${run}`;
  const recorder = new ProgressRecorder(name, capacity);
  const out: ColumnarBatch[] = [];
  const checkpoint = await newCheckpoint(checkpointRoot, 'replay');
  sluice.streams.addListener(recorder);
  try {
    const t0 = performance.now();
    const clock = replayTriggerMs === null ? null : new ReplayClock({ speed: 'max' });
    const tx =
      clock === null
        ? await sluice.readStream.format('parquet').option('maxFilesPerTrigger', 1).load(inputDir)
        : await sluice.readStream.format('replay').option('eventTime', 'event_time').load(inputDir);
    const writer = q
      .stream(tx, api)
      .writeStream.outputMode(q.outputMode)
      .trigger(replayTriggerMs === null ? { kind: 'availableNow' } : { kind: 'processingTime', intervalMs: replayTriggerMs })
      .option('checkpointLocation', checkpoint)
      .queryName(name)
      .foreachBatch(async (df) => {
        out.push(await df.collectBatch());
      });
    if (clock !== null) writer.clock(clock);
    const query = await writer.start();
    if (clock !== null) {
      await Promise.race([clock.reachedEnd, query.awaitTermination()]);
      await query.stop();
    } else await query.awaitTermination();
    if (query.exception !== null) throw query.exception;
    return { seconds: (performance.now() - t0) / 1000, out, recorder };
  } finally {
    sluice.streams.removeListener(recorder);
    await removeCheckpoint(checkpoint);
  }
}

/** The stream's final table: update batches applied in order by the query's keys, or append batches concatenated. */
export function finalStreamRows(q: ReplayQuery, batches: readonly ColumnarBatch[]): Record<string, unknown>[] {
  return q.upsertKeys === null ? batches.flatMap(batchRows) : upsertRows(batches, q.upsertKeys);
}

/**
 * `stream-replay`: a workload over the transactions dataset, once as a batch query
 * (`read.parquet(dir)` ... `collectBatch()`) and once as a stream
 * (`readStream.format('parquet').option('maxFilesPerTrigger', 1)`, trigger availableNow,
 * checkpoint on local disk, a foreachBatch sink keeping each batch's rows). W3 runs in update
 * mode; W4-W6 in append mode with a watermark (see replay-queries.ts), over a folder of links
 * to the dataset's files plus a flush file, so that the watermark passes the last windows.
 * Both are timed from the reader call to the whole result in memory (the stream: until the
 * query terminates). The stream's final table is checked against the batch result; the
 * last stream run's per-batch times (progress durationMs) are in the line.
 *
 * With `source: 'replay'` the stream reads the replay source instead (rows released in
 * event-time order, a processing-time trigger of `replayTriggerMs` event-time ms on a
 * ReplayClock at speed max, stopped when the clock reaches the end); target: within 1.5x of
 * the batch time (2x for the file source).
 */
export async function streamReplay(sluice: Sluice, o: ReplayOptions): Promise<Record<string, StreamFieldValue>> {
  const q = typeof o.query === 'object' ? o.query : replayQuery(o.query ?? 'W3');
  const replay = o.source === 'replay';
  let inputDir = o.dataDir;
  let scratch: string | null = null;
  try {
    if (q.needsFlush) {
      scratch = await mkdtemp(join(o.checkpointRoot, 'sluice-replay-input-'));
      inputDir = join(scratch, 'in');
      await makeFlushedReplayInput(o.dataDir, inputDir);
    }
    const batchRun = async (): Promise<ColumnarBatch> => q.batch(await sluice.read.parquet(o.dataDir), api).collectBatch();
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
      last = await streamRun(
        sluice,
        q,
        inputDir,
        replay ? REPLAY_CAPACITY : o.files + EXTRA_BATCHES,
        o.checkpointRoot,
        r,
        replay ? (o.replayTriggerMs ?? DEFAULT_REPLAY_TRIGGER_MS) : null,
      );
      streamTimes.push(last.seconds);
    }
    if (last === null) throw new Error('stream-replay needs at least one run.');
    const columns = q.columns;
    const cmp = compareResults(canonicalRows(finalStreamRows(q, last.out), columns), canonicalRows(batchRows(expected), columns), columns);
    const streamSeconds = median(streamTimes);
    const batchSeconds = median(batchTimes);
    const rec = last.recorder;
    const n = rec.count;
    const sum = (xs: Float64Array): number => xs.subarray(0, n).reduce((a, b) => a + b, 0);
    const perBatch = (xs: Float64Array): number[] => Array.from(xs.subarray(0, n), (x) => roundTo(x, 3) ?? 0);
    return {
      query: q.id,
      source: replay ? 'replay' : 'files',
      ...(replay ? { replayTriggerMs: o.replayTriggerMs ?? DEFAULT_REPLAY_TRIGGER_MS } : {}),
      outputMode: q.outputMode,
      rows: o.rows,
      files: o.files,
      streamSeconds: roundTo(streamSeconds, 4),
      batchSeconds: roundTo(batchSeconds, 4),
      streamToBatchRatio: roundTo(streamSeconds / batchSeconds, 3),
      meetsTarget: streamSeconds <= (replay ? 1.5 : 2) * batchSeconds,
      streamRowsPerSecond: roundTo(o.rows / streamSeconds, 0),
      batchRowsPerSecond: roundTo(o.rows / batchSeconds, 0),
      streamBatches: n,
      medianStreamBatchMs: roundTo(percentile(rec.phases.triggerExecution.subarray(0, n), 50), 3),
      phasesTotalMs: {
        latestOffset: roundTo(sum(rec.phases.latestOffset), 1),
        walCommit: roundTo(sum(rec.phases.walCommit), 1),
        getBatch: roundTo(sum(rec.phases.getBatch), 1),
        queryPlanning: roundTo(sum(rec.phases.queryPlanning), 1),
        addBatch: roundTo(sum(rec.phases.addBatch), 1),
        commitOffsets: roundTo(sum(rec.phases.commitOffsets), 1),
      },
      batchMs: perBatch(rec.phases.triggerExecution),
      batchAddBatchMs: perBatch(rec.phases.addBatch),
      batchInputRows: Array.from(rec.inputRows.subarray(0, n)),
      outputRows: expected.numRows,
      resultsMatch: cmp.equal,
      ...(cmp.equal ? {} : { error: `stream result differs from batch: ${cmp.differences.join('; ')}` }),
      runs: o.runs,
      streamRunsSeconds: streamTimes.map((t) => roundTo(t, 4) ?? 0),
      batchRunsSeconds: batchTimes.map((t) => roundTo(t, 4) ?? 0),
      peakRssMb: roundTo(peakRssMb(), 1),
    };
  } finally {
    if (scratch !== null) await rm(scratch, { recursive: true, force: true });
  }
}
