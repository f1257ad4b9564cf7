import type { SluiceError } from '../common/errors.js';
import type { StreamingQueryProgress, StreamingQueryStatus } from './query-progress.js';

/**
 * A handle to a running streaming query (Spark's StreamingQuery), returned by
 * `writeStream...start()`.
 *
 * Contract: `id` survives restarts from the same checkpoint, `runId` is new per start.
 * `stop()` finishes the batch in progress (or abandons it cleanly before its commit),
 * releases the checkpoint and resolves when the query is stopped; it never rejects because
 * of a query failure. `awaitTermination()` resolves true once the query stopped (false when
 * `timeoutMs` passed first) and rejects with the query's error if it failed.
 * `processAllAvailable()` resolves when everything the sources had when it was called is
 * processed and committed (on a ManualClock with an interval trigger, advance the clock),
 * and rejects if the query fails.
 */
export interface StreamingQuery {
  readonly id: string;
  readonly runId: string;
  readonly name: string | null;
  readonly isActive: boolean;
  /** The error that stopped the query, or null. */
  readonly exception: SluiceError | null;
  readonly status: StreamingQueryStatus;
  /** The progress of the newest batch, or null before the first. */
  readonly lastProgress: StreamingQueryProgress | null;
  /** The progress of the newest batches (up to 100), oldest first. */
  readonly recentProgress: readonly StreamingQueryProgress[];
  stop(): Promise<void>;
  awaitTermination(timeoutMs?: number): Promise<boolean>;
  processAllAvailable(): Promise<void>;
  /** The plan each micro-batch runs, as text. */
  explain(): string;
}
