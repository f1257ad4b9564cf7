import { describe, expect, it } from 'vitest';
import type { ColumnVector } from '../../../../common/column-vector.js';
import { types } from '../../../../common/data-type.js';
import { field, schemaOf } from '../../../../common/schema.js';
import { vectorFromValues } from '../../../../common/vector-from-values.js';
import { valueAt } from '../../../../common/vector-value-at.js';
import { RowCodec } from '../../../../engine/state/row-codec.js';

const schema = schemaOf([
  field('s', types.utf8),
  field('ints', types.list(types.int32)),
  field('words', types.list(types.utf8)),
  field('n', types.int64),
  field('nested', types.list(types.list(types.float64))),
]);

const rows = [
  ['a', [1, 2, 3], ['x', 'héllo', ''], 7n, [[1.5], [], [2.5, -0.5]]],
  [null, null, null, null, null],
  ['', [], [null, 'z'], -1n, [null, [3]]],
  ['long'.repeat(20), [null, -5], [], 0n, []],
];

const columnsOf = (data: unknown[][]): ColumnVector[] =>
  schema.fields.map((f, c) =>
    vectorFromValues(
      f.type,
      data.map((r) => r[c] as never),
    ),
  );

const rowsOf = (cols: ColumnVector[], n: number): unknown[][] => Array.from({ length: n }, (_, r) => cols.map((v) => valueAt(v, r)));

describe('RowCodec with list columns (the state of distinct counts and percentiles)', () => {
  it('round-trips lists of ints, strings and lists, with null lists, null elements and empty lists', () => {
    const codec = new RowCodec(schema);
    const cols = columnsOf(rows);
    const enc = codec.encode(cols, rows.length, false);
    const back = codec.decode(enc.bytes, enc.offsets.subarray(0, rows.length), rows.length);
    expect(rowsOf(back, rows.length)).toEqual(rows);
  });

  it('decodes rows in any order and a start of -1 as an all-null row', () => {
    const codec = new RowCodec(schema);
    const enc = codec.encode(columnsOf(rows), rows.length, false);
    const back = codec.decode(enc.bytes, Int32Array.of(enc.offsets[3]!, -1, enc.offsets[0]!), 3);
    expect(rowsOf(back, 3)).toEqual([rows[3], [null, null, null, null, null], rows[0]]);
  });
});
