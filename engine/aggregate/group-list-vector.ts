import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { types } from '../../common/data-type.js';
import { gatherVector } from '../../common/vector-gather.js';

/**
 * A list vector of `numGroups` rows where row g holds, in their original order, the
 * elements `values[k]` with `groupOf[k] = g` (a stable counting sort by group). Groups
 * without elements get an empty list.
 */
export function groupListVector(elementType: DataType, groupOf: Int32Array, values: ColumnVector, count: number, numGroups: number): ColumnVector {
  const offsets = new Int32Array(numGroups + 1);
  for (let k = 0; k < count; k++) {
    const at = (groupOf[k] as number) + 1;
    offsets[at] = (offsets[at] as number) + 1;
  }
  for (let g = 0; g < numGroups; g++) offsets[g + 1] = (offsets[g + 1] as number) + (offsets[g] as number);
  const next = offsets.slice(0, numGroups);
  const order = new Int32Array(count);
  for (let k = 0; k < count; k++) {
    const g = groupOf[k] as number;
    order[next[g] as number] = k;
    next[g] = (next[g] as number) + 1;
  }
  return { type: types.list(elementType), length: numGroups, validity: null, values: new Uint8Array(0), offsets, child: gatherVector(values, order, count) };
}

/**
 * Flattens list rows for merging: the element vector (nulls dropped) and, per element,
 * the group id of its row (`groupIds[row]`).
 */
export function explodeLists(groupIds: Int32Array, lists: ColumnVector, numRows: number): { groups: Int32Array; values: ColumnVector } {
  const offs = lists.offsets as Int32Array;
  const child = lists.child as ColumnVector;
  const rowValid = lists.validity;
  const elemValid = child.type.kind === 'null' ? new Uint8Array(child.length) : child.validity;
  const rowOk = (i: number): boolean => rowValid === null || rowValid[i] !== 0;
  let n = 0;
  for (let i = 0; i < numRows; i++) {
    if (!rowOk(i)) continue;
    if (elemValid === null) n += (offs[i + 1] as number) - (offs[i] as number);
    else for (let k = offs[i] as number; k < (offs[i + 1] as number); k++) n += elemValid[k] as number;
  }
  const idx = new Int32Array(n);
  const groups = new Int32Array(n);
  let w = 0;
  for (let i = 0; i < numRows; i++) {
    if (!rowOk(i)) continue;
    const g = groupIds[i] as number;
    for (let k = offs[i] as number; k < (offs[i + 1] as number); k++) {
      if (elemValid !== null && elemValid[k] === 0) continue;
      idx[w] = k;
      groups[w++] = g;
    }
  }
  return { groups, values: gatherVector(child, idx) };
}

/** Indices of the non-null rows of `v` (a null-typed vector has none), and the group id of each. */
export function nonNullRows(groupIds: Int32Array, v: ColumnVector, numRows: number): { rows: Int32Array; groups: Int32Array } {
  if (v.type.kind === 'null') return { rows: new Int32Array(0), groups: new Int32Array(0) };
  const valid = v.validity;
  if (valid === null) {
    const rows = new Int32Array(numRows);
    for (let i = 0; i < numRows; i++) rows[i] = i;
    return { rows, groups: groupIds.subarray(0, numRows) };
  }
  let n = 0;
  for (let i = 0; i < numRows; i++) n += valid[i] as number;
  const rows = new Int32Array(n);
  const groups = new Int32Array(n);
  for (let i = 0, k = 0; i < numRows; i++) {
    if (valid[i] === 0) continue;
    rows[k] = i;
    groups[k++] = groupIds[i] as number;
  }
  return { rows, groups };
}
