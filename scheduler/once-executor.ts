import type { BatchRunner, TriggerExecutor } from './trigger-executor.js';

/** Runs exactly one batch (unless stopped before it starts). */
export class OnceExecutor implements TriggerExecutor {
  async execute(runBatch: BatchRunner, signal: AbortSignal): Promise<void> {
    if (!signal.aborted) await runBatch();
  }
}
