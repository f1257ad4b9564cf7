import { describe, expect, it } from 'vitest';
import { releaseOrder } from '../../../../sources/replay/sorted-replay-file.js';

/** The order by (key, event with null first, position) the packed sort must reproduce. */
function reference(keys: Float64Array, events: Float64Array): number[] {
  const ev = (i: number): number => (Number.isNaN(events[i] as number) ? Number.NEGATIVE_INFINITY : (events[i] as number));
  return Array.from(keys, (_, i) => i).sort((a, b) => (keys[a] as number) - (keys[b] as number) || ev(a) - ev(b) || a - b);
}

function rows(n: number, seed: number, scale: number, from: number): { keys: Float64Array; events: Float64Array } {
  let x = seed;
  const next = (): number => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
  const events = Float64Array.from({ length: n }, () => (next() < 0.02 ? Number.NaN : 1.7e12 + Math.floor(next() * scale)));
  // Rows before `from` are released at `from` (beyond the reorder bound), as a replay file does.
  const keys = events.map((e) => (Number.isNaN(e) || e < from ? from : e));
  return { keys, events };
}

describe('releaseOrder', () => {
  it('orders by release time, then event time (nulls first), then position, with ties and late rows', () => {
    for (const [n, scale] of [
      [1, 10],
      [50, 5],
      [10_000, 60_000],
      [10_000, 1e6],
    ] as const) {
      const { keys, events } = rows(n, n + scale, scale, 1.7e12 + scale / 3);
      expect(Array.from(releaseOrder(keys, events))).toEqual(reference(keys, events));
    }
  });

  it('handles fractional (microsecond) keys and spans too wide to pack', () => {
    const keys = Float64Array.of(5.5, 1.25, 3.125, 1.25, 2 ** 52, 0);
    const events = Float64Array.of(5.5, 1.25, 3.125, 0.5, 2 ** 52, 0);
    expect(Array.from(releaseOrder(keys, events))).toEqual(reference(keys, events));
    const small = Float64Array.of(3.001, 1.002, 2.5);
    expect(Array.from(releaseOrder(small, small))).toEqual([1, 2, 0]);
  });

  it('returns the identity for rows already in order', () => {
    const keys = Float64Array.of(1, 2, 2, 3);
    expect(Array.from(releaseOrder(keys, keys))).toEqual([0, 1, 2, 3]);
  });
});
