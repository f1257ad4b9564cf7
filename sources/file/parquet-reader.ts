import { openAsBlob } from 'node:fs';
import type { Table as ArrowTable } from 'apache-arrow';
import * as arrow from 'apache-arrow';
import { ParquetFile } from 'parquet-wasm';
import { batchFromArrow, typeFromArrow } from '../../common/arrow-convert.js';
import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { typeEquals, typeName } from '../../common/data-type.js';
import { SluiceError } from '../../common/errors.js';
import type { Field } from '../../common/schema.js';
import { sliceVector } from '../../common/vector-concat.js';
import { guardWasmTrap } from '../../common/wasm-trap-guard.js';
import { corruptParquet } from './parquet-footer.js';
import { constantVector } from './partition-columns.js';

/** Columns of some rows of a file, in the order they were asked for. */
export interface DataChunk {
  readonly columns: readonly ColumnVector[];
  readonly numRows: number;
}

/** Opens a Parquet file with parquet-wasm; CORRUPT_FILE or FILE_NOT_FOUND naming the path on failure. */
export async function openParquetFile(path: string): Promise<ParquetFile> {
  let blob: Blob;
  try {
    blob = await openAsBlob(path);
  } catch (e) {
    throw new SluiceError('FILE_NOT_FOUND', `Cannot open Parquet file '${path}': ${(e as Error).message}. Check that the file exists and is readable.`, {
      cause: e,
    });
  }
  try {
    return await ParquetFile.fromFile(blob);
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
 * Reads the given row groups (null: all) of a Parquet file, one row group at a time, and
 * yields chunks of at most `batchSize` rows holding `fields` in order. A field the file does
 * not have is all null. Types must equal the schema's (nullability may differ).
 */
export async function* readParquetSplit(
  path: string,
  rowGroups: readonly number[] | null,
  fields: readonly Field[],
  batchSize: number,
): AsyncGenerator<DataChunk> {
  const pf = await openParquetFile(path);
  try {
    const fileFields = new Map(parquetArrowSchema(pf, path).fields.map((f) => [f.name, f]));
    const present: string[] = [];
    for (const f of fields) {
      const ff = fileFields.get(f.name);
      if (!ff) continue;
      const t = typeFromArrow(ff.type, f.name);
      if (!typeEquals(t, f.type)) throw columnTypeMismatch(f.name, path, t, f.type);
      present.push(f.name);
    }
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
        const table = await readRowGroup(pf, path, present, rg, rows);
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
            return v ? sliceVector(v, start, end) : constantVector(f.type, null, n);
          });
          yield { columns, numRows: n };
        }
      }
    }
  } finally {
    freeQuietly(pf);
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

async function readColumns(pf: ParquetFile, columns: readonly string[], rg: number, rows: number): Promise<ArrowTable> {
  const wasmTable = await guardWasmTrap(() => pf.read({ columns: [...columns], rowGroups: [rg], batchSize: rows }));
  return arrow.tableFromIPC(wasmTable.intoIPCStream());
}

/**
 * Reads `columns` of row group `rg`. On failure (an error, or a crash of the wasm decoder)
 * the columns are read again one at a time from a fresh handle, to name the one that
 * cannot be decoded, and CORRUPT_FILE names the file, the row group and that column.
 */
async function readRowGroup(pf: ParquetFile, path: string, columns: readonly string[], rg: number, rows: number): Promise<ArrowTable> {
  try {
    return await readColumns(pf, columns, rg, rows);
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
      await readColumns(pf, [c], rg, rows);
    } catch {
      return c;
    } finally {
      freeQuietly(pf);
    }
  }
  return null;
}
