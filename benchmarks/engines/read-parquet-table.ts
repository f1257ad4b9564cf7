import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { readParquet } from 'parquet-wasm';

/** Rows per decoded record batch (the files' row-group size; parquet-wasm's default of 1024 is much slower). */
const BATCH_ROWS = 131_072;

/**
 * Reads every `*.parquet` file directly inside `dir` (in name order) into one Arrow table
 * through parquet-wasm, one file at a time. Used to load the in-memory cases' data.
 */
export async function readParquetTable(dir: string): Promise<arrow.Table> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.parquet')).sort();
  const batches: arrow.RecordBatch[] = [];
  for (const name of names) {
    const wasmTable = readParquet(await readFile(join(dir, name)), { batchSize: BATCH_ROWS });
    batches.push(...arrow.tableFromIPC(wasmTable.intoIPCStream()).batches);
  }
  return new arrow.Table(batches);
}
