import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStream, Sluice, SluiceError, col, count, field, schemaOf, sum, types, udf, vectorizedUdf } from '../../../index.js';
import { StreamTest } from '../../helpers/stream-test.js';

const MODULE = new URL('./udf-functions.ts', import.meta.url).href;
const schema = schemaOf([field('id', types.int64), field('name', types.utf8), field('amount', types.float64)]);
const normalise = udf({ module: MODULE, export: 'normalise' }, 'string');
const scale = vectorizedUdf({ module: MODULE, export: 'scaleAmount' }, 'double');
const threadOf = udf({ module: MODULE, export: 'threadOf' }, 'int');

let sluice: Sluice;

beforeAll(async () => {
  sluice = await Sluice.builder().workers(2).getOrCreate();
});

afterAll(async () => {
  await sluice.stop();
});

describe('UDFs in streaming queries', () => {
  it('a stateless stream runs row and vectorized UDFs in the workers, batch after batch and after a restart', async () => {
    const input = new MemoryStream(schema, 'tx');
    const df = sluice.readStream
      .fromSource(input)
      .select(col('id'), normalise(col('name')).alias('n'), scale(col('amount')).alias('s'), threadOf('id').alias('t'));
    const t = new StreamTest(df);
    await t.start();
    input.addData([
      { id: 1n, name: ' Ann ', amount: 10 },
      { id: 2n, name: null, amount: null },
    ]);
    await t.processAllAvailable();
    input.addData([{ id: 3n, name: 'BOB', amount: 0 }]);
    await t.restart();
    await t.processAllAvailable();
    const rows = t.answer().sort((a, b) => Number(a.id) - Number(b.id));
    expect(rows.map(({ id, n, s }) => ({ id, n, s }))).toEqual([
      { id: 1n, n: 'ann', s: 10 * 1.1 + 3 },
      { id: 2n, n: null, s: null },
      { id: 3n, n: 'bob', s: 3 },
    ]);
    expect(rows.every((r) => (r.t as number) > 0)).toBe(true);
    await t.cleanup();
  });

  it('a stateful aggregation groups by a UDF result; the stream equals the batch query', async () => {
    const input = new MemoryStream(schema, 'tx');
    const query = (d: ReturnType<typeof sluice.createDataFrame>) =>
      d.groupBy(normalise(col('name')).alias('n')).agg(count().alias('c'), sum(scale(col('amount'))).alias('total'));
    const t = new StreamTest(query(sluice.readStream.fromSource(input)), { outputMode: 'complete' });
    await t.start();
    const batch1 = [
      { id: 1n, name: 'Ann', amount: 10 },
      { id: 2n, name: ' ann', amount: 20 },
      { id: 3n, name: 'Bob', amount: 1 },
    ];
    const batch2 = [{ id: 4n, name: 'BOB ', amount: 2 }];
    input.addData(batch1);
    await t.processAllAvailable();
    input.addData(batch2);
    await t.processAllAvailable();
    const expected = await query(sluice.createDataFrame([...batch1, ...batch2], schema))
      .orderBy('n')
      .toArray();
    expect(t.answer().sort((a, b) => String(a.n).localeCompare(String(b.n)))).toEqual(expected);
    expect(expected).toEqual([
      { n: 'ann', c: 2n, total: 10 * 1.1 + 3 + (20 * 1.1 + 3) },
      { n: 'bob', c: 2n, total: 1 * 1.1 + 3 + (2 * 1.1 + 3) },
    ]);
    await t.cleanup();
  });

  it('an inline closure in the stateless part of a stream is refused by start(), with the message saying how to define it', async () => {
    const input = new MemoryStream(schema, 'tx');
    const inline = udf((s: string | null) => s, 'string', { name: 'keep' });
    const t = new StreamTest(sluice.readStream.fromSource(input).select(inline(col('name'))));
    let error: unknown = null;
    try {
      await t.start();
    } catch (e) {
      error = e;
    }
    expect(t.query).toBeNull();
    expect(error).toBeInstanceOf(SluiceError);
    expect((error as SluiceError).message).toContain("UDF 'keep' is a closure defined inline");
    expect((error as SluiceError).message).toContain("export: 'keep'");
    await t.cleanup();
  });
});
