/**
 * Samples indices 0..k-1 with given relative weights: a normalised cumulative distribution
 * and a binary search per draw (O(log k)), as numpy's `searchsorted(cdf, u, 'right')`.
 */
export class DiscreteSampler {
  /** cdf[i] = P(index <= i); the last entry is exactly 1. */
  readonly cdf: Float64Array;

  /** Builds the sampler from non-negative weights (at least one positive). */
  constructor(weights: Float64Array) {
    const cdf = new Float64Array(weights.length);
    let acc = 0;
    for (let i = 0; i < weights.length; i++) {
      acc += weights[i] as number;
      cdf[i] = acc;
    }
    for (let i = 0; i < cdf.length; i++) cdf[i] = (cdf[i] as number) / acc;
    cdf[cdf.length - 1] = 1;
    this.cdf = cdf;
  }

  /** Zipf-like weights: P(index k) proportional to (k + 1)^-s, for k in [0, n). */
  static zipf(n: number, s: number): DiscreteSampler {
    const w = new Float64Array(n);
    for (let k = 0; k < n; k++) w[k] = (k + 1) ** -s;
    return new DiscreteSampler(w);
  }

  /** The index whose cumulative interval contains `u` (a uniform draw in [0, 1)). */
  sample(u: number): number {
    const cdf = this.cdf;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cdf[mid] as number) <= u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
