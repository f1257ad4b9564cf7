import { describe, expect, it } from 'vitest';
import { canonicalRows } from '../../../benchmarks/canonical-rows.js';
import { compareResults } from '../../../benchmarks/compare-results.js';
import { median, timeRuns } from '../../../benchmarks/timing.js';
import type { ResultColumn } from '../../../benchmarks/workloads/bench-query.js';

const COLS: readonly ResultColumn[] = [
  { name: 'window_start_ms', kind: 'int' },
  { name: 'country', kind: 'str' },
  { name: 'sum_amount', kind: 'float' },
];

describe('canonicalRows', () => {
  it('converts bigint, Date, integral numbers and strings, orders columns and sorts rows by keys', () => {
    const rows = canonicalRows(
      [
        { country: 'US', window_start_ms: new Date(120_000), sum_amount: 2.5 },
        { sum_amount: 1n, country: 'DE', window_start_ms: 60_000 },
        { window_start_ms: 10n ** 15n, country: null, sum_amount: null },
        { window_start_ms: '60000', country: 'AT', sum_amount: 4 },
      ],
      COLS,
    );
    expect(rows).toEqual([
      ['60000', 'AT', 4],
      ['60000', 'DE', 1],
      ['120000', 'US', 2.5],
      ['1000000000000000', null, null],
    ]);
  });

  it('returns no rows for an empty result and rejects missing columns and non-integers', () => {
    expect(canonicalRows([], COLS)).toEqual([]);
    expect(() => canonicalRows([{ window_start_ms: 1, country: 'x' }], COLS)).toThrow(/no column 'sum_amount'/);
    expect(() => canonicalRows([{ window_start_ms: 1.5, country: 'x', sum_amount: 1 }], COLS)).toThrow(/integers/);
  });
});

describe('compareResults', () => {
  it('accepts equal results with doubles within 1e-9 relative', () => {
    const a = canonicalRows([{ window_start_ms: 1n, country: 'US', sum_amount: 1_000_000.0000001 }], COLS);
    const b = canonicalRows([{ window_start_ms: 1, country: 'US', sum_amount: 1_000_000 }], COLS);
    expect(compareResults(a, b, COLS)).toEqual({ equal: true, differences: [] });
    expect(compareResults([], [], COLS).equal).toBe(true);
  });

  it('reports differing doubles, keys, nulls and row counts', () => {
    const a = canonicalRows(
      [
        { window_start_ms: 1n, country: 'US', sum_amount: 1.0 },
        { window_start_ms: 2n, country: 'GB', sum_amount: null },
      ],
      COLS,
    );
    const b = canonicalRows(
      [
        { window_start_ms: 1n, country: 'US', sum_amount: 1.00001 },
        { window_start_ms: 2n, country: 'GB', sum_amount: 0 },
      ],
      COLS,
    );
    const r = compareResults(a, b, COLS);
    expect(r.equal).toBe(false);
    expect(r.differences).toEqual([
      'row 0: ["1","US",1] vs ["1","US",1.00001] (columns sum_amount)',
      'row 1: ["2","GB",null] vs ["2","GB",0] (columns sum_amount)',
    ]);
    const shorter = compareResults(a, a.slice(0, 1), COLS);
    expect(shorter.differences).toEqual(['row counts differ: 2 vs 1']);
    const keys = compareResults(canonicalRows([{ window_start_ms: 3n, country: 'US', sum_amount: 1 }], COLS), a.slice(0, 1), COLS);
    expect(keys.differences[0]).toMatch(/\(columns window_start_ms\)$/);
  });
});

describe('timing', () => {
  it('takes medians of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });

  it('times only the runs after the warm-up', async () => {
    let calls = 0;
    const times = await timeRuns(
      async () => {
        calls++;
      },
      3,
      2,
    );
    expect(calls).toBe(5);
    expect(times).toHaveLength(3);
    expect(times.every((t) => t >= 0)).toBe(true);
  });
});
