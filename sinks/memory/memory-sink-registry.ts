import type { ColumnarBatch } from '../../common/column-vector.js';
import { concatBatches } from '../../common/columnar-batch.js';
import { invalidArgument } from '../../common/errors.js';
import type { Schema } from '../../common/schema.js';

interface MemoryTable {
  readonly schema: Schema;
  chunks: ColumnarBatch[];
  /** The concatenation of `chunks`, once asked for. */
  joined: ColumnarBatch | null;
  /** The last batch id written into this table. */
  lastBatchId: number;
}

/**
 * The tables of the memory sinks of one session, by query name (Spark's in-driver memory
 * tables), so the session can expose `sluice.table(name)`. `get(name)` returns the latest
 * table as one ColumnarBatch (concatenated on demand, then cached until the next write).
 * The registry also remembers the last batch id written per name, so a restarted query
 * with the same name does not append a re-run batch twice.
 */
export class MemorySinkRegistry {
  private readonly tables = new Map<string, MemoryTable>();

  /** The table of query `name`, or undefined. */
  get(name: string): ColumnarBatch | undefined {
    const t = this.tables.get(name);
    if (t === undefined) return undefined;
    t.joined ??= concatBatches(t.schema, t.chunks);
    return t.joined;
  }

  /** The table of query `name`; INVALID_ARGUMENT listing the known names when there is none. */
  table(name: string): ColumnarBatch {
    const t = this.get(name);
    if (t === undefined) {
      const known = [...this.tables.keys()];
      throw invalidArgument(
        `No memory table named '${name}'. ${known.length === 0 ? 'No memory sink has run yet; start a query with writeStream.format("memory").queryName(name).' : `Memory tables: ${known.join(', ')}.`}`,
      );
    }
    return t;
  }

  /** True when a memory sink has written query `name`. */
  has(name: string): boolean {
    return this.tables.has(name);
  }

  /** Query names with a table. */
  names(): string[] {
    return [...this.tables.keys()];
  }

  /** Drops the table of query `name`. */
  delete(name: string): boolean {
    return this.tables.delete(name);
  }

  /** The last batch id written into `name`, or -1. */
  lastBatchId(name: string): number {
    return this.tables.get(name)?.lastBatchId ?? -1;
  }

  /** Appends `batches` to table `name` (creating it) as batch `batchId`. */
  append(name: string, schema: Schema, batchId: number, batches: readonly ColumnarBatch[]): void {
    const t = this.tables.get(name);
    if (t === undefined) {
      this.tables.set(name, { schema, chunks: [...batches], joined: null, lastBatchId: batchId });
      return;
    }
    t.chunks.push(...batches);
    t.joined = null;
    t.lastBatchId = batchId;
  }

  /** Replaces table `name` with `batches` as batch `batchId`. */
  replace(name: string, schema: Schema, batchId: number, batches: readonly ColumnarBatch[]): void {
    this.tables.set(name, { schema, chunks: [...batches], joined: null, lastBatchId: batchId });
  }
}
