import { col } from '../../dataframe/expr/functions.js';
import type { Sluice } from '../../engine/session/sluice.js';
import { peakRssMb, percentile, roundTo } from './percentile.js';
import { ProgressRecorder } from './progress-recorder.js';
import { newCheckpoint, removeCheckpoint, runForBatches } from './run-query.js';
import type { StreamFieldValue } from './stream-record.js';
import { int64At, WallClockRateSource, wallClockMicros } from './wall-clock-rate-source.js';

/** Sizes of the `stream-latency` benchmark. */
export interface LatencyOptions {
  /** Rows created per second of wall-clock time. */
  readonly rowsPerSecond: number;
  /** Trigger interval (processingTime), ms. */
  readonly triggerMs: number;
  /** Batches measured, after the warm-up batches. */
  readonly batches: number;
  /** Batches at the start left out (JIT warm-up). */
  readonly warmupBatches: number;
  /** Folder under which the checkpoint is made. */
  readonly checkpointRoot: string;
}

/** Latencies of the measured rows, in ms, growing as rows arrive. */
class LatencyLog {
  values: Float64Array;
  count = 0;
  constructor(capacity: number) {
    this.values = new Float64Array(capacity);
  }
  reserve(n: number): void {
    if (this.count + n <= this.values.length) return;
    const grown = new Float64Array(Math.max(this.values.length * 2, this.count + n));
    grown.set(this.values.subarray(0, this.count));
    this.values = grown;
  }
}

/**
 * `stream-latency`: end-to-end latency at a fixed input rate. A {@link WallClockRateSource}
 * creates `rowsPerSecond` rows per second, each stamped with its creation instant (µs);
 * the query (a projection with one computed column) runs under a processingTime trigger
 * of `triggerMs` with a checkpoint on local disk (fsynced offsets and commits), into a
 * foreachBatch sink that materialises the batch (`collectBatch`), then takes the arrival
 * time and records `arrival - timestamp` for every row. So a row's latency is the wait for
 * the next trigger + offset log + planning + the query + handing the rows to the sink; the
 * sink's own commit (`commits/N`, after the sink) is not part of it. Batches `0..warmup-1`
 * are left out.
 */
export async function streamLatency(sluice: Sluice, o: LatencyOptions): Promise<Record<string, StreamFieldValue>> {
  const name = 'bench_latency';
  const source = new WallClockRateSource(o.rowsPerSecond);
  const df = sluice.readStream.fromSource(source).select(col('timestamp'), col('value'), col('value').mod(10).alias('d'));
  const total = o.warmupBatches + o.batches;
  const log = new LatencyLog(Math.ceil((o.rowsPerSecond * o.triggerMs * o.batches) / 1000) + 1024);
  let sinkBatches = 0;
  const recorder = new ProgressRecorder(name, total);
  const checkpoint = await newCheckpoint(o.checkpointRoot, 'latency');
  try {
    await runForBatches(sluice, recorder, () =>
      df.writeStream
        .outputMode('append')
        .trigger({ kind: 'processingTime', intervalMs: o.triggerMs })
        .option('checkpointLocation', checkpoint)
        .queryName(name)
        .foreachBatch(async (out) => {
          const batch = await out.collectBatch();
          const arrivalUs = wallClockMicros();
          if (sinkBatches++ < o.warmupBatches) return;
          const stamps = batch.columns[0]?.values;
          if (!(stamps instanceof BigInt64Array)) throw new Error('stream-latency: the sink expected a timestamp column first.');
          const halves = new Int32Array(stamps.buffer, stamps.byteOffset, stamps.length * 2);
          log.reserve(batch.numRows);
          const values = log.values;
          let n = log.count;
          for (let i = 0; i < batch.numRows; i++) values[n++] = (arrivalUs - int64At(halves, i)) / 1000;
          log.count = n;
        })
        .start(),
    );
  } finally {
    await removeCheckpoint(checkpoint);
  }
  const latencies = log.values.subarray(0, log.count);
  const batchMs = recorder.phases.triggerExecution.subarray(o.warmupBatches, recorder.count);
  let rows = 0;
  for (let i = o.warmupBatches; i < recorder.count; i++) rows += recorder.inputRows[i] as number;
  const first = recorder.arrivedAt[o.warmupBatches - 1] ?? recorder.arrivedAt[0] ?? 0;
  const last = recorder.arrivedAt[recorder.count - 1] ?? first;
  const p99 = percentile(latencies, 99);
  return {
    inputRowsPerSecond: o.rowsPerSecond,
    triggerMs: o.triggerMs,
    p50LatencyMs: roundTo(percentile(latencies, 50), 2),
    p99LatencyMs: roundTo(p99, 2),
    minLatencyMs: roundTo(percentile(latencies, 0), 2),
    maxLatencyMs: roundTo(percentile(latencies, 100), 2),
    targetP99Ms: o.triggerMs + 30,
    meetsTarget: p99 <= o.triggerMs + 30,
    batches: o.batches,
    warmupBatches: o.warmupBatches,
    rowsMeasured: log.count,
    measuredInputRowsPerSecond: roundTo(last > first ? (rows * 1000) / (last - first) : Number.NaN, 0),
    medianBatchMs: roundTo(percentile(batchMs, 50), 3),
    p99BatchMs: roundTo(percentile(batchMs, 99), 3),
    peakRssMb: roundTo(peakRssMb(), 1),
  };
}
