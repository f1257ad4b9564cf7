import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { arrowSchemaFromSchema, arrowTableFromBatches, batchesFromArrowTable, batchFromArrow, schemaFromArrow } from '../../../../common/arrow-convert.js';
import type { ColumnVector } from '../../../../common/column-vector.js';
import { makeBatch } from '../../../../common/columnar-batch.js';
import { types } from '../../../../common/data-type.js';
import { field, schemaOf } from '../../../../common/schema.js';
import { sliceVector } from '../../../../common/vector-concat.js';
import { vectorFromValues } from '../../../../common/vector-from-values.js';
import { rowsOf } from './scan-fixture.js';

function tableOf(cols: Record<string, arrow.Vector>): arrow.Table {
  return new arrow.Table(cols);
}

describe('batchFromArrow', () => {
  it('maps every supported type with nulls', () => {
    const t = tableOf({
      b: arrow.vectorFromArray([true, null, false], new arrow.Bool()),
      i8: arrow.vectorFromArray([1, null, -3], new arrow.Int8()),
      u16: arrow.vectorFromArray([1, 2, 65535], new arrow.Uint16()),
      u32: arrow.vectorFromArray([1, null, 4294967295], new arrow.Uint32()),
      i64: arrow.vectorFromArray([1n, null, -(2n ** 62n)], new arrow.Int64()),
      f32: arrow.vectorFromArray([1.5, null, -2], new arrow.Float32()),
      s: arrow.vectorFromArray(['a', null, 'ééé'], new arrow.Utf8()),
      d: arrow.vectorFromArray(['x', 'y', 'x'], new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32())),
      dt: arrow.vectorFromArray([new Date('2020-01-02T00:00:00Z'), null, new Date('1969-12-31T00:00:00Z')], new arrow.DateDay()),
      l: arrow.vectorFromArray([[1, 2], null, []], new arrow.List(new arrow.Field('item', new arrow.Int32(), true))),
    });
    const [b] = batchesFromArrowTable(t);
    expect(b?.schema.fields.map((f) => f.type)).toEqual([
      types.boolean,
      types.int32,
      types.int32,
      types.int64,
      types.int64,
      types.float64,
      types.utf8,
      types.utf8,
      types.date,
      types.list(types.int32),
    ]);
    expect(b?.columns[7]?.dictionary).toBeDefined();
    expect(rowsOf(b ? [b] : [])).toEqual([
      [true, 1, 1, 1n, 1n, 1.5, 'a', 'x', new Date('2020-01-02T00:00:00Z'), [1, 2]],
      [null, null, 2, null, null, null, null, 'y', null, null],
      [false, -3, 65535, 4294967295n, -(2n ** 62n), -2, 'ééé', 'x', new Date('1969-12-31T00:00:00Z'), []],
    ]);
  });

  it('converts timestamp units (s->ms, ns->us floored) and keeps the timezone', () => {
    const ns = arrow.makeData({ type: new arrow.TimestampNanosecond('UTC'), length: 2, nullCount: 0, data: BigInt64Array.of(1999n, -1n) });
    const s = arrow.makeData({ type: new arrow.TimestampSecond(), length: 2, nullCount: 0, data: BigInt64Array.of(2n, -3n) });
    const t = new arrow.Table({ ns: arrow.makeVector(ns), s: arrow.makeVector(s) });
    const b = batchFromArrow(t.batches[0] as arrow.RecordBatch);
    expect(b.schema.fields.map((f) => f.type)).toEqual([types.timestamp('us', 'UTC'), types.timestamp('ms')]);
    expect([...(b.columns[0]!.values as BigInt64Array)]).toEqual([1n, -1n]);
    expect([...(b.columns[1]!.values as BigInt64Array)]).toEqual([2000n, -3000n]);
  });

  it('respects Arrow slice offsets for strings, bitmaps and fixed width', () => {
    const t = tableOf({
      s: arrow.vectorFromArray(['aa', null, 'b', 'cc', 'd'], new arrow.Utf8()),
      b: arrow.vectorFromArray([true, false, null, true, false], new arrow.Bool()),
      i: arrow.vectorFromArray([1, 2, null, 4, 5], new arrow.Int32()),
    });
    const sliced = t.slice(2, 5);
    expect(rowsOf(batchesFromArrowTable(sliced))).toEqual([
      ['b', null, null],
      ['cc', true, 4],
      ['d', false, 5],
    ]);
  });

  it('reads decimals exactly as int64 unscaled values, and refuses more than 18 digits', () => {
    const words = Uint32Array.of(12345, 0, 0, 0, 0xffffffff - 99, 0xffffffff, 0xffffffff, 0xffffffff);
    const d = arrow.makeData({ type: new arrow.Decimal(2, 10, 128), length: 2, nullCount: 0, data: words });
    const b = batchFromArrow(new arrow.Table({ x: arrow.makeVector(d) }).batches[0] as arrow.RecordBatch);
    expect(b.columns[0]!.type).toEqual(types.decimal(10, 2));
    expect([...(b.columns[0]!.values as BigInt64Array)]).toEqual([12345n, -100n]);
    const wide = new arrow.Schema([new arrow.Field('w', new arrow.Decimal(2, 19, 128), true)]);
    expect(() => schemaFromArrow(wide)).toThrow(/Column 'w' has type decimal\(19,2\).*Cast the column to double/);
  });

  it('rejects unsupported types naming the column', () => {
    const s = new arrow.Schema([new arrow.Field('bin', new arrow.Binary(), true)]);
    expect(() => schemaFromArrow(s)).toThrow(/Column 'bin' has Arrow type Binary/);
  });
});

describe('arrowTableFromBatches', () => {
  const schema = schemaOf([
    field('b', types.boolean),
    field('i', types.int32),
    field('l', types.int64, false),
    field('f', types.float64),
    field('s', types.utf8),
    field('d', types.date),
    field('t', types.timestamp('us', 'UTC')),
    field('ms', types.timestamp('ms')),
    field('arr', types.list(types.utf8)),
  ]);
  const values = [
    [true, 1, 10n, 1.5, 'x', 18000, 1_700_000_000_000_001n, 5n, ['a']],
    [null, null, 20n, null, null, null, null, null, null],
    [false, -1, 30n, -0.5, 'yz', -1, -1n, -5n, []],
  ] as const;
  const cols = schema.fields.map((f, c) =>
    vectorFromValues(
      f.type,
      values.map((r) => r[c] as never),
    ),
  );
  const batch = makeBatch(schema, cols);

  it('round-trips every type, nulls and slices', () => {
    const sliced = makeBatch(
      schema,
      cols.map((c) => sliceVector(c, 1, 3)),
    );
    const t = arrowTableFromBatches(schema, [batch, sliced]);
    expect(t.numRows).toBe(5);
    expect(t.schema.fields.map((f) => String(f.type))).toEqual([
      'Bool',
      'Int32',
      'Int64',
      'Float64',
      'Utf8',
      'Date32<DAY>',
      'Timestamp<MICROSECOND, UTC>',
      'Timestamp<MILLISECOND>',
      'List<Utf8>',
    ]);
    expect(t.schema.fields[2]?.nullable).toBe(false);
    const back = batchesFromArrowTable(t);
    expect(rowsOf(back)).toEqual(rowsOf([batch, sliced]));
    expect(String(arrowSchemaFromSchema(schema).fields[6]?.type)).toBe('Timestamp<MICROSECOND, UTC>');
  });

  it('keeps dictionary-encoded strings as an Arrow dictionary', () => {
    const dict = vectorFromValues(types.utf8, ['p', 'q']);
    const v: ColumnVector = { type: types.utf8, length: 3, validity: Uint8Array.of(1, 0, 1), values: Int32Array.of(1, 0, 0), dictionary: dict };
    const s = schemaOf([field('k', types.utf8)]);
    const t = arrowTableFromBatches(s, [makeBatch(s, [v])]);
    expect(String(t.schema.fields[0]?.type)).toBe('Dictionary<Int32, Utf8>');
    expect(t.getChild('k')?.toArray()).toEqual(['q', null, 'p']);
  });

  it('gives an empty table for no batches', () => {
    const t = arrowTableFromBatches(schema, []);
    expect(t.numRows).toBe(0);
    expect(t.schema.fields.length).toBe(9);
  });
});
