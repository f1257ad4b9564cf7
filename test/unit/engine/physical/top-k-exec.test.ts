import { describe, expect, it } from 'vitest';
import { types } from '../../../../common/data-type.js';
import { LimitExec } from '../../../../engine/physical/limit-exec.js';
import { SortExec } from '../../../../engine/physical/sort-exec.js';
import { TopKExec } from '../../../../engine/physical/top-k-exec.js';
import { c, CountingExec, order, rowsOf, scanOf } from '../join/exec-test-kit.js';

const COLS = [
  ['k', types.int64],
  ['s', types.utf8],
  ['i', types.int32],
] as const;

function rows(n: number): (bigint | string | number | null)[][] {
  let seed = 11;
  const out: (bigint | string | number | null)[][] = [];
  for (let i = 0; i < n; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    const k = seed % 7 === 0 ? null : BigInt(seed % 13);
    out.push([k, `s${seed % 5}`, i]);
  }
  return out;
}

describe('TopKExec', () => {
  it('equals sort + limit for many n, with ties, nulls and several input batches', async () => {
    const data = rows(60);
    const orders = [order(c('k'), false), order(c('s'))];
    for (const n of [1, 2, 5, 13, 59, 60, 100]) {
      const expected = await rowsOf(new LimitExec(new SortExec(scanOf(COLS, data, 7), orders), n), 4);
      const got = await rowsOf(new TopKExec(scanOf(COLS, data, 7), orders, n), 4);
      expect(got).toEqual(expected);
    }
  });

  it('returns nothing for n = 0 without starting its child, and nothing for empty input', async () => {
    const child = new CountingExec(scanOf(COLS, rows(5)));
    expect(await rowsOf(new TopKExec(child, [order(c('k'))], 0))).toEqual([]);
    expect(child.started).toBe(false);
    expect(await rowsOf(new TopKExec(scanOf(COLS, []), [order(c('k'))], 3))).toEqual([]);
  });
});
