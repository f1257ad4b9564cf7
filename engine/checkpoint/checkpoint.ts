import { randomUUID } from 'node:crypto';
import { SluiceError } from '../../common/errors.js';
import { checkpointCorrupt } from '../../common/log/checkpoint-errors.js';
import { fileSystemError } from '../../common/log/file-system-error.js';
import { CheckpointLayout } from './checkpoint-layout.js';
import type { LockOptions } from './checkpoint-lock.js';
import { CheckpointLock } from './checkpoint-lock.js';
import { CommitLog } from './commit-log.js';
import type { FileManager } from '../../common/log/file-manager.js';
import { asObject } from '../../common/log/json-fields.js';
import { OffsetLog } from './offset-log.js';

/** Options of {@link Checkpoint.open}. */
export interface CheckpointOpenOptions {
  /** Query id for a new checkpoint (default: a random UUID); an existing checkpoint keeps its own. */
  readonly queryId?: string;
  /** Lock identity and liveness check (defaults: this process). */
  readonly lock?: LockOptions;
}

/**
 * An open checkpoint directory of one streaming query: its id, its offset and commit
 * logs, and the lock that keeps a second query out until {@link close}.
 */
export class Checkpoint {
  private constructor(
    readonly layout: CheckpointLayout,
    /** The query id, stable across restarts. */
    readonly queryId: string,
    readonly offsetLog: OffsetLog,
    readonly commitLog: CommitLog,
    readonly lock: CheckpointLock,
  ) {}

  /**
   * Opens the checkpoint at `root`, creating it (with its `metadata` file and folders) when
   * missing. Throws CHECKPOINT_LOCKED when a live query holds it, CHECKPOINT_CORRUPT when
   * its metadata file is unreadable, and IO_ERROR naming the location and the fix when the
   * folder cannot be created or written (permission denied, read-only disk, a file where the
   * folder should be).
   */
  static async open(fileManager: FileManager, root: string, options: CheckpointOpenOptions = {}): Promise<Checkpoint> {
    try {
      return await Checkpoint.openUnchecked(fileManager, root, options);
    } catch (e) {
      throw checkpointIoError(root, e);
    }
  }

  private static async openUnchecked(fileManager: FileManager, root: string, options: CheckpointOpenOptions): Promise<Checkpoint> {
    const layout = new CheckpointLayout(root);
    await fileManager.mkdirs(root);
    const lock = await CheckpointLock.acquire(fileManager, layout.lockPath, options.lock);
    try {
      await removeLeftoverTempFiles(fileManager, layout);
      const queryId = await readOrCreateQueryId(fileManager, layout.metadataPath, options.queryId ?? randomUUID());
      for (const dir of [layout.offsetsDir, layout.commitsDir, layout.sourcesDir, layout.stateDir]) await fileManager.mkdirs(dir);
      return new Checkpoint(layout, queryId, new OffsetLog(fileManager, layout.offsetsDir), new CommitLog(fileManager, layout.commitsDir), lock);
    } catch (e) {
      await lock.release();
      throw e;
    }
  }

  /** Releases the lock. The logs must not be written afterwards. */
  async close(): Promise<void> {
    await this.lock.release();
  }
}

const SYSCALL_OPS: Readonly<Record<string, string>> = { mkdir: 'create folder', open: 'write', scandir: 'list folder', stat: 'look up', unlink: 'delete' };

/** Temp files in the checkpoint's top folder younger than this are kept: they may be another process's lock attempt in progress. */
export const LOCK_ATTEMPT_GRACE_MS = 60_000;

/**
 * Deletes the temp files that writers killed in the middle of an atomic write left in the
 * checkpoint (`.<name>.<random>.sluice-tmp`). Runs while this query holds the lock, so no
 * live writer can own a temp file below `offsets/`, `commits/`, `sources/` or `state/`: only
 * the lock holder writes there (and its own state threads start later). In the top folder
 * other processes may be trying to take the lock at this moment (their temp file lives for
 * milliseconds before it is published as `lock`), so only temp files older than
 * {@link LOCK_ATTEMPT_GRACE_MS} are deleted there.
 */
async function removeLeftoverTempFiles(fileManager: FileManager, layout: CheckpointLayout): Promise<void> {
  if (fileManager.removeTempFiles === undefined) return;
  await fileManager.removeTempFiles(layout.root, { olderThanMs: LOCK_ATTEMPT_GRACE_MS });
  for (const dir of [layout.offsetsDir, layout.commitsDir, layout.sourcesDir, layout.stateDir]) await fileManager.removeTempFiles(dir, { recursive: true });
}

/** IO_ERROR saying the checkpoint location is unusable and how to fix it; other errors pass through. */
function checkpointIoError(root: string, e: unknown): unknown {
  const { path, syscall } = (e ?? {}) as { path?: unknown; syscall?: unknown };
  const op = typeof syscall === 'string' ? (SYSCALL_OPS[syscall] ?? syscall) : 'access';
  const inner = fileSystemError(op, typeof path === 'string' ? path : root, e);
  if (!(inner instanceof SluiceError) || inner.code !== 'IO_ERROR') return inner;
  return new SluiceError(
    'IO_ERROR',
    `Cannot use checkpoint location '${root}': ${inner.message} A checkpoint location must be a folder this process can create and write; ` +
      `fix that, or start the query with another writeStream.option('checkpointLocation', ...).`,
    { domain: 'external', cause: inner },
  );
}

async function readOrCreateQueryId(fileManager: FileManager, path: string, fresh: string): Promise<string> {
  if (await fileManager.writeAtomic(path, `${JSON.stringify({ id: fresh })}\n`, { overwrite: false })) return fresh;
  const wayOut = `Write it back as {"id": "<query id>"}, or start the query with a new checkpoint location.`;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(await fileManager.readFile(path)));
  } catch (e) {
    throw checkpointCorrupt(path, 'its JSON does not parse', wayOut, e);
  }
  const id = asObject(json)?.id;
  if (typeof id !== 'string' || id.length === 0) throw checkpointCorrupt(path, 'it has no string "id"', wayOut);
  return id;
}
