import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ColumnarBatch } from '../../../common/column-vector.js';
import { writeParquetFile } from '../../../sinks/file/parquet-writer.js';
import type { LateRowsSink } from '../micro-batch-execution.js';

/**
 * Keeps the late rows stateful operators drop as Parquet files instead of losing them
 * (the `lateRowsPath` option of writeStream): `<dir>/batch=<N>/operator-<id>.parquet`. The
 * file name depends only on the batch and the operator, and files are written atomically, so
 * a batch re-run after a crash overwrites its own file: no duplicates, nothing lost.
 */
export class ParquetLateRowsSink implements LateRowsSink {
  constructor(private readonly dir: string) {}

  async write(batchId: number, operatorId: number, rows: readonly ColumnarBatch[]): Promise<void> {
    const first = rows[0];
    if (first === undefined) return;
    const dir = join(this.dir, `batch=${batchId}`);
    await mkdir(dir, { recursive: true });
    await writeParquetFile(join(dir, `operator-${operatorId}.parquet`), first.schema, rows);
  }
}
