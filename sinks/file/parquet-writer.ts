import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { tableToIPC } from 'apache-arrow';
import { Compression, Table as WasmTable, WriterPropertiesBuilder, writeParquet } from 'parquet-wasm';
import { arrowTableFromBatches } from '../../common/arrow-convert.js';
import type { ColumnarBatch } from '../../common/column-vector.js';
import { SluiceError } from '../../common/errors.js';
import { TEMP_FILE_SUFFIX } from '../../common/log/file-manager.js';
import type { Schema } from '../../common/schema.js';
import { decodeDictionary } from '../../common/vector-concat.js';

/** Parquet writer settings. */
export interface ParquetWriteOptions {
  /** Column compression; default zstd. */
  compression?: 'zstd' | 'snappy' | 'none';
  /** Maximum rows per row group; default {@link DEFAULT_ROW_GROUP_SIZE}. */
  rowGroupSize?: number;
}

/** Default rows per Parquet row group. */
export const DEFAULT_ROW_GROUP_SIZE = 131072;

const CODECS = { zstd: Compression.ZSTD, snappy: Compression.SNAPPY, none: Compression.UNCOMPRESSED } as const;

/**
 * Writes bytes to `path` atomically: a hidden temporary file in the same folder (named like
 * every Sluice temp file, ending in `.sluice-tmp`, so a restarted streaming sink can clean up
 * after a killed writer), then a rename.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${randomUUID()}${TEMP_FILE_SUFFIX}`);
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new SluiceError('INTERNAL', `Cannot write file '${path}': ${(e as Error).message}. Check that the folder is writable and the disk has space.`, {
      domain: 'external',
      retryable: true,
      cause: e,
    });
  }
}

/** Encodes batches of `schema` as Parquet file bytes. */
export function encodeParquet(schema: Schema, batches: readonly ColumnarBatch[], options: ParquetWriteOptions = {}): Uint8Array {
  // Dictionaries may differ between batches; the Parquet writer re-encodes strings anyway.
  const plain = batches.map((b) => ({ ...b, columns: b.columns.map(decodeDictionary) }));
  const table = arrowTableFromBatches(schema, plain);
  const rowGroupSize = options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE;
  if (!Number.isInteger(rowGroupSize) || rowGroupSize <= 0)
    throw new SluiceError('INVALID_ARGUMENT', `rowGroupSize must be a positive integer, got ${rowGroupSize}.`);
  const props = new WriterPropertiesBuilder()
    .setCompression(CODECS[options.compression ?? 'zstd'])
    .setMaxRowGroupSize(rowGroupSize)
    .setCreatedBy('sluice')
    .build();
  const wasmTable = WasmTable.fromIPCStream(tableToIPC(table, 'stream'));
  return writeParquet(wasmTable, props);
}

/**
 * Writes one Parquet file from batches of `schema` (row groups of `rowGroupSize` rows,
 * bounded by the batches given), atomically. Types: int32 INT32, int64 INT64, float64 DOUBLE,
 * utf8 strings (dictionary-encoded where it pays), date DATE, timestamps INT64 with their
 * unit and isAdjustedToUTC = (timezone given), so pyarrow, DuckDB and Spark read the same types.
 */
export async function writeParquetFile(
  path: string,
  schema: Schema,
  batches: readonly ColumnarBatch[],
  options: ParquetWriteOptions = {},
): Promise<{ path: string; rows: number; bytes: number }> {
  const bytes = encodeParquet(schema, batches, options);
  await writeFileAtomic(path, bytes);
  return { path, rows: batches.reduce((s, b) => s + b.numRows, 0), bytes: bytes.length };
}
