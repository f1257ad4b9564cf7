import { invalidArgument } from '../../common/errors.js';
import type { StreamingQueryListener } from './query-listener.js';
import type { StreamingQuery } from '../../dataframe/streaming-query.js';

/**
 * The session's streaming queries (Spark's StreamingQueryManager, `sluice.streams`):
 * the active ones, listeners for every query's events, and waiting for any query to end.
 * While queries run, SIGINT and SIGTERM stop them gracefully (each finishes or cleanly
 * abandons its batch, so no log entry is half-written) before the signal's default action
 * proceeds; pass `stopOnSignal: false` to handle signals yourself.
 */
export class StreamingQueryManager {
  private readonly running = new Map<string, StreamingQuery>();
  private readonly listenerSet = new Set<StreamingQueryListener>();
  private terminated: StreamingQuery[] = [];
  private anyWaiters: (() => void)[] = [];
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    void this.stopAll().finally(() => {
      this.removeSignalHandlers();
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  };
  private handlersInstalled = false;

  constructor(private readonly stopOnSignal = true) {}

  /** The queries running now. */
  get active(): StreamingQuery[] {
    return [...this.running.values()];
  }

  /** The active query with this id, or undefined. */
  get(id: string): StreamingQuery | undefined {
    return this.running.get(id);
  }

  /** Subscribes to the events of every query of the session. */
  addListener(listener: StreamingQueryListener): void {
    this.listenerSet.add(listener);
  }

  /** Unsubscribes a listener. */
  removeListener(listener: StreamingQueryListener): void {
    this.listenerSet.delete(listener);
  }

  /** @internal The current listeners. */
  listeners(): Iterable<StreamingQueryListener> {
    return this.listenerSet;
  }

  /**
   * Resolves true when any query has terminated since the last {@link resetTerminated}
   * (false when `timeoutMs` passed first); rejects with the error of a query that failed.
   */
  async awaitAnyTermination(timeoutMs?: number): Promise<boolean> {
    if (this.terminated.length === 0) {
      let timer: NodeJS.Timeout | undefined;
      const ended = await new Promise<boolean>((resolve) => {
        this.anyWaiters.push(() => resolve(true));
        if (timeoutMs !== undefined) timer = setTimeout(() => resolve(false), Math.max(0, timeoutMs));
      });
      clearTimeout(timer);
      if (!ended) return false;
    }
    const failed = this.terminated.find((q) => q.exception !== null);
    if (failed?.exception) throw failed.exception;
    return true;
  }

  /** Forgets terminated queries, so {@link awaitAnyTermination} waits for the next one. */
  resetTerminated(): void {
    this.terminated = [];
  }

  /** Stops every active query. */
  async stopAll(): Promise<void> {
    await Promise.all(this.active.map((q) => q.stop()));
  }

  /** @internal Adds a starting query; refuses a second active query of the same name or id. */
  register(query: StreamingQuery): void {
    for (const q of this.running.values()) {
      if (q.id === query.id) throw invalidArgument(`A query with id ${query.id} is already active in this session. Stop it before starting it again.`);
      if (query.name !== null && q.name === query.name)
        throw invalidArgument(`A query named '${query.name}' is already active in this session. Use another queryName or stop the active one.`);
    }
    this.running.set(query.id, query);
    this.installSignalHandlers();
  }

  /** @internal Removes a terminated query and wakes awaitAnyTermination. */
  unregister(query: StreamingQuery): void {
    if (this.running.get(query.id) === query) this.running.delete(query.id);
    this.terminated.push(query);
    const waiters = this.anyWaiters;
    this.anyWaiters = [];
    for (const w of waiters) w();
    if (this.running.size === 0) this.removeSignalHandlers();
  }

  private installSignalHandlers(): void {
    if (!this.stopOnSignal || this.handlersInstalled) return;
    this.handlersInstalled = true;
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
  }

  private removeSignalHandlers(): void {
    if (!this.handlersInstalled) return;
    this.handlersInstalled = false;
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }
}
