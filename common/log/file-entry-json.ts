import type { FileEntry } from '../file-entry.js';
import { asObject } from './json-fields.js';

/** A file entry as JSON (`{"path", "size", "mtimeMs"}`). */
export function fileEntryToJson(f: FileEntry): { path: string; size: number; mtimeMs: number } {
  return { path: f.path, size: f.size, mtimeMs: f.mtimeMs };
}

/** Parses a JSON file entry; a string describing the problem when it is malformed. */
export function fileEntryFromJson(json: unknown, where: string): FileEntry | string {
  const o = asObject(json);
  if (o === undefined) return `${where} is not a JSON object`;
  const { path, size, mtimeMs } = o;
  if (typeof path !== 'string' || path === '') return `${where} has no path`;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return `${where} ('${path}') has no valid size`;
  if (typeof mtimeMs !== 'number' || !Number.isFinite(mtimeMs)) return `${where} ('${path}') has no valid mtimeMs`;
  return { path, size, mtimeMs };
}
