import { col } from '../../dataframe/expr/functions.js';
import type { DataFrame } from '../../dataframe/data-frame.js';
import type { Sluice } from '../../engine/session/sluice.js';
import { percentile } from './percentile.js';
import { ProgressRecorder } from './progress-recorder.js';
import { newCheckpoint, removeCheckpoint, runForBatches } from './run-query.js';

/** Sizes of one throughput run. */
export interface ThroughputOptions {
  /** Rows per micro-batch of the rate-micro-batch source. */
  readonly rowsPerBatch: number;
  /** Batches measured (one more runs first, untimed, to warm up). */
  readonly batches: number;
  /** Distinct keys of the grouped count (`value % groupKeys`). */
  readonly groupKeys: number;
  /** Folder under which the checkpoint is made. */
  readonly checkpointRoot: string;
}

/** The two throughput queries. */
export type ThroughputQuery = 'stateless' | 'groupedCount';

/** Rows per second over the measured batches, and the median batch time. */
export interface ThroughputResult {
  readonly rowsPerSecond: number;
  readonly medianBatchMs: number;
}

/**
 * The query of a throughput run over a rate-micro-batch stream: `stateless` keeps 3 rows in
 * 4 and projects two computed columns (append mode); `groupedCount` counts rows per
 * `value % groupKeys` (update mode, a stateful aggregation with its state store).
 */
function throughputQuery(rate: DataFrame, which: ThroughputQuery, groupKeys: number): DataFrame {
  if (which === 'stateless') {
    return rate.filter(col('value').mod(4).notEqual(0)).select(col('timestamp'), col('value').multiply(2).alias('v2'), col('value').mod(10).alias('d'));
  }
  return rate.withColumn('k', col('value').mod(groupKeys)).groupBy('k').count();
}

/**
 * Maximum sustained throughput of one query: back-to-back batches (processingTime 0) of
 * `rowsPerBatch` rows from the rate-micro-batch source (generating the rows is part of each
 * batch's getBatch), into a foreachBatch sink that materialises the result batch by batch and
 * drops it, with a checkpoint on local disk. Rows per second = rows of the measured batches
 * / wall time from the end of the warm-up batch to the end of the last batch.
 */
export async function streamThroughput(sluice: Sluice, which: ThroughputQuery, o: ThroughputOptions): Promise<ThroughputResult> {
  const rate = await sluice.readStream.format('rate-micro-batch').option('rowsPerBatch', o.rowsPerBatch).load();
  const df = throughputQuery(rate, which, o.groupKeys);
  const name = `bench_throughput_${which}`;
  const recorder = new ProgressRecorder(name, o.batches + 1);
  const checkpoint = await newCheckpoint(o.checkpointRoot, `throughput-${which}`);
  try {
    await runForBatches(sluice, recorder, () =>
      df.writeStream
        .outputMode(which === 'stateless' ? 'append' : 'update')
        .trigger({ kind: 'processingTime', intervalMs: 0 })
        .option('checkpointLocation', checkpoint)
        .queryName(name)
        .foreachBatch(async (out) => {
          for await (const _ of out.batches()) {
            // Materialise and drop: the sink keeps nothing.
          }
        })
        .start(),
    );
  } finally {
    await removeCheckpoint(checkpoint);
  }
  const n = recorder.count;
  let rows = 0;
  for (let i = 1; i < n; i++) rows += recorder.inputRows[i] as number;
  const seconds = ((recorder.arrivedAt[n - 1] as number) - (recorder.arrivedAt[0] as number)) / 1000;
  return { rowsPerSecond: seconds > 0 ? rows / seconds : Number.NaN, medianBatchMs: percentile(recorder.phases.triggerExecution.subarray(1, n), 50) };
}
