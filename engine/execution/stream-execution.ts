import { SluiceError } from '../../common/errors.js';
import type { Clock } from '../../scheduler/clock.js';
import { createTriggerExecutor } from '../../scheduler/create-trigger-executor.js';
import type { Trigger } from '../../scheduler/trigger.js';
import type { Sink } from '../../sinks/sink.js';
import type { Checkpoint } from '../checkpoint/checkpoint.js';
import { lastErrorOf, recordLastError } from '../checkpoint/last-error.js';
import type { MicroBatchExecution } from './micro-batch-execution.js';
import type { StreamingQueryListener } from './query-listener.js';
import { postEvent } from './query-listener.js';
import type { StreamingQueryProgress, StreamingQueryStatus } from '../../dataframe/query-progress.js';
import type { StreamSourceHandle } from './stream-source-handle.js';
import type { StreamingQuery } from '../../dataframe/streaming-query.js';

const MAX_PROGRESS = 100;

/** What a {@link StreamExecution} runs and reports to. */
export interface StreamExecutionParts {
  readonly queryId: string;
  readonly runId: string;
  readonly name: string | null;
  readonly trigger: Trigger;
  readonly clock: Clock;
  readonly checkpoint: Checkpoint;
  readonly sources: readonly StreamSourceHandle[];
  readonly sink: Sink;
  readonly listeners: () => Iterable<StreamingQueryListener>;
  /** Sleep between polls while idle with a back-to-back trigger (ms). */
  readonly pollingDelayMs: number;
  /** Minimum time between two idle events (ms). */
  readonly idleEventIntervalMs: number;
  readonly explain: () => string;
  /** Cleanup after termination (delete a temporary checkpoint, unregister). */
  readonly onTerminated: (query: StreamExecution) => Promise<void> | void;
}

interface Waiter {
  readonly afterTrigger: number;
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

/**
 * The lifecycle of one run of a streaming query: runs the micro-batch loop under its
 * trigger executor in the background, keeps status and progress, delivers listener
 * events, and stops cleanly (the batch in progress finishes; the checkpoint lock, sources
 * and sink are released). Any error in a batch stops the query; it is kept as `exception`
 * with the batch id and the operator in its message.
 */
export class StreamExecution implements StreamingQuery {
  readonly id: string;
  readonly runId: string;
  readonly name: string | null;
  exception: SluiceError | null = null;
  /** The batch that was running when the query failed (null outside a batch). */
  private failedBatchId: number | null = null;
  private readonly abort = new AbortController();
  private readonly progressList: StreamingQueryProgress[] = [];
  private statusNow: StreamingQueryStatus = { message: 'Initializing sources', isDataAvailable: false, isTriggerActive: false };
  private active = true;
  private finished!: Promise<void>;
  private triggerCount = 0;
  private waiters: Waiter[] = [];
  private lastIdleEventMs: number | null = null;
  private idle = false;
  private phase = 'starting';

  constructor(
    private readonly parts: StreamExecutionParts,
    private readonly loop: MicroBatchExecution,
  ) {
    this.id = parts.queryId;
    this.runId = parts.runId;
    this.name = parts.name;
  }

  /** Called by the loop: the phase now running. */
  setPhase(message: string): void {
    this.phase = message;
    this.statusNow = { ...this.statusNow, message };
  }

  /** Called by the loop after each batch. */
  reportProgress(progress: StreamingQueryProgress): void {
    this.progressList.push(progress);
    if (this.progressList.length > MAX_PROGRESS) this.progressList.shift();
    this.idle = false;
    postEvent(this.parts.listeners(), { kind: 'onQueryProgress', event: { progress } });
  }

  /** Called by the loop when a trigger found no new data. */
  reportIdle(): void {
    const now = this.parts.clock.now();
    if (!this.idle || (this.lastIdleEventMs !== null && now - this.lastIdleEventMs >= this.parts.idleEventIntervalMs)) {
      this.lastIdleEventMs = now;
      postEvent(this.parts.listeners(), { kind: 'onQueryIdle', event: { id: this.id, runId: this.runId, timestamp: new Date(now).toISOString() } });
    }
    this.idle = true;
  }

  /** Starts the loop in the background and sends onQueryStarted. */
  launch(): void {
    postEvent(this.parts.listeners(), {
      kind: 'onQueryStarted',
      event: { id: this.id, runId: this.runId, name: this.name, timestamp: new Date(this.parts.clock.now()).toISOString() },
    });
    this.finished = this.run();
  }

  private async runOneTrigger(): Promise<boolean> {
    const index = ++this.triggerCount;
    this.statusNow = { message: 'Processing new data', isDataAvailable: true, isTriggerActive: true };
    const outcome = await this.loop.runTrigger();
    const kind = this.parts.trigger.kind;
    if (outcome === 'noData') {
      this.statusNow = { message: 'Waiting for data to arrive', isDataAvailable: false, isTriggerActive: false };
      this.release((w) => w.afterTrigger < index);
      if (kind !== 'processingTime') return false;
      if (this.parts.trigger.intervalMs === 0) await this.parts.clock.sleep(this.parts.pollingDelayMs, this.abort.signal);
      return true;
    }
    this.statusNow = { message: 'Waiting for next trigger', isDataAvailable: true, isTriggerActive: false };
    return kind !== 'once';
  }

  private async run(): Promise<void> {
    try {
      // Inside the try: a failure here stops the query like a batch failure, never escapes as an unhandled rejection.
      const executor = createTriggerExecutor(this.parts.trigger, this.parts.clock, {
        onFallingBehind: (i) =>
          process.stderr.write(
            `Sluice: query ${this.describe()} is falling behind: a batch took ${i.batchEndMs - i.batchStartMs} ms, longer than the ${i.intervalMs} ms trigger interval.\n`,
          ),
      });
      await executor.execute(() => this.runOneTrigger(), this.abort.signal);
    } catch (e) {
      this.failedBatchId = this.loop.currentBatchId;
      this.exception = this.wrap(e);
    }
    await this.shutdown();
  }

  private wrap(e: unknown): SluiceError {
    const cause = SluiceError.fromPlain(e);
    const batch = this.loop.currentBatchId;
    const where = batch === null ? `while ${this.phase}` : `in batch ${batch} (${this.phase})`;
    return new SluiceError('QUERY_FAILED', `Streaming query ${this.describe()} failed ${where}: ${cause.message}`, { domain: cause.domain, cause });
  }

  private describe(): string {
    return this.name === null ? `[id=${this.id}]` : `'${this.name}' [id=${this.id}]`;
  }

  private async shutdown(): Promise<void> {
    const problems: unknown[] = [];
    const attempt = async (fn: () => Promise<void>): Promise<void> => {
      try {
        await fn();
      } catch (e) {
        problems.push(e);
      }
    };
    await attempt(() => this.loop.close());
    for (const s of this.parts.sources) if (!s.ownedByUser) await attempt(() => s.source.stop());
    await attempt(() => this.parts.sink.stop());
    const failure = this.exception;
    if (failure !== null) {
      const cp = this.parts.checkpoint;
      const info = { queryId: this.id, runId: this.runId, batchId: this.failedBatchId, timeMs: Date.now() };
      // Kept for `sluice checkpoint inspect`; written while the lock is still held.
      await attempt(() => recordLastError(cp.offsetLog.fileManager, cp.layout, lastErrorOf(failure, info)));
    }
    await attempt(() => this.parts.checkpoint.close());
    await attempt(async () => this.parts.onTerminated(this));
    if (this.exception === null && problems.length > 0) this.exception = this.wrap(problems[0]);
    this.active = false;
    this.statusNow = { message: 'Stopped', isDataAvailable: false, isTriggerActive: false };
    this.release(() => true);
    postEvent(this.parts.listeners(), { kind: 'onQueryTerminated', event: { id: this.id, runId: this.runId, exception: this.exception } });
  }

  private release(which: (w: Waiter) => boolean): void {
    const done = this.waiters.filter(which);
    this.waiters = this.waiters.filter((w) => !which(w));
    for (const w of done) {
      if (this.exception !== null) w.reject(this.exception);
      else w.resolve();
    }
  }

  get isActive(): boolean {
    return this.active;
  }

  get status(): StreamingQueryStatus {
    return this.statusNow;
  }

  get lastProgress(): StreamingQueryProgress | null {
    return this.progressList[this.progressList.length - 1] ?? null;
  }

  get recentProgress(): readonly StreamingQueryProgress[] {
    return [...this.progressList];
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.finished;
  }

  async awaitTermination(timeoutMs?: number): Promise<boolean> {
    if (timeoutMs === undefined) await this.finished;
    else {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        this.finished.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), Math.max(0, timeoutMs));
        }),
      ]);
      clearTimeout(timer);
      if (timedOut) return false;
    }
    if (this.exception !== null) throw this.exception;
    return true;
  }

  processAllAvailable(): Promise<void> {
    if (!this.active) return this.exception === null ? Promise.resolve() : Promise.reject(this.exception);
    return new Promise((resolve, reject) => this.waiters.push({ afterTrigger: this.triggerCount, resolve, reject }));
  }

  explain(): string {
    return this.parts.explain();
  }
}
