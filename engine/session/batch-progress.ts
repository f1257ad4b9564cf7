import type { TaskProgress } from '../physical/physical-operator.js';

/** Progress of one batch action (`collect`, `count`, `write`, ...) across its worker stages. */
export interface BatchProgressEvent {
  /** Numbers the session's actions from 1. */
  readonly actionId: number;
  /** Tasks finished, and tasks planned so far (a later stage adds its tasks when it starts). */
  readonly tasksDone: number;
  readonly tasksTotal: number;
  /** Input rows the finished tasks read. */
  readonly rowsRead: number;
  readonly elapsedMs: number;
  /** `rowsRead` over `elapsedMs`. */
  readonly rowsPerSecond: number;
  /** True for the last event of the action (sent when it ends, also when it fails). */
  readonly done: boolean;
}

/**
 * Receives the progress of a session's batch actions. Contract: called on the driver
 * between tasks, at most every {@link BATCH_PROGRESS_INTERVAL_MS} per action plus a final
 * `done` event; an error thrown by the listener is reported on stderr and ignored. Streaming
 * queries report through `StreamingQueryListener` instead.
 */
export interface BatchProgressListener {
  onProgress(event: BatchProgressEvent): void;
}

/** The least time between two progress events of one action (the final one is always sent). */
export const BATCH_PROGRESS_INTERVAL_MS = 100;

/** Counts the tasks of one action and tells the listeners, throttled. */
export class BatchProgressTracker implements TaskProgress {
  private readonly started = performance.now();
  private tasksTotal = 0;
  private tasksDone = 0;
  private rowsRead = 0;
  private lastSentMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly actionId: number,
    private readonly listeners: readonly BatchProgressListener[],
  ) {}

  tasksPlanned(n: number): void {
    this.tasksTotal += n;
    this.send(false);
  }

  taskFinished(rowsRead: number): void {
    this.tasksDone++;
    this.rowsRead += rowsRead;
    this.send(false);
  }

  /** Sends the final event. */
  finish(): void {
    this.send(true);
  }

  private send(done: boolean): void {
    const now = performance.now();
    if (!done && now - this.lastSentMs < BATCH_PROGRESS_INTERVAL_MS) return;
    this.lastSentMs = now;
    const elapsedMs = now - this.started;
    const event: BatchProgressEvent = {
      actionId: this.actionId,
      tasksDone: this.tasksDone,
      tasksTotal: this.tasksTotal,
      rowsRead: this.rowsRead,
      elapsedMs,
      rowsPerSecond: elapsedMs > 0 ? (this.rowsRead * 1000) / elapsedMs : 0,
      done,
    };
    for (const l of this.listeners) {
      try {
        l.onProgress(event);
      } catch (e) {
        process.stderr.write(`Sluice: a BatchProgressListener.onProgress callback threw: ${e instanceof Error ? e.message : String(e)}\n`);
      }
    }
  }
}
