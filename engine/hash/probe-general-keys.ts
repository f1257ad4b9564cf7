import type { ColumnVector } from '../../common/column-vector.js';
import { encodeKeyRows } from './encode-key-rows.js';
import type { GroupTableCore } from './group-table-core.js';
import { finalizeHash, HASH_SEED, mixWord } from './hash-mix.js';

/** The encoded keys of every group (see encodeKeyRows): group g is `words[offsets[g] .. offsets[g+1])`. */
export class EncodedKeyArena {
  words = new Int32Array(1024);
  offsets = new Int32Array(257);

  /** Appends `src[start..end)` as group `g` (the next group id). */
  append(g: number, src: Int32Array, start: number, end: number): void {
    if (g + 2 > this.offsets.length) {
      const o = new Int32Array(this.offsets.length * 2);
      o.set(this.offsets);
      this.offsets = o;
    }
    const at = this.offsets[g] as number;
    const need = at + end - start;
    if (need > this.words.length) {
      const grown = new Int32Array(Math.max(need, this.words.length * 2));
      grown.set(this.words.subarray(0, at));
      this.words = grown;
    }
    const w = this.words;
    for (let k = start, d = at; k < end; k++, d++) w[d] = src[k] as number;
    this.offsets[g + 1] = need;
  }

  /** Approximate bytes held. */
  memoryBytes(): number {
    return this.words.byteLength + this.offsets.byteLength;
  }
}

/**
 * General path for any number of key columns of any groupable type: each row's key tuple
 * is encoded column by column into int32 words (equal keys, equal words; nulls equal), then
 * hashed and compared as words against the groups' encodings in `arena`. The column
 * stores receive a group's key values only when the group is created. Same output contract
 * as the fast paths.
 */
export function probeGeneralKeys(
  core: GroupTableCore,
  arena: EncodedKeyArena,
  keys: readonly ColumnVector[],
  numRows: number,
  out: Int32Array,
  insert: boolean,
): void {
  const { words, offsets } = encodeKeyRows(keys, numRows);
  const bound = insert ? core.stores.map((st, c) => st.bind(keys[c] as ColumnVector)) : [];
  const sw = core.slotWidth;
  for (let i = 0; i < numRows; i++) {
    const start = offsets[i] as number;
    const end = offsets[i + 1] as number;
    const n = end - start;
    let h = HASH_SEED;
    for (let k = start; k < end; k++) h = mixWord(h, words[k] as number);
    h = finalizeHash(h);
    const slots = core.slots;
    const mask = core.mask;
    const aw = arena.words;
    const ao = arena.offsets;
    let s = h & mask;
    let g = -1;
    for (;;) {
      const e = slots[sw * s + 1] as number;
      if (e === 0) break;
      if (slots[sw * s] === h) {
        const at = ao[e - 1] as number;
        if ((ao[e] as number) - at === n) {
          let k = 0;
          while (k < n && aw[at + k] === words[start + k]) k++;
          if (k === n) {
            g = e - 1;
            break;
          }
        }
      }
      s = (s + 1) & mask;
    }
    if (g < 0 && insert) {
      g = core.size;
      arena.append(g, words, start, end);
      for (const b of bound) b.append(g, i);
      slots[sw * s] = h;
      slots[sw * s + 1] = g + 1;
      core.commitGroup();
    }
    out[i] = g;
  }
}
