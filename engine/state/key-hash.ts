/**
 * 32-bit hash of an encoded key `bytes[start..end)`, four bytes per round in the
 * MurmurHash3 construction (multiply-rotate-multiply per word, then an xor-shift
 * avalanche), so keys differing in any byte spread over the whole hash table.
 */
export function hashKeyBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x5bd1e995 ^ (end - start);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    let k = (bytes[i] as number) | ((bytes[i + 1] as number) << 8) | ((bytes[i + 2] as number) << 16) | ((bytes[i + 3] as number) << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let tail = 0;
  for (let shift = 0; i < end; i++, shift += 8) tail |= (bytes[i] as number) << shift;
  if (tail !== 0) {
    tail = Math.imul(tail, 0xcc9e2d51);
    tail = (tail << 15) | (tail >>> 17);
    h ^= Math.imul(tail, 0x1b873593);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
