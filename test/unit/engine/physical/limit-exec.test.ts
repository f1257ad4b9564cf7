import { describe, expect, it } from 'vitest';
import { types } from '../../../../common/data-type.js';
import { LimitExec } from '../../../../engine/physical/limit-exec.js';
import { CountingExec, rowsOf, scanOf } from '../join/exec-test-kit.js';

const COLS = [['x', types.int32]] as const;
const DATA = Array.from({ length: 10 }, (_, i) => [i]);

describe('LimitExec', () => {
  it('returns the first n rows and stops pulling from (and closes) its child', async () => {
    const child = new CountingExec(scanOf(COLS, DATA, 3));
    const op = new LimitExec(child, 4);
    expect(await rowsOf(op, 3)).toEqual([[0], [1], [2], [3]]);
    expect(child.pulled).toBe(2);
    expect(child.finished).toBe(true);
    expect(op.metrics.outputRows).toBe(4);
  });

  it('stops exactly at a batch boundary', async () => {
    const child = new CountingExec(scanOf(COLS, DATA, 3));
    expect(await rowsOf(new LimitExec(child, 6), 3)).toEqual([[0], [1], [2], [3], [4], [5]]);
    expect(child.pulled).toBe(2);
  });

  it('limit 0 yields nothing and never starts the child', async () => {
    const child = new CountingExec(scanOf(COLS, DATA));
    expect(await rowsOf(new LimitExec(child, 0))).toEqual([]);
    expect(child.started).toBe(false);
  });

  it('a limit above the row count returns every row', async () => {
    expect(await rowsOf(new LimitExec(scanOf(COLS, DATA), 100))).toEqual(DATA);
    expect(await rowsOf(new LimitExec(scanOf(COLS, []), 5))).toEqual([]);
  });
});
