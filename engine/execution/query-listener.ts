import type { SluiceError } from '../../common/errors.js';
import type { StreamingQueryProgress } from '../../dataframe/query-progress.js';

/** Sent when a query starts (before its first batch). */
export interface QueryStartedEvent {
  readonly id: string;
  readonly runId: string;
  readonly name: string | null;
  /** ISO-8601 UTC. */
  readonly timestamp: string;
}

/** Sent after each executed batch. */
export interface QueryProgressEvent {
  readonly progress: StreamingQueryProgress;
}

/** Sent when a trigger found no new data (at most once per idle stretch, and again after `idleEventIntervalMs`). */
export interface QueryIdleEvent {
  readonly id: string;
  readonly runId: string;
  /** ISO-8601 UTC. */
  readonly timestamp: string;
}

/** Sent when a query stops; `exception` is set when it failed. */
export interface QueryTerminatedEvent {
  readonly id: string;
  readonly runId: string;
  readonly exception: SluiceError | null;
}

/**
 * Receives lifecycle events of every query of a session (Spark's StreamingQueryListener).
 * Contract: callbacks run after the event, never inside the batch; an error thrown by a
 * callback is reported on stderr and does not affect the query.
 */
export interface StreamingQueryListener {
  onQueryStarted?(event: QueryStartedEvent): void;
  onQueryProgress?(event: QueryProgressEvent): void;
  onQueryIdle?(event: QueryIdleEvent): void;
  onQueryTerminated?(event: QueryTerminatedEvent): void;
}

/** The events a {@link StreamingQueryListener} receives, by callback name. */
export type ListenerEvent =
  | { readonly kind: 'onQueryStarted'; readonly event: QueryStartedEvent }
  | { readonly kind: 'onQueryProgress'; readonly event: QueryProgressEvent }
  | { readonly kind: 'onQueryIdle'; readonly event: QueryIdleEvent }
  | { readonly kind: 'onQueryTerminated'; readonly event: QueryTerminatedEvent };

/** Delivers `e` to each listener after the current call stack, isolating listener errors. */
export function postEvent(listeners: Iterable<StreamingQueryListener>, e: ListenerEvent): void {
  const targets = [...listeners];
  if (targets.length === 0) return;
  queueMicrotask(() => {
    for (const l of targets) {
      try {
        const fn = l[e.kind] as ((event: unknown) => void) | undefined;
        fn?.call(l, e.event);
      } catch (err) {
        process.stderr.write(`Sluice: a StreamingQueryListener.${e.kind} callback threw: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    }
  });
}
