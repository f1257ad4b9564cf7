import { writeFile } from 'node:fs/promises';
import type * as arrow from 'apache-arrow';
import { tableToIPC } from 'apache-arrow';
import { Compression, Table as WasmTable, WriterPropertiesBuilder, writeParquet } from 'parquet-wasm';

/**
 * Writes an Arrow table as one Parquet file with zstd compression and row groups of at
 * most `rowGroupRows` rows (through parquet-wasm, i.e. the Rust parquet writer). Returns the
 * file size in bytes.
 */
export async function writeParquetFile(path: string, table: arrow.Table, rowGroupRows: number): Promise<number> {
  const wasmTable = WasmTable.fromIPCStream(tableToIPC(table, 'stream'));
  const props = new WriterPropertiesBuilder().setCompression(Compression.ZSTD).setMaxRowGroupSize(rowGroupRows).build();
  const bytes = writeParquet(wasmTable, props);
  await writeFile(path, bytes);
  return bytes.byteLength;
}
