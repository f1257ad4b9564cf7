import { invalidArgument } from '../../common/errors.js';
import type { ScanOptions } from '../../dataframe/plan/logical-plan.js';
import { integerOption } from '../../common/integer-option.js';
import { checkKnownOptions } from '../../common/known-options.js';
import type { ParquetWriteOptions } from '../file/parquet-writer.js';

const OWNER = 'parquet stream sink';

/** Default cap of rows per part file, which also bounds the rows buffered before a write. */
export const DEFAULT_MAX_RECORDS_PER_FILE = 1_000_000;

/** Validated options of the Parquet stream sink. */
export interface FileStreamSinkOptions {
  /** Hive-style partition columns (`partitionBy`, comma-separated). */
  readonly partitionBy: readonly string[];
  /** Rows per part file at most (`maxRecordsPerFile`). */
  readonly maxRecordsPerFile: number;
  /** Parquet writer settings (`compression`: zstd, snappy or none). */
  readonly parquet: ParquetWriteOptions;
}

/**
 * Parses the Parquet stream sink's options: `compression` (zstd | snappy | none, default
 * zstd), `partitionBy` (comma-separated column names) and `maxRecordsPerFile` (positive
 * integer, default 1,000,000). INVALID_ARGUMENT names an unknown or bad option.
 */
export function fileStreamSinkOptions(options: ScanOptions): FileStreamSinkOptions {
  checkKnownOptions(options, ['compression', 'partitionBy', 'maxRecordsPerFile', 'path', 'checkpointLocation'], OWNER);
  const compression = String(options.compression ?? 'zstd').toLowerCase();
  if (compression !== 'zstd' && compression !== 'snappy' && compression !== 'none')
    throw invalidArgument(`Option 'compression' of the ${OWNER} must be zstd, snappy or none, got '${String(options.compression)}'.`);
  const partitionBy =
    options.partitionBy === undefined
      ? []
      : String(options.partitionBy)
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '');
  return {
    partitionBy,
    maxRecordsPerFile: integerOption(options, 'maxRecordsPerFile', { min: 1, fallback: DEFAULT_MAX_RECORDS_PER_FILE, owner: OWNER }),
    parquet: { compression },
  };
}
