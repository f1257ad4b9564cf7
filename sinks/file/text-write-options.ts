import { invalidArgument } from '../../common/errors.js';
import type { ScanOptions } from '../../common/connector-options.js';
import { checkKnownOptions } from '../../common/known-options.js';
import type { Schema } from '../../common/schema.js';
import { typeName } from '../../common/data-type.js';
import type { DateTimeFormats } from './text-cells.js';
import { isCsvWritableType } from './text-cells.js';
import { compileDatePattern } from '../../dataframe/expr/datetime-pattern.js';

/** The text formats Sluice writes besides Parquet. */
export type TextFormat = 'csv' | 'json';

/** CSV writer settings (Spark's option names and defaults). */
export interface CsvWriteOptions {
  /** Write the column names as the first line (`header`, default false). */
  readonly header: boolean;
  /** Field separator (`sep` or `delimiter`, default `,`). */
  readonly sep: string;
  /** Quote character (`quote`, default `"`). */
  readonly quote: string;
  /** Escapes the quote character inside quoted values (`escape`, default `\`). */
  readonly escape: string;
  /** Text of a null (`nullValue`, default empty: nothing between the separators). */
  readonly nullValue: string;
  /** Text of an empty string (`emptyValue`, default `""`). */
  readonly emptyValue: string;
  /** Quote every value (`quoteAll`, default false). */
  readonly quoteAll: boolean;
  /** Quote values holding the quote character (`escapeQuotes`, default true). */
  readonly escapeQuotes: boolean;
  /** Trim leading whitespace of values (`ignoreLeadingWhiteSpace`, default true when writing, as in Spark). */
  readonly trimLeading: boolean;
  /** Trim trailing whitespace of values (`ignoreTrailingWhiteSpace`, default true when writing, as in Spark). */
  readonly trimTrailing: boolean;
  /** `dateFormat` / `timestampFormat` patterns, compiled. */
  readonly formats: DateTimeFormats;
}

/** JSON-lines writer settings. */
export interface JsonWriteOptions {
  /** Leave out fields whose value is null (`ignoreNullFields`, default true, as in Spark). */
  readonly ignoreNullFields: boolean;
  /** `dateFormat` / `timestampFormat` patterns, compiled. */
  readonly formats: DateTimeFormats;
}

/**
 * The `dateFormat` and `timestampFormat` options as formatters (Spark's datetime patterns,
 * as compileDatePattern accepts them; UTC). INVALID_ARGUMENT names a bad pattern.
 */
function dateTimeFormats(options: ScanOptions): DateTimeFormats {
  const out: { date?: (days: number) => string; timestamp?: (micros: bigint) => string } = {};
  if (options.dateFormat !== undefined) {
    const p = compileDatePattern(String(options.dateFormat));
    out.date = (days) => p.format(BigInt(days) * 86_400_000_000n);
  }
  if (options.timestampFormat !== undefined) {
    const p = compileDatePattern(String(options.timestampFormat));
    out.timestamp = (micros) => p.format(micros);
  }
  return out;
}

/** The options each text writer accepts (besides `path`, `checkpointLocation`, `partitionBy`, `maxRecordsPerFile`, `compression`). */
export const TEXT_WRITE_OPTIONS: Readonly<Record<TextFormat, readonly string[]>> = Object.freeze({
  csv: [
    'header',
    'sep',
    'delimiter',
    'quote',
    'escape',
    'nullValue',
    'emptyValue',
    'quoteAll',
    'escapeQuotes',
    'ignoreLeadingWhiteSpace',
    'ignoreTrailingWhiteSpace',
    'dateFormat',
    'timestampFormat',
  ],
  json: ['ignoreNullFields', 'dateFormat', 'timestampFormat'],
});

function bool(options: ScanOptions, key: string, fallback: boolean, owner: string): boolean {
  const v = options[key];
  if (v === undefined) return fallback;
  if (v === true || v === false) return v;
  const s = String(v).toLowerCase();
  if (s === 'true' || s === 'false') return s === 'true';
  throw invalidArgument(`Option '${key}' of the ${owner} must be true or false, got '${String(v)}'.`);
}

function char(options: ScanOptions, keys: readonly string[], fallback: string, owner: string): string {
  let v = fallback;
  for (const k of keys) if (options[k] !== undefined) v = String(options[k]);
  const c = v === '\\t' ? '\t' : v;
  if (c.length !== 1) throw invalidArgument(`Option '${keys[0]}' of the ${owner} must be a single character, got '${v}'.`);
  return c;
}

/** Parses CSV writer options; INVALID_ARGUMENT names a bad value. */
export function csvWriteOptions(options: ScanOptions, owner = 'CSV writer'): CsvWriteOptions {
  return {
    header: bool(options, 'header', false, owner),
    sep: char(options, ['sep', 'delimiter'], ',', owner),
    quote: char(options, ['quote'], '"', owner),
    escape: char(options, ['escape'], '\\', owner),
    nullValue: options.nullValue === undefined ? '' : String(options.nullValue),
    emptyValue: options.emptyValue === undefined ? '""' : String(options.emptyValue),
    quoteAll: bool(options, 'quoteAll', false, owner),
    escapeQuotes: bool(options, 'escapeQuotes', true, owner),
    trimLeading: bool(options, 'ignoreLeadingWhiteSpace', true, owner),
    trimTrailing: bool(options, 'ignoreTrailingWhiteSpace', true, owner),
    formats: dateTimeFormats(options),
  };
}

/** Parses JSON writer options. */
export function jsonWriteOptions(options: ScanOptions, owner = 'JSON writer'): JsonWriteOptions {
  return { ignoreNullFields: bool(options, 'ignoreNullFields', true, owner), formats: dateTimeFormats(options) };
}

/**
 * Checks a text writer's options (unknown keys are refused naming the closest known one)
 * and the schema: CSV refuses list, struct, map and binary columns as Spark does ("CSV data
 * source does not support ... data type"), naming the column and what to do.
 */
export function checkTextWrite(format: TextFormat, options: ScanOptions, schema: Schema | null, owner: string, extra: readonly string[]): void {
  checkKnownOptions(options, [...TEXT_WRITE_OPTIONS[format], ...extra], owner);
  if (format === 'csv') csvWriteOptions(options, owner);
  else jsonWriteOptions(options, owner);
  if (format !== 'csv' || schema === null) return;
  for (const f of schema.fields) {
    if (!isCsvWritableType(f.type))
      throw invalidArgument(
        `The ${owner} cannot write column '${f.name}' of type ${typeName(f.type)}: CSV holds only scalar values (as in Spark). ` +
          `Write JSON or Parquet instead, or turn the column into a string first (e.g. toJson(col('${f.name}'))).`,
      );
  }
}
