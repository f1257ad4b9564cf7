import { describe, expect, it } from 'vitest';
import { DiscreteSampler } from '../../../benchmarks/data/discrete-sampler.js';
import { SeededRandom } from '../../../benchmarks/data/seeded-random.js';

describe('SeededRandom', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const c = new SeededRandom(43);
    const xs = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(xs);
  });

  it('draws doubles in [0, 1) with mean 1/2 and exponentials with the requested mean', () => {
    const r = new SeededRandom(7);
    let sum = 0;
    let min = 1;
    let max = 0;
    let expSum = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const u = r.nextDouble();
      sum += u;
      min = Math.min(min, u);
      max = Math.max(max, u);
      expSum += r.exponential(3000);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(expSum / n / 3000).toBeCloseTo(1, 1);
  });

  it('draws standard normals (mean 0, variance 1) and lognormals with mean exp(mu + sigma^2/2)', () => {
    const r = new SeededRandom(1);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let ln = 0;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      s += z;
      s2 += z * z;
      ln += r.lognormal(3.5, 1.1);
    }
    expect(s / n).toBeCloseTo(0, 1);
    expect(s2 / n).toBeCloseTo(1, 1);
    expect(ln / n / Math.exp(3.5 + 1.1 ** 2 / 2)).toBeCloseTo(1, 1);
  });

  it('makes permutations holding every index once and intBelow stays in range', () => {
    const r = new SeededRandom(5);
    const p = r.permutation(1000);
    expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(p.slice(0, 10)).not.toEqual(Int32Array.from({ length: 10 }, (_, i) => i));
    for (let i = 0; i < 1000; i++) {
      const k = r.intBelow(3);
      expect(k === 0 || k === 1 || k === 2).toBe(true);
    }
    expect(new SeededRandom(3).permutation(0)).toEqual(new Int32Array(0));
  });
});

describe('DiscreteSampler', () => {
  it('maps uniforms to indices by the cumulative weights', () => {
    const s = new DiscreteSampler(Float64Array.from([1, 0, 3]));
    expect(Array.from(s.cdf)).toEqual([0.25, 0.25, 1]);
    expect(s.sample(0)).toBe(0);
    expect(s.sample(0.2499)).toBe(0);
    expect(s.sample(0.25)).toBe(2);
    expect(s.sample(0.9999)).toBe(2);
  });

  it('builds Zipf weights proportional to (k+1)^-s', () => {
    const z = DiscreteSampler.zipf(3, 1);
    const h = 1 + 1 / 2 + 1 / 3;
    expect(z.cdf[0]).toBeCloseTo(1 / h, 12);
    expect(z.cdf[1]).toBeCloseTo(1.5 / h, 12);
    expect(z.cdf[2]).toBe(1);
  });
});
