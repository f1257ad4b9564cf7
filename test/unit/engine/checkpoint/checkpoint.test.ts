import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SluiceError } from '../../../../common/errors.js';
import { Checkpoint } from '../../../../engine/checkpoint/checkpoint.js';
import { CheckpointLock } from '../../../../engine/checkpoint/checkpoint-lock.js';
import { LocalFileManager } from '../../../../common/log/local-file-manager.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-ckpt-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fm = new LocalFileManager();

/** A Node.js-shaped errno error, as fs throws it. */
function errnoError(code: string, syscall: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${syscall} failed, ${syscall} '${path}'`), { code, errno: -13, syscall, path });
}

describe('Checkpoint locations that cannot be used give IO_ERROR naming the location and the fix', () => {
  it('a file where the checkpoint folder should be (real file-system error)', async () => {
    const root = join(dir, 'is-a-file');
    await writeFile(root, 'not a folder');
    const e = await Checkpoint.open(fm, root).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SluiceError);
    expect(e).toMatchObject({ code: 'IO_ERROR', domain: 'external' });
    const m = (e as SluiceError).message;
    expect(m).toContain(`Cannot use checkpoint location '${root}'`);
    expect(m).toContain('a file exists where a folder is expected (EEXIST)');
    expect(m).toContain("writeStream.option('checkpointLocation'");
    expect(await readFile(root, 'utf8')).toBe('not a folder');
  });

  it('a checkpoint folder below a file (ENOTDIR)', async () => {
    await writeFile(join(dir, 'f'), '');
    const root = join(dir, 'f', 'ckpt');
    await expect(Checkpoint.open(fm, root)).rejects.toMatchObject({
      code: 'IO_ERROR',
      message: expect.stringContaining('part of the path is a file, where a folder is expected (ENOTDIR)'),
    });
  });

  // Tests run as root here, and root may write read-only folders, so a chmod cannot produce
  // EACCES: a file manager that fails like a read-only folder does stands in for it.
  it('a read-only checkpoint folder: EACCES from the file manager', async () => {
    const root = join(dir, 'read-only');
    class ReadOnlyFileManager extends LocalFileManager {
      override async mkdirs(path: string): Promise<void> {
        if (await this.exists(path)) return;
        throw errnoError('EACCES', 'mkdir', path);
      }
      override async writeAtomic(path: string): Promise<boolean> {
        throw errnoError('EACCES', 'open', path);
      }
    }
    const readOnly = new ReadOnlyFileManager();
    const missing = await Checkpoint.open(readOnly, root).catch((x: unknown) => x);
    expect(missing).toMatchObject({ code: 'IO_ERROR' });
    expect((missing as SluiceError).message).toContain(`Cannot use checkpoint location '${root}': Cannot create folder '${root}': permission denied (EACCES)`);
    await fm.mkdirs(root);
    const e = await Checkpoint.open(readOnly, root).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'IO_ERROR' });
    expect((e as SluiceError).message).toContain(`'${join(root, 'lock')}': permission denied (EACCES)`);
    expect((e as SluiceError).message).toContain('writable by the user running Sluice');
  });

  it.runIf(process.getuid?.() !== 0)('a read-only checkpoint folder (chmod; only when not running as root)', async () => {
    const root = join(dir, 'ro');
    await fm.mkdirs(root);
    await chmod(root, 0o555);
    try {
      await expect(Checkpoint.open(fm, root)).rejects.toMatchObject({ code: 'IO_ERROR', message: expect.stringContaining('permission denied (EACCES)') });
    } finally {
      await chmod(root, 0o755);
    }
  });
});

describe('Checkpoint', () => {
  it('creates the layout and keeps the query id across restarts', async () => {
    const root = join(dir, 'q');
    const first = await Checkpoint.open(fm, root, { queryId: 'query-1' });
    expect(first.queryId).toBe('query-1');
    expect(await fm.list(root)).toEqual(['commits', 'lock', 'metadata', 'offsets', 'sources', 'state']);
    expect(JSON.parse(await readFile(join(root, 'metadata'), 'utf8'))).toEqual({ id: 'query-1' });
    expect(first.layout.sourceDir(2)).toBe(join(root, 'sources', '2'));
    expect(first.layout.stateStoreDir(1, 3)).toBe(join(root, 'state', '1', '3'));
    expect(first.layout.stateStoreDir(1, 3, 'left-keys')).toBe(join(root, 'state', '1', '3', 'left-keys'));
    await first.offsetLog.add(0, { batchWatermarkMs: 0, batchTimestampMs: 1, conf: {}, offsets: ['0'] });
    await first.close();
    expect(await fm.exists(join(root, 'lock'))).toBe(false);

    const second = await Checkpoint.open(fm, root, { queryId: 'ignored' });
    expect(second.queryId).toBe('query-1');
    expect(await second.offsetLog.list()).toEqual([0]);
    await second.close();
  });

  it('generates a query id for a new checkpoint', async () => {
    const c = await Checkpoint.open(fm, join(dir, 'q'));
    expect(c.queryId).toMatch(/^[0-9a-f-]{36}$/);
    await c.close();
  });

  it('reports an unreadable metadata file as CHECKPOINT_CORRUPT and releases the lock', async () => {
    const root = join(dir, 'q');
    await fm.mkdirs(root);
    await writeFile(join(root, 'metadata'), '{"id": ');
    await expect(Checkpoint.open(fm, root)).rejects.toMatchObject({ code: 'CHECKPOINT_CORRUPT', message: expect.stringContaining(join(root, 'metadata')) });
    expect(await fm.exists(join(root, 'lock'))).toBe(false);
  });

  it('refuses a second query on a locked checkpoint, naming the owner', async () => {
    const root = join(dir, 'q');
    const first = await Checkpoint.open(fm, root, { lock: { pid: 4242, host: 'node-a', isProcessAlive: () => true } });
    await expect(Checkpoint.open(fm, root, { lock: { pid: 777, host: 'node-a', isProcessAlive: () => true } })).rejects.toMatchObject({
      code: 'CHECKPOINT_LOCKED',
      message: expect.stringMatching(/process 4242 on host 'node-a'/),
    });
    // The same process opening it twice is refused too.
    await expect(Checkpoint.open(fm, root)).rejects.toMatchObject({ code: 'CHECKPOINT_LOCKED' });
    await first.close();
    const again = await Checkpoint.open(fm, root);
    await again.close();
  });

  it('takes over a lock whose process is dead on this host', async () => {
    const root = join(dir, 'q');
    const dead = await Checkpoint.open(fm, root, { lock: { pid: 999_999, host: 'me' } });
    expect(dead.lock.owner.pid).toBe(999_999);
    const alive = new Set([process.pid]);
    const taker = await Checkpoint.open(fm, root, { lock: { host: 'me', isProcessAlive: (pid) => alive.has(pid) } });
    expect(taker.lock.owner.pid).toBe(process.pid);
    expect(JSON.parse(await readFile(join(root, 'lock'), 'utf8')).token).toBe(taker.lock.owner.token);
    expect(await fm.list(root)).not.toContainEqual(expect.stringContaining('stale'));
    // The old holder's release must not remove the new holder's lock.
    await dead.close();
    expect(await fm.exists(join(root, 'lock'))).toBe(true);
    await taker.close();
    expect(await fm.exists(join(root, 'lock'))).toBe(false);
  });

  it('does not take over a lock held from another host', async () => {
    const path = join(dir, 'lock');
    await CheckpointLock.acquire(fm, path, { pid: 1, host: 'other-host' });
    await expect(CheckpointLock.acquire(fm, path, { host: 'this-host', isProcessAlive: () => false })).rejects.toMatchObject({
      code: 'CHECKPOINT_LOCKED',
      message: expect.stringContaining("process 1 on host 'other-host'"),
    });
  });

  it('uses the real process table by default: a dead pid on this host is stale', async () => {
    const path = join(dir, 'lock');
    await CheckpointLock.acquire(fm, path, { pid: 2 ** 22 + 12345 });
    const lock = await CheckpointLock.acquire(fm, path);
    expect(lock.owner.pid).toBe(process.pid);
    await lock.release();
  });
});
