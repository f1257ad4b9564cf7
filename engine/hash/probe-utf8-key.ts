import type { ColumnVector } from '../../common/column-vector.js';
import type { GroupTableCore } from './group-table-core.js';
import { HASH_SEED, hashByteRange, quickHash } from './hash-mix.js';
import type { Utf8KeyStore } from './utf8-key-store.js';

/**
 * Slots of a single utf8 key are 8 words: `[hash, groupId + 1, arena start, length,
 * bytes 0-3, bytes 4-7, 0, 0]`. Strings of up to 8 bytes compare entirely inside the slot;
 * longer ones also compare their arena bytes from byte 8 on.
 */

/** Little-endian packing of `src[from..to)` (at most 4 bytes) into one int, zero padded. */
function packWord(src: Uint8Array, from: number, to: number): number {
  let w = 0;
  for (let k = from, shift = 0; k < to; k++, shift += 8) w |= (src[k] as number) << shift;
  return w;
}

/** Group of the string `src[start..end)`, inserting it when `insert` is set; -1 when absent. */
function findString(core: GroupTableCore, store: Utf8KeyStore, src: Uint8Array, start: number, end: number, insert: boolean): number {
  const n = end - start;
  const w0 = packWord(src, start, n < 4 ? end : start + 4);
  const w1 = n <= 4 ? 0 : packWord(src, start + 4, n < 8 ? end : start + 8);
  const h = n <= 8 ? quickHash(w0 ^ n, w1) : hashByteRange(HASH_SEED, src, start, end);
  const slots = core.slots;
  const wrap = core.mask << 3;
  let p = (h & core.mask) << 3;
  for (;;) {
    const e = slots[p + 1] as number;
    if (e === 0) break;
    if (slots[p] === h && slots[p + 3] === n && slots[p + 4] === w0 && slots[p + 5] === w1) {
      if (n <= 8) return e - 1;
      const sb = store.bytes;
      const at = slots[p + 2] as number;
      let k = 8;
      while (k < n && sb[at + k] === src[start + k]) k++;
      if (k === n) return e - 1;
    }
    p = (p + 8) & wrap;
  }
  if (!insert) return -1;
  const g = core.size;
  store.appendBytes(g, src, start, end);
  slots[p] = h;
  slots[p + 1] = g + 1;
  slots[p + 2] = store.offsets[g] as number;
  slots[p + 3] = n;
  slots[p + 4] = w0;
  slots[p + 5] = w1;
  core.commitGroup();
  return g;
}

/**
 * Fast path for one utf8 key. Plain vectors probe row by row; dictionary-encoded vectors
 * resolve each dictionary entry at most once, on its first use (so group ids stay in
 * first-seen row order), then map the indices. `dictCache` (optional) carries entry ->
 * group ids across calls for a dictionary shared by several batches; only valid when inserting.
 */
export function probeUtf8Key(core: GroupTableCore, key: ColumnVector, numRows: number, out: Int32Array, insert: boolean, dictCache: Int32Array | null): void {
  const store = core.stores[0] as Utf8KeyStore;
  const valid = key.validity;
  const dict = key.dictionary;
  if (dict) {
    const idx = key.values as Int32Array;
    const db = dict.values as Uint8Array;
    const dOff = dict.offsets as Int32Array;
    const cache = dictCache ?? new Int32Array(dict.length).fill(-2);
    for (let i = 0; i < numRows; i++) {
      if (valid !== null && valid[i] === 0) {
        out[i] = core.nullGroupId(insert);
        continue;
      }
      const j = idx[i] as number;
      let g = cache[j] as number;
      if (g === -2) cache[j] = g = findString(core, store, db, dOff[j] as number, dOff[j + 1] as number, insert);
      out[i] = g;
    }
    return;
  }
  const src = key.values as Uint8Array;
  const so = key.offsets as Int32Array;
  // Pass 1: pack and hash every short string. Keeping pass 2 (the probes) short lets the
  // CPU overlap the cache misses of many rows when the table is large.
  const words = packScratch(numRows);
  const safeEnd = src.length - 8;
  for (let i = 0; i < numRows; i++) {
    const start = so[i] as number;
    const n = (so[i + 1] as number) - start;
    let w0 = 0;
    let w1 = 0;
    if (n <= 8 && start <= safeEnd) {
      // Branch-free: read 8 bytes, then zero those past the string's end.
      w0 =
        ((src[start] as number) | ((src[start + 1] as number) << 8) | ((src[start + 2] as number) << 16) | ((src[start + 3] as number) << 24)) &
        (LOW_MASK[n] as number);
      w1 =
        ((src[start + 4] as number) | ((src[start + 5] as number) << 8) | ((src[start + 6] as number) << 16) | ((src[start + 7] as number) << 24)) &
        (HIGH_MASK[n] as number);
    } else if (n > 8) w1 = n;
    else if (n >= 4) {
      w0 = (src[start] as number) | ((src[start + 1] as number) << 8) | ((src[start + 2] as number) << 16) | ((src[start + 3] as number) << 24);
      for (let k = 4; k < n; k++) w1 |= (src[start + k] as number) << (8 * (k - 4));
    } else for (let k = 0; k < n; k++) w0 |= (src[start + k] as number) << (8 * k);
    words[3 * i] = n;
    words[3 * i + 1] = w0;
    words[3 * i + 2] = w1;
  }
  let slots = core.slots;
  let mask = core.mask;
  for (let i = 0; i < numRows; i++) {
    const n = words[3 * i] as number;
    if (n > 8 || (valid !== null && valid[i] === 0)) {
      out[i] =
        n > 8 && (valid === null || valid[i] === 1) ? findString(core, store, src, so[i] as number, so[i + 1] as number, insert) : core.nullGroupId(insert);
      slots = core.slots;
      mask = core.mask;
      continue;
    }
    // Strings of up to 8 bytes: hash and compare inside the slot.
    const w0 = words[3 * i + 1] as number;
    const w1 = words[3 * i + 2] as number;
    const h = quickHash(w0 ^ n, w1);
    let p = (h & mask) << 3;
    let g = -1;
    for (;;) {
      const e = slots[p + 1] as number;
      if (e === 0) break;
      if (slots[p] === h && slots[p + 3] === n && slots[p + 4] === w0 && slots[p + 5] === w1) {
        g = e - 1;
        break;
      }
      p = (p + 8) & (mask << 3);
    }
    if (g < 0 && insert) {
      const start = so[i] as number;
      g = core.size;
      store.appendBytes(g, src, start, start + n);
      slots[p] = h;
      slots[p + 1] = g + 1;
      slots[p + 2] = store.offsets[g] as number;
      slots[p + 3] = n;
      slots[p + 4] = w0;
      slots[p + 5] = w1;
      core.commitGroup();
      slots = core.slots;
      mask = core.mask;
    }
    out[i] = g;
  }
}

let scratch = new Int32Array(0);

/** For a string of n <= 8 bytes, the bits of packed bytes 0-3 and 4-7 that belong to it. */
const LOW_MASK = Int32Array.from({ length: 9 }, (_, n) => (n >= 4 ? -1 : (1 << (8 * n)) - 1));
const HIGH_MASK = Int32Array.from({ length: 9 }, (_, n) => (n >= 8 ? -1 : n <= 4 ? 0 : (1 << (8 * (n - 4))) - 1));

/** A reused buffer of 3 words per row: length and the first two packed words. */
function packScratch(numRows: number): Int32Array {
  if (scratch.length < 3 * numRows) scratch = new Int32Array(3 * numRows);
  return scratch;
}
