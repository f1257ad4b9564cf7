import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FaultInjectingFileManager, InjectedFault } from '../../../../common/log/fault-injecting-file-manager.js';
import type { AtomicWriteStep } from '../../../../common/log/local-file-manager.js';
import { LocalFileManager } from '../../../../common/log/local-file-manager.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-fm-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('LocalFileManager', () => {
  it('writes, lists, reads, renames and deletes', async () => {
    const fm = new LocalFileManager();
    expect(await fm.list(join(dir, 'missing'))).toEqual([]);
    await fm.mkdirs(join(dir, 'a', 'b'));
    expect(await fm.writeAtomic(join(dir, 'a', 'b', 'x'), 'hello')).toBe(true);
    expect(await fm.writeAtomic(join(dir, 'a', 'b', 'x'), 'again')).toBe(true);
    expect(text(await fm.readFile(join(dir, 'a', 'b', 'x')))).toBe('again');
    expect(await fm.writeAtomic(join(dir, 'a', 'b', 'x'), 'no', { overwrite: false })).toBe(false);
    expect(text(await fm.readFile(join(dir, 'a', 'b', 'x')))).toBe('again');
    await fm.writeAtomic(join(dir, 'a', 'b', 'y'), new Uint8Array([1, 2, 3]));
    expect(await fm.list(join(dir, 'a', 'b'))).toEqual(['x', 'y']);
    await expect(fm.rename(join(dir, 'a', 'b', 'x'), join(dir, 'a', 'b', 'y'))).rejects.toMatchObject({ code: 'PATH_EXISTS' });
    await fm.rename(join(dir, 'a', 'b', 'x'), join(dir, 'a', 'b', 'z'));
    expect(await fm.list(join(dir, 'a', 'b'))).toEqual(['y', 'z']);
    await fm.delete(join(dir, 'a', 'b', 'y'));
    await fm.delete(join(dir, 'a', 'b', 'y'));
    expect(await fm.exists(join(dir, 'a', 'b', 'y'))).toBe(false);
    await expect(fm.readFile(join(dir, 'a', 'b', 'y'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    expect((await readdir(join(dir, 'a', 'b'))).length).toBe(1);
  });
});

describe('atomic write under injected crashes', () => {
  const steps: [AtomicWriteStep, boolean][] = [
    ['opened', false],
    ['written', false],
    ['written', true],
    ['synced', false],
  ];
  for (const [step, torn] of steps) {
    it(`a crash at '${step}'${torn ? ' (torn write)' : ''} leaves the old file and hides the temp file`, async () => {
      const fm = new FaultInjectingFileManager();
      const path = join(dir, 'entry');
      await fm.writeAtomic(path, 'old content');
      fm.inject({ at: { op: 'writeAtomic', step, torn } });
      await expect(fm.writeAtomic(path, 'new content that is longer')).rejects.toBeInstanceOf(InjectedFault);
      expect(fm.fired).toBe(1);
      expect(await readFile(path, 'utf8')).toBe('old content');
      expect(await fm.list(dir)).toEqual(['entry']);
      // The crash left its temp file on disk, invisible to list().
      expect((await readdir(dir)).length).toBe(2);
      await fm.writeAtomic(path, 'after restart');
      expect(await readFile(path, 'utf8')).toBe('after restart');
    });
  }

  it('a crash before the first version exists leaves no file at all', async () => {
    const fm = new FaultInjectingFileManager();
    fm.inject({ at: { op: 'writeAtomic', step: 'written', torn: true }, pathIncludes: 'first' });
    await expect(fm.writeAtomic(join(dir, 'first'), 'x'.repeat(100), { overwrite: false })).rejects.toBeInstanceOf(InjectedFault);
    expect(await fm.exists(join(dir, 'first'))).toBe(false);
    expect(await fm.list(dir)).toEqual([]);
  });

  it('a crash after publishing (before the directory fsync) leaves the complete new file', async () => {
    const fm = new FaultInjectingFileManager();
    const path = join(dir, 'entry');
    fm.inject({ at: { op: 'writeAtomic', step: 'published' } });
    await expect(fm.writeAtomic(path, 'complete', { overwrite: false })).rejects.toBeInstanceOf(InjectedFault);
    expect(await readFile(path, 'utf8')).toBe('complete');
    expect(await readdir(dir)).toEqual(['entry']);
  });

  it('injects failures of other operations, only on matching paths and as many times as asked', async () => {
    const fm = new FaultInjectingFileManager();
    await fm.writeAtomic(join(dir, 'a'), '1');
    await fm.writeAtomic(join(dir, 'b'), '2');
    fm.inject({ at: { op: 'delete' }, pathIncludes: join(dir, 'b'), times: 2 });
    await fm.delete(join(dir, 'a'));
    await expect(fm.delete(join(dir, 'b'))).rejects.toBeInstanceOf(InjectedFault);
    await expect(fm.delete(join(dir, 'b'))).rejects.toBeInstanceOf(InjectedFault);
    await fm.delete(join(dir, 'b'));
    expect(await fm.list(dir)).toEqual([]);
    expect(fm.fired).toBe(2);
  });
});
