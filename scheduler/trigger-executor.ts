/** One batch: runs it and says whether the query should go on (false: stop, e.g. no more data). */
export type BatchRunner = () => Promise<boolean>;

/**
 * Decides when batches run. Contract: `execute` calls `runBatch` zero or more times, one
 * at a time, and resolves when the trigger is done, `runBatch` returned false, or `signal`
 * aborted (a batch in progress is finished, never cut off). An error thrown by a batch
 * rejects `execute`. Waiting between batches never busy-waits.
 */
export interface TriggerExecutor {
  execute(runBatch: BatchRunner, signal: AbortSignal): Promise<void>;
}
