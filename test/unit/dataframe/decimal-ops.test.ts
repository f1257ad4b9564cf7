import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sluice, Window, avg, col, collectList, count, field, first, lit, max, schemaOf, sum, types } from '../../../index.js';
import { MemoryStream } from '../../../sources/memory/memory-stream.js';
import { StreamTest } from '../../helpers/stream-test.js';

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

  it('computes arithmetic between decimal literals exactly (not folded as plain integers)', async () => {
    const df = sluice.createDataFrame([{ x: 1 }], 'x int');
    const r = await df
      .select(lit(1.5).cast('decimal(3,1)').plus(lit(2)).alias('a'), lit('0.25').cast('decimal(3,2)').multiply(lit('0.5').cast('decimal(2,1)')).alias('m'))
      .toArray();
    expect(r).toEqual([{ a: '3.5', m: '0.125' }]);
  });

  it('refuses decimals wider than 18 digits in schemas and DDL', () => {
    expect(() => sluice.createDataFrame([], schemaOf([field('x', types.decimal(20, 2))]))).toThrow(
      /decimal precision number 20 is not an integer from 1 to 18/,
    );
    expect(() => sluice.createDataFrame([], 'x decimal(38,2)')).toThrow(/Column 'x' has type 'decimal\(38,2\)'.*1 <= p <= 18/);
  });

  it('refuses window functions over decimals at plan build, suggesting a cast', () => {
    const df = sluice.createDataFrame(rows.slice(0, 3), 'k decimal(4,2), v decimal(10,2)');
    expect(() => df.select(col('v'), sum('v').over(Window.partitionBy('k')).alias('s'))).toThrow(
      /over a window does not take decimal columns.*cast\('double'\)/,
    );
  });
  it('joins on decimal keys, tests membership and collects decimals', async () => {
    const df = sluice.createDataFrame(rows, 'k decimal(4,2), v decimal(10,2)');
    const names = sluice.createDataFrame(
      [
        { k: '1.5', name: 'one and a half' },
        { k: '2', name: 'two' },
      ],
      'k decimal(4,2), name string',
    );
    const j = await df.join(names, 'k').groupBy('name').agg(count().alias('n')).orderBy('name').toArray();
    expect(j).toEqual([
      { name: 'one and a half', n: 2n },
      { name: 'two', n: 2n },
    ]);
    expect(await df.filter(col('v').isin(lit('10.25').cast('decimal(10,2)'), lit('0.01').cast('decimal(10,2)'))).count()).toBe(2);
    const c = await df
      .filter(col('k').eq(lit(2)))
      .agg(collectList('v').alias('l'), first('v').alias('f'))
      .toArray();
    expect(c).toEqual([{ l: ['99999999.99'], f: '99999999.99' }]);
  });

  it('a streaming decimal aggregation over two batches equals the batch result', async () => {
    const schema = schemaOf([field('k', types.utf8), field('v', types.decimal(6, 2))]);
    const input = new MemoryStream(schema, 'decimal-events');
    const t = new StreamTest(sluice.readStream.fromSource(input).groupBy('k').agg(sum('v').alias('s'), avg('v').alias('a'), max('v').alias('m')), {
      outputMode: 'complete',
    });
    await t.start();
    try {
      input.addData([
        { k: 'a', v: '1.25' },
        { k: 'b', v: '-3.10' },
      ]);
      await t.processAllAvailable();
      input.addData([
        { k: 'a', v: '2.50' },
        { k: 'a', v: '0.01' },
      ]);
      await t.processAllAvailable();
      await t.checkLastBatch([
        { k: 'a', s: '3.76', a: '1.253333', m: '2.50' },
        { k: 'b', s: '-3.10', a: '-3.100000', m: '-3.10' },
      ]);
    } finally {
      await t.cleanup();
    }
  });
  it('writes decimals to CSV and JSON as their exact text', async () => {
    const { mkdtempSync, readdirSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'sluice-decimal-text-'));
    const df = sluice.createDataFrame(rows.slice(0, 3), 'k decimal(4,2), v decimal(10,2)').coalesce(1);
    await df.write.option('header', 'false').csv(join(dir, 'csv'));
    await df.write.json(join(dir, 'json'));
    const text = (sub: string): string =>
      readdirSync(join(dir, sub))
        .filter((f) => f.endsWith('.csv') || f.endsWith('.json'))
        .map((f) => readFileSync(join(dir, sub, f), 'utf8'))
        .join('');
    expect(text('csv').trim().split('\n').sort()).toEqual(['1.50,-0.25', '1.50,10.25', '2.00,99999999.99']);
    expect(text('json').trim().split('\n').sort()).toEqual(['{"k":1.50,"v":-0.25}', '{"k":1.50,"v":10.25}', '{"k":2.00,"v":99999999.99}']);
  });
});
