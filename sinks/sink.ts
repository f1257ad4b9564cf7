import type { Schema } from '../common/schema.js';
import type { DataFrame } from '../dataframe/data-frame.js';

/** Spark's output modes: which rows of a streaming result a sink receives each batch. */
export type OutputMode = 'append' | 'update' | 'complete';

/**
 * A streaming sink.
 *
 * Contract:
 * - `addBatch(batchId, data, mode)` writes the result of micro-batch `batchId`. It is
 *   idempotent per batch id: if the sink already committed `batchId` (a restart re-ran a
 *   batch whose commit log entry was missing), the call is a no-op. Sinks that can keep a
 *   record of committed batch ids (the Parquet sink's `_sluice_metadata/` log) are
 *   exactly-once; sinks that cannot (console, foreachBatch) say so and are at-least-once.
 * - Batch ids arrive in increasing order, possibly with the last one repeated after a
 *   restart. `data` can be read more than once within the call.
 * - `open(run)`, when a sink has it, is called once per run of a query, after the query's
 *   checkpoint is locked and before the first `addBatch`; a sink that keeps its own commit
 *   log checks there that the log is this query's and not ahead of the checkpoint, and
 *   refuses to start (rejects) otherwise. It may also clean up after a killed run. A sink
 *   with rules for its input columns checks `run.schema` there, so a bad result schema fails
 *   `writeStream.start()` (the Kafka sink also derives its transactional id from the query id).
 * - `stop()` flushes and releases resources; no call follows it.
 */
export interface Sink {
  /** Short description for progress reports. */
  readonly description: string;
  open?(run: SinkRunInfo): Promise<void>;
  addBatch(batchId: number, data: DataFrame, mode: OutputMode): Promise<void>;
  /**
   * Optional: checks the query's output schema when the query starts, before any batch, and
   * throws a SluiceError for a schema this sink cannot write (e.g. a struct partition column).
   */
  checkSchema?(schema: Schema): void;
  stop(): Promise<void>;
}

/** What a sink learns when a run of its query starts (see {@link Sink.open}). */
export interface SinkRunInfo {
  /** The query's id, stable across restarts (kept in the checkpoint's `metadata` file). */
  readonly queryId: string;
  /** The checkpoint folder, locked by this run. */
  readonly checkpointLocation: string;
  /** The id of the first batch this run hands to `addBatch`. */
  readonly firstBatchId: number;
  /** True when that batch is a re-run of a batch logged before a crash (its output may be committed already). */
  readonly firstBatchIsReplay: boolean;
  /** The schema of every batch the sink will receive (the query's result schema). */
  readonly schema: Schema;
}
