/**
 * The file operations checkpoint logs and state stores need, behind one small interface
 * so tests can inject failures and other storage can be plugged in later.
 *
 * Contract:
 * - Paths are absolute or relative to the process; directories are created by `mkdirs`.
 * - `writeAtomic` makes `data` visible at `path` all at once or not at all: a reader never
 *   sees a half-written file, even if the process dies in the middle. Implementations write
 *   a temporary file in the same directory, flush it to stable storage, then rename it.
 *   With `overwrite: false` it refuses to replace an existing file and returns false.
 * - `list` returns the entry names of a directory (not paths), sorted, never including the
 *   temporary files of unfinished atomic writes; a missing directory lists as empty.
 * - `readFile` throws FILE_NOT_FOUND naming the path when the file does not exist.
 * - `delete` removes a file and succeeds when it is already gone.
 * - `rename` moves a file within a file system, replacing nothing: it throws PATH_EXISTS
 *   when the target exists and FILE_NOT_FOUND when the source does not.
 */
export interface FileManager {
  /** Creates a directory and its parents; succeeds when it exists. */
  mkdirs(path: string): Promise<void>;
  /** Sorted entry names of a directory, without temporary files; [] when it does not exist. */
  list(dir: string): Promise<string[]>;
  /** True when a file or directory exists at `path`. */
  exists(path: string): Promise<boolean>;
  /** The whole content of a file. */
  readFile(path: string): Promise<Uint8Array>;
  /** Atomically writes a file; see the interface contract. Returns false only when refusing to overwrite. */
  writeAtomic(path: string, data: Uint8Array | string, options?: WriteAtomicOptions): Promise<boolean>;
  /** Moves a file without replacing an existing target. */
  rename(from: string, to: string): Promise<void>;
  /** Deletes a file; succeeds when it does not exist. */
  delete(path: string): Promise<void>;
  /**
   * Deletes the temporary files of unfinished atomic writes (names ending in
   * {@link TEMP_FILE_SUFFIX}) in `dir`, and below it with `recursive`, and returns their
   * paths. Only call it where no live writer can be writing: e.g. under a lock that keeps
   * every other writer of that folder out. Optional: storage without such leftovers omits it.
   */
  removeTempFiles?(dir: string, options?: RemoveTempFilesOptions): Promise<string[]>;
}

/** Options of {@link FileManager.removeTempFiles}. */
export interface RemoveTempFilesOptions {
  /** Also clean every folder below `dir` (default false). */
  readonly recursive?: boolean;
  /** Keep temp files modified less than this many ms ago (default 0: remove all). */
  readonly olderThanMs?: number;
}

/** Options of {@link FileManager.writeAtomic}. */
export interface WriteAtomicOptions {
  /** Replace an existing file (default true). When false an existing file is kept and the call returns false. */
  readonly overwrite?: boolean;
}

/** Suffix of the temporary files of unfinished atomic writes; `list` hides names ending in it. */
export const TEMP_FILE_SUFFIX = '.sluice-tmp';

/** True when a directory entry name is the temporary file of an atomic write. */
export function isTempFileName(name: string): boolean {
  return name.endsWith(TEMP_FILE_SUFFIX);
}
