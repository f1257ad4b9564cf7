import { describe, expect, it } from 'vitest';
import type { ColumnVector } from '../../../../common/column-vector.js';
import { types } from '../../../../common/data-type.js';
import { field, schemaOf } from '../../../../common/schema.js';
import { vectorFromValues } from '../../../../common/vector-from-values.js';
import { valueAt } from '../../../../common/vector-value-at.js';
import { RowCodec } from '../../../../engine/state/row-codec.js';

const schema = schemaOf([
  field('b', types.boolean),
  field('i', types.int32),
  field('l', types.int64),
  field('d', types.float64),
  field('s', types.utf8),
  field('t', types.timestamp('us')),
  field('dt', types.date),
  field('n', types.null),
  field('s2', types.utf8),
]);

const rows = [
  [true, 1, 10n, 1.5, 'héllo', 1_700_000_000_000_000n, 19000, null, ''],
  [null, null, null, null, null, null, null, null, null],
  [false, -7, -(2n ** 62n), -0.25, '', -5n, -1, null, 'x'.repeat(70)],
];

const columnsOf = (data: unknown[][]): ColumnVector[] =>
  schema.fields.map((f, c) =>
    vectorFromValues(
      f.type,
      data.map((r) => r[c] as never),
    ),
  );

const rowsOf = (cols: ColumnVector[], n: number): unknown[][] => Array.from({ length: n }, (_, r) => cols.map((v) => valueAt(v, r)));

describe('RowCodec', () => {
  it('round-trips every supported type with nulls', () => {
    const codec = new RowCodec(schema);
    const cols = columnsOf(rows);
    const enc = codec.encode(cols, 3, false);
    expect(enc.offsets[1]! - enc.offsets[0]!).toBe(codec.fixedSize + 'héllo'.length + 1);
    const back = codec.decode(enc.bytes, enc.offsets.subarray(0, 3), 3);
    expect(rowsOf(back, 3)).toEqual(rowsOf(cols, 3));
  });

  it('decodes a start of -1 as an all-null row and handles empty input', () => {
    const codec = new RowCodec(schema);
    const enc = codec.encode(columnsOf(rows), 3, false);
    const back = codec.decode(enc.bytes, Int32Array.of(-1, enc.offsets[0]!), 2);
    expect(rowsOf(back, 2)[0]).toEqual([null, null, null, null, null, null, null, null, null]);
    expect(rowsOf(back, 2)[1]?.[4]).toBe('héllo');
    const empty = codec.encode(columnsOf([]), 0, true);
    expect(empty.bytes.length).toBe(0);
    expect(codec.decode(empty.bytes, new Int32Array(0), 0).map((v) => v.length)).toEqual(schema.fields.map(() => 0));
  });

  it('encodes equal keys to equal bytes: null slots are zero, -0 is 0, NaN is one NaN, dictionaries resolve', () => {
    const codec = new RowCodec(schemaOf([field('d', types.float64), field('s', types.utf8)]));
    const plain = vectorFromValues(types.utf8, ['a', 'bb', 'a', null]);
    const dict: ColumnVector = {
      type: types.utf8,
      length: 4,
      validity: Uint8Array.of(1, 1, 1, 0),
      values: Int32Array.of(1, 0, 1, 0),
      dictionary: vectorFromValues(types.utf8, ['bb', 'a']),
    };
    const d1: ColumnVector = { type: types.float64, length: 4, validity: Uint8Array.of(1, 1, 1, 0), values: Float64Array.of(0, Number.NaN, 2, 99) };
    const d2: ColumnVector = { type: types.float64, length: 4, validity: Uint8Array.of(1, 1, 1, 0), values: Float64Array.of(-0, -Number.NaN, 2, 7) };
    const a = codec.encode([d1, plain], 4, true);
    const b = codec.encode([d2, dict], 4, true);
    expect(Array.from(b.bytes)).toEqual(Array.from(a.bytes));
  });

  it('checks column types and rejects struct columns up front', () => {
    const codec = new RowCodec(schemaOf([field('k', types.int64)]));
    expect(() => codec.check([vectorFromValues(types.int32, [1])], 'keys')).toThrow(/column 'k' has type int; the store expects bigint/);
    expect(() => codec.check([], 'keys')).toThrow(/0 columns/);
    expect(() => new RowCodec(schemaOf([field('xs', types.struct([field('a', types.int64)]))]))).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
  });
});
