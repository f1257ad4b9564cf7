import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { count, sum } from '../../dataframe/expr/functions.js';
import type { StreamingQueryProgress } from '../../dataframe/query-progress.js';
import type { Sluice } from '../../engine/session/sluice.js';
import { STATE_FILE_HEADER_BYTES, STATE_FILE_TRAILER_BYTES } from '../../engine/state/state-file-format.js';
import { CheckpointBytesScanner } from './checkpoint-bytes.js';
import { KeyedBatchSource } from './keyed-batch-source.js';
import { peakRssMb, percentile, roundTo } from './percentile.js';
import { ProgressRecorder } from './progress-recorder.js';
import { newCheckpoint, removeCheckpoint } from './run-query.js';
import type { StreamFieldValue } from './stream-record.js';

/** Sizes of one `state-scaling` run. */
export interface StateScalingOptions {
  /** Distinct keys filled into the state. */
  readonly keys: number;
  /** Rows per fill batch (each key once). */
  readonly fillRows: number;
  /** Batches after the fill. */
  readonly steadyBatches: number;
  /** Rows per steady batch (uniformly random keys). */
  readonly steadyRows: number;
  readonly seed: number;
  /** Folder under which the checkpoint is made. */
  readonly checkpointRoot: string;
  /** The memory budget the state must fit in (RSS after the fill), bytes. Default 2 GiB. */
  readonly memoryBudgetBytes?: number;
}

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

/** A full garbage collection (exposed through V8's flag at first use), so RSS and heap readings are settled. */
export function fullGc(): void {
  const g = globalThis as { gc?: () => void };
  if (typeof g.gc !== 'function') {
    setFlagsFromString('--expose-gc');
    g.gc = runInNewContext('gc') as () => void;
  }
  g.gc?.();
}

/** Per-batch numbers of a state-scaling run, in batch order. */
interface BatchLog {
  batchMs: number[];
  commitOffsetsMs: number[];
  gapMs: number[];
  inputRows: number[];
  stateRows: number[];
  updatedRows: number[];
  stateMemoryBytes: number[];
  rssMb: number[];
  heapUsedMb: number[];
  arrayBuffersMb: number[];
  deltaBytes: number[];
  deltaFiles: number[];
  snapshotBytes: number[];
  logBytes: number[];
}

function newLog(): BatchLog {
  return {
    batchMs: [],
    commitOffsetsMs: [],
    gapMs: [],
    inputRows: [],
    stateRows: [],
    updatedRows: [],
    stateMemoryBytes: [],
    rssMb: [],
    heapUsedMb: [],
    arrayBuffersMb: [],
    deltaBytes: [],
    deltaFiles: [],
    snapshotBytes: [],
    logBytes: [],
  };
}

const r1 = (x: number): number => roundTo(x, 1) ?? 0;
const r3 = (x: number): number => roundTo(x, 3) ?? 0;
const sumOf = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/**
 * `state-scaling`: a streaming `groupBy(key).agg(count, sum(amount))` in update mode over a
 * {@link KeyedBatchSource} with `keys` distinct int64 keys: first fill batches that touch
 * every key once, then `steadyBatches` batches of `steadyRows` uniformly random keys.
 * Trigger availableNow, checkpoint on local disk, a foreachBatch sink that materialises
 * and drops the updated rows. After every batch (from its progress event) it records the
 * batch time (`durationMs.triggerExecution`), the state operator's `numRowsTotal`,
 * `numRowsUpdated` and `memoryUsedBytes`, the process RSS, heapUsed and arrayBuffers, and
 * the bytes the checkpoint gained since the previous batch: state deltas, state snapshots
 * (written in the background, so counted with the batch after which they appeared) and
 * offsets/commits. After the fill it forces a full GC and takes the settled RSS: the
 * memory check is that RSS against `memoryBudgetBytes` (2 GiB). The steady summary gives
 * delta bytes per updated key, which should not depend on the state size.
 */
export async function stateScaling(sluice: Sluice, o: StateScalingOptions): Promise<Record<string, StreamFieldValue>> {
  const source = new KeyedBatchSource({ keys: o.keys, fillRows: o.fillRows, steadyBatches: o.steadyBatches, steadyRows: o.steadyRows, seed: o.seed });
  const fill = source.fillBatches;
  const name = `bench_state_scaling_${o.keys}`;
  const checkpoint = await newCheckpoint(o.checkpointRoot, 'state-scaling');
  const scanner = new CheckpointBytesScanner(checkpoint);
  const log = newLog();
  let lastArrival = performance.now();
  let settledAfterFill = { rssMb: 0, heapUsedMb: 0, arrayBuffersMb: 0, stateMemoryBytes: 0 };
  const onBatch = (p: StreamingQueryProgress, i: number): void => {
    const now = performance.now();
    const state = p.stateOperators[0];
    const writes = scanner.scan();
    const mem = process.memoryUsage();
    log.batchMs.push(r3(p.durationMs.triggerExecution));
    log.commitOffsetsMs.push(r3(p.durationMs.commitOffsets));
    log.gapMs.push(r3(now - lastArrival - p.durationMs.triggerExecution));
    log.inputRows.push(p.numInputRows);
    log.stateRows.push(state?.numRowsTotal ?? 0);
    log.updatedRows.push(state?.numRowsUpdated ?? 0);
    log.stateMemoryBytes.push(state?.memoryUsedBytes ?? 0);
    log.rssMb.push(r1(mem.rss / MIB));
    log.heapUsedMb.push(r1(mem.heapUsed / MIB));
    log.arrayBuffersMb.push(r1(mem.arrayBuffers / MIB));
    log.deltaBytes.push(writes.deltaBytes);
    log.deltaFiles.push(writes.deltaFiles);
    log.snapshotBytes.push(writes.snapshotBytes);
    log.logBytes.push(writes.logBytes);
    if (i === fill - 1) {
      fullGc();
      const m = process.memoryUsage();
      settledAfterFill = {
        rssMb: m.rss / MIB,
        heapUsedMb: m.heapUsed / MIB,
        arrayBuffersMb: m.arrayBuffers / MIB,
        stateMemoryBytes: state?.memoryUsedBytes ?? 0,
      };
    }
    lastArrival = performance.now();
  };
  const recorder = new ProgressRecorder(name, source.totalBatches, onBatch);
  sluice.streams.addListener(recorder);
  const started = performance.now();
  try {
    const df = sluice.readStream.fromSource(source).groupBy('key').agg(count().alias('n'), sum('amount').alias('total'));
    lastArrival = performance.now();
    const query = await df.writeStream
      .outputMode('update')
      .trigger({ kind: 'availableNow' })
      .option('checkpointLocation', checkpoint)
      .queryName(name)
      .foreachBatch(async (out) => {
        for await (const _ of out.batches()) {
          // Materialise and drop.
        }
      })
      .start();
    await query.awaitTermination();
    if (query.exception !== null) throw query.exception;
  } finally {
    sluice.streams.removeListener(recorder);
    await removeCheckpoint(checkpoint);
  }
  const seconds = (performance.now() - started) / 1000;
  if (recorder.count !== source.totalBatches) throw new Error(`state-scaling: ${recorder.count} of ${source.totalBatches} batches reported progress.`);
  const steady = (xs: readonly number[]): number[] => xs.slice(fill);
  const steadyDelta = steady(log.deltaBytes);
  const steadyUpdated = steady(log.updatedRows);
  const steadyBatchMs = steady(log.batchMs);
  const budget = o.memoryBudgetBytes ?? 2 * GIB;
  const stateRowsAfterFill = log.stateRows[fill - 1] ?? 0;
  return {
    keys: o.keys,
    fillBatches: fill,
    fillRows: o.fillRows,
    steadyBatches: o.steadyBatches,
    steadyRows: o.steadyRows,
    seconds: r3(seconds),
    fillSeconds: r3(sumOf(log.batchMs.slice(0, fill)) / 1000),
    stateRowsAfterFill,
    stateMemoryBytesAfterFill: settledAfterFill.stateMemoryBytes,
    stateBytesPerKey: roundTo(settledAfterFill.stateMemoryBytes / Math.max(1, stateRowsAfterFill), 1),
    rssAfterFillMb: r1(settledAfterFill.rssMb),
    heapUsedAfterFillMb: r1(settledAfterFill.heapUsedMb),
    arrayBuffersAfterFillMb: r1(settledAfterFill.arrayBuffersMb),
    memoryBudgetMb: budget / MIB,
    fitsMemoryBudget: settledAfterFill.rssMb * MIB <= budget && peakRssMb() * MIB <= budget,
    steadyMedianBatchMs: roundTo(percentile(steadyBatchMs, 50), 3),
    steadyP99BatchMs: roundTo(percentile(steadyBatchMs, 99), 3),
    steadyMedianCommitOffsetsMs: roundTo(percentile(steady(log.commitOffsetsMs), 50), 3),
    steadyMaxGapMs: roundTo(percentile(steady(log.gapMs), 100), 3),
    steadyMedianUpdatedKeys: roundTo(percentile(steadyUpdated, 50), 0),
    steadyMedianDeltaBytes: roundTo(percentile(steadyDelta, 50), 0),
    // Without each delta file's fixed frame (header and checksum): the bytes of one changed key's record.
    deltaBytesPerUpdatedKey: roundTo(
      (sumOf(steadyDelta) - (STATE_FILE_HEADER_BYTES + STATE_FILE_TRAILER_BYTES) * sumOf(steady(log.deltaFiles))) / Math.max(1, sumOf(steadyUpdated)),
      2,
    ),
    steadySnapshotBytes: sumOf(steady(log.snapshotBytes)),
    steadyMedianLogBytes: roundTo(percentile(steady(log.logBytes), 50), 0),
    ...log,
    peakRssMb: r1(peakRssMb()),
  };
}
