import { createHash } from 'node:crypto';
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
  /**
   * A fingerprint of the file's schema (the Parquet schema elements and the embedded Arrow
   * schema, if any): two files with the same key read with the same column names and types.
   */
  readonly schemaKey: string;
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

/** FILE_NOT_FOUND for a listed Parquet file that is gone, with the way out. */
export function missingParquetFile(path: string): SluiceError {
  return new SluiceError(
    'FILE_NOT_FOUND',
    `Parquet file '${path}' does not exist any more. It was listed when the query was planned (a streaming query logged it for the batch it re-runs). ${MISSING_INPUT_FILE_WAY_OUT}`,
  );
}

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

/** Bytes read from the end of a file in the first read: most footers fit, so one read suffices. */
const FOOTER_GUESS_BYTES = 64 * 1024;

/**
 * Reads the footer bytes (metadata + length + magic) from the end of a file. With the file's
 * size known (from the listing), one read of the last 64 KiB usually holds the whole footer;
 * a second read fetches a longer one.
 */
async function readFooterBytes(path: string, knownSize: number | undefined): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const size = knownSize ?? (await fh.stat()).size;
    if (size < 12) throw new Error(`file size ${size} is smaller than a Parquet header and footer`);
    const guess = Math.min(size, FOOTER_GUESS_BYTES);
    const tailBuf = new Uint8Array(guess);
    const { bytesRead } = await fh.read(tailBuf, 0, guess, size - guess);
    if (bytesRead !== guess) throw new Error(`the file is shorter than its listed size ${size}; it changed after it was listed`);
    const tail = tailBuf.subarray(guess - 8);
    const magic = String.fromCharCode(tail[4] as number, tail[5] as number, tail[6] as number, tail[7] as number);
    if (magic !== 'PAR1') throw new Error(`the file does not end with the Parquet magic bytes PAR1 (found ${JSON.stringify(magic)})`);
    const metaLen = new DataView(tail.buffer, tail.byteOffset, 8).getUint32(0, true);
    if (metaLen + 12 > size) throw new Error(`footer length ${metaLen} exceeds the file size ${size}`);
    if (metaLen + 8 <= guess) return tailBuf.subarray(guess - 8 - metaLen);
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
  return { numRows: Number(md.num_rows), rowGroups, schemaKey: schemaKeyOf(md) };
}

function schemaKeyOf(md: FileMetaData): string {
  const elements = md.schema.map((el) => [
    el.name,
    el.type ?? '',
    el.type_length ?? '',
    el.repetition_type ?? '',
    el.num_children ?? '',
    el.converted_type ?? '',
    el.scale ?? '',
    el.precision ?? '',
    el.logical_type === undefined ? '' : JSON.stringify(el.logical_type, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)),
  ]);
  const arrowSchema = md.key_value_metadata?.find((kv) => kv.key === 'ARROW:schema')?.value ?? '';
  // A short digest: the key travels to workers with every split.
  return createHash('sha1')
    .update(JSON.stringify([elements, arrowSchema]))
    .digest('base64');
}

function skipSubtree(schema: readonly SchemaElement[], i: number): number {
  const el = schema[i] as SchemaElement;
  let next = i + 1;
  for (let c = 0; c < (el.num_children ?? 0); c++) next = skipSubtree(schema, next);
  return next;
}

/** Footers by path, size and modification time: a file listed again unchanged is not read again. */
const footerCache = new Map<string, ParquetFooter>();
/** Entries the cache keeps (the oldest go first): enough for 10,000s of files, each footer small. */
const FOOTER_CACHE_ENTRIES = 50_000;

/** Empties this thread's footer cache (benchmarks use it so that every run reads every footer). */
export function clearParquetFooterCache(): void {
  footerCache.clear();
}

/** What a listing knows of a file: given, the footer is cached under path, size and mtime. */
export interface FooterFileInfo {
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * Reads a Parquet file's footer: row groups, their row counts and column statistics.
 * CORRUPT_FILE on failure. With `file` (the listing's size and mtime), the footer is cached
 * in this thread under path, size and mtime, so schema inference, split planning and the
 * streaming row count of the same unchanged file read it once; a rewritten file (new size or
 * mtime) is read again.
 */
export async function readParquetFooter(path: string, file?: FooterFileInfo): Promise<ParquetFooter> {
  if (file === undefined) return readFooterUncached(path, undefined);
  const key = `${path}\u0000${file.size}\u0000${file.mtimeMs}`;
  const hit = footerCache.get(key);
  if (hit !== undefined) return hit;
  const footer = await readFooterUncached(path, file.size);
  if (footerCache.size >= FOOTER_CACHE_ENTRIES) footerCache.delete(footerCache.keys().next().value as string);
  footerCache.set(key, footer);
  return footer;
}

async function readFooterUncached(path: string, knownSize: number | undefined): Promise<ParquetFooter> {
  let bytes: Uint8Array;
  try {
    bytes = await readFooterBytes(path, knownSize);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') throw missingParquetFile(path);
    throw corruptParquet(path, e);
  }
  try {
    return footerFromMetadata(parquetMetadata(bytes, { parsers: RAW_PARSERS }));
  } catch (e) {
    throw corruptParquet(path, e);
  }
}
