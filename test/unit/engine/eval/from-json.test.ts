import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { field, schemaOf } from '../../../../common/schema.js';
import { types } from '../../../../common/data-type.js';
import { col, fromJson } from '../../../../dataframe/expr/functions.js';
import { Sluice } from '../../../../index.js';

let sluice: Sluice;
beforeAll(async () => {
  sluice = await Sluice.builder().workers(1).getOrCreate();
});
afterAll(async () => {
  await sluice.stop();
});

describe('fromJson', () => {
  const input = () =>
    sluice.createDataFrame(
      [{ j: '{"id": 7, "name": "a", "tags": ["x"], "at": "2024-01-01T00:00:01Z"}' }, { j: '{"id": "oops"}' }, { j: 'not json' }, { j: null }, { j: '[1]' }],
      schemaOf([field('j', types.utf8, true)]),
    );

  it('parses objects into a struct from a DDL schema; malformed values give null', async () => {
    const rows = await input()
      .select(fromJson(col('j'), 'id BIGINT, name STRING, tags ARRAY<STRING>, at TIMESTAMP').alias('p'))
      .select(
        col('p').getField('id').alias('id'),
        col('p').getField('name').alias('name'),
        col('p').getField('tags').alias('tags'),
        col('p').isNull().alias('bad'),
      )
      .toArray();
    expect(rows).toEqual([
      { id: 7n, name: 'a', tags: ['x'], bad: false },
      { id: null, name: null, tags: null, bad: false },
      { id: null, name: null, tags: null, bad: true },
      { id: null, name: null, tags: null, bad: true },
      { id: null, name: null, tags: null, bad: true },
    ]);
  });

  it('reads UTF-8 binary and takes a struct type or Schema', async () => {
    const bin = sluice.createDataFrame([{ b: new TextEncoder().encode('{"x": 1.5}') }], schemaOf([field('b', types.binary, true)]));
    const t = types.struct([{ name: 'x', type: types.float64, nullable: true }]);
    expect(await bin.select(fromJson(col('b'), t).getField('x').alias('x')).toArray()).toEqual([{ x: 1.5 }]);
    expect(
      await bin
        .select(
          fromJson(col('b'), schemaOf([field('x', types.float64)]))
            .getField('x')
            .alias('x'),
        )
        .toArray(),
    ).toEqual([{ x: 1.5 }]);
  });

  it('FAILFAST fails naming the record', async () => {
    await expect(
      input()
        .select(fromJson(col('j'), 'id BIGINT', { mode: 'FAILFAST' }).alias('p'))
        .toArray(),
    ).rejects.toThrow(/could not parse the record at row 2 of the batch/);
  });
});
