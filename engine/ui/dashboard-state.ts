import type { StreamingQueryProgress } from '../../dataframe/query-progress.js';
import type { QueryIdleEvent, QueryProgressEvent, QueryStartedEvent, QueryTerminatedEvent, StreamingQueryListener } from '../execution/query-listener.js';

/** Where a query run is: running, stopped cleanly, or stopped by an error. */
export type DashboardQueryStatus = 'active' | 'stopped' | 'failed';

/** The error that stopped a query run, as the dashboard shows it. */
export interface DashboardQueryError {
  readonly code: string;
  readonly message: string;
}

/**
 * One run of a streaming query (a start; a restart from the same checkpoint is a new run with
 * the same `id` and a new `runId`) as `/api/queries` lists it: everything but the history.
 */
export interface DashboardQuerySummary {
  readonly id: string;
  readonly runId: string;
  readonly name: string | null;
  readonly status: DashboardQueryStatus;
  /** ISO-8601 UTC. */
  readonly startedAt: string;
  /** ISO-8601 UTC, null while active. */
  readonly endedAt: string | null;
  /** Batches this run executed (including those dropped from the bounded history). */
  readonly numBatches: number;
  /** Since when the query has found no new data (ISO-8601), null while batches run. */
  readonly idleSince: string | null;
  /** The plan each micro-batch runs (the query's `explain()`), null when it was not available. */
  readonly plan: string | null;
  readonly lastError: DashboardQueryError | null;
  readonly lastProgress: StreamingQueryProgress | null;
}

/** One run with its progress history (`/api/queries/:id`): the newest batches, oldest first. */
export interface DashboardQueryDetail extends DashboardQuerySummary {
  readonly progress: readonly StreamingQueryProgress[];
}

/** What {@link DashboardState} tells its subscribers: a run changed, or a run completed a batch. */
export type DashboardChange =
  | { readonly kind: 'query'; readonly query: DashboardQuerySummary }
  | { readonly kind: 'progress'; readonly runId: string; readonly progress: StreamingQueryProgress };

/** Options of {@link DashboardState}. */
export interface DashboardStateOptions {
  /** Progress events kept per run (default 500). */
  readonly historySize?: number;
  /** Finished runs kept (default 100); the oldest finished run is forgotten first. */
  readonly finishedRuns?: number;
  /** The plan text of an active query by id (the session's `streams.get(id)?.explain()`). */
  readonly planOf?: (id: string) => string | null;
}

interface RunRecord {
  id: string;
  runId: string;
  name: string | null;
  status: DashboardQueryStatus;
  startedAt: string;
  endedAt: string | null;
  numBatches: number;
  idleSince: string | null;
  plan: string | null;
  lastError: DashboardQueryError | null;
  progress: StreamingQueryProgress[];
}

/**
 * What the dashboard knows, built only from the session's query listener events: the runs
 * of streaming queries (active and finished) with a bounded history of progress events each.
 * Contract: memory is bounded (`historySize` events per run, `finishedRuns` finished runs);
 * subscribers get every change in event order, synchronously inside the listener callback.
 */
export class DashboardState implements StreamingQueryListener {
  private readonly runs = new Map<string, RunRecord>();
  private readonly subscribers = new Set<(change: DashboardChange) => void>();
  private readonly historySize: number;
  private readonly finishedRuns: number;
  private readonly planOf: (id: string) => string | null;

  constructor(options: DashboardStateOptions = {}) {
    this.historySize = options.historySize ?? 500;
    this.finishedRuns = options.finishedRuns ?? 100;
    this.planOf = options.planOf ?? (() => null);
  }

  /** Calls `fn` on every change until the returned function is called. */
  subscribe(fn: (change: DashboardChange) => void): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  /** Every known run, active ones first, each group newest first. */
  list(): DashboardQuerySummary[] {
    const runs = [...this.runs.values()].reverse();
    return [...runs.filter((r) => r.status === 'active'), ...runs.filter((r) => r.status !== 'active')].map(summaryOf);
  }

  /** The run with this run id, or else the newest run of the query with this id; undefined when unknown. */
  get(key: string): DashboardQueryDetail | undefined {
    let run = this.runs.get(key);
    if (run === undefined) for (const r of this.runs.values()) if (r.id === key) run = r;
    return run === undefined ? undefined : { ...summaryOf(run), progress: [...run.progress] };
  }

  /** @internal Listener callback. */
  onQueryStarted(e: QueryStartedEvent): void {
    const run: RunRecord = {
      id: e.id,
      runId: e.runId,
      name: e.name,
      status: 'active',
      startedAt: e.timestamp,
      endedAt: null,
      numBatches: 0,
      idleSince: null,
      plan: this.planOf(e.id),
      lastError: null,
      progress: [],
    };
    this.runs.set(e.runId, run);
    this.emit({ kind: 'query', query: summaryOf(run) });
  }

  /** @internal Listener callback. */
  onQueryProgress(e: QueryProgressEvent): void {
    const p = e.progress;
    const run = this.runs.get(p.runId);
    if (run === undefined) return;
    run.progress.push(p);
    if (run.progress.length > this.historySize) run.progress.splice(0, run.progress.length - this.historySize);
    run.numBatches++;
    const wasIdle = run.idleSince !== null;
    run.idleSince = null;
    if (run.plan === null) run.plan = this.planOf(run.id);
    this.emit({ kind: 'progress', runId: run.runId, progress: p });
    if (wasIdle) this.emit({ kind: 'query', query: summaryOf(run) });
  }

  /** @internal Listener callback. */
  onQueryIdle(e: QueryIdleEvent): void {
    const run = this.runs.get(e.runId);
    if (run === undefined || run.idleSince !== null) return;
    run.idleSince = e.timestamp;
    this.emit({ kind: 'query', query: summaryOf(run) });
  }

  /** @internal Listener callback. */
  onQueryTerminated(e: QueryTerminatedEvent): void {
    const run = this.runs.get(e.runId);
    if (run === undefined) return;
    run.status = e.exception === null ? 'stopped' : 'failed';
    run.endedAt = new Date().toISOString();
    run.idleSince = null;
    if (e.exception !== null) run.lastError = { code: e.exception.code, message: e.exception.message };
    this.emit({ kind: 'query', query: summaryOf(run) });
    this.forgetOldFinished();
  }

  private forgetOldFinished(): void {
    const finished = [...this.runs.values()].filter((r) => r.status !== 'active');
    for (const r of finished.slice(0, Math.max(0, finished.length - this.finishedRuns))) this.runs.delete(r.runId);
  }

  private emit(change: DashboardChange): void {
    for (const fn of this.subscribers) fn(change);
  }
}

function summaryOf(r: RunRecord): DashboardQuerySummary {
  return {
    id: r.id,
    runId: r.runId,
    name: r.name,
    status: r.status,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    numBatches: r.numBatches,
    idleSince: r.idleSince,
    plan: r.plan,
    lastError: r.lastError,
    lastProgress: r.progress[r.progress.length - 1] ?? null,
  };
}
