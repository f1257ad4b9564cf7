import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { types, typeName, parseTypeName } from '../../../common/data-type.js';
import { schemaOf, field } from '../../../common/schema.js';
import { col } from '../../../dataframe/expr/functions.js';
import { Sluice } from '../../../index.js';

let sluice: Sluice;
beforeAll(async () => {
  sluice = await Sluice.builder().workers(1).getOrCreate();
});
afterAll(async () => {
  await sluice.stop();
});

describe('binary type', () => {
  it('is named binary and parsed from DDL', () => {
    expect(typeName(types.binary)).toBe('binary');
    expect(parseTypeName('BINARY')).toEqual(types.binary);
  });

  it('holds bytes, casts to string as UTF-8 and back, and shows as hex', async () => {
    const schema = schemaOf([field('v', types.binary, true)]);
    const df = sluice.createDataFrame([{ v: new Uint8Array([0x68, 0xc3, 0xa9]) }, { v: null }, { v: new Uint8Array([]) }], schema);
    const rows = await df.select(col('v'), col('v').cast('string').alias('s')).toArray();
    expect(rows.map((r) => r.s)).toEqual(['hé', null, '']);
    expect(rows[0]?.v).toEqual(new Uint8Array([0x68, 0xc3, 0xa9]));
    const back = await df.select(col('v').cast('string').cast('binary').alias('b')).toArray();
    expect(back[0]?.b).toEqual(new Uint8Array([0x68, 0xc3, 0xa9]));
    expect(await df.show()).toContain('[68 C3 A9]');
  });
});
