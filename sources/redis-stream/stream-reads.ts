import type { Redis } from 'ioredis';
import type { StreamId } from './stream-id.js';
import { BEFORE_FIRST, compareIds } from './stream-id.js';

/** One entry as ioredis returns it: `[id, [name, value, ...]]` (values decoded as UTF-8). */
export type RawEntry = [string, string[]];

/** Entries read per XRANGE call (and rows per built batch). */
export const PAGE_ENTRIES = 4096;

/** The id of the newest entry of `key`, or `0-0` when the stream is empty or missing. */
export async function lastEntryId(client: Redis, key: string): Promise<StreamId> {
  const last = await client.xrevrange(key, '+', '-', 'COUNT', 1);
  return last.length === 0 ? BEFORE_FIRST : (last[0]![0] as string);
}

/**
 * Reads the entries of `key` in `(after, upto]` (XRANGE with an exclusive start), at most
 * `limit` of them, page by page, calling `page` for each non-empty page in id order.
 * Returns the id of the last entry read (`after` when none).
 */
export async function readRange(
  client: Redis,
  key: string,
  after: StreamId,
  upto: StreamId | '+',
  limit: number,
  page: (entries: RawEntry[]) => void,
): Promise<StreamId> {
  let from = after;
  let left = limit;
  while (left > 0) {
    const count = Math.min(left, PAGE_ENTRIES);
    const entries = (await client.xrange(key, `(${from}`, upto, 'COUNT', count)) as RawEntry[];
    if (entries.length === 0) break;
    page(entries);
    from = entries[entries.length - 1]![0];
    left -= entries.length;
    if (entries.length < count) break;
  }
  return from;
}

/** What XINFO STREAM says about deletions, for the data-loss check. */
export interface StreamInfo {
  /** False when the key does not exist. */
  readonly exists: boolean;
  /** The oldest entry still present, or null when the stream is empty. */
  readonly firstEntry: StreamId | null;
  /** The newest id removed by XDEL (`0-0` when none; Redis 7). */
  readonly maxDeleted: StreamId;
}

/** Reads XINFO STREAM of `key` (a missing key is `exists: false`). */
export async function streamInfo(client: Redis, key: string): Promise<StreamInfo> {
  if ((await client.exists(key)) === 0) return { exists: false, firstEntry: null, maxDeleted: BEFORE_FIRST };
  const flat = (await client.call('XINFO', 'STREAM', key)) as unknown[];
  const get = (name: string): unknown => flat[flat.indexOf(name) + 1];
  const first = get('first-entry') as [string, string[]] | null;
  const maxDeleted = flat.includes('max-deleted-entry-id') ? String(get('max-deleted-entry-id')) : BEFORE_FIRST;
  return { exists: true, firstEntry: first === null || first === undefined ? null : first[0], maxDeleted };
}

/**
 * Why entries of the non-empty range `(after, upto]` may be gone, or null when none were
 * seen to go: the stream was deleted, every entry up to `upto` was trimmed away, or (for a
 * `replay` of a range read before) XDEL removed an entry inside the range (Redis 7 records
 * the newest deleted id; on a first read such an entry was deleted before the query saw
 * it, which is not a loss). A trim that removed only the first part of a range cannot be
 * told from a gap that never held entries, so it is not reported.
 */
export function lostEntries(info: StreamInfo, after: StreamId, upto: StreamId, replay: boolean): string | null {
  if (!info.exists) return 'the stream no longer exists';
  if (info.firstEntry === null || compareIds(info.firstEntry, upto) > 0)
    return `its oldest entry is now ${info.firstEntry ?? '(none: the stream is empty)'}, after the range: the entries were trimmed`;
  if (replay && compareIds(info.maxDeleted, after) > 0 && compareIds(info.maxDeleted, upto) <= 0)
    return `entry ${info.maxDeleted} in the range was deleted (XDEL)`;
  return null;
}
