import { describe, expect, it } from 'vitest';
import { types } from '../../../../common/data-type.js';
import { UnionExec } from '../../../../engine/physical/union-exec.js';
import { rowsOf, scanOf, schemaFor } from '../join/exec-test-kit.js';

describe('UnionExec', () => {
  it('concatenates three children by position under the union schema', async () => {
    const a = scanOf(
      [
        ['id', types.int64],
        ['name', types.utf8],
      ],
      [
        [1n, 'a'],
        [2n, null],
      ],
    );
    const b = scanOf(
      [
        ['other', types.int64],
        ['label', types.utf8],
      ],
      [],
    );
    const d = scanOf(
      [
        ['n', types.int64],
        ['t', types.utf8],
      ],
      [
        [null, 'x'],
        [4n, 'y'],
        [5n, 'z'],
        [6n, 'w'],
      ],
    );
    const schema = schemaFor([
      ['id', types.int64],
      ['name', types.utf8],
    ]);
    const u = new UnionExec([a, b, d], schema);
    expect(u.schema).toBe(schema);
    expect(await rowsOf(u)).toEqual([
      [1n, 'a'],
      [2n, null],
      [null, 'x'],
      [4n, 'y'],
      [5n, 'z'],
      [6n, 'w'],
    ]);
    expect(u.metrics.outputRows).toBe(6);
  });
});
