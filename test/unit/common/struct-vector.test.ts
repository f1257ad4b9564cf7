import { tableFromIPC, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { arrowTableFromBatches, batchesFromArrowTable } from '../../../common/arrow-convert.js';
import type { ColumnVector } from '../../../common/column-vector.js';
import { makeBatch } from '../../../common/columnar-batch.js';
import { parseTypeName, typeEquals, typeName, types, windowStructType } from '../../../common/data-type.js';
import { parseDurationMicros } from '../../../common/duration.js';
import { field, schemaOf } from '../../../common/schema.js';
import { concatVectors, sliceVector } from '../../../common/vector-concat.js';
import { vectorFromValues } from '../../../common/vector-from-values.js';
import { gatherVector } from '../../../common/vector-gather.js';
import { valueAt } from '../../../common/vector-value-at.js';

const pt = types.struct([
  { name: 'x', type: types.int64, nullable: true },
  { name: 's', type: types.utf8, nullable: true },
]);

function rows(v: ColumnVector): unknown[] {
  return Array.from({ length: v.length }, (_, i) => valueAt(v, i));
}

describe('struct type', () => {
  it('names, parses and compares struct types', () => {
    const w = windowStructType(types.timestamp('us', 'UTC'));
    expect(typeName(w)).toBe('struct<start:timestamp[us, UTC],end:timestamp[us, UTC]>');
    expect(typeName(pt)).toBe('struct<x:bigint,s:string>');
    expect(typeEquals(parseTypeName('struct<x:bigint,s:string>') as never, pt)).toBe(true);
    expect(typeEquals(parseTypeName('struct<a:struct<b:int>,c:array<double>>') as never, pt)).toBe(false);
    expect(typeName(parseTypeName('struct<a:struct<b:int>,c:array<double>>') as never)).toBe('struct<a:struct<b:int>,c:array<double>>');
    expect(
      typeEquals(
        pt,
        types.struct([
          { name: 'x', type: types.int64, nullable: false },
          { name: 's', type: types.utf8, nullable: true },
        ]),
      ),
    ).toBe(true);
    expect(
      typeEquals(
        pt,
        types.struct([
          { name: 'y', type: types.int64, nullable: true },
          { name: 's', type: types.utf8, nullable: true },
        ]),
      ),
    ).toBe(false);
  });

  it('builds from JS objects and reads back nested objects, nulls kept at both levels', () => {
    const v = vectorFromValues(pt, [{ x: 1n, s: 'a' }, null, { x: null, s: 'c' }]);
    expect(v.children?.length).toBe(2);
    expect(rows(v)).toEqual([{ x: 1n, s: 'a' }, null, { x: null, s: 'c' }]);
  });

  it('gathers, slices and concatenates struct vectors', () => {
    const a = vectorFromValues(pt, [{ x: 1n, s: 'a' }, null, { x: 3n, s: 'c' }]);
    const b = vectorFromValues(pt, [{ x: 4n, s: 'd' }]);
    expect(rows(gatherVector(a, Int32Array.of(2, -1, 0)))).toEqual([{ x: 3n, s: 'c' }, null, { x: 1n, s: 'a' }]);
    expect(rows(sliceVector(a, 1, 3))).toEqual([null, { x: 3n, s: 'c' }]);
    expect(rows(concatVectors([sliceVector(a, 2, 3), b]))).toEqual([
      { x: 3n, s: 'c' },
      { x: 4n, s: 'd' },
    ]);
  });

  it('converts to Arrow and back (IPC round trip)', () => {
    const schema = schemaOf([field('p', pt), field('w', windowStructType(types.timestamp('ms')))]);
    const p = vectorFromValues(pt, [{ x: 1n, s: 'a' }, null]);
    const w = vectorFromValues(windowStructType(types.timestamp('ms')), [
      { start: new Date(0), end: new Date(60000) },
      { start: new Date(-60000), end: new Date(0) },
    ]);
    const t = tableFromIPC(tableToIPC(arrowTableFromBatches(schema, [makeBatch(schema, [p, w], 2)])));
    const back = batchesFromArrowTable(t)[0];
    expect(back?.schema.fields.map((f) => typeName(f.type))).toEqual(['struct<x:bigint,s:string>', 'struct<start:timestamp[ms],end:timestamp[ms]>']);
    expect(rows(back?.columns[0] as ColumnVector)).toEqual([{ x: 1n, s: 'a' }, null]);
    expect(rows(back?.columns[1] as ColumnVector)).toEqual([
      { start: new Date(0), end: new Date(60000) },
      { start: new Date(-60000), end: new Date(0) },
    ]);
  });
});

describe('parseDurationMicros', () => {
  it('parses Spark-style durations to microseconds', () => {
    expect(parseDurationMicros('10 minutes')).toBe(600_000_000n);
    expect(parseDurationMicros('1 minute 30 seconds')).toBe(90_000_000n);
    expect(parseDurationMicros('interval 2 hours')).toBe(7_200_000_000n);
    expect(parseDurationMicros('500 ms')).toBe(500_000n);
    expect(parseDurationMicros('1 microsecond')).toBe(1n);
    expect(parseDurationMicros('-5 minutes')).toBe(-300_000_000n);
    expect(() => parseDurationMicros('1 month', 'windowDuration')).toThrow(/windowDuration '1 month'/);
  });
});
