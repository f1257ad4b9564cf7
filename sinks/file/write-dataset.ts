import { checkPartitionColumns } from '../../common/partition-column-check.js';
import { randomUUID } from 'node:crypto';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ColumnarBatch, ColumnVector } from '../../common/column-vector.js';
import { isNullAt } from '../../common/column-vector.js';
import { gatherBatch, makeBatch } from '../../common/columnar-batch.js';
import { SluiceError } from '../../common/errors.js';
import { int64Halves, int64At } from '../../common/int64.js';
import type { Schema } from '../../common/schema.js';
import { resolveFieldIndex, schemaOf } from '../../common/schema.js';
import { valueAt } from '../../common/vector-value-at.js';
import { formatDouble, formatTimestamp } from '../../dataframe/format-value.js';
import { escapePathName, HIVE_DEFAULT_PARTITION } from '../../sources/file/partition-values.js';
import type { ParquetWriteOptions } from './parquet-writer.js';
import { writeFileAtomic } from './parquet-writer.js';
import type { PartFileFormat } from './part-file-format.js';
import { parquetPartFormat } from './part-file-format.js';

/** What to do when the output folder exists (Spark's save modes). */
export type SaveMode = 'error' | 'errorifexists' | 'overwrite' | 'append' | 'ignore';

async function exists(p: string): Promise<boolean> {
  return (await stat(p).catch(() => null)) !== null;
}

/**
 * Prepares an output folder for a save mode: error/errorifexists fail with PATH_EXISTS
 * when it exists; overwrite deletes it; append keeps it; ignore returns 'skip' when it
 * exists. The folder exists afterwards unless the answer is 'skip'.
 */
export async function prepareOutputDir(dir: string, mode: SaveMode): Promise<'write' | 'skip'> {
  const present = await exists(dir);
  switch (mode) {
    case 'error':
    case 'errorifexists':
      if (present)
        throw new SluiceError(
          'PATH_EXISTS',
          `Output path '${dir}' already exists. Use mode 'overwrite' to replace it, 'append' to add files, or 'ignore' to skip the write.`,
        );
      break;
    case 'overwrite':
      if (present) await rm(dir, { recursive: true, force: true });
      break;
    case 'ignore':
      if (present) return 'skip';
      break;
    case 'append':
      break;
    default:
      throw new SluiceError('INVALID_ARGUMENT', `Unknown save mode '${String(mode)}'. Use error, errorifexists, overwrite, append or ignore.`);
  }
  await mkdir(dir, { recursive: true });
  return 'write';
}

/** Marks an output folder complete by writing an empty `_SUCCESS` file (atomically). */
export async function commitOutputDir(dir: string): Promise<void> {
  await writeFileAtomic(join(dir, '_SUCCESS'), new Uint8Array(0));
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** The folder text of one partition value, as Spark writes it. */
function partitionText(v: ColumnVector, i: number): string {
  if (isNullAt(v, i)) return HIVE_DEFAULT_PARTITION;
  switch (v.type.kind) {
    case 'float64':
      return formatDouble((v.values as Float64Array)[i] as number);
    case 'date': {
      const d = new Date(((v.values as Int32Array)[i] as number) * 86400000);
      return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    }
    case 'timestamp': {
      const raw = int64At(int64Halves(v.values as BigInt64Array), i);
      if (v.type.unit === 'ms') return formatTimestamp(raw);
      const ms = Math.floor(raw / 1000);
      return formatTimestamp(ms, raw - ms * 1000);
    }
    default: {
      const x = valueAt(v, i);
      return x === '' ? HIVE_DEFAULT_PARTITION : String(x);
    }
  }
}

function partFileName(taskId: number, format: PartFileFormat): string {
  return `part-${String(taskId).padStart(5, '0')}-${randomUUID()}${format.suffix}`;
}

/**
 * Writes batches as Parquet part files (`part-<taskId>-<uuid>.<codec>.parquet`), or in
 * `format` (CSV, JSON lines: `part-<taskId>-<uuid>.csv`), into `dir`,
 * or into Hive-style `col=value/` folders for `partitionBy` (the partition columns are left
 * out of the files, as Spark does; null and empty values go to `__HIVE_DEFAULT_PARTITION__`).
 * One file per partition folder. With no rows and no partitioning one empty file keeps the
 * schema. Returns the written paths.
 */
export async function writePartitioned(
  dir: string,
  schema: Schema,
  batches: readonly ColumnarBatch[],
  partitionBy: readonly string[],
  taskId: number,
  options: ParquetWriteOptions = {},
  format: PartFileFormat = parquetPartFormat(options),
): Promise<string[]> {
  if (partitionBy.length === 0) {
    const path = join(dir, partFileName(taskId, format));
    await format.write(path, schema, batches);
    return [path];
  }
  checkPartitionColumns(schema, partitionBy, 'partitionBy()');
  const partIdx = partitionBy.map((c) => resolveFieldIndex(schema, c, null));
  const dataIdx = schema.fields.map((_, i) => i).filter((i) => !partIdx.includes(i));
  const dataSchema = schemaOf(dataIdx.map((i) => schema.fields[i] as (typeof schema.fields)[number]));
  const groups = new Map<string, ColumnarBatch[]>();
  for (const b of batches) {
    if (b.numRows === 0) continue;
    const rowsByKey = new Map<string, number[]>();
    for (let r = 0; r < b.numRows; r++) {
      let key = '';
      for (let k = 0; k < partIdx.length; k++) {
        const c = schema.fields[partIdx[k] as number]?.name as string;
        key += `${k > 0 ? '/' : ''}${escapePathName(c)}=${escapePathName(partitionText(b.columns[partIdx[k] as number] as ColumnVector, r))}`;
      }
      const rows = rowsByKey.get(key);
      if (rows) rows.push(r);
      else rowsByKey.set(key, [r]);
    }
    for (const [key, rows] of rowsByKey) {
      const g = gatherBatch(b, Int32Array.from(rows));
      const projected = makeBatch(
        dataSchema,
        dataIdx.map((i) => g.columns[i] as ColumnVector),
        g.numRows,
      );
      const list = groups.get(key);
      if (list) list.push(projected);
      else groups.set(key, [projected]);
    }
  }
  const written: string[] = [];
  for (const key of [...groups.keys()].sort()) {
    const path = join(dir, ...key.split('/'), partFileName(taskId, format));
    await format.write(path, dataSchema, groups.get(key) as ColumnarBatch[]);
    written.push(path);
  }
  return written;
}
