import type { KeyStore } from './key-store.js';

/**
 * The mutable state of a {@link GroupTable}, shared with its probe kernels: an open
 * addressing table of `slotWidth`-word slots starting `[hash, groupId + 1, ...]`
 * (groupId + 1 = 0 marks an empty slot) with linear probing, kept at most half full, plus
 * one {@link KeyStore} per key column. The single-key fast paths keep the key itself (or,
 * for strings, its arena start, length and first 8 bytes) in the rest of the slot, so a
 * hit reads one cache line. Internal to engine/hash.
 */
export class GroupTableCore {
  /** `slotWidth` words per slot; the slot count is a power of two. */
  slots: Int32Array;
  /** Slot count minus one. */
  mask: number;
  /** Number of groups. */
  size = 0;
  /** Groups the stores can hold before {@link grow} must run. */
  capacity: number;
  /** Group id of the all-null key in the single-key fast paths (which keep it out of the slots), or -1. */
  nullGroup = -1;

  constructor(
    readonly stores: readonly KeyStore[],
    capacity: number,
    /** Int32 words per slot: 4 or 8 (a power of two). */
    readonly slotWidth: 4 | 8,
  ) {
    this.capacity = capacity;
    this.slots = new Int32Array(capacity * 2 * slotWidth);
    this.mask = capacity * 2 - 1;
  }

  /** Doubles the slot table and the stores, re-placing every group by its stored hash. */
  grow(): void {
    const old = this.slots;
    const capacity = this.capacity * 2;
    const w = this.slotWidth;
    const slots = new Int32Array(capacity * 2 * w);
    const mask = capacity * 2 - 1;
    for (let s = 0; s < old.length; s += w) {
      if (old[s + 1] === 0) continue;
      let t = (old[s] as number) & mask;
      while (slots[w * t + 1] !== 0) t = (t + 1) & mask;
      for (let k = 0; k < w; k++) slots[w * t + k] = old[s + k] as number;
    }
    this.slots = slots;
    this.mask = mask;
    this.capacity = capacity;
    for (const st of this.stores) st.reserve(capacity);
  }

  /** Counts one new group; grows when the stores are full. Call after storing its key. */
  commitGroup(): void {
    this.size++;
    if (this.size === this.capacity) this.grow();
  }

  /** The id of the all-null key for single-key tables, creating it when `insert` is set; -1 if absent. */
  nullGroupId(insert: boolean): number {
    if (this.nullGroup >= 0 || !insert) return this.nullGroup;
    const g = this.size;
    for (const st of this.stores) st.appendNull(g);
    this.nullGroup = g;
    this.commitGroup();
    return g;
  }

  /** Approximate bytes held. */
  memoryBytes(): number {
    let n = this.slots.byteLength;
    for (const st of this.stores) n += st.memoryBytes();
    return n;
  }
}
