import type { ColumnVector } from '../../common/column-vector.js';
import { radixSortPermutation } from '../sort/radix-sort.js';
import { sortKeyWords } from '../sort/sort-key-words.js';

/** The session of every row: `[start, end)` in the time column's unit; `has[i]` = 0 for rows without one. */
export interface RowSessions {
  readonly start: BigInt64Array;
  readonly end: BigInt64Array;
  readonly has: Uint8Array;
  /** Dense session number of every row with a session (0 .. count-1). */
  readonly id: Int32Array;
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
 * unit. Rows are sorted by (keys, time) with one radix sort, so the cost is linear in the rows.
 */
export function sessionize(keys: readonly ColumnVector[], time: ColumnVector, gap: bigint | ColumnVector, numRows: number): RowSessions {
  // One radix sort by (keys, time): order-preserving words per key column, then the time's.
  // The sort moves the words along with the rows, so afterwards equal neighbouring key words
  // mean the same key (nulls equal nulls, as in grouping).
  const asc = { ascending: true, nullsFirst: false };
  const keyWords = keys.flatMap((k) => sortKeyWords(k, asc));
  const order = radixSortPermutation([...keyWords, ...sortKeyWords(time, asc)], numRows);
  const sameKeyAsPrevious = (pos: number): boolean => {
    for (const w of keyWords) if (w[pos] !== w[pos - 1]) return false;
    return true;
  };
  // Times and gaps as doubles (exact below 2^53 units: any µs time within ±285 years of 1970),
  // read from the int64 words without allocating a bigint per row.
  const tWords = new Int32Array((time.values as BigInt64Array).buffer, (time.values as BigInt64Array).byteOffset, numRows * 2);
  const timeAt = (i: number): number => (tWords[2 * i + 1] as number) * 4294967296 + ((tWords[2 * i] as number) >>> 0);
  const tValid = time.validity;
  const gapValues = typeof gap === 'bigint' ? null : (gap.values as BigInt64Array | Int32Array | Float64Array);
  const gapValid = typeof gap === 'bigint' ? null : gap.validity;
  const constGap = typeof gap === 'bigint' ? Number(gap) : 0;
  const start = new BigInt64Array(numRows);
  const end = new BigInt64Array(numRows);
  const startWords = new Int32Array(start.buffer);
  const endWords = new Int32Array(end.buffer);
  const has = new Uint8Array(numRows);
  const id = new Int32Array(numRows);
  let count = 0;
  let p = 0;
  let sessionFirst = -1;
  let sStart = 0;
  let sEnd = 0;
  const close = (upTo: number): void => {
    if (sessionFirst < 0) return;
    const sHi = Math.floor(sStart / 4294967296);
    const sLo = (sStart - sHi * 4294967296) | 0;
    const eHi = Math.floor(sEnd / 4294967296);
    const eLo = (sEnd - eHi * 4294967296) | 0;
    for (let k = sessionFirst; k < upTo; k++) {
      const i = order[k] as number;
      if (has[i] === 0) continue;
      startWords[2 * i] = sLo;
      startWords[2 * i + 1] = sHi;
      endWords[2 * i] = eLo;
      endWords[2 * i + 1] = eHi;
      id[i] = count;
    }
    count++;
    sessionFirst = -1;
  };
  while (p < numRows) {
    // One run of rows of the same key (in time order).
    let q = p + 1;
    while (q < numRows && sameKeyAsPrevious(q)) q++;
    for (let k = p; k < q; k++) {
      const i = order[k] as number;
      if (tValid !== null && tValid[i] === 0) continue;
      let rowGap = constGap;
      if (gapValues !== null) {
        if (gapValid !== null && gapValid[i] === 0) continue;
        const v = gapValues[i] as number | bigint;
        rowGap = typeof v === 'bigint' ? Number(v) : Math.trunc(v);
      }
      if (rowGap <= 0) continue;
      const ti = timeAt(i);
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
  return { start, end, has, id, count };
}
