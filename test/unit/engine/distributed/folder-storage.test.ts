import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FolderStorage } from '../../../../engine/distributed/folder-storage.js';

const dirs: string[] = [];
function storage(): FolderStorage {
  const d = mkdtempSync(join(tmpdir(), 'sluice-shared-'));
  dirs.push(d);
  return new FolderStorage(d);
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('FolderStorage (shared storage on a folder)', () => {
  it('put/get/list/delete by slash-separated keys, leaving no temporary files', async () => {
    const s = storage();
    await s.put('results/a-1', Buffer.from('one'));
    await s.put('results/a-2', Buffer.from('two'));
    await s.put('results/a-1', Buffer.from('uno'));
    await s.put('state/0/1.delta', Buffer.from('d'));
    expect((await s.get('results/a-1'))?.toString()).toBe('uno');
    expect(await s.get('results/none')).toBeNull();
    expect(await s.list('results/')).toEqual(['results/a-1', 'results/a-2']);
    expect(await s.list('')).toEqual(['results/a-1', 'results/a-2', 'state/0/1.delta']);
    await s.delete('results/a-1');
    await s.delete('results/a-1');
    expect(await s.list('results/')).toEqual(['results/a-2']);
    expect(readdirSync(join(s.location, 'results'))).toEqual(['a-2']);
  });

  it('putIfAbsent creates a key once: of racing writers exactly one wins and its bytes stay', async () => {
    const s = storage();
    const wins = await Promise.all(Array.from({ length: 8 }, (_, i) => s.putIfAbsent('commits/7', Buffer.from(`writer ${i}`))));
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect((await s.get('commits/7'))?.toString()).toBe(`writer ${wins.indexOf(true)}`);
    expect(await s.list('commits/')).toEqual(['commits/7']);
  });

  it('rejects keys that would leave the folder', async () => {
    const s = storage();
    await expect(s.put('../x', Buffer.from('x'))).rejects.toThrow(/not a relative path/);
    await expect(s.get('a//b')).rejects.toThrow(/not a relative path/);
  });
});
