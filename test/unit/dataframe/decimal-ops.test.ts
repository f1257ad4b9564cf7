import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sluice, Window, avg, col, count, lit, sum, types } from '../../../index.js';

/** Decimal columns built from JS values: grouping keys, filters, sorting, overflow and window sums. */
let sluice: Sluice;
beforeAll(async () => {
  sluice = await Sluice.builder().workers(1).getOrCreate();
});
afterAll(async () => {
  await sluice.stop();
});

const rows = [
  { k: '1.50', v: '10.25' },
  { k: '1.5', v: '-0.25' },
  { k: '2.00', v: '99999999.99' },
  { k: null, v: '0.01' },
  { k: '2', v: null },
];

describe('decimal operations', () => {
  it('groups by, filters and sorts decimal columns exactly', async () => {
    const df = sluice.createDataFrame(rows, 'k decimal(4,2), v DECIMAL(10, 2)');
    expect(df.schema.fields.map((f) => f.type)).toEqual([types.decimal(4, 2), types.decimal(10, 2)]);
    const g = await df.groupBy('k').agg(sum('v').alias('s'), count('v').alias('n')).orderBy('k').toArray();
    expect(g).toEqual([
      { k: null, s: '0.01', n: 1n },
      { k: '1.50', s: '10.00', n: 2n },
      { k: '2.00', s: '99999999.99', n: 1n },
    ]);
    expect(
      await df
        .filter(col('v').gt(lit(10)))
        .select('v')
        .orderBy(col('v').desc())
        .toArray(),
    ).toEqual([{ v: '99999999.99' }, { v: '10.25' }]);
    expect(await df.filter(col('k').eq(lit(1.5))).count()).toBe(2);
  });

  it('gives null on arithmetic overflow and keeps avg exact (half-up)', async () => {
    const df = sluice.createDataFrame([{ a: '999999999999999.999' }, { a: '0.001' }, { a: '0.002' }], 'a decimal(18,3)');
    const r = await df.select(col('a').plus(col('a')).alias('twice')).toArray();
    expect(r).toEqual([{ twice: null }, { twice: '0.002' }, { twice: '0.004' }]);
    const small = sluice.createDataFrame([{ a: '0.001' }, { a: '0.002' }, { a: '0.002' }], 'a decimal(4,3)');
    // (1 + 2 + 2) / 3 = 1.6666.. thousandths -> 0.0016667 at scale 7.
    expect(await small.agg(avg('a').alias('m'), sum('a').alias('s')).toArray()).toEqual([{ m: '0.0016667', s: '0.005' }]);
    expect(await df.agg(sum('a').alias('s')).toArray()).toEqual([{ s: null }]);
  });

  it('refuses window functions over decimals at plan build, suggesting a cast', () => {
    const df = sluice.createDataFrame(rows.slice(0, 3), 'k decimal(4,2), v decimal(10,2)');
    expect(() => df.select(col('v'), sum('v').over(Window.partitionBy('k')).alias('s'))).toThrow(
      /over a window does not take decimal columns.*cast\('double'\)/,
    );
  });
});
