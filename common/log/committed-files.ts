import { isAbsolute, join, resolve } from 'node:path';
import { SluiceError } from '../errors.js';
import type { FileEntry } from '../file-entry.js';
import type { FileManager } from './file-manager.js';
import { LocalFileManager } from './local-file-manager.js';
import { FileSinkLog } from './file-sink-log.js';

async function logFiles(dir: string, fileManager: FileManager): Promise<FileEntry[] | null> {
  const log = new FileSinkLog(fileManager, dir);
  try {
    return await log.allFiles();
  } catch (e) {
    // A writer may purge old log files between our listing and reading: list again once.
    if (e instanceof SluiceError && e.code === 'FILE_NOT_FOUND') return log.allFiles();
    throw e;
  }
}

/**
 * The files a Parquet stream sink committed into `dir` (absolute paths, sizes and mtimes
 * as logged, in commit order), or null when `dir` has no `_sluice_metadata/` log. Readers
 * of a sink's output folder use this list instead of listing the folder, so part files of
 * a batch that crashed before its commit are never read. Throws CHECKPOINT_CORRUPT naming
 * the log file when one cannot be read.
 */
export async function committedFileEntries(dir: string, fileManager: FileManager = new LocalFileManager()): Promise<FileEntry[] | null> {
  const root = resolve(dir);
  const files = await logFiles(root, fileManager);
  if (files === null) return null;
  return files.map((f) => ({ path: isAbsolute(f.path) ? f.path : join(root, f.path), size: f.size, mtimeMs: f.mtimeMs }));
}

/** The absolute paths of {@link committedFileEntries}; null when `dir` has no `_sluice_metadata/` log. */
export async function committedFiles(dir: string, fileManager?: FileManager): Promise<string[] | null> {
  const entries = await committedFileEntries(dir, fileManager);
  return entries === null ? null : entries.map((f) => f.path);
}
