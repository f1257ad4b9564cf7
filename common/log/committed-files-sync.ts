import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { FileEntry } from '../file-entry.js';
import { parseSinkLogFile, parseSinkLogName, SINK_LOG_DIR } from './file-sink-log.js';

/**
 * {@link committedFileEntries} read synchronously, for `sluice.table(name)` (which returns
 * a DataFrame at once): the files a file stream sink committed into `dir` as of the newest
 * log entry (the newest compact file plus the entries after it), absolute paths; null when
 * `dir` has no sink log. A log file purged by a writer between listing and reading makes
 * it list once more. Throws CHECKPOINT_CORRUPT naming a damaged log file.
 */
export function committedFileEntriesSync(dir: string): FileEntry[] | null {
  try {
    return readOnce(resolve(dir));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return readOnce(resolve(dir));
    throw e;
  }
}

function readOnce(root: string): FileEntry[] | null {
  const logDir = join(root, SINK_LOG_DIR);
  if (!existsSync(logDir)) return null;
  const names = readdirSync(logDir)
    .map(parseSinkLogName)
    .filter((n) => n !== null)
    .sort((a, b) => a.batchId - b.batchId);
  let from = 0;
  for (let i = names.length - 1; i >= 0; i--) {
    if (names[i]?.compact) {
      from = i;
      break;
    }
  }
  const out: FileEntry[] = [];
  for (const n of names.slice(from)) {
    const path = join(logDir, n.compact ? `${n.batchId}.compact` : String(n.batchId));
    for (const f of parseSinkLogFile(path, readFileSync(path), n.batchId, logDir))
      out.push({ path: isAbsolute(f.path) ? f.path : join(root, f.path), size: f.size, mtimeMs: f.mtimeMs });
  }
  return out;
}
