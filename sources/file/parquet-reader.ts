import { openAsBlob, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isMainThread } from 'node:worker_threads';
import type { Table as ArrowTable } from 'apache-arrow';
import * as arrow from 'apache-arrow';
import { ParquetFile, readParquet, readSchema } from 'parquet-wasm';
import { batchFromArrow, typeFromArrow } from '../../common/arrow-convert.js';
import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { readableAs, typeName } from '../../common/data-type.js';
import { SluiceError } from '../../common/errors.js';
import type { Field } from '../../common/schema.js';
import { sliceVector } from '../../common/vector-concat.js';
import { guardWasmTrap } from '../../common/wasm-trap-guard.js';
import { FileRangeBlob, type RangeBlob } from './file-range-blob.js';
import { corruptParquet, missingParquetFile } from './parquet-footer.js';
import { constantVector } from './partition-columns.js';
import { arrowTableFromWasm, ffiExportable } from './wasm-arrow-export.js';

/** Columns of some rows of a file, in the order they were asked for. */
export interface DataChunk {
  readonly columns: readonly ColumnVector[];
  readonly numRows: number;
}

/**
 * Opens a Parquet file with parquet-wasm; CORRUPT_FILE or FILE_NOT_FOUND naming the path on
 * failure. With `onClose`, on a worker thread, the file is read with synchronous positioned
 * reads (see {@link FileRangeBlob}) and `onClose` receives the closer to call once the
 * ParquetFile is freed; otherwise (and on the main thread, which must not block) it is read
 * through `fs.openAsBlob`.
 */
export async function openParquetFile(path: string, onClose?: (close: () => void) => void): Promise<ParquetFile> {
  let blob: RangeBlob;
  try {
    if (onClose === undefined || isMainThread) blob = await openAsBlob(path);
    else {
      const file = FileRangeBlob.open(path);
      onClose(() => file.close());
      blob = file;
    }
  } catch (e) {
    throw new SluiceError('FILE_NOT_FOUND', `Cannot open Parquet file '${path}': ${(e as Error).message}. Check that the file exists and is readable.`, {
      cause: e,
    });
  }
  try {
    return await ParquetFile.fromFile(blob as Blob);
  } catch (e) {
    throw corruptParquet(path, e);
  }
}

/** The Arrow schema stored in an open Parquet file. */
export function parquetArrowSchema(pf: ParquetFile, path: string): arrow.Schema {
  try {
    return arrow.tableFromIPC(pf.schema().intoIPCStream()).schema;
  } catch (e) {
    throw corruptParquet(path, e);
  }
}

/** TYPE_MISMATCH for a column whose type in a file differs from the scan's schema. */
function columnTypeMismatch(name: string, path: string, fileType: DataType, expected: DataType): SluiceError {
  return new SluiceError(
    'TYPE_MISMATCH',
    `Column '${name}' of Parquet file '${path}' has type ${typeName(fileType)}, but the schema says ${typeName(expected)}. Files of one input must agree on column types: fix the schema (or the file), or read the files separately and cast.`,
  );
}

/**
 * The columns of `fields` the file has, after checking every field of `checked` (the scan's
 * whole data schema, so a pruned column is checked too and batch and stream agree) against
 * the file's types: a timestamp's zone is a label and its unit is converted (see
 * {@link readableAs}); any other difference is TYPE_MISMATCH naming the file and column.
 */
function presentColumns(fileFields: ReadonlyMap<string, arrow.Field>, fields: readonly Field[], checked: readonly Field[], path: string): string[] {
  for (const f of checked) {
    const ff = fileFields.get(f.name);
    if (!ff) continue;
    const t = typeFromArrow(ff.type, f.name);
    if (!readableAs(t, f.type)) throw columnTypeMismatch(f.name, path, t, f.type);
  }
  return fields.filter((f) => fileFields.has(f.name)).map((f) => f.name);
}

/** A file's column as the declared type: a timestamp relabelled with the declared zone and converted to its unit. */
export function asDeclared(v: ColumnVector, declared: DataType): ColumnVector {
  if (v.type === declared) return v;
  if (v.type.kind === 'timestamp' && declared.kind === 'timestamp' && v.type.unit !== declared.unit) {
    const src = v.values as BigInt64Array;
    const out = new BigInt64Array(src.length);
    if (declared.unit === 'us') for (let i = 0; i < src.length; i++) out[i] = (src[i] as bigint) * 1000n;
    else
      for (let i = 0; i < src.length; i++) {
        const x = src[i] as bigint;
        const q = x / 1000n;
        out[i] = x < 0n && q * 1000n !== x ? q - 1n : q;
      }
    return { ...v, type: declared, values: out };
  }
  return { ...v, type: declared };
}

/**
 * Reads the given row groups (null: all) of a Parquet file, one row group at a time, and
 * yields chunks of at most `batchSize` rows holding `fields` in order. A field the file does
 * not have is all null. Types must be readable as the schema's (`checked`: every data field
 * of the scan, not only the read ones; see {@link presentColumns}); nullability may differ.
 */
export async function* readParquetSplit(
  path: string,
  rowGroups: readonly number[] | null,
  fields: readonly Field[],
  batchSize: number,
  size?: number,
  checked: readonly Field[] = fields,
  schemaKey?: string,
): AsyncGenerator<DataChunk> {
  if (size !== undefined && size <= SMALL_PARQUET_FILE_BYTES && fields.length > 0) {
    yield* readSmallParquetFile(path, rowGroups, fields, batchSize, checked, schemaKey);
    return;
  }
  let closeFile = (): void => {};
  let pf: ParquetFile;
  try {
    pf = await openParquetFile(path, (close) => {
      closeFile = close;
    });
  } catch (e) {
    closeFile();
    throw e;
  }
  try {
    const fileFields = new Map(parquetArrowSchema(pf, path).fields.map((f) => [f.name, f]));
    const present = presentColumns(fileFields, fields, checked, path);
    const ffi = present.every((c) => ffiExportable((fileFields.get(c) as arrow.Field).type));
    const meta = pf.metadata();
    const groupRows = meta.rowGroups().map((rg) => rg.numRows());
    const groups = rowGroups ?? groupRows.map((_, i) => i);
    for (const rg of groups) {
      const rows = groupRows[rg];
      if (rows === undefined)
        throw new SluiceError(
          'CORRUPT_FILE',
          `Parquet file '${path}' has no row group ${rg} (it has ${groupRows.length}); the file changed after the query was planned.`,
        );
      if (rows === 0) continue;
      let chunks: { numRows: number; columns: Map<string, ColumnVector> }[] = [];
      if (present.length === 0) chunks = [{ numRows: rows, columns: new Map() }];
      else {
        const table = await readRowGroup(pf, path, present, rg, rows, ffi);
        chunks = table.batches.map((rb) => {
          const b = batchFromArrow(rb);
          return { numRows: b.numRows, columns: new Map(b.schema.fields.map((f, i) => [f.name, b.columns[i] as ColumnVector])) };
        });
      }
      for (const chunk of chunks) {
        for (let start = 0; start < chunk.numRows; start += batchSize) {
          const end = Math.min(chunk.numRows, start + batchSize);
          const n = end - start;
          const columns = fields.map((f) => {
            const v = chunk.columns.get(f.name);
            return v ? asDeclared(sliceVector(v, start, end), f.type) : constantVector(f.type, null, n);
          });
          yield { columns, numRows: n };
        }
      }
    }
  } finally {
    freeQuietly(pf);
    closeFile();
  }
}

/** Frees a ParquetFile; one a decoder crash left borrowed cannot be freed and is dropped. */
function freeQuietly(pf: ParquetFile): void {
  try {
    pf.free();
  } catch {
    // Leaked: a trapped call still holds it.
  }
}

async function readColumns(pf: ParquetFile, columns: readonly string[], rg: number, rows: number, ffi: boolean): Promise<ArrowTable> {
  const wasmTable = await guardWasmTrap(() => pf.read({ columns: [...columns], rowGroups: [rg], batchSize: rows }));
  return arrowTableFromWasm(wasmTable, ffi);
}

/**
 * Reads `columns` of row group `rg`. On failure (an error, or a crash of the wasm decoder)
 * the columns are read again one at a time from a fresh handle, to name the one that
 * cannot be decoded, and CORRUPT_FILE names the file, the row group and that column.
 */
async function readRowGroup(pf: ParquetFile, path: string, columns: readonly string[], rg: number, rows: number, ffi: boolean): Promise<ArrowTable> {
  try {
    return await readColumns(pf, columns, rg, rows, ffi);
  } catch (e) {
    throw corruptParquet(path, e, { rowGroup: rg, column: await badColumn(path, columns, rg, rows) });
  }
}

async function badColumn(path: string, columns: readonly string[], rg: number, rows: number): Promise<string | null> {
  if (columns.length === 1) return columns[0] as string;
  for (const c of columns) {
    let pf: ParquetFile;
    try {
      pf = await ParquetFile.fromFile(await openAsBlob(path));
    } catch {
      return null;
    }
    try {
      await readColumns(pf, [c], rg, rows, false);
    } catch {
      return c;
    } finally {
      freeQuietly(pf);
    }
  }
  return null;
}

/**
 * Files up to this size are read whole, in one read, and decoded from memory: a small
 * file read through a Blob costs several asynchronous range reads, which dominated scans of
 * thousands of small files (the worker waited on I/O most of the time).
 */
export const SMALL_PARQUET_FILE_BYTES = 8 * 1024 * 1024;

async function wholeFile(path: string): Promise<Uint8Array> {
  try {
    // Worker threads do nothing else while they read, so a synchronous read saves the hops
    // through the I/O thread pool; the main thread must not block.
    return isMainThread ? await readFile(path) : readFileSync(path);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') throw missingParquetFile(path);
    throw new SluiceError('FILE_NOT_FOUND', `Cannot open Parquet file '${path}': ${(e as Error).message}. Check that the file exists and is readable.`, {
      cause: e,
    });
  }
}

/**
 * Columns present (and type-checked) by footer schema fingerprint and requested fields, per
 * thread, and whether they can all leave WASM through the C data interface.
 */
const checkedColumns = new Map<string, { present: string[]; ffi: boolean }>();

/** {@link readParquetSplit} for a small file: one read of the whole file, decoded in memory. */
async function* readSmallParquetFile(
  path: string,
  rowGroups: readonly number[] | null,
  fields: readonly Field[],
  batchSize: number,
  checked: readonly Field[],
  schemaKey: string | undefined,
): AsyncGenerator<DataChunk> {
  const bytes = await wholeFile(path);
  // Files with the footer schema fingerprint of a file already checked against the same
  // fields need no schema decode (thousands of small files from one writer share one).
  const cacheKey = schemaKey === undefined ? undefined : `${schemaKey}\u0000${JSON.stringify([fields, checked])}`;
  let checkedFile = cacheKey === undefined ? undefined : checkedColumns.get(cacheKey);
  if (checkedFile === undefined) {
    let fileFields: Map<string, arrow.Field>;
    try {
      fileFields = new Map(arrow.tableFromIPC(readSchema(bytes).intoIPCStream()).schema.fields.map((f) => [f.name, f]));
    } catch (e) {
      throw corruptParquet(path, e);
    }
    const present = presentColumns(fileFields, fields, checked, path);
    checkedFile = { present, ffi: present.every((c) => ffiExportable((fileFields.get(c) as arrow.Field).type)) };
    if (cacheKey !== undefined) {
      if (checkedColumns.size >= 1000) checkedColumns.clear();
      checkedColumns.set(cacheKey, checkedFile);
    }
  }
  const { present, ffi } = checkedFile;
  if (present.length === 0) {
    // No column of the file is wanted: row counts come from the footer, as in the Blob path.
    yield* readParquetSplit(path, rowGroups, fields, batchSize, undefined, checked);
    return;
  }
  let table: ArrowTable;
  try {
    const options = rowGroups === null ? { columns: present } : { columns: present, rowGroups: [...rowGroups] };
    table = arrowTableFromWasm(readParquet(bytes, { ...options, batchSize: 1 << 20 }), ffi);
  } catch {
    // Undecodable data: the row-group reader names the file, row group and column.
    yield* readParquetSplit(path, rowGroups, fields, batchSize, undefined, checked);
    return;
  }
  for (const rb of table.batches) {
    const b = batchFromArrow(rb);
    const byName = new Map(b.schema.fields.map((f, i) => [f.name, b.columns[i] as ColumnVector]));
    for (let start = 0; start < b.numRows; start += batchSize) {
      const end = Math.min(b.numRows, start + batchSize);
      const columns = fields.map((f) => {
        const v = byName.get(f.name);
        return v ? asDeclared(sliceVector(v, start, end), f.type) : constantVector(f.type, null, end - start);
      });
      yield { columns, numRows: end - start };
    }
  }
}
