import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeBatch } from '../../common/columnar-batch.js';
import { types } from '../../common/data-type.js';
import type { Schema } from '../../common/schema.js';
import { field, schemaOf } from '../../common/schema.js';
import type { JsValue } from '../../common/vector-from-values.js';
import { vectorFromValues } from '../../common/vector-from-values.js';
import type { FileFormat } from '../../dataframe/plan/logical-plan.js';
import { writeParquetFile } from '../../sinks/file/parquet-writer.js';

/** The schema of the files connector tests write: id bigint, name string (nullable). */
export const PEOPLE: Schema = schemaOf([field('id', types.int64, true), field('name', types.utf8, true)]);

/** A fresh temporary folder. */
export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `sluice-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Writes rows of {@link PEOPLE} as one file of `format` and sets its modification time to
 * `mtimeMs` (so tests control the order files are taken in). Returns the path.
 */
export async function writePeopleFile(
  dir: string,
  name: string,
  format: FileFormat,
  rows: readonly (readonly [number, string | null])[],
  mtimeMs: number,
): Promise<string> {
  const path = join(dir, `${name}.${format}`);
  await mkdir(dir, { recursive: true });
  if (format === 'parquet') {
    const columns = [
      vectorFromValues(
        types.int64,
        rows.map((r) => BigInt(r[0])),
      ),
      vectorFromValues(
        types.utf8,
        rows.map((r) => r[1]),
      ),
    ];
    await writeParquetFile(path, PEOPLE, [makeBatch(PEOPLE, columns, rows.length)]);
  } else if (format === 'csv') {
    await writeFile(path, `id,name\n${rows.map((r) => `${r[0]},${r[1] ?? ''}`).join('\n')}\n`);
  } else {
    await writeFile(path, rows.map((r) => JSON.stringify({ id: r[0], name: r[1] })).join('\n') + '\n');
  }
  await utimes(path, mtimeMs / 1000, mtimeMs / 1000);
  return path;
}

/** Expected rows of {@link PEOPLE} as read back (ids as bigint). */
export function peopleRows(rows: readonly (readonly [number, string | null])[]): JsValue[][] {
  return rows.map((r) => [BigInt(r[0]), r[1]]);
}
