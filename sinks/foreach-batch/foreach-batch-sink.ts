import type { DataFrame } from '../../dataframe/data-frame.js';
import type { OutputMode, Sink } from '../sink.js';

/** The user function of `foreachBatch`: receives each micro-batch's result and its id. */
export type ForeachBatchFunction = (df: DataFrame, batchId: number) => Promise<void> | void;

/**
 * Calls a user function with each micro-batch's result (Spark's foreachBatch). The call
 * finishes before the batch commits. A repeated batch id is skipped by this instance, but
 * after a crash and restart the batch that was running is run again and the function is
 * called again with the same batch id: the sink is at-least-once. For exactly-once output,
 * make the function idempotent by batch id (e.g. overwrite a per-batch-id location).
 */
export class ForeachBatchSink implements Sink {
  readonly description = 'ForeachBatchSink';
  /** Output modes this sink accepts. */
  readonly supportedOutputModes: readonly OutputMode[] = ['append', 'update', 'complete'];
  private lastBatchId = -1;

  /** @param fn - called once per micro-batch */
  constructor(private readonly fn: ForeachBatchFunction) {}

  async addBatch(batchId: number, data: DataFrame, _mode: OutputMode): Promise<void> {
    if (batchId <= this.lastBatchId) return;
    await this.fn(data, batchId);
    this.lastBatchId = batchId;
  }

  async stop(): Promise<void> {}
}
