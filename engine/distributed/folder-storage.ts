import { randomBytes } from 'node:crypto';
import { link, mkdir, readdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { invalidArgument } from '../../common/errors.js';
import type { SharedStorage } from './shared-storage.js';

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | null)?.code;
}

/**
 * {@link SharedStorage} on a folder every process mounts at the same path. `put` writes a
 * temporary file and renames it into place (atomic on POSIX file systems); `putIfAbsent`
 * hard-links the temporary file to the final name, which fails when the name exists.
 */
export class FolderStorage implements SharedStorage {
  readonly location: string;

  constructor(folder: string) {
    if (folder.trim() === '') throw invalidArgument('Shared storage needs a folder path, got an empty string.');
    this.location = folder;
  }

  private path(key: string): string {
    if (key === '' || key.split('/').some((p) => p === '' || p === '.' || p === '..'))
      throw invalidArgument(`Shared storage key '${key}' is not a relative path of plain names.`);
    return join(this.location, ...key.split('/'));
  }

  private async temp(key: string, bytes: Uint8Array): Promise<string> {
    const final = this.path(key);
    await mkdir(dirname(final), { recursive: true });
    const tmp = `${final}.tmp-${randomBytes(6).toString('hex')}`;
    await writeFile(tmp, bytes);
    return tmp;
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const tmp = await this.temp(key, bytes);
    await rename(tmp, this.path(key));
  }

  async putIfAbsent(key: string, bytes: Uint8Array): Promise<boolean> {
    const tmp = await this.temp(key, bytes);
    try {
      await link(tmp, this.path(key));
      return true;
    } catch (e) {
      if (errno(e) === 'EEXIST') return false;
      throw e;
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.path(key));
    } catch (e) {
      if (errno(e) === 'ENOENT') return null;
      throw e;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const out: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (e) {
        if (errno(e) === 'ENOENT') return;
        throw e;
      }
      for (const d of entries) {
        const full = join(dir, d.name);
        if (d.isDirectory()) await walk(full);
        else if (!d.name.includes('.tmp-')) {
          const key = relative(this.location, full).split(sep).join('/');
          if (key.startsWith(prefix)) out.push(key);
        }
      }
    };
    await walk(this.location);
    return out.sort();
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }
}
