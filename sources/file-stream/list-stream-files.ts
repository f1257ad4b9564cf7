import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SluiceError } from '../../common/errors.js';
import type { FileEntry } from '../../dataframe/plan/logical-plan.js';
import { committedFileEntries } from '../../common/log/committed-files.js';
import { hasGlob } from '../file/glob-pattern.js';
import { listFiles } from '../file/list-files.js';

/**
 * Lists the files a streaming file source may take now. A folder written by the Parquet
 * stream sink (it has `_sluice_metadata/`) lists only its committed files, as Spark's file
 * source reads `_spark_metadata`. A path that matches nothing (yet) lists as empty: files
 * may still arrive.
 */
export async function listStreamFiles(path: string): Promise<FileEntry[]> {
  if (!hasGlob(path)) {
    const s = await stat(resolve(path)).catch(() => null);
    if (s === null) return [];
    if (s.isDirectory()) {
      const committed = await committedFileEntries(resolve(path));
      if (committed !== null) return committed;
    }
  }
  try {
    return await listFiles(path);
  } catch (e) {
    if (e instanceof SluiceError && e.code === 'FILE_NOT_FOUND') return [];
    throw e;
  }
}
