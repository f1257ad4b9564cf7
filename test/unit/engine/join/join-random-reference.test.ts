import { describe, expect, it } from 'vitest';
import { types } from '../../../../common/data-type.js';
import type { JsValue } from '../../../../common/vector-from-values.js';
import type { JoinType } from '../../../../dataframe/plan/logical-plan.js';
import { HashJoinExec } from '../../../../engine/physical/hash-join-exec.js';
import { bin, c, canonical, rowsOf, scanOf, schemaFor } from './exec-test-kit.js';
import type { ColSpec } from './exec-test-kit.js';
import { referenceJoin } from './join-reference.js';

const LCOLS: ColSpec[] = [
  ['k1', types.utf8, 'l'],
  ['k2', types.int64, 'l'],
  ['v', types.int32, 'l'],
];
const RCOLS: ColSpec[] = [
  ['k1', types.utf8, 'r'],
  ['k2', types.int64, 'r'],
  ['w', types.int32, 'r'],
];

function randomRows(n: number, seed: number): JsValue[][] {
  let s = seed;
  const next = (m: number): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % m;
  };
  return Array.from({ length: n }, () => [next(6) === 0 ? null : `k${next(3)}`, next(7) === 0 ? null : BigInt(next(3)), next(10)]);
}

describe('hash join against the reference join on random data', () => {
  it('agrees for every join type, both build sides, with and without a condition', async () => {
    const cond = bin('<', c('v', 'l'), c('w', 'r'));
    const condJs = (l: readonly JsValue[], r: readonly JsValue[]) => (l[2] as number) < (r[2] as number);
    for (const seed of [1, 2, 3]) {
      const l = randomRows(25, seed);
      const r = randomRows(20, seed + 100);
      for (const t of ['inner', 'left', 'right', 'full', 'semi', 'anti'] as JoinType[]) {
        for (const side of ['left', 'right'] as const) {
          for (const withCond of [false, true]) {
            const schema = schemaFor(t === 'semi' || t === 'anti' ? LCOLS : [...LCOLS, ...RCOLS]);
            const op = new HashJoinExec(
              scanOf(LCOLS, l, 6),
              scanOf(RCOLS, r, 7),
              t,
              [c('k1', 'l'), c('k2', 'l')],
              [c('k1', 'r'), c('k2', 'r')],
              withCond ? cond : null,
              side,
              schema,
              null,
            );
            const expected = referenceJoin(t, l, r, [0, 1], [0, 1], withCond ? condJs : null);
            expect(canonical(await rowsOf(op, 5)), `seed ${seed} ${t} build=${side} cond=${withCond}`).toEqual(canonical(expected));
          }
        }
      }
    }
  });
});
