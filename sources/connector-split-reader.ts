import type { ColumnarBatch } from '../common/column-vector.js';
import type { ConnectorSplit } from '../common/connector-split.js';
import type { Schema } from '../common/schema.js';

/** What a split reader gets besides its split. */
export interface SplitReadContext {
  /** The output schema of the scan; every yielded batch has it. */
  readonly schema: Schema;
  /** Preferred rows per batch (a hint). */
  readonly batchSize: number;
  /** Adds `n` to a named counter reported in the operator's metrics (e.g. `malformedRecords`). */
  readonly addMetric: (name: string, n: number) => void;
}

/**
 * Reads one split of a connector scan into columns. Contract: it runs in a worker thread
 * (or on the driver when no pool is used), so it may only rely on the split's plain data
 * and module-level state of its own (such as cached client connections); it yields
 * batches with `ctx.schema`; reading the same split twice yields the same rows (the
 * connector puts everything that fixes the rows, such as offset ranges, into the split);
 * failures are thrown as errors naming the split's data (topic, partition, offsets...).
 */
export type ConnectorSplitReader = (split: ConnectorSplit, ctx: SplitReadContext) => AsyncIterable<ColumnarBatch>;
