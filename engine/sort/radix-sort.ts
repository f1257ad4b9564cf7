/**
 * Stable most-significant-digit radix sort of row indices by unsigned 32-bit key words.
 * The key words travel with the indices, so after the first split or two every range
 * fits in cache and no pass reads memory at random. Each step looks only at the bits that
 * still differ inside its range (so constant high bits cost nothing), splits by up to
 * {@link DIGIT_BITS} of them with a counting scatter, and small ranges finish with an
 * insertion sort. Every step keeps equal keys in input order, so the sort is stable.
 */

const DIGIT_BITS = 11;
const SMALL_RANGE = 16;

/**
 * The permutation that orders rows `[0, n)` by `words` read as unsigned 32-bit integers,
 * `words[0]` most significant. Stable: rows with equal words keep their input order.
 * The words arrays are reordered in place (callers pass scratch arrays), except words
 * that are equal on every row, which are left out.
 */
export function radixSortPermutation(words: readonly Int32Array[], n: number): Int32Array {
  const perm = identity(n);
  if (n < 2) return perm;
  // Words equal on every row (e.g. the high half of small int64 keys) never need moving.
  const varying = words.filter((w) => !isConstant(w, n));
  if (varying.length === 0) return perm;
  new RadixSorter(varying, perm, n).sortRange(0, n, 0, 32);
  return perm;
}

function isConstant(w: Int32Array, n: number): boolean {
  const first = w[0] as number;
  for (let i = 1; i < n; i++) if (w[i] !== first) return false;
  return true;
}

/** `[0, 1, ..., n-1]`. */
export function identity(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

class RadixSorter {
  private readonly keys: readonly Int32Array[];
  private readonly perm: Int32Array;
  private readonly tmp: Int32Array;
  private readonly counts = new Int32Array(1 << DIGIT_BITS);

  constructor(keys: readonly Int32Array[], perm: Int32Array, n: number) {
    this.keys = keys;
    this.perm = perm;
    this.tmp = new Int32Array(n);
  }

  /** Sorts `[lo, hi)` knowing the words before `wi` and the bits of word `wi` from `bitsLeft` up are equal in it. */
  sortRange(lo: number, hi: number, wi: number, bitsLeft: number): void {
    const keys = this.keys;
    const nWords = keys.length;
    for (;;) {
      if (hi - lo < 2 || wi >= nWords) return;
      if (hi - lo <= SMALL_RANGE) {
        this.insertionSort(lo, hi, wi);
        return;
      }
      const key = keys[wi] as Int32Array;
      let or = 0;
      let and = -1;
      for (let i = lo; i < hi; i++) {
        const x = key[i] as number;
        or |= x;
        and &= x;
      }
      const lowMask = bitsLeft === 32 ? -1 : (1 << bitsLeft) - 1;
      const diff = (or ^ and) & lowMask;
      if (diff === 0) {
        wi++;
        bitsLeft = 32;
        continue;
      }
      const top = 31 - Math.clz32(diff);
      // About 4 rows per bucket on small ranges keeps the per-bucket overhead low.
      const bits = Math.max(4, Math.min(DIGIT_BITS, 30 - Math.clz32(hi - lo)));
      const shift = top >= bits ? top - bits + 1 : 0;
      const buckets = 1 << (top - shift + 1);
      const starts = this.scatter(lo, hi, wi, shift, buckets - 1, buckets);
      const nextWi = shift === 0 ? wi + 1 : wi;
      const nextBits = shift === 0 ? 32 : shift;
      for (let b = 0; b < buckets; b++) {
        const s = starts[b] as number;
        const e = starts[b + 1] as number;
        if (e - s > 1) this.sortRange(s, e, nextWi, nextBits);
      }
      return;
    }
  }

  /** Counting-scatters `[lo, hi)` (indices and words `wi..`) by digit `(key >>> shift) & mask`; returns bucket bounds. */
  private scatter(lo: number, hi: number, wi: number, shift: number, mask: number, buckets: number): Int32Array {
    const key = this.keys[wi] as Int32Array;
    const counts = this.counts;
    counts.fill(0, 0, buckets);
    for (let i = lo; i < hi; i++) {
      const d = ((key[i] as number) >>> shift) & mask;
      counts[d] = (counts[d] as number) + 1;
    }
    const starts = new Int32Array(buckets + 1);
    let s = lo;
    for (let b = 0; b < buckets; b++) {
      starts[b] = s;
      s += counts[b] as number;
    }
    starts[buckets] = hi;
    // The digit column is read once per array moved; positions repeat in the same order.
    this.moveByDigit(this.perm, key, lo, hi, shift, mask, starts, buckets);
    for (let w = this.keys.length - 1; w >= wi; w--) this.moveByDigit(this.keys[w] as Int32Array, key, lo, hi, shift, mask, starts, buckets);
    return starts;
  }

  private moveByDigit(arr: Int32Array, key: Int32Array, lo: number, hi: number, shift: number, mask: number, starts: Int32Array, buckets: number): void {
    const counts = this.counts;
    const tmp = this.tmp;
    for (let b = 0; b < buckets; b++) counts[b] = starts[b] as number;
    for (let i = lo; i < hi; i++) {
      const d = ((key[i] as number) >>> shift) & mask;
      const pos = counts[d] as number;
      counts[d] = pos + 1;
      tmp[pos] = arr[i] as number;
    }
    arr.set(tmp.subarray(lo, hi), lo);
  }

  private insertionSort(lo: number, hi: number, wi: number): void {
    const keys = this.keys;
    const perm = this.perm;
    const nWords = keys.length;
    for (let i = lo + 1; i < hi; i++) {
      let j = i;
      while (j > lo && this.greater(j - 1, j, wi)) {
        for (let w = wi; w < nWords; w++) {
          const k = keys[w] as Int32Array;
          const t = k[j] as number;
          k[j] = k[j - 1] as number;
          k[j - 1] = t;
        }
        const t = perm[j] as number;
        perm[j] = perm[j - 1] as number;
        perm[j - 1] = t;
        j--;
      }
    }
  }

  private greater(a: number, b: number, wi: number): boolean {
    const keys = this.keys;
    for (let w = wi; w < keys.length; w++) {
      const k = keys[w] as Int32Array;
      const x = (k[a] as number) >>> 0;
      const y = (k[b] as number) >>> 0;
      if (x !== y) return x > y;
    }
    return false;
  }
}
