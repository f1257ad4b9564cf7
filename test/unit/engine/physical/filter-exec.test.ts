import { describe, expect, it } from 'vitest';
import { types } from '../../../../common/data-type.js';
import { FilterExec } from '../../../../engine/physical/filter-exec.js';
import { bin, c, rowsOf, scanOf } from '../join/exec-test-kit.js';

const COLS = [
  ['keep', types.boolean],
  ['v', types.int32],
] as const;
const DATA = [
  [true, 1],
  [false, 2],
  [null, 3],
  [true, 4],
  [false, 5],
  [false, 6],
  [true, 7],
];

describe('FilterExec', () => {
  it('keeps rows where the condition is true, drops false and null', async () => {
    const op = new FilterExec(scanOf(COLS, DATA, 3), c('keep'));
    expect(await rowsOf(op)).toEqual([
      [true, 1],
      [true, 4],
      [true, 7],
    ]);
    expect(op.schema).toBe(op.children[0]?.schema);
    expect(op.metrics.outputRows).toBe(3);
  });

  it('evaluates comparisons and handles empty results and input', async () => {
    const gt = bin('>', c('v'), Object.freeze({ kind: 'lit', value: 100, type: types.int32 }));
    expect(await rowsOf(new FilterExec(scanOf(COLS, DATA), gt))).toEqual([]);
    expect(await rowsOf(new FilterExec(scanOf(COLS, []), c('keep')))).toEqual([]);
    const le = bin('<=', c('v'), Object.freeze({ kind: 'lit', value: 2, type: types.int32 }));
    expect(await rowsOf(new FilterExec(scanOf(COLS, DATA), le))).toEqual([
      [true, 1],
      [false, 2],
    ]);
  });
});
