/** A typed array of numbers or bigints that selection reorders in place. */
export type Selectable = Float64Array | Int32Array | BigInt64Array;

/**
 * Reorders `a[lo..hi]` (inclusive) so that `a[k]` holds the value a sort would put there,
 * smaller-or-equal values before it and greater-or-equal after (Hoare's quickselect with a
 * middle pivot, expected linear time). The values must be totally ordered by `<` (no NaN).
 */
export function selectRank(a: Selectable, lo: number, hi: number, k: number): void {
  const v = a as unknown as number[];
  while (hi > lo) {
    const pivot = v[(lo + hi) >>> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((v[i] as number) < pivot) i++;
      while ((v[j] as number) > pivot) j--;
      if (i <= j) {
        const t = v[i] as number;
        v[i] = v[j] as number;
        v[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/** Moves the NaN values of a double array to its end; returns the number of other values. */
export function nanToEnd(a: Float64Array): number {
  let w = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    if (!Number.isNaN(x)) a[w++] = x;
  }
  for (let i = w; i < a.length; i++) a[i] = Number.NaN;
  return w;
}

/**
 * The values at the 0-based positions `ks` of `a` in sorted order (NaN above every number),
 * found by selection instead of a full sort; `a` is reordered.
 */
export function valuesAtRanks(a: Selectable, ks: readonly number[]): (number | bigint)[] {
  const m = a instanceof Float64Array ? nanToEnd(a) : a.length;
  const order = ks.map((k, i) => [k, i] as const).sort((x, y) => x[0] - y[0]);
  const out: (number | bigint)[] = new Array(ks.length);
  let from = 0;
  for (const [k, i] of order) {
    if (k >= m) {
      out[i] = a[k] as number | bigint;
      continue;
    }
    selectRank(a, from, m - 1, k);
    out[i] = a[k] as number | bigint;
    from = k;
  }
  return out;
}
