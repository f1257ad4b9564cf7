import type { FileEntry } from '../../dataframe/plan/logical-plan.js';
import type { ReadLimit } from '../source.js';

/** Orders files by modification time, then path (both ascending); `latestFirst` reverses the order. */
export function orderFiles(files: readonly FileEntry[], latestFirst: boolean): FileEntry[] {
  const sorted = [...files].sort((a, b) => a.mtimeMs - b.mtimeMs || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return latestFirst ? sorted.reverse() : sorted;
}

/**
 * Takes files from the front of `ordered` while the limits allow: at most `maxFiles`
 * files and at most `maxBytes` bytes in total, but always at least one file when any is
 * given, so a file larger than maxBytes still goes through (alone).
 */
export function admitFiles(ordered: readonly FileEntry[], limit: ReadLimit): FileEntry[] {
  const maxFiles = limit.maxFiles ?? Number.POSITIVE_INFINITY;
  const maxBytes = limit.maxBytes ?? Number.POSITIVE_INFINITY;
  const out: FileEntry[] = [];
  let bytes = 0;
  for (const f of ordered) {
    if (out.length > 0 && (out.length >= maxFiles || bytes + f.size > maxBytes)) break;
    out.push(f);
    bytes += f.size;
  }
  return out;
}

/** The tighter of two read limits, field by field. */
export function tighterLimit(a: ReadLimit, b: ReadLimit): ReadLimit {
  const min = (x: number | undefined, y: number | undefined): number | undefined => (x === undefined ? y : y === undefined ? x : Math.min(x, y));
  const out: { maxRows?: number; maxFiles?: number; maxBytes?: number } = {};
  const maxRows = min(a.maxRows, b.maxRows);
  const maxFiles = min(a.maxFiles, b.maxFiles);
  const maxBytes = min(a.maxBytes, b.maxBytes);
  if (maxRows !== undefined) out.maxRows = maxRows;
  if (maxFiles !== undefined) out.maxFiles = maxFiles;
  if (maxBytes !== undefined) out.maxBytes = maxBytes;
  return out;
}
