import { describe, expect, it } from 'vitest';
import { types } from '../../../../common/data-type.js';
import { schemaFor } from '../join/exec-test-kit.js';
import { batchOf, c, order, rowsOf, scanOf } from '../join/exec-test-kit.js';
import { SortExec } from '../../../../engine/physical/sort-exec.js';
import { mergeSortedRuns } from '../../../../engine/sort/merge-sorted-runs.js';
import { valueAt } from '../../../../common/vector-value-at.js';

const COLS = [
  ['k', types.int32],
  ['tag', types.utf8],
] as const;
const ROWS = [
  [3, 'a'],
  [null, 'b'],
  [1, 'c'],
  [3, 'd'],
  [2, 'e'],
  [null, 'f'],
  [1, 'g'],
];

describe('SortExec', () => {
  it('sorts ascending with nulls first (Spark default), stable across input batches', async () => {
    const rows = await rowsOf(new SortExec(scanOf(COLS, ROWS), [order(c('k'))]));
    expect(rows).toEqual([
      [null, 'b'],
      [null, 'f'],
      [1, 'c'],
      [1, 'g'],
      [2, 'e'],
      [3, 'a'],
      [3, 'd'],
    ]);
  });

  it('sorts descending with nulls last (Spark default) and honours explicit null placement', async () => {
    const desc = await rowsOf(new SortExec(scanOf(COLS, ROWS), [order(c('k'), false)]));
    expect(desc.map((r) => r[1])).toEqual(['a', 'd', 'e', 'c', 'g', 'b', 'f']);
    const ascLast = await rowsOf(new SortExec(scanOf(COLS, ROWS), [order(c('k'), true, false)]));
    expect(ascLast.map((r) => r[1])).toEqual(['c', 'g', 'e', 'a', 'd', 'b', 'f']);
    const descFirst = await rowsOf(new SortExec(scanOf(COLS, ROWS), [order(c('k'), false, true)]));
    expect(descFirst.map((r) => r[1])).toEqual(['b', 'f', 'a', 'd', 'e', 'c', 'g']);
  });

  it('sorts by several keys of mixed types and directions', async () => {
    const cols = [
      ['country', types.utf8],
      ['amount', types.float64],
      ['id', types.int64],
    ] as const;
    const rows = [
      ['US', 5.5, 1n],
      ['DE', 1, 2n],
      ['US', Number.NaN, 3n],
      ['DE', 1, 4n],
      [null, 0, 5n],
      ['US', 7, 6n],
      ['DE', null, 7n],
    ];
    const out = await rowsOf(new SortExec(scanOf(cols, rows), [order(c('country'), true, false), order(c('amount'), false)]));
    expect(out.map((r) => r[2])).toEqual([2n, 4n, 7n, 3n, 6n, 1n, 5n]);
  });

  it('puts NaN above every number and keeps -0 and 0 together in input order', async () => {
    const cols = [
      ['x', types.float64],
      ['i', types.int32],
    ] as const;
    const rows = [
      [Number.NaN, 0],
      [0, 1],
      [Number.POSITIVE_INFINITY, 2],
      [-0, 3],
      [-1, 4],
      [Number.NaN, 5],
    ];
    const out = await rowsOf(new SortExec(scanOf(cols, rows), [order(c('x'))]));
    expect(out.map((r) => r[1])).toEqual([4, 1, 3, 2, 0, 5]);
  });

  it('yields nothing for empty input and respects the batch size', async () => {
    expect(await rowsOf(new SortExec(scanOf(COLS, []), [order(c('k'))]))).toEqual([]);
    const big = Array.from({ length: 23 }, (_, i) => [(i * 7) % 23, `r${i}`]);
    const out = await rowsOf(new SortExec(scanOf(COLS, big, 5), [order(c('k'))]), 4);
    expect(out.map((r) => r[0])).toEqual(Array.from({ length: 23 }, (_, i) => i));
  });
});

describe('mergeSortedRuns', () => {
  it('merges sorted runs into one sorted batch, ties in run order', () => {
    const schema = schemaFor(COLS);
    const r1 = batchOf(schema, [
      [1, 'a'],
      [3, 'b'],
    ]);
    const r2 = batchOf(schema, [
      [null, 'c'],
      [1, 'd'],
      [2, 'e'],
    ]);
    const merged = mergeSortedRuns(schema, [r1, batchOf(schema, []), r2], [order(c('k'))]);
    const tags = Array.from({ length: merged.numRows }, (_, i) => valueAt(merged.columns[1] as never, i));
    expect(tags).toEqual(['c', 'a', 'd', 'e', 'b']);
  });
});
