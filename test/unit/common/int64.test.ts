import { describe, expect, it } from 'vitest';
import { SAFE_LIMIT, int64At, int64Halves, isSafeInt } from '../../../common/int64.js';

describe('int64 helpers', () => {
  it('reads values through the 32-bit halves, negatives included', () => {
    const vals = [0n, 1n, -1n, 4294967295n, 4294967296n, -4294967296n, -4294967297n, 123456789012n, -123456789012n];
    const h = int64Halves(BigInt64Array.from(vals));
    expect(vals.map((_, i) => int64At(h, i))).toEqual(vals.map(Number));
  });

  it('is exact near 2^53', () => {
    const vals = [2n ** 53n - 1n, -(2n ** 53n - 1n), 2n ** 53n, -(2n ** 53n)];
    const h = int64Halves(BigInt64Array.from(vals));
    expect(vals.map((_, i) => int64At(h, i))).toEqual([SAFE_LIMIT, -SAFE_LIMIT, 2 ** 53, -(2 ** 53)]);
  });

  it('views a subarray at its byte offset', () => {
    const all = BigInt64Array.from([7n, -8n, 9n]);
    const h = int64Halves(all.subarray(1));
    expect(h.length).toBe(4);
    expect([int64At(h, 0), int64At(h, 1)]).toEqual([-8, 9]);
  });

  it('recognises safe integers', () => {
    expect(isSafeInt(SAFE_LIMIT)).toBe(true);
    expect(isSafeInt(-SAFE_LIMIT)).toBe(true);
    expect(isSafeInt(SAFE_LIMIT + 1)).toBe(false);
    expect(isSafeInt(1.5)).toBe(false);
    expect(SAFE_LIMIT).toBe(Number.MAX_SAFE_INTEGER);
  });
});
