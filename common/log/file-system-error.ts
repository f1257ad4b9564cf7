import { SluiceError } from '../errors.js';

/** The errno code of a Node.js file-system error, or undefined for anything else. */
export function errnoCode(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/** What an errno code means for the user, and what to do about it. */
function explain(code: string, path: string): { problem: string; fix: string } {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return { problem: 'permission denied', fix: `Make '${path}' and its folder writable by the user running Sluice, or use another location.` };
    case 'EROFS':
      return { problem: 'the file system is read-only', fix: 'Use a location on a writable file system.' };
    case 'ENOTDIR':
      return { problem: 'part of the path is a file, where a folder is expected', fix: `Move that file away, or use another location.` };
    case 'EEXIST':
      return { problem: 'a file exists where a folder is expected', fix: `Move that file away, or use another location.` };
    case 'EISDIR':
      return { problem: 'it is a folder, where a file is expected', fix: 'Remove or rename the folder, or use another location.' };
    case 'ENOSPC':
    case 'EDQUOT':
      return { problem: code === 'ENOSPC' ? 'the disk is full' : 'the disk quota is used up', fix: 'Free some space, or use another location.' };
    case 'EMFILE':
    case 'ENFILE':
      return { problem: 'too many open files', fix: 'Raise the open-file limit (ulimit -n) or run fewer queries at once.' };
    default:
      return { problem: 'the file system refused', fix: 'Check the path, its permissions and the disk.' };
  }
}

/**
 * IO_ERROR for a failed file-system call: names the operation, the path, what the errno
 * code means and the fix. Anything that is not a Node.js file-system error (a SluiceError,
 * an injected fault) is returned unchanged, so callers can `throw fileSystemError(...)`.
 *
 * @param op - what was being done, e.g. 'create folder', 'write'
 * @param path - the path it was done to
 * @param e - the thrown error
 */
export function fileSystemError(op: string, path: string, e: unknown): unknown {
  const code = errnoCode(e);
  if (code === undefined || e instanceof SluiceError) return e;
  const { problem, fix } = explain(code, path);
  return new SluiceError('IO_ERROR', `Cannot ${op} '${path}': ${problem} (${code}). ${fix}`, {
    domain: 'external',
    retryable: code === 'ENOSPC' || code === 'EMFILE' || code === 'ENFILE',
    cause: e,
  });
}
