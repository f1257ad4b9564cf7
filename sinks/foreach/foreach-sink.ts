import type { ColumnVector } from '../../common/column-vector.js';
import { valueAt } from '../../common/vector-value-at.js';
import type { DataFrame, Row } from '../../dataframe/data-frame.js';
import type { ForeachWriter } from '../../dataframe/data-stream-writer.js';
import type { OutputMode, Sink } from '../sink.js';

/** The partition id `open` receives: the micro-batch's result is written as one partition on the main thread. */
export const FOREACH_PARTITION_ID = 0;

/**
 * Hands each row of each micro-batch to a {@link ForeachWriter} (Spark's foreach sink).
 *
 * Per micro-batch (epoch = batch id): `open(0, epochId)`; when it returns true, `process(row)`
 * for every row in result order (plain objects as `toArray()` gives them); then
 * `close(null)`, or `close(error)` with what `open` or `process` threw, after which the
 * error fails the batch (and the query). `close` is called whatever `open` returned.
 * The writer is a JS object, so it runs on the main thread and the whole result of a
 * batch is one partition (id 0); rows are read batch by batch, never all at once.
 *
 * At-least-once: a batch re-run after a crash calls the writer again with the same epoch
 * id; a writer that records which epochs it stored can return false from `open` to skip it.
 */
export class ForeachSink implements Sink {
  readonly description = 'ForeachSink';
  /** Output modes this sink accepts. */
  readonly supportedOutputModes: readonly OutputMode[] = ['append', 'update', 'complete'];
  private lastBatchId = -1;

  /** @param writer - the user's open/process/close writer */
  constructor(private readonly writer: ForeachWriter) {}

  async addBatch(batchId: number, data: DataFrame, _mode: OutputMode): Promise<void> {
    if (batchId <= this.lastBatchId) return;
    const w = this.writer;
    let error: Error | null = null;
    try {
      if (await w.open(FOREACH_PARTITION_ID, batchId)) {
        const names = data.schema.fields.map((f) => f.name);
        for await (const b of data.batches()) {
          for (let i = 0; i < b.numRows; i++) {
            const row: Row = {};
            for (let j = 0; j < names.length; j++) row[names[j] as string] = valueAt(b.columns[j] as ColumnVector, i);
            await w.process(row);
          }
        }
      }
    } catch (e) {
      error = e instanceof Error ? e : new Error(String(e));
    }
    await w.close(error);
    if (error !== null) throw error;
    this.lastBatchId = batchId;
  }

  async stop(): Promise<void> {}
}
