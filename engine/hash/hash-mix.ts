/**
 * 32-bit integer mixing steps shared by every key hash. The round and finaliser follow
 * the MurmurHash3 construction (multiply, rotate, multiply; then xor-shift avalanche),
 * which spreads sequential integers over the whole table.
 */

/** Hash contribution of a null key column, so that null rows hash equal to each other. */
export const NULL_HASH = 0x2f1b4e6d;

/** Seed every key hash starts from. */
export const HASH_SEED = 0x3c6ef372;

/** Folds one 32-bit word `k` into the running hash `h`. */
export function mixWord(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** Final avalanche: every input bit affects every output bit. */
export function finalizeHash(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Hash of `bytes[start..end)`, four bytes per round. */
export function hashByteRange(seed: number, bytes: Uint8Array, start: number, end: number): number {
  let h = seed;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    h = mixWord(h, (bytes[i] as number) | ((bytes[i + 1] as number) << 8) | ((bytes[i + 2] as number) << 16) | ((bytes[i + 3] as number) << 24));
  }
  let tail = 0;
  let shift = 0;
  for (; i < end; i++, shift += 8) tail |= (bytes[i] as number) << shift;
  h = mixWord(h, tail ^ (end - start));
  return finalizeHash(h);
}

/**
 * Cheap hash of one or two 32-bit words for the group table's single-key fast paths (a
 * multiply-xorshift; the table only needs well-spread low bits, not hashKeys' avalanche).
 */
export function quickHash(a: number, b: number): number {
  let h = Math.imul(a ^ Math.imul(b ^ 0x165667b1, 0x27d4eb2d), 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}
