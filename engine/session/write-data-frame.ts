import type { ColumnarBatch } from '../../common/column-vector.js';
import { invalidArgument } from '../../common/errors.js';
import { checkKnownOptions } from '../../common/known-options.js';
import type { Schema } from '../../common/schema.js';
import type { WriteRequest } from '../../dataframe/query-executor.js';
import type { ParquetWriteOptions } from '../../sinks/file/parquet-writer.js';
import { commitOutputDir, prepareOutputDir, writePartitioned } from '../../sinks/file/write-dataset.js';
import { writeRedisBatch } from '../../sinks/redis/redis-sink.js';
import type { RuntimeConf } from './session-conf.js';
import { textPartFormat } from '../../sinks/file/part-file-format.js';
import type { TextFormat } from '../../sinks/file/text-write-options.js';
import { checkTextWrite } from '../../sinks/file/text-write-options.js';

const ROWS_PER_FILE = 1_048_576;

/** The options of a batch Parquet write (typed as `ParquetWriteOptions` in dataframe/typed-options.ts). */
export const PARQUET_WRITE_OPTIONS: readonly string[] = ['compression', 'rowGroupSize', 'path'];

/**
 * Writes to a connector format (`redis`). Spark's rule for connector batch writes applies:
 * save modes append and error (the default) both add the rows; overwrite and ignore are
 * refused, since the target has no "exists" to test or clear.
 */
async function writeToConnector(batches: AsyncIterable<ColumnarBatch>, schema: Schema, request: WriteRequest): Promise<void> {
  if (request.format !== 'redis') throw invalidArgument(`Unknown write format '${request.format}'. Use parquet, kafka or redis.`);
  if (request.mode !== 'append' && request.mode !== 'error' && request.mode !== 'errorifexists')
    throw invalidArgument(`Save mode '${request.mode}' is not allowed for the ${request.format} format; use append (or the default, error).`);
  if (request.partitionBy.length > 0) throw invalidArgument(`partitionBy() does not apply to the ${request.format} format; remove it.`);
  await writeRedisBatch(batches, schema, request.options);
}

function writeOptions(request: WriteRequest, conf: RuntimeConf): ParquetWriteOptions {
  checkKnownOptions(request.options, PARQUET_WRITE_OPTIONS, 'parquet writer');
  const compression = String(request.options.compression ?? conf.get('sluice.sql.parquet.compression')).toLowerCase();
  if (compression !== 'zstd' && compression !== 'snappy' && compression !== 'none' && compression !== 'uncompressed')
    throw invalidArgument(`Unknown Parquet compression '${compression}'. Use zstd, snappy or none.`);
  const rowGroupSize = request.options.rowGroupSize === undefined ? undefined : Number(request.options.rowGroupSize);
  if (rowGroupSize !== undefined && (!Number.isInteger(rowGroupSize) || rowGroupSize <= 0))
    throw invalidArgument(`rowGroupSize must be a positive integer, got ${request.options.rowGroupSize}.`);
  return { compression: compression === 'uncompressed' ? 'none' : compression, ...(rowGroupSize ? { rowGroupSize } : {}) };
}

/**
 * Writes a result stream as CSV or JSON-lines files (Spark's `write.csv(path)` /
 * `write.json(path)`): options are checked first (unknown keys and, for CSV, column types
 * it cannot hold are refused before the folder is touched), then the folder is prepared for
 * the save mode, a part file written per ~1M rows (per partition folder with `partitionBy`),
 * and `_SUCCESS` marks it complete.
 */
async function writeTextFiles(batches: AsyncIterable<ColumnarBatch>, schema: Schema, request: WriteRequest): Promise<void> {
  const fmt = request.format as TextFormat;
  const { compression, ...textOptions } = request.options;
  if (compression !== undefined && String(compression).toLowerCase() !== 'none')
    throw invalidArgument(`The ${fmt} writer writes uncompressed files; remove option 'compression' (got '${String(compression)}').`);
  checkTextWrite(fmt, textOptions, schema, `${fmt} writer`, []);
  const format = textPartFormat(fmt, textOptions);
  if ((await prepareOutputDir(request.path, request.mode)) === 'skip') return;
  await writeFilesInParts(batches, (rows, taskId) => writePartitioned(request.path, schema, rows, request.partitionBy, taskId, {}, format));
  await commitOutputDir(request.path);
}

/** Hands result batches to `write` in parts of about {@link ROWS_PER_FILE} rows (one empty part for an empty result). */
async function writeFilesInParts(batches: AsyncIterable<ColumnarBatch>, write: (rows: ColumnarBatch[], taskId: number) => Promise<unknown>): Promise<void> {
  let pending: ColumnarBatch[] = [];
  let pendingRows = 0;
  let taskId = 0;
  for await (const b of batches) {
    if (b.numRows === 0) continue;
    pending.push(b);
    pendingRows += b.numRows;
    if (pendingRows >= ROWS_PER_FILE) {
      await write(pending, taskId++);
      pending = [];
      pendingRows = 0;
    }
  }
  if (pending.length > 0 || taskId === 0) await write(pending, taskId++);
}

/**
 * Writes a result stream as Parquet files into `request.path`: prepares the folder for
 * the save mode, writes a part file per ~1M rows as results arrive (memory stays bounded),
 * then marks the folder complete with `_SUCCESS`.
 */
export async function writeDataFrame(batches: AsyncIterable<ColumnarBatch>, schema: Schema, request: WriteRequest, conf: RuntimeConf): Promise<void> {
  if (request.format === 'csv' || request.format === 'json') return writeTextFiles(batches, schema, request);
  if (request.format !== 'parquet') return writeToConnector(batches, schema, request);
  const options = writeOptions(request, conf);
  if ((await prepareOutputDir(request.path, request.mode)) === 'skip') return;
  await writeFilesInParts(batches, (rows, taskId) => writePartitioned(request.path, schema, rows, request.partitionBy, taskId, options));
  await commitOutputDir(request.path);
}
