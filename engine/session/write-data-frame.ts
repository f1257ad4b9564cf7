import type { ColumnarBatch } from '../../common/column-vector.js';
import { invalidArgument } from '../../common/errors.js';
import { checkKnownOptions } from '../../common/known-options.js';
import type { Schema } from '../../common/schema.js';
import type { WriteRequest } from '../../dataframe/query-executor.js';
import type { ParquetWriteOptions } from '../../sinks/file/parquet-writer.js';
import { commitOutputDir, prepareOutputDir, writePartitioned } from '../../sinks/file/write-dataset.js';
import { writeRedisBatch } from '../../sinks/redis/redis-sink.js';
import type { RuntimeConf } from './session-conf.js';

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
 * Writes a result stream as Parquet files into `request.path`: prepares the folder for
 * the save mode, writes a part file per ~1M rows as results arrive (memory stays bounded),
 * then marks the folder complete with `_SUCCESS`.
 */
export async function writeDataFrame(batches: AsyncIterable<ColumnarBatch>, schema: Schema, request: WriteRequest, conf: RuntimeConf): Promise<void> {
  if (request.format !== 'parquet') return writeToConnector(batches, schema, request);
  const options = writeOptions(request, conf);
  if ((await prepareOutputDir(request.path, request.mode)) === 'skip') return;
  let pending: ColumnarBatch[] = [];
  let pendingRows = 0;
  let taskId = 0;
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    await writePartitioned(request.path, schema, pending, request.partitionBy, taskId++, options);
    pending = [];
    pendingRows = 0;
  };
  for await (const b of batches) {
    if (b.numRows === 0) continue;
    pending.push(b);
    pendingRows += b.numRows;
    if (pendingRows >= ROWS_PER_FILE) await flush();
  }
  if (taskId === 0 && pending.length === 0) await writePartitioned(request.path, schema, [], request.partitionBy, taskId++, options);
  await flush();
  await commitOutputDir(request.path);
}
