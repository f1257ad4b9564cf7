import { describe, expect, it } from 'vitest';
import { valuesAtRanks } from '../../../../engine/aggregate/select-rank.js';

/** A small seeded generator, so the arrays are the same on every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe('valuesAtRanks (selection for percentiles)', () => {
  it('equals reading a sorted copy, for doubles with duplicates and NaN, ints and bigints', () => {
    const rnd = lcg(7);
    for (let round = 0; round < 200; round++) {
      const n = 1 + Math.floor(rnd() * 300);
      const doubles = Float64Array.from({ length: n }, () => (rnd() < 0.05 ? Number.NaN : Math.floor(rnd() * 20) - 10 + (rnd() < 0.5 ? 0.5 : 0)));
      const ints = Int32Array.from({ length: n }, () => Math.floor(rnd() * 1000) - 500);
      const bigs = BigInt64Array.from({ length: n }, () => BigInt(Math.floor(rnd() * 2 ** 40)) - 2n ** 39n);
      const ks = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => Math.floor(rnd() * n));
      for (const a of [doubles, ints, bigs]) {
        const sorted = a.slice().sort();
        const want = ks.map((k) => sorted[k]);
        const got = valuesAtRanks(a.slice(), ks);
        expect(got).toEqual(want);
      }
    }
  });

  it('handles sorted, reversed and constant inputs', () => {
    const n = 10_000;
    const up = Float64Array.from({ length: n }, (_, i) => i);
    const down = up.slice().reverse();
    const flat = new Float64Array(n).fill(3);
    for (const a of [up, down]) expect(valuesAtRanks(a, [0, 4999, 5000, n - 1])).toEqual([0, 4999, 5000, n - 1]);
    expect(valuesAtRanks(flat, [0, 17, n - 1])).toEqual([3, 3, 3]);
  });
});
