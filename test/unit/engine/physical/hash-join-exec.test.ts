import { describe, expect, it } from 'vitest';
import { types } from '../../../../common/data-type.js';
import type { JsValue } from '../../../../common/vector-from-values.js';
import type { JoinType } from '../../../../dataframe/plan/logical-plan.js';
import { HashJoinExec } from '../../../../engine/physical/hash-join-exec.js';
import type { PhysicalOperator } from '../../../../engine/physical/physical-operator.js';
import { bin, c, canonical, CountingExec, rowsOf, scanOf, schemaFor } from '../join/exec-test-kit.js';
import type { ColSpec } from '../join/exec-test-kit.js';
import { referenceJoin } from '../join/join-reference.js';

const LCOLS: ColSpec[] = [
  ['k', types.int64, 'l'],
  ['v', types.utf8, 'l'],
];
const RCOLS: ColSpec[] = [
  ['k', types.int64, 'r'],
  ['w', types.utf8, 'r'],
];
const L = [
  [1n, 'a'],
  [1n, 'b'],
  [null, 'c'],
  [2n, 'd'],
  [4n, 'e'],
];
const R = [
  [1n, 'x'],
  [3n, 'y'],
  [1n, 'z'],
  [null, 'n'],
  [4n, 'q'],
];

function outSchema(joinType: JoinType, lcols: ColSpec[], rcols: ColSpec[]) {
  return schemaFor(joinType === 'semi' || joinType === 'anti' ? lcols : [...lcols, ...rcols]);
}

function join(joinType: JoinType, buildSide: 'left' | 'right', l: PhysicalOperator, r: PhysicalOperator, cond: ReturnType<typeof bin> | null = null) {
  return new HashJoinExec(l, r, joinType, [c('k', 'l')], [c('k', 'r')], cond, buildSide, outSchema(joinType, LCOLS, RCOLS), null);
}

const ALL: JoinType[] = ['inner', 'left', 'right', 'full', 'semi', 'anti'];

describe('HashJoinExec', () => {
  it('inner join with duplicates on both sides and null keys', async () => {
    const rows = await rowsOf(join('inner', 'right', scanOf(LCOLS, L, 2), scanOf(RCOLS, R, 2)));
    expect(rows).toEqual([
      [1n, 'a', 1n, 'x'],
      [1n, 'a', 1n, 'z'],
      [1n, 'b', 1n, 'x'],
      [1n, 'b', 1n, 'z'],
      [4n, 'e', 4n, 'q'],
    ]);
  });

  it('left join keeps probe order and null-extends unmatched rows (including null keys)', async () => {
    const rows = await rowsOf(join('left', 'right', scanOf(LCOLS, L, 2), scanOf(RCOLS, R, 2)));
    expect(rows).toEqual([
      [1n, 'a', 1n, 'x'],
      [1n, 'a', 1n, 'z'],
      [1n, 'b', 1n, 'x'],
      [1n, 'b', 1n, 'z'],
      [null, 'c', null, null],
      [2n, 'd', null, null],
      [4n, 'e', 4n, 'q'],
    ]);
  });

  it('right and full joins emit unmatched build rows at the end', async () => {
    const right = await rowsOf(join('right', 'left', scanOf(LCOLS, L, 2), scanOf(RCOLS, R, 2)));
    expect(canonical(right)).toEqual(canonical(referenceJoin('right', L, R, [0], [0], null)));
    const full = await rowsOf(join('full', 'right', scanOf(LCOLS, L, 2), scanOf(RCOLS, R, 2)));
    expect(full.slice(-2)).toEqual([
      [null, null, 3n, 'y'],
      [null, null, null, 'n'],
    ]);
    expect(canonical(full)).toEqual(canonical(referenceJoin('full', L, R, [0], [0], null)));
  });

  it('semi and anti joins output left rows once; anti keeps null keys', async () => {
    for (const side of ['left', 'right'] as const) {
      const semi = await rowsOf(join('semi', side, scanOf(LCOLS, L, 2), scanOf(RCOLS, R, 2)));
      expect(canonical(semi)).toEqual(canonical([L[0], L[1], L[4]] as JsValue[][]));
      const anti = await rowsOf(join('anti', side, scanOf(LCOLS, L, 2), scanOf(RCOLS, R, 2)));
      expect(canonical(anti)).toEqual(canonical([L[2], L[3]] as JsValue[][]));
    }
  });

  it('every join type and build side equals the reference join', async () => {
    for (const t of ALL) {
      for (const side of ['left', 'right'] as const) {
        const got = await rowsOf(join(t, side, scanOf(LCOLS, L, 2), scanOf(RCOLS, R, 3)));
        expect(canonical(got), `${t} build=${side}`).toEqual(canonical(referenceJoin(t, L, R, [0], [0], null)));
      }
    }
  });

  it('applies an extra condition; outer rows whose matches all fail it are null-extended', async () => {
    const cond = bin('<', c('v', 'l'), c('w', 'r'));
    const js = (l: readonly JsValue[], r: readonly JsValue[]) => (l[1] as string) < (r[1] as string);
    const l2 = [...L, [1n, 'y'], [4n, 'zz']];
    for (const t of ALL) {
      for (const side of ['left', 'right'] as const) {
        const got = await rowsOf(join(t, side, scanOf(LCOLS, l2, 3), scanOf(RCOLS, R, 2), cond));
        expect(canonical(got), `${t} build=${side}`).toEqual(canonical(referenceJoin(t, l2, R, [0], [0], js)));
      }
    }
  });

  it('joins on several key columns with nulls in either one', async () => {
    const lc: ColSpec[] = [
      ['a', types.utf8, 'l'],
      ['b', types.int32, 'l'],
      ['x', types.float64, 'l'],
    ];
    const rc: ColSpec[] = [
      ['a', types.utf8, 'r'],
      ['b', types.int32, 'r'],
      ['y', types.boolean, 'r'],
    ];
    const lrows = [
      ['p', 1, 0.5],
      ['p', 2, 1.5],
      ['q', 1, 2.5],
      [null, 1, 3.5],
      ['p', null, 4.5],
      ['p', 1, 5.5],
    ];
    const rrows = [
      ['p', 1, true],
      ['q', 1, false],
      ['q', 2, true],
      [null, 1, true],
      ['p', null, false],
      ['p', 1, null],
    ];
    for (const t of ALL) {
      const op = new HashJoinExec(
        scanOf(lc, lrows, 4),
        scanOf(rc, rrows, 4),
        t,
        [c('a', 'l'), c('b', 'l')],
        [c('a', 'r'), c('b', 'r')],
        null,
        'right',
        outSchema(t, lc, rc),
        null,
      );
      expect(canonical(await rowsOf(op)), t).toEqual(canonical(referenceJoin(t, lrows, rrows, [0, 1], [0, 1], null)));
    }
  });

  it('matches float keys by value: NaN equals NaN and -0 equals 0 (Spark normalises join keys)', async () => {
    const lc: ColSpec[] = [
      ['k', types.float64, 'l'],
      ['v', types.utf8, 'l'],
    ];
    const rc: ColSpec[] = [
      ['k', types.float64, 'r'],
      ['w', types.utf8, 'r'],
    ];
    const op = new HashJoinExec(
      scanOf(lc, [
        [Number.NaN, 'a'],
        [-0, 'b'],
        [1.5, 'c'],
        [null, 'd'],
      ]),
      scanOf(rc, [
        [0, 'x'],
        [Number.NaN, 'y'],
        [null, 'z'],
      ]),
      'inner',
      [c('k', 'l')],
      [c('k', 'r')],
      null,
      'right',
      outSchema('inner', lc, rc),
      null,
    );
    const rows = await rowsOf(op);
    expect(rows.map((r) => `${r[1]}${r[3]}`)).toEqual(['ay', 'bx']);
  });

  it('handles empty inputs on either side', async () => {
    for (const t of ALL) {
      for (const side of ['left', 'right'] as const) {
        const emptyRight = await rowsOf(join(t, side, scanOf(LCOLS, L), scanOf(RCOLS, [])));
        expect(canonical(emptyRight), `${t} ${side} empty right`).toEqual(canonical(referenceJoin(t, L, [], [0], [0], null)));
        const emptyLeft = await rowsOf(join(t, side, scanOf(LCOLS, []), scanOf(RCOLS, R)));
        expect(canonical(emptyLeft), `${t} ${side} empty left`).toEqual(canonical(referenceJoin(t, [], R, [0], [0], null)));
      }
    }
  });

  it('does not read the probe side when the build side is empty and nothing is owed', async () => {
    const probe = new CountingExec(scanOf(LCOLS, L));
    expect(await rowsOf(join('inner', 'right', probe, scanOf(RCOLS, [])))).toEqual([]);
    expect(probe.started).toBe(false);
  });

  it('splits large match sets into batches of at most batchSize rows', async () => {
    const many = Array.from({ length: 9 }, (_, i) => [7n, `r${i}`]);
    const rows = await rowsOf(
      join(
        'inner',
        'right',
        scanOf(LCOLS, [
          [7n, 'a'],
          [7n, 'b'],
        ]),
        scanOf(RCOLS, many),
      ),
      4,
    );
    expect(rows.length).toBe(18);
    expect(rows[9]).toEqual([7n, 'b', 7n, 'r0']);
  });
});
