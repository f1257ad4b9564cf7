import { invalidArgument } from '../../common/errors.js';
import type { Offset } from '../source.js';

/**
 * Reads an offset that is a plain integer count (rows, seconds, batches or a log index),
 * as memory, rate and file sources use. `null` (no start yet) gives `initial`. Throws
 * INVALID_ARGUMENT naming the source when the offset is not an integer >= `initial`, which
 * means an offset log written by another source or edited by hand.
 */
export function countOffset(offset: Offset | null, initial: number, source: string): number {
  if (offset === null) return initial;
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < initial)
    throw invalidArgument(
      `${source} got offset ${JSON.stringify(offset)}, but its offsets are integers >= ${initial}. The checkpoint was written by a different source; use a new checkpoint location.`,
    );
  return offset;
}
