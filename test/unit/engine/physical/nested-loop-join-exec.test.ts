import { describe, expect, it } from 'vitest';
import { types } from '../../../../common/data-type.js';
import type { JsValue } from '../../../../common/vector-from-values.js';
import type { JoinType } from '../../../../dataframe/plan/logical-plan.js';
import { NestedLoopJoinExec } from '../../../../engine/physical/nested-loop-join-exec.js';
import { bin, c, canonical, rowsOf, scanOf, schemaFor } from '../join/exec-test-kit.js';
import type { ColSpec } from '../join/exec-test-kit.js';
import { referenceJoin } from '../join/join-reference.js';

const LCOLS: ColSpec[] = [
  ['x', types.int32, 'l'],
  ['s', types.utf8, 'l'],
];
const RCOLS: ColSpec[] = [
  ['lo', types.int32, 'r'],
  ['hi', types.int32, 'r'],
];
const L = [
  [1, 'a'],
  [5, 'b'],
  [null, 'c'],
  [9, 'd'],
  [5, 'e'],
];
const R = [
  [0, 4],
  [4, 6],
  [5, 10],
  [null, 3],
];

function nlj(t: JoinType, cond: ReturnType<typeof bin> | null, l = L, r = R) {
  const schema = schemaFor(t === 'semi' || t === 'anti' ? LCOLS : [...LCOLS, ...RCOLS]);
  return new NestedLoopJoinExec(scanOf(LCOLS, l, 2), scanOf(RCOLS, r, 3), t, cond, schema);
}

// x BETWEEN lo AND hi, as a non-equi condition.
const BETWEEN = bin('and', bin('>=', c('x', 'l'), c('lo', 'r')), bin('<=', c('x', 'l'), c('hi', 'r')));
const betweenJs = (l: readonly JsValue[], r: readonly JsValue[]) =>
  l[0] !== null && r[0] !== null && r[1] !== null && (l[0] as number) >= (r[0] as number) && (l[0] as number) <= (r[1] as number);

describe('NestedLoopJoinExec', () => {
  it('cross join yields every pair, left-row-major, in bounded batches', async () => {
    const rows = await rowsOf(nlj('cross', null), 3);
    expect(rows.length).toBe(20);
    expect(rows.slice(0, 5)).toEqual([
      [1, 'a', 0, 4],
      [1, 'a', 4, 6],
      [1, 'a', 5, 10],
      [1, 'a', null, 3],
      [5, 'b', 0, 4],
    ]);
  });

  it('every join type with a range condition equals the reference join', async () => {
    for (const t of ['inner', 'left', 'right', 'full', 'semi', 'anti'] as JoinType[]) {
      const got = await rowsOf(nlj(t, BETWEEN));
      expect(canonical(got), t).toEqual(canonical(referenceJoin(t, L, R, [], [], betweenJs)));
    }
  });

  it('handles empty sides', async () => {
    for (const t of ['cross', 'inner', 'left', 'right', 'full', 'semi', 'anti'] as JoinType[]) {
      const ref = t === 'cross' ? 'inner' : t;
      expect(canonical(await rowsOf(nlj(t, null, L, []))), `${t} empty right`).toEqual(canonical(referenceJoin(ref, L, [], [], [], null, [2, 2])));
      expect(canonical(await rowsOf(nlj(t, BETWEEN, [], R))), `${t} empty left`).toEqual(canonical(referenceJoin(ref, [], R, [], [], betweenJs, [2, 2])));
    }
  });
});
