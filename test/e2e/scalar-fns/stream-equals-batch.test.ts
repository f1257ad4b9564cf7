import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataFrame } from '../../../index.js';
import {
  Sluice,
  col,
  concatWs,
  count,
  dateFormat,
  field,
  formatString,
  getJsonObject,
  interval,
  regexpExtract,
  schemaOf,
  split,
  toJson,
  struct,
  types,
  weekofyear,
  window,
} from '../../../index.js';
import { MemoryStream } from '../../../sources/memory/memory-stream.js';
import { StreamTest } from '../../helpers/stream-test.js';

/** Library functions in a streaming query (kernels on the workers, per micro-batch) give the batch query's rows. */
describe('library functions in streaming queries', () => {
  let sluice: Sluice;
  beforeAll(async () => {
    sluice = await Sluice.builder().workers(2).getOrCreate();
  });
  afterAll(async () => {
    await sluice?.stop();
  });

  const schema = schemaOf([field('t', types.timestamp('ms', null)), field('msg', types.utf8), field('n', types.int64)]);
  const rows = (k: number) =>
    Array.from({ length: 40 }, (_, i) => ({
      t: new Date(Date.UTC(2024, 1, 28, 23, 0) + (k * 40 + i) * 97_000),
      msg: i % 7 === 0 ? null : `{"user":"u${i % 5}","path":"/p/${i}/x","tags":"a,b,${i}"}`,
      n: BigInt(i - 20),
    }));

  it('a projection and a windowed aggregate over library functions equal the batch result', async () => {
    const q = (df: DataFrame): DataFrame =>
      df.select(
        col('t').plus(interval('1 day 30 minutes')).alias('t2'),
        getJsonObject('msg', '$.user').alias('user'),
        regexpExtract(getJsonObject('msg', '$.path'), '/p/(\\d+)/', 1).alias('pid'),
        split(getJsonObject('msg', '$.tags'), ',').alias('tags'),
        concatWs('|', getJsonObject('msg', '$.user'), dateFormat('t', 'EEE HH:mm')).alias('label'),
        formatString('%05d', 'n').alias('nn'),
        weekofyear('t').alias('wk'),
        toJson(struct(col('n'))).alias('j'),
      );
    const agg = (df: DataFrame): DataFrame => q(df).groupBy(window('t2', '10 minutes'), col('user')).agg(count().alias('c'));
    const render = (r: Record<string, unknown>): string => JSON.stringify(r, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
    const input = new MemoryStream(schema, 'lib-fns');
    const projected = new StreamTest(q(sluice.readStream.fromSource(input)));
    const aggregated = new StreamTest(agg(sluice.readStream.fromSource(input)), { outputMode: 'complete' });
    await projected.start();
    await aggregated.start();
    for (const k of [0, 1]) {
      input.addData(rows(k));
      await projected.processAllAvailable();
      await aggregated.processAllAvailable();
    }
    const all = sluice.createDataFrame([...rows(0), ...rows(1)], schema);
    const streamed = projected.answer().map(render).sort();
    expect(streamed).toEqual((await q(all).toArray()).map(render).sort());
    expect(streamed).toHaveLength(80);
    expect(streamed.some((s) => s.includes('"t2":"2024-03-01T00:'))).toBe(true); // the leap day + 1 day 30 minutes
    expect(aggregated.answer().map(render).sort()).toEqual((await agg(all).toArray()).map(render).sort());
    await projected.cleanup();
    await aggregated.cleanup();
  });
});
