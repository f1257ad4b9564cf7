import type { ColumnarBatch } from '../../common/column-vector.js';
import { invalidArgument } from '../../common/errors.js';
import type { DataFrame } from '../../dataframe/data-frame.js';
import type { OutputMode, Sink } from '../sink.js';
import type { MemorySinkRegistry } from './memory-sink-registry.js';

/**
 * Keeps a query's results in memory under its query name (Spark's memory sink, for tests
 * and notebooks). Append mode adds each batch's rows to the table; complete mode replaces
 * the table with each batch's result. Update mode is not supported (as in Spark): there is
 * no key to upsert by. A batch id at or below the last one written to the name is a no-op
 * (the registry remembers it), so a re-run batch is not appended twice within a process.
 * Not durable: the table is lost with the process.
 */
export class MemorySink implements Sink {
  readonly description: string;
  /** Output modes this sink accepts. */
  readonly supportedOutputModes: readonly OutputMode[] = ['append', 'complete'];

  /**
   * @param queryName - the table name (`sluice.table(queryName)`)
   * @param registry - the session's memory tables
   */
  constructor(
    readonly queryName: string,
    private readonly registry: MemorySinkRegistry,
  ) {
    if (queryName === '') throw invalidArgument('The memory sink needs a query name: writeStream.format("memory").queryName("results").');
    this.description = `MemorySink[${queryName}]`;
  }

  async addBatch(batchId: number, data: DataFrame, mode: OutputMode): Promise<void> {
    if (mode === 'update') throw invalidArgument(`The memory sink supports output modes append and complete, not update. Query '${this.queryName}'.`);
    if (batchId <= this.registry.lastBatchId(this.queryName)) return;
    const batches: ColumnarBatch[] = [];
    for await (const b of data.batches()) if (b.numRows > 0) batches.push(b);
    if (mode === 'append') this.registry.append(this.queryName, data.schema, batchId, batches);
    else this.registry.replace(this.queryName, data.schema, batchId, batches);
  }

  async stop(): Promise<void> {}
}
