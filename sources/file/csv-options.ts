import { invalidArgument } from '../../common/errors.js';
import type { ScanOptions } from '../../dataframe/plan/logical-plan.js';
import type { ParseMode } from './parse-mode.js';
import { boolOption, corruptColumnOption, parseModeOption } from './parse-mode.js';

/** CSV reader settings, from Spark-named options. */
export interface CsvOptions {
  readonly header: boolean;
  /** Field separator char code. */
  readonly sep: number;
  /** Quote char code, or -1 for no quoting. */
  readonly quote: number;
  /** Escape char code inside quoted fields, or -1. */
  readonly escape: number;
  /** Lines starting with this char code are skipped, or -1. */
  readonly comment: number;
  readonly nullValue: string;
  readonly inferSchema: boolean;
  readonly inferTimestamp: boolean;
  readonly mode: ParseMode;
  readonly corruptColumn: string;
  /**
   * Spark's `multiLine` (default false): a quoted field may span lines only when true.
   * Without it every line is one record, so an unclosed quote makes that one record
   * malformed instead of swallowing the rest of the file.
   */
  readonly multiLine: boolean;
}

function charOption(options: ScanOptions, keys: readonly string[], fallback: string, allowEmpty: boolean): number {
  let raw: string | undefined;
  for (const k of keys) if (options[k] !== undefined) raw = String(options[k]);
  const v = raw ?? fallback;
  const unescaped = v === '\\t' ? '\t' : v === '\\u0000' ? '' : v;
  if (unescaped === '') {
    if (allowEmpty) return -1;
    throw invalidArgument(`Option '${keys[0]}' must not be empty.`);
  }
  if (unescaped.length !== 1) throw invalidArgument(`Option '${keys[0]}' must be a single character, got '${v}'.`);
  return unescaped.charCodeAt(0);
}

/** Reads the CSV options: header, sep/delimiter, quote, escape, comment, nullValue, inferSchema, inferTimestamp, mode, columnNameOfCorruptRecord, multiLine. */
export function csvOptions(options: ScanOptions): CsvOptions {
  return {
    header: boolOption(options, 'header', false),
    sep: charOption(options, ['sep', 'delimiter'], ',', false),
    quote: charOption(options, ['quote'], '"', true),
    escape: charOption(options, ['escape'], '\\', true),
    comment: charOption(options, ['comment'], '', true),
    nullValue: options.nullValue === undefined ? '' : String(options.nullValue),
    inferSchema: boolOption(options, 'inferSchema', false),
    inferTimestamp: boolOption(options, 'inferTimestamp', true),
    mode: parseModeOption(options),
    corruptColumn: corruptColumnOption(options),
    multiLine: boolOption(options, 'multiLine', false),
  };
}
