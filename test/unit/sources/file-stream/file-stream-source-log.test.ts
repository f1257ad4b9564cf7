import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalFileManager } from '../../../../common/log/local-file-manager.js';
import { FileStreamSourceLog } from '../../../../sources/file-stream/file-stream-source-log.js';
import { tempDir } from '../../../contract/contract-fixtures.js';

/** A LocalFileManager that records the paths it reads. */
class CountingFileManager extends LocalFileManager {
  readonly reads: string[] = [];
  override async readFile(path: string): Promise<Uint8Array> {
    this.reads.push(path);
    return super.readFile(path);
  }
}

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('fssl'));
});
afterEach(async () => cleanup());

const files = Array.from({ length: 10_000 }, (_, i) => ({
  path: `/data/in/part-${String(i).padStart(5, '0')}.parquet`,
  size: 4000 + i,
  mtimeMs: 1_700_000_000_000 + i,
}));

describe('FileStreamSourceLog', () => {
  it('returns an entry it just wrote without reading the file back; another instance reads the same entry from disk', async () => {
    const fm = new CountingFileManager();
    const log = new FileStreamSourceLog(fm, join(dir, 'sources', '0'));
    expect(await log.add(0, { files })).toBe(true);
    expect(await log.get(0)).toEqual({ files });
    expect(fm.reads).toEqual([]);

    const onDisk = await readFile(log.pathOf(0), 'utf8');
    expect(onDisk.startsWith('v1\n')).toBe(true);
    const other = new CountingFileManager();
    const restarted = new FileStreamSourceLog(other, join(dir, 'sources', '0'));
    expect(await restarted.get(0)).toEqual({ files });
    expect(other.reads).toEqual([log.pathOf(0)]);
  });

  it('does not cache an entry it failed to write (another writer owns the id) and reads the winner from disk', async () => {
    const fm = new CountingFileManager();
    const a = new FileStreamSourceLog(fm, join(dir, 'sources', '0'));
    const b = new FileStreamSourceLog(fm, join(dir, 'sources', '0'));
    const first = files.slice(0, 2);
    expect(await a.add(0, { files: first })).toBe(true);
    expect(await b.add(0, { files: files.slice(2, 4) })).toBe(false);
    expect(await b.get(0)).toEqual({ files: first });
  });
});
