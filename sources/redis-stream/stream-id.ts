import { invalidArgument } from '../../common/errors.js';

/** A Redis stream entry id `<ms>-<seq>`; `0-0` is "before every entry". */
export type StreamId = string;

/** The id before every entry. */
export const BEFORE_FIRST: StreamId = '0-0';

const ID = /^(0|[1-9][0-9]{0,19})-(0|[1-9][0-9]{0,19})$/;

/** True for a complete entry id `<ms>-<seq>` (both parts decimal, below 2^64). */
export function isStreamId(s: string): boolean {
  return ID.test(s);
}

/** Validates an id given by a user (`1700000000000-0`; a bare `<ms>` means `<ms>-0`) and returns it complete. */
export function userStreamId(s: string, what: string): StreamId {
  const id = /^[0-9]+$/.test(s) ? `${s}-0` : s;
  if (!isStreamId(id)) throw invalidArgument(`${what} must be a stream entry id like '1700000000000-0', 'earliest' or 'latest', got '${s}'.`);
  return id;
}

function parts(id: StreamId): [bigint, bigint] {
  const dash = id.indexOf('-');
  return [BigInt(id.slice(0, dash)), BigInt(id.slice(dash + 1))];
}

/** Orders two entry ids as Redis does (by ms, then seq): negative, zero or positive. */
export function compareIds(a: StreamId, b: StreamId): number {
  if (a === b) return 0;
  const [am, as] = parts(a);
  const [bm, bs] = parts(b);
  if (am !== bm) return am < bm ? -1 : 1;
  return as < bs ? -1 : as > bs ? 1 : 0;
}

/** The larger of two ids. */
export function maxId(a: StreamId, b: StreamId): StreamId {
  return compareIds(a, b) >= 0 ? a : b;
}
