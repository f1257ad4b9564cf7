import type { ColumnVector } from '../../common/column-vector.js';
import { types } from '../../common/data-type.js';
import { GroupTable } from '../hash/group-table.js';
import { sortPermutation } from '../sort/sort-permutation.js';

/** The session of every row: `[start, end)` in the time column's unit; `has[i]` = 0 for rows without one. */
export interface RowSessions {
  readonly start: BigInt64Array;
  readonly end: BigInt64Array;
  readonly has: Uint8Array;
  /** Number of distinct sessions. */
  readonly count: number;
}

/**
 * Assigns every row to its session window (Spark's session_window): per key, rows sorted
 * by time; each row opens the interval `[t, t + gap)`; a row joins the current session when
 * its time is at or before the session's end (`t <= end`, so rows exactly `gap` apart share
 * a session) and extends the end to `max(end, t + gap)`; otherwise it starts a new session.
 * Rows with a null time or a gap <= 0 get no session (Spark drops them).
 *
 * `gap` is one value for all rows or a vector of per-row gaps, both in the time column's
 * unit. Keys are grouped by a hash table and rows sorted by (group, time) with the radix
 * sort, so the cost is linear in the rows.
 */
export function sessionize(keys: readonly ColumnVector[], time: ColumnVector, gap: bigint | ColumnVector, numRows: number): RowSessions {
  const group = keys.length === 0 ? new Int32Array(numRows) : new GroupTable(keys.map((k) => k.type)).insert(keys, numRows);
  const groupVec: ColumnVector = { type: types.int32, length: numRows, validity: null, values: group };
  const order = sortPermutation(
    [groupVec, time],
    [
      { ascending: true, nullsFirst: false },
      { ascending: true, nullsFirst: false },
    ],
    numRows,
  );
  const t = time.values as BigInt64Array;
  const tValid = time.validity;
  const gapValues = typeof gap === 'bigint' ? null : (gap.values as BigInt64Array | Int32Array | Float64Array);
  const gapValid = typeof gap === 'bigint' ? null : gap.validity;
  const constGap = typeof gap === 'bigint' ? gap : 0n;
  const start = new BigInt64Array(numRows);
  const end = new BigInt64Array(numRows);
  const has = new Uint8Array(numRows);
  let count = 0;
  let p = 0;
  while (p < numRows) {
    // One run of rows of the same group (in time order).
    const g = group[order[p] as number] as number;
    let q = p;
    while (q < numRows && group[order[q] as number] === g) q++;
    let sessionFirst = -1;
    let sStart = 0n;
    let sEnd = 0n;
    const close = (upTo: number): void => {
      if (sessionFirst < 0) return;
      for (let k = sessionFirst; k < upTo; k++) {
        const i = order[k] as number;
        if (has[i] === 0) continue;
        start[i] = sStart;
        end[i] = sEnd;
      }
      count++;
    };
    for (let k = p; k < q; k++) {
      const i = order[k] as number;
      if (tValid !== null && tValid[i] === 0) continue;
      let rowGap = constGap;
      if (gapValues !== null) {
        if (gapValid !== null && gapValid[i] === 0) continue;
        const v = gapValues[i] as number | bigint;
        rowGap = typeof v === 'bigint' ? v : BigInt(Math.trunc(v));
      }
      if (rowGap <= 0n) continue;
      const ti = t[i] as bigint;
      const ei = ti + rowGap;
      has[i] = 1;
      if (sessionFirst >= 0 && ti <= sEnd) {
        if (ei > sEnd) sEnd = ei;
        continue;
      }
      close(k);
      sessionFirst = k;
      sStart = ti;
      sEnd = ei;
    }
    close(q);
    p = q;
  }
  return { start, end, has, count };
}
