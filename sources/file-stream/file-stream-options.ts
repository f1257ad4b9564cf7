import { invalidArgument } from '../../common/errors.js';
import type { ScanOptions } from '../../dataframe/plan/logical-plan.js';
import { parseInterval } from '../../scheduler/parse-interval.js';
import { boolOption } from '../file/parse-mode.js';
import { checkFileReaderOptions, FILE_READER_OPTIONS } from '../file/file-reader-options.js';
import { integerOption } from '../../common/integer-option.js';
import type { ReadLimit } from '../source.js';

/** Spark's default `maxFileAge`: one week. */
export const DEFAULT_MAX_FILE_AGE_MS = 7 * 86_400_000;

/** The options the streaming file source consumes itself; the rest go to the file reader. */
export const FILE_STREAM_OPTIONS: readonly string[] = [
  'maxFilesPerTrigger',
  'maxBytesPerTrigger',
  'latestFirst',
  'maxFileAge',
  'schemaInference',
  'ignoreMissingFiles',
];

/** Validated options of the streaming file source. */
export interface FileStreamOptions {
  /** maxFilesPerTrigger / maxBytesPerTrigger as a read limit (empty when neither is set). */
  readonly readLimit: ReadLimit;
  /** Newest files first (default false). */
  readonly latestFirst: boolean;
  /** Files older than the newest seen file by more than this are skipped after the first batch (ms). */
  readonly maxFileAgeMs: number;
  /** Infer the schema from the files present at start when none is given. */
  readonly schemaInference: boolean;
  /** Skip logged files that no longer exist when a batch is read (Spark's ignoreMissingFiles; default false). */
  readonly ignoreMissingFiles: boolean;
  /** Options passed on to the CSV/JSON/Parquet reader. */
  readonly readerOptions: ScanOptions;
}

function sizeOption(options: ScanOptions, key: string, owner: string): number | undefined {
  const raw = options[key];
  if (raw === undefined) return undefined;
  const m = /^([0-9]+)\s*([kmgt]?)b?$/i.exec(String(raw).trim());
  const scale = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[(m?.[2] ?? '').toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  const value = m ? Number(m[1]) * scale : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1)
    throw invalidArgument(`Option '${key}' of the ${owner} must be a positive number of bytes such as 1048576, '512k', '64m' or '1g', got '${String(raw)}'.`);
  return value;
}

function durationOption(options: ScanOptions, key: string, fallback: number, owner: string): number {
  const raw = options[key];
  if (raw === undefined) return fallback;
  const ms = typeof raw === 'number' ? raw : parseInterval(String(raw));
  if (!Number.isFinite(ms) || ms < 0)
    throw invalidArgument(`Option '${key}' of the ${owner} must be a duration such as '7d', '12 hours' or a number of ms, got '${String(raw)}'.`);
  return ms;
}

/**
 * Parses the streaming options of a file source (Spark's names): `maxFilesPerTrigger`
 * (positive integer), `maxBytesPerTrigger` (positive bytes; `'64m'` style suffixes allowed;
 * unlike Spark it may be combined with maxFilesPerTrigger, and both caps then apply),
 * `latestFirst` (boolean), `maxFileAge` (duration, default 7 days), `schemaInference`
 * (boolean; default true for parquet, false for csv and json) and `ignoreMissingFiles`
 * (boolean, default false). Everything else is a reader
 * option. INVALID_ARGUMENT names the bad option and the accepted values.
 */
export function fileStreamOptions(options: ScanOptions, format: string): FileStreamOptions {
  const owner = `${format} streaming file source`;
  if (format in FILE_READER_OPTIONS) checkFileReaderOptions(options, format as keyof typeof FILE_READER_OPTIONS, owner, FILE_STREAM_OPTIONS);
  const maxFiles = options.maxFilesPerTrigger === undefined ? undefined : integerOption(options, 'maxFilesPerTrigger', { min: 1, owner });
  const maxBytes = sizeOption(options, 'maxBytesPerTrigger', owner);
  const readerOptions: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(options)) if (!FILE_STREAM_OPTIONS.includes(k)) readerOptions[k] = v;
  return {
    readLimit: { ...(maxFiles === undefined ? {} : { maxFiles }), ...(maxBytes === undefined ? {} : { maxBytes }) },
    latestFirst: boolOption(options, 'latestFirst', false),
    maxFileAgeMs: durationOption(options, 'maxFileAge', DEFAULT_MAX_FILE_AGE_MS, owner),
    schemaInference: boolOption(options, 'schemaInference', format === 'parquet'),
    ignoreMissingFiles: boolOption(options, 'ignoreMissingFiles', false),
    readerOptions,
  };
}
