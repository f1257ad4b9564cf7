import type { Schema } from '../common/schema.js';
import type { DataFrame } from '../dataframe/data-frame.js';

/** Spark's output modes: which rows of a streaming result a sink receives each batch. */
export type OutputMode = 'append' | 'update' | 'complete';

/** What a sink learns when its query starts, before the first batch. */
export interface SinkStartContext {
  /** The query id: stable across restarts of the same checkpoint. */
  readonly queryId: string;
  /** The schema of every batch the sink will receive. */
  readonly schema: Schema;
}

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
 * - `start(context)`, when a sink has it, is called once when the query starts (after its
 *   checkpoint is open, before any batch): the sink validates the schema there, so a bad
 *   result schema fails `writeStream.start()`, and learns the query id.
 * - `stop()` flushes and releases resources; no call follows it.
 */
export interface Sink {
  /** Short description for progress reports. */
  readonly description: string;
  start?(context: SinkStartContext): Promise<void>;
  addBatch(batchId: number, data: DataFrame, mode: OutputMode): Promise<void>;
  stop(): Promise<void>;
}
