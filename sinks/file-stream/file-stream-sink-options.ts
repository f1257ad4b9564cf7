import { invalidArgument } from '../../common/errors.js';
import type { ScanOptions } from '../../dataframe/plan/logical-plan.js';
import { integerOption } from '../../common/integer-option.js';
import { checkKnownOptions } from '../../common/known-options.js';
import type { ParquetWriteOptions } from '../file/parquet-writer.js';
import type { PartFileFormat } from '../file/part-file-format.js';
import { parquetPartFormat, textPartFormat } from '../file/part-file-format.js';
import type { TextFormat } from '../file/text-write-options.js';
import { checkTextWrite } from '../file/text-write-options.js';

const OWNER = 'parquet stream sink';

/** The formats of the exactly-once file stream sink. */
export type FileSinkFormat = 'parquet' | TextFormat;

const COMMON = ['partitionBy', 'maxRecordsPerFile', 'path', 'checkpointLocation'];

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
  /** How part files are named and encoded. */
  readonly format: PartFileFormat;
}

/**
 * Parses the Parquet stream sink's options: `compression` (zstd | snappy | none, default
 * zstd), `partitionBy` (comma-separated column names) and `maxRecordsPerFile` (positive
 * integer, default 1,000,000). INVALID_ARGUMENT names an unknown or bad option.
 */
export function fileStreamSinkOptions(options: ScanOptions, fileFormat: FileSinkFormat = 'parquet'): FileStreamSinkOptions {
  if (fileFormat !== 'parquet') return textSinkOptions(options, fileFormat);
  checkKnownOptions(options, ['compression', ...COMMON], OWNER);
  const compression = String(options.compression ?? 'zstd').toLowerCase();
  if (compression !== 'zstd' && compression !== 'snappy' && compression !== 'none')
    throw invalidArgument(`Option 'compression' of the ${OWNER} must be zstd, snappy or none, got '${String(options.compression)}'.`);
  const partitionBy = partitionByOption(options);
  return {
    partitionBy,
    maxRecordsPerFile: integerOption(options, 'maxRecordsPerFile', { min: 1, fallback: DEFAULT_MAX_RECORDS_PER_FILE, owner: OWNER }),
    parquet: { compression },
    format: parquetPartFormat({ compression }),
  };
}

function partitionByOption(options: ScanOptions): string[] {
  return options.partitionBy === undefined
    ? []
    : String(options.partitionBy)
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
}

/**
 * Options of the CSV and JSON stream sinks: the writer options of the format (see
 * text-write-options.ts), `partitionBy`, `maxRecordsPerFile`, and `compression` (none only).
 */
function textSinkOptions(options: ScanOptions, fileFormat: TextFormat): FileStreamSinkOptions {
  const owner = `${fileFormat} stream sink`;
  const { compression, ...rest } = options;
  if (compression !== undefined && String(compression).toLowerCase() !== 'none')
    throw invalidArgument(`The ${owner} writes uncompressed files; remove option 'compression' (got '${String(compression)}').`);
  checkTextWrite(fileFormat, rest, null, owner, COMMON);
  const writerOptions = Object.fromEntries(Object.entries(rest).filter(([k]) => !COMMON.includes(k)));
  return {
    partitionBy: partitionByOption(options),
    maxRecordsPerFile: integerOption(options, 'maxRecordsPerFile', { min: 1, fallback: DEFAULT_MAX_RECORDS_PER_FILE, owner }),
    parquet: {},
    format: textPartFormat(fileFormat, writerOptions),
  };
}
