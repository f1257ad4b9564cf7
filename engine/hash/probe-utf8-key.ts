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
  let slots = core.slots;
  let mask = core.mask;
  for (let i = 0; i < numRows; i++) {
    if (valid !== null && valid[i] === 0) {
      out[i] = core.nullGroupId(insert);
      slots = core.slots;
      mask = core.mask;
      continue;
    }
    const start = so[i] as number;
    const end = so[i + 1] as number;
    const n = end - start;
    if (n > 8) {
      out[i] = findString(core, store, src, start, end, insert);
      slots = core.slots;
      mask = core.mask;
      continue;
    }
    // Strings of up to 8 bytes: pack, hash and compare inside the slot, inline.
    let w0 = 0;
    let w1 = 0;
    if (n >= 4) {
      w0 = (src[start] as number) | ((src[start + 1] as number) << 8) | ((src[start + 2] as number) << 16) | ((src[start + 3] as number) << 24);
      for (let k = 4; k < n; k++) w1 |= (src[start + k] as number) << (8 * (k - 4));
    } else for (let k = 0; k < n; k++) w0 |= (src[start + k] as number) << (8 * k);
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
      g = core.size;
      store.appendBytes(g, src, start, end);
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
