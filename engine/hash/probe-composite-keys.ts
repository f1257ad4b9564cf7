import type { FixedKeyStore } from './fixed-key-store.js';
import type { GroupTableCore } from './group-table-core.js';
import { quickHash } from './hash-mix.js';

/** Most cells a {@link PairGrid} may have (4 MiB of int32); past it the pair path hashes. */
const MAX_GRID_CELLS = 1 << 20;

function pow2AtLeast(n: number): number {
  let p = 8;
  while (p < n) p *= 2;
  return p;
}

/**
 * Direct-mapped table for two key columns whose id ranges are small: cell
 * `(id0 << shift) | id1` holds groupId + 1 (0 = empty), so a probe is one array read with
 * no hashing or comparing. Both dimensions are powers of two, doubled (and the cells
 * rebuilt from the groups' ids) as the column tables grow.
 */
export class PairGrid {
  cells = new Int32Array(0);
  rows = 0;
  shift = 0;

  /**
   * Makes the grid cover ids `< n0` by `< n1`, re-placing the `size` groups whose ids are
   * `ids0`/`ids1`. Returns false, leaving the grid unchanged, when that needs more than
   * the maximum number of cells.
   */
  fit(n0: number, n1: number, ids0: Int32Array, ids1: Int32Array, size: number): boolean {
    if (n0 <= this.rows && n1 <= 1 << this.shift) return true;
    const rows = pow2AtLeast(n0);
    const cols = pow2AtLeast(n1);
    if (rows * cols > MAX_GRID_CELLS) return false;
    const shift = Math.log2(cols);
    const cells = new Int32Array(rows * cols);
    for (let g = 0; g < size; g++) cells[((ids0[g] as number) << shift) | (ids1[g] as number)] = g + 1;
    this.cells = cells;
    this.rows = rows;
    this.shift = shift;
    return true;
  }

  /** Approximate bytes held. */
  memoryBytes(): number {
    return this.cells.byteLength;
  }
}

/**
 * Pair path over a {@link PairGrid} (which must cover every id in `a` and `b` when
 * inserting). Same output contract as {@link probeCompositeKeys}.
 */
export function probePairGrid(core: GroupTableCore, grid: PairGrid, a: Int32Array, b: Int32Array, numRows: number, out: Int32Array, insert: boolean): void {
  const sa = core.stores[0] as FixedKeyStore;
  const sb = core.stores[1] as FixedKeyStore;
  const cells = grid.cells;
  const shift = grid.shift;
  const rows = grid.rows;
  const cols = 1 << shift;
  for (let i = 0; i < numRows; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if ((x | y) < 0 || x >= rows || y >= cols) {
      out[i] = -1;
      continue;
    }
    const c = (x << shift) | y;
    let g = (cells[c] as number) - 1;
    if (g < 0 && insert) {
      g = core.size;
      cells[c] = g + 1;
      sa.words[g] = x;
      sb.words[g] = y;
      core.commitGroup();
    }
    out[i] = g;
  }
}

/** Enters every existing group of a two-column composite table into its hash slots (when leaving the grid). */
export function hashExistingPairs(core: GroupTableCore): void {
  const ids0 = (core.stores[0] as FixedKeyStore).words;
  const ids1 = (core.stores[1] as FixedKeyStore).words;
  const slots = core.slots;
  const mask = core.mask;
  for (let g = 0; g < core.size; g++) {
    const x = ids0[g] as number;
    const y = ids1[g] as number;
    const h = quickHash(x, y);
    let p = (h & mask) << 2;
    while (slots[p + 1] !== 0) p = (p + 4) & (mask << 2);
    slots[p] = h;
    slots[p + 1] = g + 1;
    slots[p + 2] = x;
    slots[p + 3] = y;
  }
}

/** Most key columns the composite path takes: their ids must fit an 8-word slot after `[hash, groupId + 1]`. */
export const MAX_COMPOSITE_KEYS = 6;

/**
 * Composite path for 2..{@link MAX_COMPOSITE_KEYS} key columns: each column has already
 * been mapped to dense per-column ids by its own single-key table (`parts[c][i]` is row
 * i's id in column c, -1 when absent in lookup mode), so a row's key tuple equals a group's
 * exactly when the id tuples are equal. The id tuple is hashed, probed and compared inside
 * the slot `[hash, groupId + 1, id0, id1, ...]` (4 words for two columns, else 8); `core.stores[c]` (int32 stores)
 * keep each group's column ids, indexed by group id. Same output contract as the other
 * probe kernels.
 */
export function probeCompositeKeys(core: GroupTableCore, parts: readonly Int32Array[], numRows: number, out: Int32Array, insert: boolean): void {
  if (parts.length === 2) {
    probePair(core, parts[0] as Int32Array, parts[1] as Int32Array, numRows, out, insert);
    return;
  }
  const k = parts.length;
  const stores = core.stores as readonly FixedKeyStore[];
  const tuple = new Int32Array(k);
  let slots = core.slots;
  let mask = core.mask;
  rows: for (let i = 0; i < numRows; i++) {
    let h = 0;
    for (let c = 0; c < k; c++) {
      const id = (parts[c] as Int32Array)[i] as number;
      if (id < 0) {
        out[i] = -1;
        continue rows;
      }
      tuple[c] = id;
      h = quickHash(id, h);
    }
    let p = (h & mask) << 3;
    let g = -1;
    for (;;) {
      const e = slots[p + 1] as number;
      if (e === 0) break;
      if (slots[p] === h) {
        let c = 0;
        while (c < k && slots[p + 2 + c] === tuple[c]) c++;
        if (c === k) {
          g = e - 1;
          break;
        }
      }
      p = (p + 8) & (mask << 3);
    }
    if (g < 0 && insert) {
      g = core.size;
      slots[p] = h;
      slots[p + 1] = g + 1;
      for (let c = 0; c < k; c++) {
        const id = tuple[c] as number;
        slots[p + 2 + c] = id;
        (stores[c] as FixedKeyStore).words[g] = id;
      }
      core.commitGroup();
      slots = core.slots;
      mask = core.mask;
    }
    out[i] = g;
  }
}

/** Two key columns (the common case) in 4-word slots `[hash, groupId + 1, id0, id1]`. */
function probePair(core: GroupTableCore, a: Int32Array, b: Int32Array, numRows: number, out: Int32Array, insert: boolean): void {
  const sa = core.stores[0] as FixedKeyStore;
  const sb = core.stores[1] as FixedKeyStore;
  let slots = core.slots;
  let mask = core.mask;
  for (let i = 0; i < numRows; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if ((x | y) < 0) {
      out[i] = -1;
      continue;
    }
    const h = quickHash(x, y);
    let p = (h & mask) << 2;
    let g = -1;
    for (;;) {
      const e = slots[p + 1] as number;
      if (e === 0) break;
      if (slots[p + 2] === x && slots[p + 3] === y) {
        g = e - 1;
        break;
      }
      p = (p + 4) & (mask << 2);
    }
    if (g < 0 && insert) {
      g = core.size;
      slots[p] = h;
      slots[p + 1] = g + 1;
      slots[p + 2] = x;
      slots[p + 3] = y;
      sa.words[g] = x;
      sb.words[g] = y;
      core.commitGroup();
      slots = core.slots;
      mask = core.mask;
    }
    out[i] = g;
  }
}
