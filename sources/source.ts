import type { Schema } from '../common/schema.js';
import type { LogicalPlan } from '../dataframe/plan/logical-plan.js';

/**
 * A source's position in its input, as plain JSON-compatible data. Offsets are written to
 * the offset log (`offsets/N`) as JSON, so they must survive `JSON.stringify`/`parse`
 * unchanged (no bigint, no Date, no undefined).
 */
export type Offset = null | boolean | number | string | readonly Offset[] | { readonly [key: string]: Offset };

/**
 * How much a source may admit into one micro-batch (Spark's ReadLimit). `all` admits
 * everything available; the others cap rows, files or bytes. Several limits may apply at
 * once (e.g. maxFilesPerTrigger and maxBytesPerTrigger); a source admits at least one unit
 * (row or file) whenever data is available, so a query always makes progress.
 */
export interface ReadLimit {
  readonly maxRows?: number;
  readonly maxFiles?: number;
  readonly maxBytes?: number;
}

/**
 * A streaming source.
 *
 * Contract:
 * - `schema` is fixed when the source is created.
 * - `initialOffset()` is the offset before any data (where a new query starts).
 * - `latestOffset(start, limit)` returns the end offset of the next batch starting at
 *   `start`, admitting no more than `limit` allows; it returns `start` itself (by value)
 *   when nothing new is available. It may look at the outside world (list files, poll).
 * - `getBatch(start, end)` returns a logical plan (a file scan of exactly the files in the
 *   range, or in-memory rows) producing the rows in `(start, end]`, with `schema`. It is
 *   deterministic: the same range returns the same rows every time, including after a
 *   restart in a new process — this is what makes replaying a logged batch exact. A source
 *   that cannot guarantee this (the data is gone) throws an error naming the range.
 * - `commit(end)` tells the source everything up to `end` is durably processed; it may
 *   forget data up to there. It is never followed by a `getBatch` with `start` before `end`.
 * - `stop()` releases resources; no call follows it.
 *
 * AvailableNow (Spark's SupportsTriggerAvailableNow): a source may implement
 * `prepareForTriggerAvailableNow()`. The engine calls it once per run of a query with the
 * availableNow trigger, after recovery and before the first batch (also the first batch of
 * a restarted run). From then on `latestOffset` never admits data beyond what was available
 * at that moment: data that arrives while the run is in progress is left for a later run,
 * while read limits still split the available data over several batches. The run ends at
 * the first trigger whose `latestOffset` returns `start`. A source without the method is
 * read until it reports no new data, so a source that never runs dry never stops such a run.
 */
export interface Source {
  readonly schema: Schema;
  /** Short description for progress reports, e.g. `FileSource[/data/in]`. */
  readonly description: string;
  initialOffset(): Promise<Offset>;
  latestOffset(start: Offset, limit: ReadLimit): Promise<Offset>;
  getBatch(start: Offset | null, end: Offset): Promise<LogicalPlan>;
  commit(end: Offset): Promise<void>;
  stop(): Promise<void>;
  /**
   * When true, `commit(end)` is also called right after each batch's commit-log entry is
   * written (besides when the next batch is logged), so a source that publishes progress
   * to the outside (the Kafka source's consumer-group offsets) is current while the query
   * idles. Such a source must not forget data in commit: a checkpoint whose newest commit
   * entry is removed by hand re-runs that batch.
   */
  readonly commitAfterBatch?: boolean;
  /** Fixes the end of an availableNow run at the data available now (see the contract above). */
  prepareForTriggerAvailableNow?(): Promise<void>;
  /**
   * Source-specific progress metrics of the batch that ended at `end` (Spark's
   * ReportsSourceMetrics), reported as `metrics` of the source's progress. Called after
   * the batch ran; must not throw.
   */
  metrics?(end: Offset | null): Readonly<Record<string, string>>;
  /**
   * Column pruning (Spark's SupportsPushDownRequiredColumns). The engine calls it at most
   * once, at `start()` of a query, after the source is created and before any other call,
   * with the names of the columns of `schema` the query reads (from the analysed streaming
   * plan, by the same rules as batch column pruning); it is not called when the query
   * reads every column, nor for a source the user owns (it may serve other queries).
   * After it, `getBatch` may return plans whose other columns hold nulls instead of the
   * data: `schema` and the plans' schemas stay the same, the values of columns not named
   * are unspecified and never read. A source that ignores it stays correct.
   */
  pruneColumns?(names: ReadonlySet<string>): void;
}
