import type { ColumnarBatch, ColumnVector } from '../../common/column-vector.js';
import type { MalformedCallback } from './text-batch-builder.js';
import type { Field } from '../../common/schema.js';
import type { FileScan } from '../../dataframe/plan/logical-plan.js';
import { csvOptions } from './csv-options.js';
import { readCsvSplit } from './csv-reader.js';
import type { FileSplit } from './file-split.js';
import { readJsonSplit } from './json-reader.js';
import { corruptColumnOption, parseModeOption } from './parse-mode.js';
import type { DataChunk } from './parquet-reader.js';
import { readParquetSplit } from './parquet-reader.js';
import { constantVector, parsePartitionValue } from './partition-columns.js';

/** Rows per batch when the caller does not say. */
export const DEFAULT_SCAN_BATCH_SIZE = 65536;

/** Options of {@link readSplit}. */
export interface ReadSplitOptions {
  /** Maximum rows per yielded batch. */
  readonly batchSize?: number;
  /** Called with the number of malformed CSV/JSON records dropped in DROPMALFORMED mode. */
  readonly onMalformed?: MalformedCallback;
}

function dataChunks(
  scan: FileScan,
  split: FileSplit,
  dataFields: readonly Field[],
  wanted: readonly Field[],
  options: ReadSplitOptions,
): AsyncIterable<DataChunk> {
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_SCAN_BATCH_SIZE);
  switch (scan.format) {
    case 'parquet':
      if (wanted.length === 0 && split.rows !== undefined) return rowCountChunks(split.rows, batchSize);
      return readParquetSplit(split.path, split.rowGroups, wanted, batchSize, split.size, dataFields, split.schemaKey);
    case 'csv':
      return readCsvSplit(split.path, dataFields, wanted, csvOptions(scan.options), batchSize, options.onMalformed);
    case 'json':
      return readJsonSplit(split.path, wanted, parseModeOption(scan.options), corruptColumnOption(scan.options), batchSize, options.onMalformed);
  }
}

/** Column-less chunks of `rows` rows in all, from the footer's row counts: no file is opened. */
async function* rowCountChunks(rows: number, batchSize: number): AsyncGenerator<DataChunk> {
  for (let start = 0; start < rows; start += batchSize) yield { columns: [], numRows: Math.min(batchSize, rows - start) };
}

/**
 * Reads one split of a file scan. Yields batches of exactly `scan.schema` (the data
 * schema pruned to `scan.columns`), at most `batchSize` rows each; partition columns are
 * filled from `split.partitionValues`. Parquet streams one row group at a time, CSV and
 * JSON one text chunk at a time, so memory stays bounded by a row group or a chunk.
 */
export async function* readSplit(scan: FileScan, split: FileSplit, options: ReadSplitOptions = {}): AsyncGenerator<ColumnarBatch> {
  const isPartition = (name: string): boolean => Object.hasOwn(split.partitionValues, name);
  const dataFields = scan.dataSchema.fields.filter((f) => !isPartition(f.name));
  const dataByName = new Map(dataFields.map((f) => [f.name, f]));
  const wanted: Field[] = [];
  const plan = scan.schema.fields.map((f) => {
    if (isPartition(f.name)) return { part: parsePartitionValue(split.partitionValues[f.name] ?? null, f, split.path), index: -1 };
    wanted.push(dataByName.get(f.name) ?? f);
    return { part: null, index: wanted.length - 1 };
  });
  for await (const chunk of dataChunks(scan, split, dataFields, wanted, options)) {
    if (chunk.numRows === 0) continue;
    const columns = scan.schema.fields.map((f, i): ColumnVector => {
      const p = plan[i] as { part: number | bigint | string | null; index: number };
      if (p.index < 0) return constantVector(f.type, p.part, chunk.numRows);
      const v = chunk.columns[p.index] as ColumnVector;
      return v.type === f.type ? v : { ...v, type: f.type };
    });
    yield { schema: scan.schema, columns, numRows: chunk.numRows };
  }
}
