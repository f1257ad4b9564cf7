import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDdlSchema } from '../../../../common/parse-ddl-schema.js';
import { parseTypeName, types, typeName } from '../../../../common/data-type.js';
import type { DataFrame } from '../../../../index.js';
import {
  array,
  arrayJoin,
  col,
  createMap,
  elementAt,
  explode,
  explodeOuter,
  lit,
  posexplode,
  rowNumber,
  Sluice,
  sortArray,
  sum,
  Window,
} from '../../../../index.js';

/** Plan-time checks and small end-to-end facts of the array/map types and the explode family. */
let sluice: Sluice;
let df: DataFrame;
beforeAll(async () => {
  sluice = await Sluice.builder().workers(1).getOrCreate();
  df = sluice.createDataFrame(
    [
      { id: 1, xs: [2, 1, 2], ss: ['b', null, 'a'], m: new Map([['a', 1]]) },
      { id: 2, xs: null, ss: [], m: new Map<string, number>() },
    ],
    'id INT, xs array<int>, ss array<string>, m map<string,int>',
  );
});
afterAll(async () => {
  await sluice.stop();
});

describe('map types', () => {
  it('parses map<k,v> in type names and DDL, nested in arrays and back', () => {
    const t = parseTypeName('map<string, array<map<int,double>>>');
    expect(t).toEqual(types.map(types.utf8, types.list(types.map(types.int32, types.float64))));
    expect(typeName(t as never)).toBe('map<string,array<map<int,double>>>');
    expect(parseDdlSchema('id BIGINT, tags MAP<STRING, INT>, xs ARRAY<STRING>').fields.map((f) => typeName(f.type))).toEqual([
      'bigint',
      'map<string,int>',
      'array<string>',
    ]);
    expect(parseTypeName('map<string>')).toBeUndefined();
  });

  it('returns maps as JS Maps and rejects null keys from JS', async () => {
    expect((await df.select('m').toArray()).map((r) => r.m)).toEqual([new Map([['a', 1]]), new Map()]);
    expect(() => sluice.createDataFrame([{ m: new Map([[null, 1]]) }], 'm map<string,int>')).toThrow(/null map key/);
  });
});

describe('explode plans', () => {
  it('puts a Generate node under the projection and runs it inside the worker stage', () => {
    const text = df.select(col('id'), explode('xs').alias('x')).explain(true);
    expect(text).toMatch(/Generate explode\(xs\)/);
    expect(text).toMatch(/WorkerStageExec/);
    expect(text).not.toMatch(/^GenerateExec/m);
  });

  it('pushes filters on the other columns below the explode, keeps filters on the element above', () => {
    const text = df
      .select(col('id'), explode('xs').alias('x'))
      .where(col('id').gt(1).and(col('x').gt(1)))
      .explain(true);
    const optimized = text.slice(text.indexOf('== Optimized Logical Plan =='));
    expect(optimized).toMatch(/Filter \(x > 1\)|Filter \(__sluice_g0 > 1\)/);
    expect(optimized.indexOf('Filter (id > 1)')).toBeGreaterThan(optimized.indexOf('Generate'));
  });

  it('names the new columns as Spark does', () => {
    expect(df.select(explode('xs')).columns).toEqual(['col']);
    expect(df.select(posexplode('m'), col('id')).columns).toEqual(['pos', 'key', 'value', 'id']);
    expect(df.withColumn('x', explodeOuter('ss')).columns).toEqual(['id', 'xs', 'ss', 'm', 'x']);
    expect(df.select(col('id'), posexplode('m').alias('i', 'k', 'v')).columns).toEqual(['id', 'i', 'k', 'v']);
    expect(df.select(explode('m').as('k', 'v')).columns).toEqual(['k', 'v']);
  });

  it('rejects misplaced generators at plan build, naming the fix', () => {
    expect(() => df.select(explode('xs').plus(1))).toThrow(/cannot be nested/);
    expect(() => df.select(explode('xs'), explode('ss'))).toThrow(/Only one generator/);
    expect(() => df.filter(explode('xs').gt(1))).toThrow(/is a generator/);
    expect(() => df.select(explode('id'))).toThrow(/needs an array or a map, but id is int/);
    expect(() => df.select(posexplode('xs').alias('x'))).toThrow(/makes 2 columns \(pos, col\)/);
    expect(() => df.select(posexplode('xs').alias('a', 'b', 'c'))).toThrow(/explodes into 2 column\(s\) \(pos, col\), but alias\(\) gave 3/);
    expect(() => col('id').alias('a', 'b')).toThrow(/makes one column: give one name/);
    expect(() => df.groupBy('id').agg(sum(explode('xs')))).toThrow(/generator/);
  });

  it('explodes with the other columns repeated, pruning columns nobody reads', async () => {
    const rows = await df.select(col('id'), explode('xs').alias('x')).where(col('x').gt(1)).toArray();
    expect(rows).toEqual([
      { id: 1, x: 2 },
      { id: 1, x: 2 },
    ]);
    const named = await df.select(col('id'), posexplode('m').alias('i', 'k', 'v')).toArray();
    expect(named).toEqual([{ id: 1, i: 0, k: 'a', v: 1 }]);
  });
});

describe('collection function checks', () => {
  it('rejects bad arguments at plan build', () => {
    expect(() => df.select(elementAt('xs', 0))).toThrow(/indices start at 1/);
    expect(() => df.select(arrayJoin('xs', ','))).toThrow(/needs an array of strings/);
    expect(() => df.select(createMap(lit('a')))).toThrow(/argument/);
    expect(() => df.select(createMap(lit('a'), lit(1), lit('b')))).toThrow(/even number of arguments/);
    expect(() => df.select(createMap(col('xs'), lit(1)))).toThrow(/map keys must be of an atomic type/);
    expect(() => df.select(array(col('id'), col('ss')))).toThrow(/TYPE_MISMATCH|cannot|mix/i);
    expect(() => df.select(sortArray('m'))).toThrow(/needs an array, but m is map<string,int>/);
  });

  it('keeps window functions and generators apart in one select', async () => {
    const rows = await df
      .select(col('id'), explode('xs').alias('x'))
      .select(
        col('id'),
        col('x'),
        rowNumber()
          .over(Window.partitionBy('id').orderBy(col('x').desc()))
          .alias('rn'),
      )
      .toArray();
    expect(rows.map((r) => [r.x, r.rn]).sort((a, b) => (a[1] as number) - (b[1] as number))).toEqual([
      [2, 1],
      [2, 2],
      [1, 3],
    ]);
  });
});
