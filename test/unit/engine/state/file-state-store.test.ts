import { mkdtemp, readdir, rm, stat, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FaultInjectingFileManager } from '../../../../common/log/fault-injecting-file-manager.js';
import { LocalFileManager } from '../../../../common/log/local-file-manager.js';
import type { FileStateStoreProviderOptions } from '../../../../engine/state/file-state-store-provider.js';
import { FileStateStoreProvider } from '../../../../engine/state/file-state-store-provider.js';
import { contents, keys, keySchema, rowsOf, values, valueSchema } from './state-test-data.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-state-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const provider = (extra: Partial<FileStateStoreProviderOptions> = {}): FileStateStoreProvider =>
  new FileStateStoreProvider({ fileManager: new LocalFileManager(), dir, id: { operatorId: 0, partitionId: 1 }, keySchema, valueSchema, ...extra });

describe('FileStateStore', () => {
  it('puts, gets and removes across versions; each version sees what was committed at it', async () => {
    const p = provider();
    const s0 = await p.getStore(0);
    expect(s0.numKeys).toBe(0);
    s0.putBatch(
      keys([
        ['a', 1],
        ['b', 2],
        [null, null],
        ['a', 1],
      ]),
      values([
        [1, 1.5],
        [2, 2.5],
        [3, null],
        [4, 4.5],
      ]),
    );
    expect(s0.numKeys).toBe(3);
    const got = s0.getBatch(
      keys([
        ['a', 1],
        ['zz', 9],
        [null, null],
        ['b', 3],
      ]),
    );
    expect(Array.from(got.found)).toEqual([1, 0, 1, 0]);
    expect(rowsOf(got.values)).toEqual([
      [4n, 4.5],
      [null, null],
      [3n, null],
      [null, null],
    ]);
    expect(await s0.commit()).toBe(1);

    const s1 = await p.getStore(1);
    s1.removeBatch(
      keys([
        ['a', 1],
        ['nope', 0],
      ]),
    );
    s1.putBatch(
      keys([
        ['c', 3],
        ['b', 2],
      ]),
      values([
        [30, 3],
        [20, 2],
      ]),
    );
    s1.removeBatch(keys([['c', 3]]));
    expect(contents(s1)).toEqual(['b|2=20|2', '|=3|']);
    expect(s1.metrics()).toMatchObject({ numKeys: 2, numKeysUpdated: 2, numKeysRemoved: 2 });
    expect(await s1.commit()).toBe(2);

    const s2 = await p.getStore(2);
    s2.putBatch(keys([['d', 4]]), values([[1, 1]]));
    s2.abort();
    expect(() => s2.putBatch(keys([['d', 4]]), values([[1, 1]]))).toThrow(/already aborted/);

    // Reloading from files gives the same versions as memory.
    const fresh = provider();
    expect(contents(await fresh.getStore(2))).toEqual(['b|2=20|2', '|=3|']);
    await fresh.close();
    const again = provider();
    const v1 = await again.getStore(1);
    expect(contents(v1)).toEqual(['a|1=4|4.5', 'b|2=2|2.5', '|=3|']);
    expect(v1.metrics().numKeys).toBe(3);
    v1.abort();
    expect(contents(await again.getStore(0))).toEqual([]);
    await p.close();
  });

  it('allows one open store per provider', async () => {
    const p = provider();
    const s = await p.getStore(0);
    await expect(p.getStore(0)).rejects.toThrow(/already has an open version/);
    s.abort();
    (await p.getStore(0)).abort();
  });

  it('writes deltas proportional to the changed keys', async () => {
    const p = provider({ snapshotInterval: 1000 });
    const s0 = await p.getStore(0);
    const many = Array.from({ length: 500 }, (_, i): [string, number] => [`user-${i}`, i]);
    s0.putBatch(keys(many), values(many.map(([, i]) => [i, i])));
    await s0.commit();
    const s1 = await p.getStore(1);
    s1.putBatch(
      keys([
        ['user-7', 7],
        ['new', 1],
      ]),
      values([
        [70, 7],
        [1, 1],
      ]),
    );
    s1.removeBatch(keys([['user-8', 8]]));
    await s1.commit();
    // Header 36 + CRC 4; a put record is 9 + key + value bytes, a remove 5 + key bytes.
    // Key row: 2 validity bytes + 4 (utf8 length) + 8 (bucket) + the string; value row: 2 + 8 + 8.
    const keyBytes = (user: string): number => 14 + user.length;
    const expected = 40 + (9 + keyBytes('user-7') + 18) + (9 + keyBytes('new') + 18) + (5 + keyBytes('user-8'));
    expect((await stat(join(dir, '2.delta'))).size).toBe(expected);
    expect((await stat(join(dir, '1.delta'))).size).toBe(40 + many.reduce((s, [u]) => s + 9 + keyBytes(u) + 18, 0));
  });

  it('writes snapshots in the background and loads from snapshot plus deltas', async () => {
    const p = provider({ snapshotInterval: 3, minVersionsToRetain: 100 });
    for (let v = 0; v < 7; v++) {
      const s = await p.getStore(v);
      s.putBatch(
        keys([
          [`k${v}`, v],
          ['shared', 0],
        ]),
        values([
          [v, v],
          [v, v / 2],
        ]),
      );
      if (v > 0) s.removeBatch(keys([[`k${v - 1}`, v - 1]]));
      expect(await s.commit()).toBe(v + 1);
    }
    await p.whenIdle();
    const names = (await readdir(dir)).sort();
    expect(names.filter((n) => n.endsWith('.snapshot'))).toEqual(['3.snapshot', '6.snapshot']);
    expect(names.filter((n) => n.endsWith('.delta')).length).toBe(7);
    const inMemory = contents(await p.getStore(7));
    expect(inMemory).toEqual(['k6|6=6|6', 'shared|0=6|3']);
    // Without the deltas before the snapshot the state still loads.
    for (const v of [1, 2, 3, 4, 5, 6]) await rm(join(dir, `${v}.delta`));
    expect(contents(await provider().getStore(7))).toEqual(inMemory);
    expect(contents(await provider().getStore(6))).toEqual(['k5|5=5|5', 'shared|0=5|2.5']);
  });

  it('purges files no longer needed to load the newest minVersionsToRetain versions', async () => {
    const p = provider({ snapshotInterval: 2, minVersionsToRetain: 3 });
    for (let v = 0; v < 9; v++) {
      const s = await p.getStore(v);
      s.putBatch(keys([[`k${v}`, v]]), values([[v, v]]));
      await s.commit();
      await p.whenIdle();
    }
    const names = (await readdir(dir)).sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
    // Versions 7..9 must load: the newest snapshot <= 7 is 6; everything older goes.
    expect(names).toEqual(['6.snapshot', '7.delta', '8.delta', '8.snapshot', '9.delta']);
    for (const v of [7, 8, 9]) expect(contents(await provider().getStore(v)).length).toBe(v);
  });

  it('a re-run commit replaces the version and drops files of the abandoned run', async () => {
    const p = provider({ snapshotInterval: 2 });
    for (let v = 0; v < 4; v++) {
      const s = await p.getStore(v);
      s.putBatch(keys([[`k${v}`, v]]), values([[v, v]]));
      await s.commit();
    }
    await p.whenIdle();
    const restarted = provider({ snapshotInterval: 2 });
    const s = await restarted.getStore(1);
    s.putBatch(keys([['other', 1]]), values([[9, 9]]));
    await s.commit();
    expect((await readdir(dir)).sort()).toEqual(['1.delta', '2.delta']);
    expect(contents(await provider().getStore(2))).toEqual(['k0|0=0|0', 'other|1=9|9']);
  });

  it('reports truncated, corrupt, missing and foreign state files as CHECKPOINT_CORRUPT naming the file', async () => {
    const p = provider({ snapshotInterval: 100 });
    for (let v = 0; v < 3; v++) {
      const s = await p.getStore(v);
      s.putBatch(keys([[`k${v}`, v]]), values([[v, v]]));
      await s.commit();
    }
    const path = join(dir, '2.delta');
    const good = await readFile(path);
    const bad: [Uint8Array, RegExp][] = [
      [good.subarray(0, good.length - 3), /truncated/],
      [good.subarray(0, 10), /truncated/],
      [Uint8Array.from(good).fill(7, 40, 42), /checksum/],
      [new TextEncoder().encode('v1\n{"hello": 1}\n'.repeat(4)), /not a Sluice state file/],
    ];
    for (const [bytes, problem] of bad) {
      await writeFile(path, bytes);
      const err = await provider()
        .getStore(3)
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'CHECKPOINT_CORRUPT', message: expect.stringContaining(path) });
      expect((err as Error).message).toMatch(problem);
    }
    await rm(path);
    await expect(provider().getStore(3)).rejects.toMatchObject({ code: 'CHECKPOINT_CORRUPT', message: expect.stringContaining('is missing') });
    await writeFile(path, good);
    expect(contents(await provider().getStore(3)).length).toBe(3);
    await expect(provider({ valueSchema: keySchema }).getStore(3)).rejects.toMatchObject({ code: 'INVALID_PLAN' });
  });

  it('a failed delta write leaves the version uncommitted and the store abortable', async () => {
    const fm = new FaultInjectingFileManager();
    const p = new FileStateStoreProvider({ fileManager: fm, dir, id: { operatorId: 0, partitionId: 0 }, keySchema, valueSchema });
    const s0 = await p.getStore(0);
    s0.putBatch(keys([['a', 1]]), values([[1, 1]]));
    fm.inject({ at: { op: 'writeAtomic', step: 'synced' } });
    await expect(s0.commit()).rejects.toThrow(/Injected crash/);
    s0.abort();
    expect(contents(await p.getStore(0))).toEqual([]);
  });
});
