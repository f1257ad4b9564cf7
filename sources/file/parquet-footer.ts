import { open } from 'node:fs/promises';
import type { FileMetaData, SchemaElement } from 'hyparquet';
import { parquetMetadata } from 'hyparquet';
import { SluiceError } from '../../common/errors.js';
import { isWasmTrap } from '../../common/wasm-trap-guard.js';

/**
 * A value of a row group's min/max statistics, normalised for comparison with literals:
 * numbers for int32, date (days) and float columns, bigints for int64 columns and for
 * timestamps (always microseconds here), raw UTF-8 bytes for strings, booleans.
 */
export type StatValue = number | bigint | Uint8Array | boolean;

/** Statistics of one column chunk; null where the file does not record them. */
export interface ColumnStats {
  readonly min: StatValue | null;
  readonly max: StatValue | null;
  readonly nullCount: number | null;
}

/** Row count and per-column statistics (top-level columns by name) of one row group. */
export interface RowGroupInfo {
  readonly numRows: number;
  readonly columns: ReadonlyMap<string, ColumnStats>;
}

/** What planning needs from a Parquet footer. */
export interface ParquetFooter {
  readonly numRows: number;
  readonly rowGroups: readonly RowGroupInfo[];
}

/** Where in a Parquet file reading failed, when known. */
export interface ParquetLocation {
  readonly rowGroup: number;
  /** The column whose data could not be decoded; null when no single column could be blamed. */
  readonly column: string | null;
}

/**
 * The way out of an unreadable input file. A streaming query re-reads exactly the files it
 * logged for a batch, so removing the file alone does not help there.
 */
export const BAD_INPUT_FILE_WAY_OUT =
  "Rewrite the file, or remove it from the input. A streaming query re-reads the files it logged for the failed batch: replace the file with a good copy under the same name, or delete it and restart the query with readStream.option('ignoreMissingFiles', true) to skip it.";

/** The way out of an input file that disappeared after it was listed. */
export const MISSING_INPUT_FILE_WAY_OUT =
  "Put the file back, or, if it was removed on purpose (e.g. because it was corrupt), restart a streaming query with readStream.option('ignoreMissingFiles', true) to skip it; otherwise do not delete input files while a query reads them.";

/** Error for an unreadable Parquet file, naming the file, the row group and column when known, and the reason. */
export function corruptParquet(path: string, reason: unknown, where?: ParquetLocation): SluiceError {
  const text = isWasmTrap(reason)
    ? `the Parquet decoder crashed on the file's data (WebAssembly trap: ${reason.message})`
    : reason instanceof Error
      ? reason.message
      : String(reason);
  const at = where === undefined ? '' : ` (row group ${where.rowGroup}${where.column === null ? '' : `, column '${where.column}'`})`;
  return new SluiceError(
    'CORRUPT_FILE',
    `Cannot read Parquet file '${path}'${at}: ${text}. The file is truncated, corrupt or not Parquet. ${BAD_INPUT_FILE_WAY_OUT}`,
    {
      cause: reason,
    },
  );
}

const FLOOR_1000 = (v: bigint): bigint => {
  const q = v / 1000n;
  return v < 0n && q * 1000n !== v ? q - 1n : q;
};

/** Parsers that keep raw values: timestamps as microsecond bigints, strings as bytes, dates as days. */
const RAW_PARSERS = {
  timestampFromMilliseconds: (v: bigint): bigint => v * 1000n,
  timestampFromMicroseconds: (v: bigint): bigint => v,
  timestampFromNanoseconds: FLOOR_1000,
  dateFromDays: (d: number): number => d,
  stringFromBytes: (b: Uint8Array): Uint8Array => b,
};

/** Reads the footer bytes (metadata + length + magic) from the end of a file. */
async function readFooterBytes(path: string): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    if (size < 12) throw new Error(`file size ${size} is smaller than a Parquet header and footer`);
    const tail = new Uint8Array(8);
    await fh.read(tail, 0, 8, size - 8);
    const magic = String.fromCharCode(tail[4] as number, tail[5] as number, tail[6] as number, tail[7] as number);
    if (magic !== 'PAR1') throw new Error(`the file does not end with the Parquet magic bytes PAR1 (found ${JSON.stringify(magic)})`);
    const metaLen = new DataView(tail.buffer).getUint32(0, true);
    if (metaLen + 12 > size) throw new Error(`footer length ${metaLen} exceeds the file size ${size}`);
    const buf = new Uint8Array(metaLen + 8);
    await fh.read(buf, 0, metaLen + 8, size - 8 - metaLen);
    return buf;
  } finally {
    await fh.close();
  }
}

function isUnsigned(el: SchemaElement): boolean {
  return (el.converted_type?.startsWith('UINT_') ?? false) || (el.logical_type?.type === 'INTEGER' && !el.logical_type.isSigned);
}

/** Whether min/max statistics of this column can be trusted for pruning, and whether legacy fields can. */
function statsUsage(el: SchemaElement): { usable: boolean; legacyOk: boolean } {
  const lt = el.logical_type?.type;
  if (el.type === 'INT96' || el.type === 'FIXED_LEN_BYTE_ARRAY' || el.type === 'BOOLEAN') return { usable: false, legacyOk: false };
  if (el.converted_type === 'DECIMAL' || lt === 'DECIMAL' || lt === 'FLOAT16') return { usable: false, legacyOk: false };
  if (el.type === 'BYTE_ARRAY') return { usable: el.converted_type === 'UTF8' || lt === 'STRING' || lt === 'ENUM', legacyOk: false };
  return { usable: true, legacyOk: !isUnsigned(el) };
}

function normalise(v: unknown, el: SchemaElement): StatValue | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return null;
    // int64 columns compare as bigints (unsigned 32-bit ints map to int64).
    if (el.type === 'INT32' && isUnsigned(el) && el.converted_type !== 'UINT_8' && el.converted_type !== 'UINT_16') return BigInt(v);
    return v;
  }
  if (typeof v === 'bigint') {
    if (el.type === 'INT64' && isUnsigned(el) && v >= 2n ** 63n) return null;
    return v;
  }
  if (v instanceof Uint8Array) return v;
  return null;
}

function footerFromMetadata(md: FileMetaData): ParquetFooter {
  const byName = new Map<string, SchemaElement>();
  // Top-level leaves only: schema[0] is the root; a leaf has no num_children.
  const root = md.schema[0];
  let i = 1;
  const topCount = root?.num_children ?? 0;
  for (let k = 0; k < topCount && i < md.schema.length; k++) {
    const el = md.schema[i] as SchemaElement;
    if (!el.num_children) byName.set(el.name, el);
    i = skipSubtree(md.schema, i);
  }
  const rowGroups = md.row_groups.map((rg) => {
    const columns = new Map<string, ColumnStats>();
    for (const chunk of rg.columns) {
      const meta = chunk.meta_data;
      if (meta?.path_in_schema.length !== 1) continue;
      const name = meta.path_in_schema[0] as string;
      const el = byName.get(name);
      const st = meta.statistics;
      if (!el || !st) continue;
      const use = statsUsage(el);
      const min = use.usable ? normalise(st.min_value ?? (use.legacyOk ? st.min : undefined), el) : null;
      const max = use.usable ? normalise(st.max_value ?? (use.legacyOk ? st.max : undefined), el) : null;
      columns.set(name, { min, max, nullCount: st.null_count === undefined ? null : Number(st.null_count) });
    }
    return { numRows: Number(rg.num_rows), columns };
  });
  return { numRows: Number(md.num_rows), rowGroups };
}

function skipSubtree(schema: readonly SchemaElement[], i: number): number {
  const el = schema[i] as SchemaElement;
  let next = i + 1;
  for (let c = 0; c < (el.num_children ?? 0); c++) next = skipSubtree(schema, next);
  return next;
}

/** Reads a Parquet file's footer: row groups, their row counts and column statistics. CORRUPT_FILE on failure. */
export async function readParquetFooter(path: string): Promise<ParquetFooter> {
  let bytes: Uint8Array;
  try {
    bytes = await readFooterBytes(path);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT')
      throw new SluiceError(
        'FILE_NOT_FOUND',
        `Parquet file '${path}' does not exist any more. It was listed when the query was planned (a streaming query logged it for the batch it re-runs). ${MISSING_INPUT_FILE_WAY_OUT}`,
      );
    throw corruptParquet(path, e);
  }
  try {
    return footerFromMetadata(parquetMetadata(bytes, { parsers: RAW_PARSERS }));
  } catch (e) {
    throw corruptParquet(path, e);
  }
}
