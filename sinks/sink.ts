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
 * - `stop()` flushes and releases resources; no call follows it.
 */
export interface Sink {
  /** Short description for progress reports. */
  readonly description: string;
  addBatch(batchId: number, data: DataFrame, mode: OutputMode): Promise<void>;
  /**
   * Optional: checks the query's output schema when the query starts, before any batch, and
   * throws a SluiceError for a schema this sink cannot write (e.g. a struct partition column).
   */
  checkSchema?(schema: Schema): void;
  stop(): Promise<void>;
}
