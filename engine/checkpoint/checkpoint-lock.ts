import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { SluiceError } from '../../common/errors.js';
import type { FileManager } from '../../common/log/file-manager.js';

/** Who holds a checkpoint lock. */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  /** ISO-8601 time the lock was taken. */
  readonly startedAt: string;
  /** Unique per acquisition, so a takeover can tell one holder from the next. */
  readonly token: string;
}

/** Options of {@link CheckpointLock.acquire}; the defaults describe this process. */
export interface LockOptions {
  readonly pid?: number;
  readonly host?: string;
  /** Current time in ms, for `startedAt`. */
  readonly now?: () => number;
  /** Whether a process id is alive on this host. */
  readonly isProcessAlive?: (pid: number) => boolean;
}

/** True when a process with this id exists on this host. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as { code?: unknown }).code === 'EPERM';
  }
}

function parseOwner(bytes: Uint8Array): LockOwner | undefined {
  try {
    const o = JSON.parse(new TextDecoder().decode(bytes)) as Partial<LockOwner>;
    if (typeof o.pid === 'number' && typeof o.host === 'string' && typeof o.startedAt === 'string' && typeof o.token === 'string') return o as LockOwner;
  } catch {
    // An unreadable lock is reported by the caller.
  }
  return undefined;
}

const MAX_ATTEMPTS = 5;

/**
 * The lock that keeps two queries from running on one checkpoint. Taken by atomically
 * creating the lock file (never overwriting); a second query is refused with
 * CHECKPOINT_LOCKED naming the holder's pid and host. A lock left by a dead process on
 * this host is taken over: it is first renamed away (only one contender can win that),
 * then checked to be the same stale lock before it is deleted.
 */
export class CheckpointLock {
  private released = false;

  private constructor(
    private readonly fileManager: FileManager,
    readonly path: string,
    readonly owner: LockOwner,
  ) {}

  /** Takes the lock at `path` or throws CHECKPOINT_LOCKED. */
  static async acquire(fileManager: FileManager, path: string, options: LockOptions = {}): Promise<CheckpointLock> {
    const host = options.host ?? hostname();
    const alive = options.isProcessAlive ?? isProcessAlive;
    const owner: LockOwner = {
      pid: options.pid ?? process.pid,
      host,
      startedAt: new Date((options.now ?? Date.now)()).toISOString(),
      token: randomUUID(),
    };
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (await fileManager.writeAtomic(path, JSON.stringify(owner), { overwrite: false })) return new CheckpointLock(fileManager, path, owner);
      if (!(await fileManager.exists(path))) continue;
      const holder = parseOwner(await fileManager.readFile(path));
      if (holder === undefined) {
        throw new SluiceError(
          'CHECKPOINT_LOCKED',
          `Checkpoint lock '${path}' exists but cannot be read. If no query runs on this checkpoint, delete the lock file and start again.`,
        );
      }
      if (holder.host !== host || alive(holder.pid)) throw lockedError(path, holder);
      await CheckpointLock.takeOver(fileManager, path, holder);
    }
    throw new SluiceError(
      'CHECKPOINT_LOCKED',
      `Could not take the checkpoint lock '${path}': other processes keep taking it. Stop them, or use a different checkpoint location.`,
    );
  }

  /** Deletes the lock file if it is still this lock's; idempotent. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    if (!(await this.fileManager.exists(this.path))) return;
    const holder = parseOwner(await this.fileManager.readFile(this.path));
    if (holder?.token === this.owner.token) await this.fileManager.delete(this.path);
  }

  private static async takeOver(fileManager: FileManager, path: string, stale: LockOwner): Promise<void> {
    const aside = `${path}.stale-${randomUUID()}`;
    try {
      await fileManager.rename(path, aside);
    } catch (e) {
      if (e instanceof SluiceError && e.code === 'FILE_NOT_FOUND') return;
      throw e;
    }
    const moved = parseOwner(await fileManager.readFile(aside));
    if (moved?.token !== stale.token) {
      // A live holder replaced the stale lock in between: give its lock back.
      try {
        await fileManager.rename(aside, path);
        return;
      } catch (e) {
        if (!(e instanceof SluiceError && e.code === 'PATH_EXISTS')) throw e;
      }
    }
    await fileManager.delete(aside);
  }
}

function lockedError(path: string, holder: LockOwner): SluiceError {
  return new SluiceError(
    'CHECKPOINT_LOCKED',
    `The checkpoint is in use by another query: process ${holder.pid} on host '${holder.host}' (since ${holder.startedAt}) holds '${path}'. ` +
      `Stop that query first or use a different checkpoint location; if that process is gone and ran on another host, delete the lock file.`,
    { retryable: true },
  );
}
