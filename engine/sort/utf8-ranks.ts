import type { ColumnVector } from '../../common/column-vector.js';
import { bytesCompare, bytesEqual } from '../../common/utf8.js';
import { hashByteRange } from '../hash/hash-mix.js';
import { radixSortPermutation } from './radix-sort.js';

const SEED = 0x5bd1e995;

/**
 * Dense ranks of the rows of a utf8 vector in byte order (code-point order): equal
 * strings get equal ranks, rank r+1 is the next larger distinct string. Null rows get
 * rank 0 (callers place nulls through the validity). Plain vectors are interned first
 * (hash of the bytes), so only the distinct strings are compared; dictionary vectors rank
 * their dictionary entries once and map the indices.
 */
export function utf8Ranks(v: ColumnVector): Int32Array {
  const n = v.length;
  const out = new Int32Array(n);
  const valid = v.validity;
  const dict = v.dictionary;
  if (dict) {
    const dOff = dict.offsets as Int32Array;
    const entryRanks = rankByteStrings(dict.values as Uint8Array, dOff.subarray(0, dict.length), dOff.subarray(1, dict.length + 1), dict.length);
    const idx = v.values as Int32Array;
    for (let i = 0; i < n; i++) if (valid === null || valid[i] === 1) out[i] = entryRanks[idx[i] as number] as number;
    return out;
  }
  const bytes = v.values as Uint8Array;
  const offs = v.offsets as Int32Array;
  const { ids, arena, starts, ends, count } = internStrings(bytes, offs, valid, n);
  const ranks = rankByteStrings(arena, starts, ends, count);
  for (let i = 0; i < n; i++) if (valid === null || valid[i] === 1) out[i] = ranks[ids[i] as number] as number;
  return out;
}

interface Interned {
  /** Distinct-string id of each row (0 for null rows). */
  readonly ids: Int32Array;
  /** The distinct strings' bytes, copied together so probes compare within a small, cached array. */
  readonly arena: Uint8Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly count: number;
}

function internStrings(bytes: Uint8Array, offs: Int32Array, valid: Uint8Array | null, n: number): Interned {
  const ids = new Int32Array(n);
  let cap = 1024;
  // Slot i holds [id + 1, hash] side by side so one probe touches one cache line.
  let slots: Int32Array = new Int32Array(cap * 2);
  let mask = cap - 1;
  let spans: Int32Array = new Int32Array(512);
  let arena = new Uint8Array(4096);
  let arenaLen = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) continue;
    const s = offs[i] as number;
    const e = offs[i + 1] as number;
    const h = hashByteRange(SEED, bytes, s, e);
    let slot = h & mask;
    let id = -1;
    for (;;) {
      const t = slots[2 * slot] as number;
      if (t === 0) break;
      if (slots[2 * slot + 1] === h) {
        const c = t - 1;
        if (bytesEqual(arena, spans[2 * c] as number, spans[2 * c + 1] as number, bytes, s, e)) {
          id = c;
          break;
        }
      }
      slot = (slot + 1) & mask;
    }
    if (id < 0) {
      id = count++;
      if (2 * id + 2 > spans.length) spans = grow(spans);
      if (arenaLen + e - s > arena.length) {
        const bigger = new Uint8Array(Math.max(arena.length * 2, arenaLen + e - s));
        bigger.set(arena.subarray(0, arenaLen));
        arena = bigger;
      }
      spans[2 * id] = arenaLen;
      for (let k = s; k < e; k++) arena[arenaLen++] = bytes[k] as number;
      spans[2 * id + 1] = arenaLen;
      slots[2 * slot] = id + 1;
      slots[2 * slot + 1] = h;
      if (count * 2 > cap) {
        cap *= 2;
        mask = cap - 1;
        slots = rehash(slots, cap);
      }
    }
    ids[i] = id;
  }
  const starts = new Int32Array(count);
  const ends = new Int32Array(count);
  for (let c = 0; c < count; c++) {
    starts[c] = spans[2 * c] as number;
    ends[c] = spans[2 * c + 1] as number;
  }
  return { ids, arena, starts, ends, count };
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

function rehash(old: Int32Array, cap: number): Int32Array {
  const slots = new Int32Array(cap * 2);
  const mask = cap - 1;
  for (let o = 0; o < old.length; o += 2) {
    const t = old[o] as number;
    if (t === 0) continue;
    const h = old[o + 1] as number;
    let slot = h & mask;
    while (slots[2 * slot] !== 0) slot = (slot + 1) & mask;
    slots[2 * slot] = t;
    slots[2 * slot + 1] = h;
  }
  return slots;
}

/**
 * Dense byte-order ranks of `m` byte strings `bytes[starts[j] .. ends[j])`. Sorts by an
 * 8-byte big-endian prefix with the radix sort, then orders each run of equal prefixes
 * with a full byte comparison.
 */
export function rankByteStrings(bytes: Uint8Array, starts: Int32Array, ends: Int32Array, m: number): Int32Array {
  const w0 = new Int32Array(m);
  const w1 = new Int32Array(m);
  for (let j = 0; j < m; j++) {
    const s = starts[j] as number;
    const e = ends[j] as number;
    w0[j] = prefixWord(bytes, s, e);
    w1[j] = prefixWord(bytes, s + 4, e);
  }
  // The radix sort reorders w0 and w1 along with `order`: w0[k] is now the prefix of order[k].
  const order = radixSortPermutation([w0, w1], m);
  let runStart = 0;
  for (let k = 1; k <= m; k++) {
    const same = k < m && w0[k] === w0[k - 1] && w1[k] === w1[k - 1];
    if (same) continue;
    if (k - runStart > 1) {
      const run = order.subarray(runStart, k);
      run.sort((a, b) => bytesCompare(bytes, starts[a] as number, ends[a] as number, bytes, starts[b] as number, ends[b] as number));
    }
    runStart = k;
  }
  const ranks = new Int32Array(m);
  let rank = 0;
  for (let k = 0; k < m; k++) {
    const j = order[k] as number;
    if (k > 0) {
      const p = order[k - 1] as number;
      if (!bytesEqual(bytes, starts[p] as number, ends[p] as number, bytes, starts[j] as number, ends[j] as number)) rank++;
    }
    ranks[j] = rank;
  }
  return ranks;
}

function prefixWord(bytes: Uint8Array, s: number, e: number): number {
  let w = 0;
  for (let k = 0; k < 4; k++) w = (w << 8) | (s + k < e ? (bytes[s + k] as number) : 0);
  return w;
}
