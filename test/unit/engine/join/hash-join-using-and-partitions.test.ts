import { describe, expect, it } from 'vitest';
import { types } from '../../../../common/data-type.js';
import type { ColumnarBatch } from '../../../../common/column-vector.js';
import { valueAt } from '../../../../common/vector-value-at.js';
import type { JsValue } from '../../../../common/vector-from-values.js';
import type { JoinType } from '../../../../dataframe/plan/logical-plan.js';
import { buildSideRows, orMatched } from '../../../../engine/join/join-emitter.js';
import { HashJoinExec } from '../../../../engine/physical/hash-join-exec.js';
import { c, canonical, rowsOf, scanOf, schemaFor } from './exec-test-kit.js';
import type { ColSpec } from './exec-test-kit.js';
import { referenceJoin } from './join-reference.js';

const LCOLS: ColSpec[] = [
  ['id', types.int32, 'l'],
  ['a', types.utf8, 'l'],
];
const RCOLS: ColSpec[] = [
  ['id', types.int32, 'r'],
  ['b', types.utf8, 'r'],
];
const L = [
  [1, 'a1'],
  [2, 'a2'],
  [null, 'a3'],
  [2, 'a4'],
];
const R = [
  [2, 'b2'],
  [3, 'b3'],
  [null, 'bn'],
];

function usingJoin(t: JoinType, side: 'left' | 'right') {
  const schema =
    t === 'semi' || t === 'anti'
      ? schemaFor(LCOLS)
      : schemaFor([
          ['id', types.int32],
          ['a', types.utf8, 'l'],
          ['b', types.utf8, 'r'],
        ]);
  return new HashJoinExec(scanOf(LCOLS, L, 2), scanOf(RCOLS, R, 2), t, [c('id', 'l')], [c('id', 'r')], null, side, schema, ['id']);
}

describe('HashJoinExec with using columns', () => {
  it('outputs the key once: left key for inner/left, right key for right, coalesced for full', async () => {
    expect(canonical(await rowsOf(usingJoin('inner', 'right')))).toEqual(
      canonical([
        [2, 'a2', 'b2'],
        [2, 'a4', 'b2'],
      ]),
    );
    expect(canonical(await rowsOf(usingJoin('left', 'right')))).toEqual(
      canonical([
        [1, 'a1', null],
        [2, 'a2', 'b2'],
        [null, 'a3', null],
        [2, 'a4', 'b2'],
      ]),
    );
    expect(canonical(await rowsOf(usingJoin('right', 'left')))).toEqual(
      canonical([
        [2, 'a2', 'b2'],
        [2, 'a4', 'b2'],
        [3, null, 'b3'],
        [null, null, 'bn'],
      ]),
    );
    const fullExpected = canonical([
      [1, 'a1', null],
      [2, 'a2', 'b2'],
      [null, 'a3', null],
      [2, 'a4', 'b2'],
      [3, null, 'b3'],
      [null, null, 'bn'],
    ]);
    expect(canonical(await rowsOf(usingJoin('full', 'right')))).toEqual(fullExpected);
    // Build side left: probe batches mix matched rows and unmatched right rows.
    expect(canonical(await rowsOf(usingJoin('full', 'left')))).toEqual(fullExpected);
    expect(canonical(await rowsOf(usingJoin('semi', 'right')))).toEqual(canonical([L[1], L[3]] as JsValue[][]));
  });
});

function rowsOfBatches(batches: readonly ColumnarBatch[]): JsValue[][] {
  const out: JsValue[][] = [];
  for (const b of batches) for (let i = 0; i < b.numRows; i++) out.push(b.columns.map((v) => valueAt(v, i)));
  return out;
}

describe('partitioned probe with a shared build table', () => {
  it('per-partition probes plus one build-side emission equal a single join', async () => {
    const ctx = { batchSize: 4 };
    const probeParts = [L.slice(0, 2), L.slice(2)];
    for (const t of ['inner', 'left', 'right', 'full', 'semi', 'anti'] as JoinType[]) {
      const side = t === 'right' || t === 'semi' ? 'left' : 'right';
      const buildCols = side === 'left' ? LCOLS : RCOLS;
      const buildRows = side === 'left' ? L : R;
      const buildKey = side === 'left' ? c('id', 'l') : c('id', 'r');
      const table = await HashJoinExec.buildTable(scanOf(buildCols, buildRows), [buildKey], ctx);
      const merged = new Uint8Array(table.build.numRows);
      const out: ColumnarBatch[] = [];
      let spec = null;
      const parts = side === 'left' ? [R.slice(0, 1), R.slice(1)] : probeParts;
      for (const part of parts) {
        const l = side === 'left' ? scanOf(LCOLS, []) : scanOf(LCOLS, part);
        const r = side === 'left' ? scanOf(RCOLS, part) : scanOf(RCOLS, []);
        const schema = schemaFor(t === 'semi' || t === 'anti' ? LCOLS : [...LCOLS, ...RCOLS]);
        const exec = new HashJoinExec(l, r, t, [c('id', 'l')], [c('id', 'r')], null, side, schema, null, { table, deferBuildSideRows: true });
        for await (const b of exec.execute(ctx)) out.push(b);
        orMatched(merged, exec.matchedBuildRows as Uint8Array);
        spec = exec.spec;
      }
      if (spec === null) throw new Error('no partitions');
      for (const b of buildSideRows(spec, table.build, table.keys, merged, ctx.batchSize)) out.push(b);
      expect(canonical(rowsOfBatches(out)), t).toEqual(canonical(referenceJoin(t, L, R, [0], [0], null)));
    }
  });
});
