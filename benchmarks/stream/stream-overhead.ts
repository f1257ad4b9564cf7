import { col } from '../../dataframe/expr/functions.js';
import type { BatchDurations } from '../../dataframe/query-progress.js';
import type { Sluice } from '../../engine/session/sluice.js';
import { peakRssMb, percentile, roundTo, rssMb } from './percentile.js';
import { BATCH_PHASES, ProgressRecorder } from './progress-recorder.js';
import { newCheckpoint, removeCheckpoint, runForBatches } from './run-query.js';
import type { StreamFieldValue } from './stream-record.js';
import type { ThroughputOptions } from './stream-throughput.js';
import { streamThroughput } from './stream-throughput.js';

/** Sizes of the `stream-overhead` benchmark. */
export interface OverheadOptions {
  /** Batches of the overhead run (the memory check compares batch `rssCheckBatch` with the last). */
  readonly batches: number;
  /** Rows per batch of the overhead run. */
  readonly rowsPerBatch: number;
  /** Folder under which checkpoints are made (local disk: every log entry is fsynced). */
  readonly checkpointRoot: string;
  /** The throughput runs; null skips them. */
  readonly throughput: Omit<ThroughputOptions, 'checkpointRoot'> | null;
}

/** Batches at the start left out of the time statistics (JIT warm-up): 10 % of the run, at most 20. */
export function overheadWarmupBatches(batches: number): number {
  return Math.min(20, Math.floor(batches / 10));
}

/** The batch whose RSS the last batch's RSS is compared with: 200, or a tenth of a shorter run. */
export function rssCheckBatch(batches: number): number {
  return Math.min(200, Math.max(1, Math.floor(batches / 10)));
}

/**
 * `stream-overhead`: the fixed cost of a micro-batch. A rate-micro-batch source
 * (`rowsPerBatch` rows, default 100) through a trivial projection into the memory sink,
 * back-to-back batches (processingTime 0), checkpoint on local disk (offsets/N and
 * commits/N each written to a temp file, fsynced, renamed, directory fsynced). Per-batch
 * time is the progress's `durationMs.triggerExecution`; phases are its other keys. The
 * first {@link overheadWarmupBatches} batches are left out of the time statistics. RSS is
 * sampled when batch {@link rssCheckBatch} and the last batch report progress, with the JS
 * heap in use (after a full GC when node runs with `--expose-gc`). Then, unless
 * disabled, the throughput runs of {@link streamThroughput} for both queries.
 */
export async function streamOverhead(sluice: Sluice, o: OverheadOptions): Promise<Record<string, StreamFieldValue>> {
  const name = 'bench_overhead';
  const checkBatch = rssCheckBatch(o.batches);
  let rssAtCheck = Number.NaN;
  let rssEnd = Number.NaN;
  let heapAtCheck = Number.NaN;
  let heapEnd = Number.NaN;
  let rssMid = Number.NaN;
  let heapTotalAtCheck = Number.NaN;
  let heapTotalEnd = Number.NaN;
  const midBatch = Math.floor(o.batches / 2);
  const gc = (globalThis as { gc?: () => void }).gc;
  const heapMb = (): number => {
    gc?.();
    return process.memoryUsage().heapUsed / (1024 * 1024);
  };
  const recorder = new ProgressRecorder(name, o.batches, (_p, i) => {
    if (i === checkBatch - 1) {
      rssAtCheck = rssMb();
      heapAtCheck = heapMb();
      heapTotalAtCheck = process.memoryUsage().heapTotal / (1024 * 1024);
    }
    if (i === midBatch - 1) rssMid = rssMb();
    if (i === o.batches - 1) {
      rssEnd = rssMb();
      heapEnd = heapMb();
      heapTotalEnd = process.memoryUsage().heapTotal / (1024 * 1024);
    }
  });
  const rate = await sluice.readStream.format('rate-micro-batch').option('rowsPerBatch', o.rowsPerBatch).load();
  const df = rate.select(col('timestamp'), col('value'));
  const checkpoint = await newCheckpoint(o.checkpointRoot, 'overhead');
  const t0 = performance.now();
  try {
    await runForBatches(sluice, recorder, () =>
      df.writeStream
        .format('memory')
        .outputMode('append')
        .trigger({ kind: 'processingTime', intervalMs: 0 })
        .option('checkpointLocation', checkpoint)
        .queryName(name)
        .start(),
    );
  } finally {
    await removeCheckpoint(checkpoint);
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  const sinkRows = await sluice.table(name).count();
  const peakAfterOverhead = peakRssMb();
  const warm = overheadWarmupBatches(o.batches);
  const measured = (phase: keyof BatchDurations): Float64Array => recorder.phases[phase].subarray(warm, recorder.count);
  const stats = (p: number): Record<string, number | null> => {
    const out: Record<string, number | null> = {};
    for (const phase of BATCH_PHASES) if (phase !== 'triggerExecution') out[phase] = roundTo(percentile(measured(phase), p), 3);
    return out;
  };
  const batchMs = measured('triggerExecution');
  const first = recorder.arrivedAt[warm] as number;
  const last = recorder.arrivedAt[recorder.count - 1] as number;
  const fields: Record<string, StreamFieldValue> = {
    batches: o.batches,
    rowsPerBatch: o.rowsPerBatch,
    warmupBatches: warm,
    medianBatchMs: roundTo(percentile(batchMs, 50), 3),
    p99BatchMs: roundTo(percentile(batchMs, 99), 3),
    maxBatchMs: roundTo(percentile(batchMs, 100), 3),
    phasesMedianMs: stats(50),
    phasesP99Ms: stats(99),
    batchesPerSecond: roundTo(last > first ? ((recorder.count - 1 - warm) * 1000) / (last - first) : Number.NaN, 1),
    overheadWallSeconds: roundTo(wallSeconds, 3),
    sinkRows,
    rssCheckBatch: checkBatch,
    rssAtCheckMb: roundTo(rssAtCheck, 1),
    rssEndMb: roundTo(rssEnd, 1),
    rssGrowthPct: roundTo(((rssEnd - rssAtCheck) / rssAtCheck) * 100, 2),
    heapUsedAtCheckMb: roundTo(heapAtCheck, 1),
    heapUsedEndMb: roundTo(heapEnd, 1),
    heapAfterGc: gc !== undefined,
    heapTotalAtCheckMb: roundTo(heapTotalAtCheck, 1),
    heapTotalEndMb: roundTo(heapTotalEnd, 1),
    rssMidBatch: midBatch,
    rssMidMb: roundTo(rssMid, 1),
    rssGrowthSecondHalfPct: roundTo(((rssEnd - rssMid) / rssMid) * 100, 2),
    peakRssMb: roundTo(peakAfterOverhead, 1),
  };
  if (o.throughput === null) return fields;
  const t = { ...o.throughput, checkpointRoot: o.checkpointRoot };
  const stateless = await streamThroughput(sluice, 'stateless', t);
  const grouped = await streamThroughput(sluice, 'groupedCount', t);
  return {
    ...fields,
    throughputRowsPerBatch: t.rowsPerBatch,
    throughputBatches: t.batches,
    groupKeys: t.groupKeys,
    statelessRowsPerSecond: roundTo(stateless.rowsPerSecond, 0),
    statelessMedianBatchMs: roundTo(stateless.medianBatchMs, 3),
    groupedCountRowsPerSecond: roundTo(grouped.rowsPerSecond, 0),
    groupedCountMedianBatchMs: roundTo(grouped.medianBatchMs, 3),
    peakRssWithThroughputMb: roundTo(peakRssMb(), 1),
  };
}
