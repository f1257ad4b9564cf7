import type { DataType } from '../../common/data-type.js';
import { readableAs, typeName, types } from '../../common/data-type.js';
import { schemaFromArrow } from '../../common/arrow-convert.js';
import { SluiceError } from '../../common/errors.js';
import type { Field, Schema } from '../../common/schema.js';
import { field, schemaOf } from '../../common/schema.js';
import type { FileEntry, FileFormat, ScanOptions } from '../../dataframe/plan/logical-plan.js';
import { csvOptions } from './csv-options.js';
import type { CsvRecordSink } from './csv-tokenizer.js';
import { CsvTokenizer } from './csv-tokenizer.js';
import { jsonLines } from './json-reader.js';
import { boolOption } from './parse-mode.js';
import { FILE_IO_CONCURRENCY, mapLimit } from '../../common/map-limit.js';
import { readParquetFooter } from './parquet-footer.js';
import { openParquetFile, parquetArrowSchema } from './parquet-reader.js';
import { filePartitionValues } from './partition-columns.js';
import { inferPartitionValueType, widerPartitionType } from './partition-values.js';
import { textChunks } from './text-chunks.js';
import { finalInferred, inferCellType, inferJsonValueType, mergeInferred } from './text-type-inference.js';

/** Records read per input when inferring a CSV/JSON schema (option `samplingRows`). */
export const DEFAULT_SAMPLING_ROWS = 10000;

async function parquetFileSchema(path: string): Promise<Schema> {
  const pf = await openParquetFile(path);
  try {
    return schemaFromArrow(parquetArrowSchema(pf, path));
  } finally {
    pf.free();
  }
}

/**
 * The schema of a Parquet input: the first file's, after checking that every other file has
 * the same columns and types. Footers are read in parallel; files whose footer schema
 * fingerprint equals one already decoded are not decoded again (10,000 files written by
 * one writer decode one schema).
 */
async function parquetSchema(files: readonly FileEntry[]): Promise<Schema> {
  const first = files[0] as FileEntry;
  const keys = await mapLimit(files, FILE_IO_CONCURRENCY, async (f) => (await readParquetFooter(f.path, f)).schemaKey);
  const decoded = new Map<string, Schema>();
  const schemaOfFile = async (i: number): Promise<Schema> => {
    const key = keys[i] as string;
    const known = decoded.get(key);
    if (known !== undefined) return known;
    const s = await parquetFileSchema((files[i] as FileEntry).path);
    decoded.set(key, s);
    return s;
  };
  const schema = await schemaOfFile(0);
  const byName = new Map(schema.fields.map((f) => [f.name, f]));
  for (let i = 1; i < files.length; i++) {
    if (keys[i] === keys[0]) continue;
    const file = files[i] as FileEntry;
    const other = await schemaOfFile(i);
    const names = new Set(other.fields.map((f) => f.name));
    for (const f of other.fields) {
      const mine = byName.get(f.name);
      if (!mine)
        throw new SluiceError(
          'TYPE_MISMATCH',
          `Parquet file '${file.path}' has column '${f.name}', which '${first.path}' does not have. All files of one input must have the same columns; read them separately, or pass a schema.`,
        );
      if (!readableAs(f.type, mine.type, true))
        throw new SluiceError(
          'TYPE_MISMATCH',
          `Column '${f.name}' has type ${typeName(f.type)} in Parquet file '${file.path}' but ${typeName(mine.type)} in '${first.path}'. Rewrite the files with one type, or read them separately and cast.`,
        );
    }
    const missing = schema.fields.find((f) => !names.has(f.name));
    if (missing)
      throw new SluiceError(
        'TYPE_MISMATCH',
        `Parquet file '${file.path}' lacks column '${missing.name}' that '${first.path}' has. All files of one input must have the same columns; read them separately, or pass a schema.`,
      );
  }
  return schema;
}

function uniqueHeaderNames(names: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  return names.map((n, i) => (n === '' ? `_c${i}` : (counts.get(n) ?? 0) > 1 ? `${n}${i}` : n));
}

async function csvSchema(files: readonly FileEntry[], options: ScanOptions, limit: number): Promise<Schema> {
  const o = csvOptions(options);
  let names: string[] | null = null;
  let inferred: (DataType | null)[] = [];
  let seen = 0;
  for (const file of files) {
    if (seen >= limit) break;
    let headerPending = o.header;
    const tok = new CsvTokenizer(o);
    const sink: CsvRecordSink = {
      record(fields, quoted, count) {
        if (headerPending) {
          headerPending = false;
          if (names === null) names = uniqueHeaderNames(fields.slice(0, count));
          return;
        }
        if (names === null) names = Array.from({ length: count }, (_, i) => `_c${i}`);
        seen++;
        if (!o.inferSchema) return;
        for (let k = 0; k < Math.min(count, names.length); k++) {
          const v = fields[k] as string;
          if (v === o.nullValue && (quoted[k] === 0 || o.nullValue !== '')) continue;
          inferred[k] = mergeInferred(inferred[k] ?? null, inferCellType(v, o.inferTimestamp));
        }
      },
    };
    let carry = '';
    for await (const chunk of textChunks(file.path)) {
      const text = carry + chunk;
      carry = text.slice(tok.tokenize(text, 0, false, sink, limit - seen + 1));
      if (seen >= limit) break;
    }
    if (seen < limit && carry.length > 0) tok.tokenize(carry, 0, true, sink, limit - seen + 1);
    if (names !== null) inferred = inferred.slice(0, (names as string[]).length);
  }
  const finalNames: string[] = names ?? [];
  return schemaOf(finalNames.map((n, i) => field(n, o.inferSchema ? (inferred[i] ?? types.utf8) : types.utf8, true)));
}

async function jsonSchema(files: readonly FileEntry[], options: ScanOptions, limit: number): Promise<Schema> {
  const inferTimestamp = boolOption(options, 'inferTimestamp', false);
  const byName = new Map<string, DataType | null>();
  let seen = 0;
  for (const file of files) {
    if (seen >= limit) break;
    for await (const { text, start, end } of jsonLines(file.path)) {
      let obj: unknown;
      try {
        obj = JSON.parse(text.slice(start, end));
      } catch {
        continue;
      }
      if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) continue;
      for (const [k, v] of Object.entries(obj)) byName.set(k, mergeInferred(byName.get(k) ?? null, inferJsonValueType(v, inferTimestamp)));
      if (++seen >= limit) break;
    }
  }
  const names = [...byName.keys()].sort();
  return schemaOf(names.map((n) => field(n, finalInferred(byName.get(n)), true)));
}

/** Partition columns found in the files' `key=value` folders, with types widened over all files. */
export function inferPartitionFields(files: readonly FileEntry[], options: ScanOptions): Field[] {
  const order: string[] = [];
  const typesByName = new Map<string, DataType | null>();
  for (const f of files) {
    for (const [k, v] of Object.entries(filePartitionValues(f.path, options))) {
      if (!typesByName.has(k)) order.push(k);
      typesByName.set(k, widerPartitionType(typesByName.get(k) ?? null, inferPartitionValueType(v)));
    }
  }
  return order.map((k) => field(k, typesByName.get(k) ?? types.utf8, true));
}

/**
 * Infers the schema of a file input. Parquet: the first file's footer (every file must
 * have the same columns and types; TYPE_MISMATCH naming the file if not). CSV: column names
 * from the header (option `header`) or `_c0, _c1...`; with `inferSchema` types are inferred
 * from up to `samplingRows` records (int -> bigint -> double, boolean, date, timestamp when
 * `inferTimestamp` (default true), else string); without it every column is a string.
 * JSON: the union of keys (sorted by name, as Spark does), bigint/double/boolean/string,
 * lists for arrays of scalars, string for nested objects; ISO timestamps only with
 * `inferTimestamp`. Partition columns of `key=value` folders are appended (int, bigint,
 * double or string).
 */
export async function inferFileSchema(format: FileFormat, files: readonly FileEntry[], options: ScanOptions): Promise<Schema> {
  if (files.length === 0)
    throw new SluiceError('FILE_NOT_FOUND', `No input files to infer a ${format} schema from. Check the path, or pass a schema explicitly.`);
  const limit = Math.max(1, Number(options.samplingRows ?? DEFAULT_SAMPLING_ROWS));
  const data =
    format === 'parquet' ? await parquetSchema(files) : format === 'csv' ? await csvSchema(files, options, limit) : await jsonSchema(files, options, limit);
  const names = new Set(data.fields.map((f) => f.name));
  const parts = inferPartitionFields(files, options).filter((f) => !names.has(f.name));
  return schemaOf([...data.fields, ...parts]);
}
