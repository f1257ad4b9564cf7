import { renameSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes `rows` (already formatted `k,v` lines) under a `k,v` header as `inDir/name`, atomically
 * (a hidden temp file renamed into place), so a file-stream source never sees half a file.
 * `mtimeMs` sets the file's modification time when given.
 */
export function writeKvCsv(inDir: string, name: string, rows: readonly string[], mtimeMs?: number): void {
  const tmp = join(inDir, `.${name}.tmp`);
  writeFileSync(tmp, `k,v\n${rows.join('\n')}\n`);
  if (mtimeMs !== undefined) utimesSync(tmp, mtimeMs / 1000, mtimeMs / 1000);
  renameSync(tmp, join(inDir, name));
}
