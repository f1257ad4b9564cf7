import { checkKnownOptions } from '../../common/known-options.js';
import type { ScanOptions } from '../../common/connector-options.js';

/** Options every file reader accepts: `basePath` (where Hive `key=value` partition folders start). */
const COMMON = ['basePath'];

/**
 * The reader options each file format accepts (Spark's names), for `read` and for the
 * streaming file source (which adds its own, see FILE_STREAM_OPTIONS). Typed as
 * `ParquetReadOptions`, `CsvReadOptions`, `JsonReadOptions` in dataframe/typed-options.ts.
 */
export const FILE_READER_OPTIONS: Readonly<Record<'parquet' | 'csv' | 'json', readonly string[]>> = Object.freeze({
  parquet: [...COMMON],
  csv: [
    ...COMMON,
    'header',
    'sep',
    'delimiter',
    'quote',
    'escape',
    'comment',
    'nullValue',
    'inferSchema',
    'inferTimestamp',
    'mode',
    'columnNameOfCorruptRecord',
    'multiLine',
    'samplingRows',
  ],
  json: [...COMMON, 'mode', 'columnNameOfCorruptRecord', 'samplingRows', 'inferTimestamp'],
});

/**
 * Throws INVALID_ARGUMENT for an option the `format` reader does not know, naming the
 * closest known one (a misspelt `haeder` fails when the DataFrame is built instead of being
 * ignored). `extra` adds keys a caller consumes itself (the streaming source's).
 */
export function checkFileReaderOptions(options: ScanOptions, format: 'parquet' | 'csv' | 'json', owner: string, extra: readonly string[] = []): void {
  checkKnownOptions(options, [...FILE_READER_OPTIONS[format], ...extra], owner);
}
