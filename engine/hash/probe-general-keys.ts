import type { ColumnVector } from '../../common/column-vector.js';
import { encodeKeyRows } from './encode-key-rows.js';
import type { GroupTableCore } from './group-table-core.js';
import { finalizeHash, HASH_SEED, mixWord } from './hash-mix.js';

/**
 * Key words kept in each 8-word slot after `[hash, groupId + 1]`. Encodings are prefix-free
 * (fixed layout per column, strings length-prefixed), so a row whose whole encoding fits
 * here matches a group exactly when these words match, without reading the arena.
 */
const INLINE_WORDS = 6;

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
 * hashed and compared as words against the groups' encodings (the first words inline in
 * the slot, the rest in `arena`). The column stores receive a group's key values only when
 * the group is created. Same output contract as the fast paths.
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
  for (let i = 0; i < numRows; i++) {
    const start = offsets[i] as number;
    const end = offsets[i + 1] as number;
    const n = end - start;
    const inline = Math.min(n, INLINE_WORDS);
    let h = HASH_SEED;
    for (let k = start; k < end; k++) h = mixWord(h, words[k] as number);
    h = finalizeHash(h);
    const slots = core.slots;
    const mask = core.mask;
    let p = (h & mask) << 3;
    let g = -1;
    for (;;) {
      const e = slots[p + 1] as number;
      if (e === 0) break;
      if (slots[p] === h) {
        let k = 0;
        while (k < inline && slots[p + 2 + k] === words[start + k]) k++;
        if (k === inline && (n <= INLINE_WORDS || arenaTailEquals(arena, e - 1, words, start, n))) {
          g = e - 1;
          break;
        }
      }
      p = (p + 8) & (mask << 3);
    }
    if (g < 0 && insert) {
      g = core.size;
      arena.append(g, words, start, end);
      for (const b of bound) b.append(g, i);
      slots[p] = h;
      slots[p + 1] = g + 1;
      for (let k = 0; k < inline; k++) slots[p + 2 + k] = words[start + k] as number;
      core.commitGroup();
    }
    out[i] = g;
  }
}

/** True when group g's encoding has length n and equals `words[start..start+n)` past the inline words. */
function arenaTailEquals(arena: EncodedKeyArena, g: number, words: Int32Array, start: number, n: number): boolean {
  const ao = arena.offsets;
  const at = ao[g] as number;
  if ((ao[g + 1] as number) - at !== n) return false;
  const aw = arena.words;
  for (let k = INLINE_WORDS; k < n; k++) if (aw[at + k] !== words[start + k]) return false;
  return true;
}
