import { invalidArgument } from '../common/errors.js';
import type { Clock } from './clock.js';
import type { BatchRunner, TriggerExecutor } from './trigger-executor.js';

/** Reported when a batch took longer than the trigger interval. */
export interface FallingBehind {
  readonly batchStartMs: number;
  readonly batchEndMs: number;
  readonly intervalMs: number;
}

/** Options of {@link ProcessingTimeExecutor}. */
export interface ProcessingTimeExecutorOptions {
  /** Called after a batch that overran its interval; the next batch then starts at once. */
  readonly onFallingBehind?: (info: FallingBehind) => void;
}

/**
 * Runs batches in epoch-aligned slots of `intervalMs`, like Spark's ProcessingTime
 * trigger. The first batch runs at once; a batch that started at time t is followed by one
 * at the next slot boundary after t, `floor(t / interval) * interval + interval` (so slots
 * stay aligned to the epoch, not to the start of the query). A batch that ends after that
 * boundary is followed at once, and one that took longer than the interval is reported
 * through `onFallingBehind`. Interval 0 runs batches back to back.
 */
export class ProcessingTimeExecutor implements TriggerExecutor {
  constructor(
    readonly intervalMs: number,
    private readonly clock: Clock,
    private readonly options: ProcessingTimeExecutorOptions = {},
  ) {
    if (!Number.isFinite(intervalMs) || intervalMs < 0) throw invalidArgument(`Trigger interval must be >= 0 ms, got ${intervalMs}.`);
  }

  /** The slot boundary following time `t`. */
  nextSlot(t: number): number {
    const i = this.intervalMs;
    return i === 0 ? t : Math.floor(t / i) * i + i;
  }

  async execute(runBatch: BatchRunner, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const start = this.clock.now();
      const next = this.nextSlot(start);
      const goOn = await runBatch();
      if (!goOn || signal.aborted) return;
      const end = this.clock.now();
      if (this.intervalMs > 0 && end - start > this.intervalMs) {
        this.options.onFallingBehind?.({ batchStartMs: start, batchEndMs: end, intervalMs: this.intervalMs });
      }
      if (end < next && !(await this.clock.sleep(next - end, signal))) return;
    }
  }
}
