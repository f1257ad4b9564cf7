import type { BatchRunner, TriggerExecutor } from './trigger-executor.js';

/**
 * Runs batches back to back until one says there is no more data (returns false), as
 * Spark's AvailableNow trigger: the batch function is expected to stop at the end
 * offsets fixed when the query started.
 */
export class AvailableNowExecutor implements TriggerExecutor {
  async execute(runBatch: BatchRunner, signal: AbortSignal): Promise<void> {
    while (!signal.aborted && (await runBatch()));
  }
}
