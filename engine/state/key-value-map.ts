import { ByteArena } from './byte-arena.js';

const EMPTY = -1;
const TOMBSTONE = -2;

/** Value length marking an entry as "key removed" (used by the uncommitted changes of a store). */
export const REMOVED = -1;

/**
 * A hash map from encoded key bytes to encoded value bytes, held entirely in typed arrays:
 * keys and values live in two byte arenas, entries in parallel Int32Arrays (hash, key
 * offset/length, value offset/length), and an open-addressing slot table with linear
 * probing points at entries. No JS object is created per key. An entry whose key length
 * is -1 is deleted; a value length of {@link REMOVED} marks a removal record. Deleted
 * entries and overwritten values are reclaimed by compaction once they outweigh live data.
 */
export class KeyValueMap {
  readonly keys = new ByteArena();
  readonly values = new ByteArena();
  hashes: Int32Array;
  keyOff: Int32Array;
  keyLen: Int32Array;
  valOff: Int32Array;
  valLen: Int32Array;
  /** Entries allocated, including deleted ones; entry indices run `[0, entryCount)`. */
  entryCount = 0;
  private live = 0;
  private slots: Int32Array;
  private mask: number;
  private usedSlots = 0;
  private deadValueBytes = 0;

  constructor(initialCapacity = 64) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.slots = new Int32Array(cap).fill(EMPTY);
    this.mask = cap - 1;
    const n = cap >> 1;
    this.hashes = new Int32Array(n);
    this.keyOff = new Int32Array(n);
    this.keyLen = new Int32Array(n);
    this.valOff = new Int32Array(n);
    this.valLen = new Int32Array(n);
  }

  /** Number of live keys. */
  get size(): number {
    return this.live;
  }

  /** Approximate bytes of memory held. */
  get memoryBytes(): number {
    return this.keys.bytes.length + this.values.bytes.length + this.slots.length * 4 + this.hashes.length * 20;
  }

  /** Entry index of a key, or -1. */
  find(key: Uint8Array, start: number, end: number, hash: number): number {
    const len = end - start;
    const slots = this.slots;
    const mask = this.mask;
    const kb = this.keys.bytes;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const e = slots[i] as number;
      if (e === EMPTY) return -1;
      if (e >= 0 && this.hashes[e] === hash && this.keyLen[e] === len) {
        const ko = this.keyOff[e] as number;
        let k = 0;
        while (k < len && kb[ko + k] === key[start + k]) k++;
        if (k === len) return e;
      }
    }
  }

  /** Sets the value of a key to `val[vs..ve)`; true when the key is new. */
  set(key: Uint8Array, ks: number, ke: number, hash: number, val: Uint8Array, vs: number, ve: number): boolean {
    const e = this.find(key, ks, ke, hash);
    const len = ve - vs;
    if (e >= 0) {
      const old = this.valLen[e] as number;
      if (old >= len) {
        // Same-size updates (typical of aggregation buffers) overwrite in place.
        const at = this.valOff[e] as number;
        const vb = this.values.bytes;
        for (let k = 0; k < len; k++) vb[at + k] = val[vs + k] as number;
        this.deadValueBytes += old - len;
      } else {
        if (old > 0) this.deadValueBytes += old;
        this.valOff[e] = this.values.append(val, vs, ve);
      }
      this.valLen[e] = len;
      this.maybeCompact();
      return false;
    }
    const n = this.insert(key, ks, ke, hash);
    this.valOff[n] = this.values.append(val, vs, ve);
    this.valLen[n] = len;
    return true;
  }

  /** Records the removal of a key (value length {@link REMOVED}); true when the key was not present. */
  setRemoved(key: Uint8Array, ks: number, ke: number, hash: number): boolean {
    const e = this.find(key, ks, ke, hash);
    if (e >= 0) {
      const old = this.valLen[e] as number;
      if (old > 0) this.deadValueBytes += old;
      this.valLen[e] = REMOVED;
      return false;
    }
    const n = this.insert(key, ks, ke, hash);
    this.valOff[n] = 0;
    this.valLen[n] = REMOVED;
    return true;
  }

  /** Deletes a key; true when it was present. */
  delete(key: Uint8Array, ks: number, ke: number, hash: number): boolean {
    const len = ke - ks;
    const slots = this.slots;
    const mask = this.mask;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const e = slots[i] as number;
      if (e === EMPTY) return false;
      if (e >= 0 && this.hashes[e] === hash && this.keyLen[e] === len && this.keyEquals(e, key, ks, len)) {
        slots[i] = TOMBSTONE;
        const old = this.valLen[e] as number;
        if (old > 0) this.deadValueBytes += old;
        this.keyLen[e] = -1;
        this.live--;
        this.maybeCompact();
        return true;
      }
    }
  }

  /** Removes everything. */
  clear(): void {
    this.slots.fill(EMPTY);
    this.usedSlots = 0;
    this.entryCount = 0;
    this.live = 0;
    this.keys.length = 0;
    this.values.length = 0;
    this.deadValueBytes = 0;
  }

  private keyEquals(e: number, key: Uint8Array, ks: number, len: number): boolean {
    const kb = this.keys.bytes;
    const ko = this.keyOff[e] as number;
    for (let k = 0; k < len; k++) if (kb[ko + k] !== key[ks + k]) return false;
    return true;
  }

  private insert(key: Uint8Array, ks: number, ke: number, hash: number): number {
    if ((this.usedSlots + 1) * 2 > this.slots.length) this.rehash();
    if (this.entryCount === this.hashes.length) this.growEntries();
    const n = this.entryCount++;
    this.hashes[n] = hash;
    this.keyOff[n] = this.keys.append(key, ks, ke);
    this.keyLen[n] = ke - ks;
    this.placeSlot(n, hash);
    this.live++;
    return n;
  }

  private placeSlot(e: number, hash: number): void {
    const slots = this.slots;
    const mask = this.mask;
    let i = hash & mask;
    while ((slots[i] as number) >= 0) i = (i + 1) & mask;
    if (slots[i] === EMPTY) this.usedSlots++;
    slots[i] = e;
  }

  /** Grows the entry arrays by half (large maps waste less than when doubling). */
  private growEntries(): void {
    const n = Math.max(16, Math.floor(this.hashes.length * 1.5));
    const grow = (a: Int32Array): Int32Array => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.hashes = grow(this.hashes);
    this.keyOff = grow(this.keyOff);
    this.keyLen = grow(this.keyLen);
    this.valOff = grow(this.valOff);
    this.valLen = grow(this.valLen);
  }

  /**
   * Rebuilds the slot table (called when used slots, tombstones included, reach half of it),
   * doubled while live keys would fill more than a third of it: growing from a half-full
   * table doubles it once (load a quarter; it used to quadruple, to an eighth), and a
   * rehash that only drops tombstones leaves room for a sixth of the table before the next.
   */
  private rehash(): void {
    let cap = this.slots.length;
    while ((this.live + 1) * 3 > cap) cap *= 2;
    this.slots = new Int32Array(cap).fill(EMPTY);
    this.mask = cap - 1;
    this.usedSlots = 0;
    for (let e = 0; e < this.entryCount; e++) if ((this.keyLen[e] as number) >= 0) this.placeSlot(e, this.hashes[e] as number);
  }

  private maybeCompact(): void {
    const deadEntries = this.entryCount - this.live;
    if ((deadEntries > 1024 && deadEntries > this.live) || (this.deadValueBytes > 1 << 20 && this.deadValueBytes > this.values.length >> 1)) this.compact();
  }

  /** Moves live entries and their bytes to the front, dropping deleted entries and dead value bytes. */
  private compact(): void {
    const oldKeys = this.keys.bytes;
    const oldVals = this.values.bytes;
    const keys = new ByteArena(this.keys.length);
    const vals = new ByteArena(Math.max(16, this.values.length - this.deadValueBytes));
    let n = 0;
    for (let e = 0; e < this.entryCount; e++) {
      const kl = this.keyLen[e] as number;
      if (kl < 0) continue;
      const ko = this.keyOff[e] as number;
      const vo = this.valOff[e] as number;
      const vl = this.valLen[e] as number;
      this.hashes[n] = this.hashes[e] as number;
      this.keyOff[n] = keys.append(oldKeys, ko, ko + kl);
      this.keyLen[n] = kl;
      this.valOff[n] = vl > 0 ? vals.append(oldVals, vo, vo + vl) : 0;
      this.valLen[n] = vl;
      n++;
    }
    this.keys.bytes = keys.bytes;
    this.keys.length = keys.length;
    this.values.bytes = vals.bytes;
    this.values.length = vals.length;
    this.entryCount = n;
    this.deadValueBytes = 0;
    this.slots.fill(EMPTY);
    this.usedSlots = 0;
    for (let e = 0; e < n; e++) this.placeSlot(e, this.hashes[e] as number);
  }
}
