import { describe, expect, it } from 'vitest';
import { types } from '../../../../common/data-type.js';
import { ProjectExec } from '../../../../engine/physical/project-exec.js';
import { bin, c, rowsOf, scanOf, schemaFor } from '../join/exec-test-kit.js';

const COLS = [
  ['a', types.int64],
  ['b', types.utf8],
  ['c', types.float64],
] as const;
const DATA = [
  [1n, 'x', 1.5],
  [2n, null, null],
  [3n, 'z', -2],
];

describe('ProjectExec', () => {
  it('reorders, drops and renames columns through aliases', async () => {
    const schema = schemaFor([
      ['c', types.float64],
      ['renamed', types.int64],
    ]);
    const op = new ProjectExec(scanOf(COLS, DATA, 2), [c('c'), Object.freeze({ kind: 'alias', child: c('a'), name: 'renamed' })], schema);
    expect(op.schema).toBe(schema);
    expect(await rowsOf(op)).toEqual([
      [1.5, 1n],
      [null, 2n],
      [-2, 3n],
    ]);
  });

  it('computes expressions and keeps row counts with no input rows', async () => {
    const schema = schemaFor([['sum', types.int64]]);
    const op = new ProjectExec(scanOf(COLS, DATA), [Object.freeze({ kind: 'alias', child: bin('+', c('a'), c('a')), name: 'sum' })], schema);
    expect(await rowsOf(op)).toEqual([[2n], [4n], [6n]]);
    expect(await rowsOf(new ProjectExec(scanOf(COLS, []), [c('a')], schemaFor([['a', types.int64]])))).toEqual([]);
  });
});
