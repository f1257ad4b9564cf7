import type { ColumnVector } from '../../common/column-vector.js';
import type { FixedKeyStore } from './fixed-key-store.js';
import { keyWords } from './fixed-key-store.js';
import type { GroupTableCore } from './group-table-core.js';
import { quickHash } from './hash-mix.js';

/**
 * Fast path for one int32, date or boolean key: hash the value, probe, compare the key
 * word kept in the slot. Writes each row's group id to `out` (-1 when absent and `insert`
 * is false).
 */
export function probeOneWordKey(core: GroupTableCore, key: ColumnVector, numRows: number, out: Int32Array, insert: boolean): void {
  const src = keyWords(key, numRows);
  const valid = key.validity;
  const store = core.stores[0] as FixedKeyStore;
  let slots = core.slots;
  let mask = core.mask;
  for (let i = 0; i < numRows; i++) {
    if (valid !== null && valid[i] === 0) {
      out[i] = core.nullGroupId(insert);
      slots = core.slots;
      mask = core.mask;
      continue;
    }
    const k = src[i] as number;
    const h = quickHash(k, 0);
    let p = (h & mask) << 2;
    let g = -1;
    for (;;) {
      const e = slots[p + 1] as number;
      if (e === 0) break;
      if (slots[p + 2] === k) {
        g = e - 1;
        break;
      }
      p = (p + 4) & (mask << 2);
    }
    if (g < 0 && insert) {
      g = core.size;
      store.words[g] = k;
      slots[p] = h;
      slots[p + 1] = g + 1;
      slots[p + 2] = k;
      core.commitGroup();
      slots = core.slots;
      mask = core.mask;
    }
    out[i] = g;
  }
}

/**
 * Fast path for one int64, timestamp or float64 key: hash the two 32-bit halves, probe,
 * compare the two words kept in the slot; a row equal to the previous non-null row reuses
 * its id. Same output contract as {@link probeOneWordKey}.
 */
export function probeTwoWordKey(core: GroupTableCore, key: ColumnVector, numRows: number, out: Int32Array, insert: boolean): void {
  const src = keyWords(key, numRows);
  const valid = key.validity;
  const store = core.stores[0] as FixedKeyStore;
  let slots = core.slots;
  let mask = core.mask;
  // Runs of equal keys (time windows, sorted or clustered data) reuse the previous row's id.
  let lastLo = 0;
  let lastHi = 0;
  let lastG = -2;
  for (let i = 0; i < numRows; i++) {
    if (valid !== null && valid[i] === 0) {
      out[i] = core.nullGroupId(insert);
      slots = core.slots;
      mask = core.mask;
      continue;
    }
    const lo = src[2 * i] as number;
    const hi = src[2 * i + 1] as number;
    if (lo === lastLo && hi === lastHi && lastG !== -2) {
      out[i] = lastG;
      continue;
    }
    const h = quickHash(lo, hi);
    let p = (h & mask) << 2;
    let g = -1;
    for (;;) {
      const e = slots[p + 1] as number;
      if (e === 0) break;
      if (slots[p + 2] === lo && slots[p + 3] === hi) {
        g = e - 1;
        break;
      }
      p = (p + 4) & (mask << 2);
    }
    if (g < 0 && insert) {
      g = core.size;
      const kw = store.words;
      kw[2 * g] = lo;
      kw[2 * g + 1] = hi;
      slots[p] = h;
      slots[p + 1] = g + 1;
      slots[p + 2] = lo;
      slots[p + 3] = hi;
      core.commitGroup();
      slots = core.slots;
      mask = core.mask;
    }
    out[i] = g;
    lastLo = lo;
    lastHi = hi;
    lastG = g;
  }
}
