import { describe, expect, it } from 'vitest';
import { int64FromNumbers } from '../../../../engine/aggregate/int64-from-numbers.js';

describe('int64FromNumbers', () => {
  it('writes integer doubles as int64 exactly, negative and past 32 bits included', () => {
    const xs = [0, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 32 + 5, 2 ** 53, -1, -(2 ** 31), -(2 ** 31) - 1, -(2 ** 53), 123456789012];
    expect([...int64FromNumbers(Float64Array.from(xs), xs.length)]).toEqual(xs.map((x) => BigInt(x)));
  });

  it('reads a strided slot', () => {
    const state = Float64Array.from([10, 1, 20, 2, 30, 3]);
    expect([...int64FromNumbers(state, 3, 2, 1)]).toEqual([1n, 2n, 3n]);
    expect([...int64FromNumbers(state, 2, 2, 0)]).toEqual([10n, 20n]);
  });
});
