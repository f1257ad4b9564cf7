import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SluiceError } from '../errors.js';
import type { FileManager, RemoveTempFilesOptions, WriteAtomicOptions } from './file-manager.js';
import { isTempFileName, TEMP_FILE_SUFFIX } from './file-manager.js';
import { errnoCode, fileSystemError } from './file-system-error.js';

/** The points of an atomic write at which a {@link LocalFileManager} hook runs. */
export type AtomicWriteStep = 'opened' | 'written' | 'synced' | 'published';

/** What a hook learns about the atomic write in progress. */
export interface AtomicWriteInfo {
  readonly path: string;
  readonly tempPath: string;
  readonly bytes: Uint8Array;
}

/**
 * Called at each step of an atomic write: after the temp file is created (`opened`), after
 * the bytes are written (`written`), after the temp file is fsynced (`synced`) and after it
 * is published under its final name (`published`, before the directory fsync). A hook that
 * throws aborts the write at that point and leaves the files as a crash would.
 */
export type AtomicWriteHook = (step: AtomicWriteStep, info: AtomicWriteInfo) => void | Promise<void>;

/** Options of {@link LocalFileManager}. */
export interface LocalFileManagerOptions {
  /** Runs at each step of every atomic write; used to inject crashes in tests. */
  readonly hook?: AtomicWriteHook;
}

function notFound(path: string, cause: unknown): SluiceError {
  return new SluiceError('FILE_NOT_FOUND', `File '${path}' does not exist.`, { cause });
}

/**
 * {@link FileManager} over the local disk. Atomic writes go to a hidden temp file in the
 * target's directory, are fsynced, then published with rename (overwrite) or hard link
 * (no overwrite: link fails when the target exists, so refusing is atomic too), and the
 * directory is fsynced so the new name survives a power loss. File-system failures other
 * than the ones the contract names (permission denied, read-only disk, a file where a
 * folder is expected, disk full) throw IO_ERROR naming the operation, the path and the fix.
 */
export class LocalFileManager implements FileManager {
  private readonly hook: AtomicWriteHook | undefined;

  constructor(options: LocalFileManagerOptions = {}) {
    this.hook = options.hook;
  }

  async mkdirs(path: string): Promise<void> {
    try {
      await fs.mkdir(path, { recursive: true });
    } catch (e) {
      throw fileSystemError('create folder', path, e);
    }
  }

  async list(dir: string): Promise<string[]> {
    try {
      const names = await fs.readdir(dir);
      return names.filter((n) => !isTempFileName(n)).sort();
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') return [];
      throw fileSystemError('list folder', dir, e);
    }
  }

  async exists(path: string): Promise<boolean> {
    try {
      await fs.stat(path);
      return true;
    } catch (e) {
      const code = errnoCode(e);
      if (code === 'ENOENT' || code === 'ENOTDIR') return false;
      throw fileSystemError('look up', path, e);
    }
  }

  async readFile(path: string): Promise<Uint8Array> {
    try {
      const b = await fs.readFile(path);
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') throw notFound(path, e);
      throw fileSystemError('read', path, e);
    }
  }

  async writeAtomic(path: string, data: Uint8Array | string, options: WriteAtomicOptions = {}): Promise<boolean> {
    try {
      return await this.writeAtomicUnchecked(path, data, options);
    } catch (e) {
      throw fileSystemError('write', path, e);
    }
  }

  private async writeAtomicUnchecked(path: string, data: Uint8Array | string, options: WriteAtomicOptions): Promise<boolean> {
    const overwrite = options.overwrite ?? true;
    if (!overwrite && (await this.exists(path))) return false;
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    const dir = dirname(path);
    const tempPath = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}${TEMP_FILE_SUFFIX}`);
    const info: AtomicWriteInfo = { path, tempPath, bytes };
    const handle = await fs.open(tempPath, 'wx');
    let published = false;
    let crashed = false;
    const step = async (s: AtomicWriteStep): Promise<void> => {
      try {
        await this.hook?.(s, info);
      } catch (e) {
        crashed = true;
        throw e;
      }
    };
    try {
      try {
        await step('opened');
        await handle.writeFile(bytes);
        await step('written');
        await handle.sync();
        await step('synced');
      } finally {
        await handle.close();
      }
      published = overwrite ? await this.replace(tempPath, path) : await this.publishNew(tempPath, path);
      if (!published) return false;
      await step('published');
      await this.syncDir(dir);
      return true;
    } finally {
      // A simulated crash leaves its temp file behind, as a real one would.
      if (!published && !crashed) await this.delete(tempPath);
    }
  }

  async rename(from: string, to: string): Promise<void> {
    try {
      if (!(await this.publishNew(from, to))) throw new SluiceError('PATH_EXISTS', `Cannot rename '${from}' to '${to}': the target exists.`);
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') throw notFound(from, e);
      throw fileSystemError(`rename to '${to}'`, from, e);
    }
  }

  async delete(path: string): Promise<void> {
    try {
      await fs.unlink(path);
    } catch (e) {
      if (errnoCode(e) !== 'ENOENT') throw fileSystemError('delete', path, e);
    }
  }

  async removeTempFiles(dir: string, options: RemoveTempFilesOptions = {}): Promise<string[]> {
    const removed: string[] = [];
    const minAge = options.olderThanMs ?? 0;
    const visit = async (folder: string): Promise<void> => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = await fs.readdir(folder, { withFileTypes: true });
      } catch (e) {
        const code = errnoCode(e);
        if (code === 'ENOENT' || code === 'ENOTDIR') return;
        throw fileSystemError('list folder', folder, e);
      }
      for (const entry of entries) {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) {
          if (options.recursive) await visit(path);
        } else if (entry.isFile() && isTempFileName(entry.name)) {
          if (minAge > 0) {
            const st = await fs.stat(path).catch(() => null);
            if (st === null || Date.now() - st.mtimeMs < minAge) continue;
          }
          await this.delete(path);
          removed.push(path);
        }
      }
    };
    await visit(dir);
    return removed;
  }

  private async replace(tempPath: string, path: string): Promise<boolean> {
    await fs.rename(tempPath, path);
    return true;
  }

  /** Publishes `from` as `to` unless `to` exists; false when it does. */
  private async publishNew(from: string, to: string): Promise<boolean> {
    try {
      await fs.link(from, to);
    } catch (e) {
      const code = errnoCode(e);
      if (code === 'EEXIST') return false;
      // Some file systems have no hard links; fall back to a checked rename.
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV') throw e;
      if (await this.exists(to)) return false;
      await fs.rename(from, to);
      return true;
    }
    await fs.unlink(from);
    return true;
  }

  private async syncDir(dir: string): Promise<void> {
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(dir, 'r');
      await handle.sync();
    } catch (e) {
      // Directories cannot be opened or fsynced on some platforms (Windows); the rename stands.
      const code = errnoCode(e);
      if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF') throw e;
    } finally {
      await handle?.close();
    }
  }
}
