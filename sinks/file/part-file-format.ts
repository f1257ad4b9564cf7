import type { ColumnarBatch } from '../../common/column-vector.js';
import type { ScanOptions } from '../../common/connector-options.js';
import type { Schema } from '../../common/schema.js';
import type { ParquetWriteOptions } from './parquet-writer.js';
import { writeFileAtomic, writeParquetFile } from './parquet-writer.js';
import { encodeCsv, encodeJson } from './text-encoders.js';
import type { TextFormat } from './text-write-options.js';
import { csvWriteOptions, jsonWriteOptions } from './text-write-options.js';

/** How part files of one format are named and written (Parquet, CSV or JSON lines). */
export interface PartFileFormat {
  /** The file name ending, with its dot: `.zstd.parquet`, `.csv`, `.json`. */
  readonly suffix: string;
  /** Writes one part file from batches of `schema`, atomically (temp file, then rename). */
  write(path: string, schema: Schema, batches: readonly ColumnarBatch[]): Promise<void>;
}

/** Parquet part files with these settings. */
export function parquetPartFormat(options: ParquetWriteOptions = {}): PartFileFormat {
  const codec = options.compression ?? 'zstd';
  return {
    suffix: `${codec === 'none' ? '' : `.${codec}`}.parquet`,
    write: async (path, schema, batches) => {
      await writeParquetFile(path, schema, batches, options);
    },
  };
}

/** CSV or JSON-lines part files with Spark's writer options (see text-write-options.ts); uncompressed. */
export function textPartFormat(format: TextFormat, options: ScanOptions): PartFileFormat {
  if (format === 'csv') {
    const o = csvWriteOptions(options);
    return { suffix: '.csv', write: (path, schema, batches) => writeFileAtomic(path, encodeCsv(schema, batches, o)) };
  }
  const o = jsonWriteOptions(options);
  return { suffix: '.json', write: (path, schema, batches) => writeFileAtomic(path, encodeJson(schema, batches, o)) };
}
