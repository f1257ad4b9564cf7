import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommitLog } from '../../../../engine/checkpoint/commit-log.js';
import { LocalFileManager } from '../../../../common/log/local-file-manager.js';

/** A local file manager that counts directory listings. */
class CountingFileManager extends LocalFileManager {
  lists = 0;
  override async list(d: string): Promise<string[]> {
    this.lists++;
    return super.list(d);
  }
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-purge-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function onDisk(d: string): Promise<number[]> {
  return (await readdir(d)).map(Number).sort((a, b) => a - b);
}

describe('FileMetadataLog.purge', () => {
  it('lists the directory once, then deletes the entries that fell out of the window by id', async () => {
    const fm = new CountingFileManager();
    const commits = join(dir, 'commits');
    const log = new CommitLog(fm, commits);
    for (let n = 0; n < 6; n++) await log.add(n, { nextBatchWatermarkMs: n });
    await log.purge(2);
    expect(fm.lists).toBe(1);
    expect(await onDisk(commits)).toEqual([2, 3, 4, 5]);
    // A running query: one more batch, threshold one higher, no listing.
    await log.add(6, { nextBatchWatermarkMs: 6 });
    await log.purge(3);
    await log.add(7, { nextBatchWatermarkMs: 7 });
    await log.purge(5);
    expect(fm.lists).toBe(1);
    expect(await onDisk(commits)).toEqual([5, 6, 7]);
    // A threshold at or below the purged one deletes nothing.
    await log.purge(4);
    await log.purge(0);
    expect(fm.lists).toBe(1);
    expect(await onDisk(commits)).toEqual([5, 6, 7]);
    expect(await log.list()).toEqual([5, 6, 7]);
  });

  it('lists again after an entry is added below the purged threshold', async () => {
    const fm = new CountingFileManager();
    const commits = join(dir, 'commits');
    const log = new CommitLog(fm, commits);
    for (const n of [3, 4, 5]) await log.add(n, { nextBatchWatermarkMs: n });
    await log.purge(4);
    expect(await onDisk(commits)).toEqual([4, 5]);
    await log.add(1, { nextBatchWatermarkMs: 1 });
    await log.purge(5);
    expect(fm.lists).toBe(2);
    expect(await onDisk(commits)).toEqual([5]);
  });

  it('lists again when the threshold jumps far ahead', async () => {
    const fm = new CountingFileManager();
    const commits = join(dir, 'commits');
    const log = new CommitLog(fm, commits);
    for (const n of [0, 1, 500, 501]) await log.add(n, { nextBatchWatermarkMs: n });
    await log.purge(1);
    expect(await onDisk(commits)).toEqual([1, 500, 501]);
    await log.purge(501);
    expect(fm.lists).toBe(2);
    expect(await onDisk(commits)).toEqual([501]);
  });

  it('purges an empty or missing log without error', async () => {
    const fm = new CountingFileManager();
    const log = new CommitLog(fm, join(dir, 'missing'));
    await log.purge(3);
    await log.purge(4);
    expect(await log.list()).toEqual([]);
  });
});
