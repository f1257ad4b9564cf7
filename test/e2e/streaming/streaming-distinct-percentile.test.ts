import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { types } from '../../../common/data-type.js';
import { field, schemaOf } from '../../../common/schema.js';
import type { DataFrame } from '../../../dataframe/data-frame.js';
import { approxCountDistinct, col, collectSet, count, countDistinct, sessionWindow, window } from '../../../dataframe/expr/functions.js';
import { median, percentileApprox } from '../../../dataframe/expr/functions-percentile.js';
import { Sluice } from '../../../engine/session/sluice.js';
import { MemoryStream } from '../../../sources/memory/memory-stream.js';
import { normalizeRows } from '../../helpers/normalize-rows.js';
import { StreamTest } from '../../helpers/stream-test.js';

/**
 * countDistinct, approxCountDistinct, percentileApprox and median in streaming aggregations:
 * their per-group state (distinct values, HyperLogLog registers, values) lives in the state
 * store, so a restart keeps it, and the stream's final answer equals the batch answer.
 */
let sluice: Sluice;
const schema = schemaOf([field('k', types.utf8), field('v', types.int64), field('t', types.timestamp('ms', 'UTC'))]);
const T0 = Date.UTC(2024, 0, 1);

const batch1 = [
  { k: 'a', v: 1n, t: new Date(T0 + 1000) },
  { k: 'a', v: 2n, t: new Date(T0 + 2000) },
  { k: 'a', v: 1n, t: new Date(T0 + 3000) },
  { k: 'b', v: 10n, t: new Date(T0 + 4000) },
  { k: 'b', v: null, t: new Date(T0 + 5000) },
  { k: null, v: 7n, t: new Date(T0 + 6000) },
];
const batch2 = [
  { k: 'a', v: 3n, t: new Date(T0 + 7000) },
  { k: 'a', v: 2n, t: new Date(T0 + 8000) },
  { k: 'b', v: 10n, t: new Date(T0 + 9000) },
  { k: 'c', v: 5n, t: new Date(T0 + 12_000) },
];
const batch3 = [
  { k: 'a', v: 9n, t: new Date(T0 + 25_000) },
  { k: 'b', v: 11n, t: new Date(T0 + 26_000) },
];

beforeAll(async () => {
  sluice = await Sluice.builder().workers(2).config('sluice.sql.shuffle.partitions', 3).getOrCreate();
});

afterAll(async () => {
  await sluice.stop();
});

function perKey(df: DataFrame): DataFrame {
  return df
    .groupBy('k')
    .agg(
      countDistinct('v').alias('d'),
      approxCountDistinct('v').alias('ad'),
      percentileApprox('v', 0.5).alias('p50'),
      percentileApprox('v', [0, 1]).alias('range'),
      median('v').alias('m'),
      count().alias('n'),
    );
}

describe('distinct counts and percentiles in streaming aggregations', () => {
  it('update mode: exact rows per batch, state kept across a restart, final answer = batch answer', async () => {
    const input = new MemoryStream(schema, 'events');
    const t = new StreamTest(perKey(sluice.readStream.fromSource(input)), { outputMode: 'update', keys: ['k'] });
    await t.start();
    input.addData(batch1);
    await t.checkLastBatch([
      { k: 'a', d: 2n, ad: 2n, p50: 1n, range: [1n, 2n], m: 1, n: 3n },
      { k: 'b', d: 1n, ad: 1n, p50: 10n, range: [10n, 10n], m: 10, n: 2n },
      { k: null, d: 1n, ad: 1n, p50: 7n, range: [7n, 7n], m: 7, n: 1n },
    ]);
    await t.restart();
    input.addData(batch2);
    await t.checkLastBatch([
      { k: 'a', d: 3n, ad: 3n, p50: 2n, range: [1n, 3n], m: 2, n: 5n },
      { k: 'b', d: 1n, ad: 1n, p50: 10n, range: [10n, 10n], m: 10, n: 3n },
      { k: 'c', d: 1n, ad: 1n, p50: 5n, range: [5n, 5n], m: 5, n: 1n },
    ]);
    await t.restart();
    input.addData(batch3);
    await t.checkLastBatch([
      { k: 'a', d: 4n, ad: 4n, p50: 2n, range: [1n, 9n], m: 2, n: 6n },
      { k: 'b', d: 2n, ad: 2n, p50: 10n, range: [10n, 11n], m: 10, n: 4n },
    ]);
    const all = perKey(sluice.createDataFrame([...batch1, ...batch2, ...batch3], schema));
    const expected = await all.toArray();
    expect(normalizeRows(t.answer(), all.columns, { sortArrays: false })).toEqual(normalizeRows(expected, all.columns, { sortArrays: false }));
    await t.cleanup();
  });

  it('append mode over event-time windows: each window is emitted once, after the watermark, equal to batch', async () => {
    const input = new MemoryStream(schema, 'events');
    const windowed = (df: DataFrame) =>
      df
        .groupBy(window(col('t'), '10 seconds').alias('w'))
        .agg(countDistinct('v').alias('d'), approxCountDistinct('k').alias('keys'), percentileApprox('v', 0.5).alias('p50'));
    const t = new StreamTest(windowed(sluice.readStream.fromSource(input).withWatermark('t', '2 seconds')), { outputMode: 'append' });
    await t.start();
    input.addData(batch1);
    await t.processAllAvailable();
    expect(t.answer()).toEqual([]);
    await t.restart();
    input.addData(batch2);
    await t.processAllAvailable();
    const at = (s: number) => new Date(T0 + s * 1000);
    expect(normalizeRows(t.answer(), ['w', 'd', 'keys', 'p50'])).toEqual(
      normalizeRows([{ w: { start: at(0), end: at(10) }, d: 5n, keys: 2n, p50: 2n }], ['w', 'd', 'keys', 'p50']),
    );
    await t.restart();
    input.addData(batch3);
    await t.processAllAvailable();
    const rows = (df: DataFrame, r: Record<string, unknown>[]) =>
      normalizeRows(
        r.map((x) => ({ ...x, w: JSON.stringify(x.w) })),
        df.columns,
      );
    const batch = windowed(sluice.createDataFrame([...batch1, ...batch2], schema));
    expect(rows(batch, t.answer())).toEqual(rows(batch, await batch.toArray()));
    await t.cleanup();
  });
  it('sliding and session windows and collectSet: the final answer equals batch across restarts', async () => {
    const shapes: ((df: DataFrame) => DataFrame)[] = [
      (df) => df.groupBy(window(col('t'), '10 seconds', '5 seconds').alias('w')).agg(countDistinct('v').alias('d'), median('v').alias('m')),
      (df) => df.groupBy(col('k'), sessionWindow(col('t'), '3 seconds').alias('w')).agg(countDistinct('v').alias('d'), approxCountDistinct('v').alias('ad')),
      (df) => df.groupBy(window(col('t'), '10 seconds').alias('w')).agg(collectSet('k').alias('ks')),
    ];
    const flat = (r: Record<string, unknown>) => {
      const w = r.w as { start: Date; end: Date };
      const ks = Array.isArray(r.ks) ? [...(r.ks as string[])].sort() : undefined;
      return { ...r, w: `${w.start.getTime()}-${w.end.getTime()}`, ...(ks ? { ks: ks.join(',') } : {}) };
    };
    for (const shape of shapes) {
      const input = new MemoryStream(schema, 'events');
      const t = new StreamTest(shape(sluice.readStream.fromSource(input).withWatermark('t', '2 seconds')), { outputMode: 'append' });
      await t.start();
      for (const rows of [batch1, batch2, batch3]) {
        input.addData(rows);
        await t.processAllAvailable();
        if (rows === batch1) await t.restart();
      }
      const batch = shape(sluice.createDataFrame([...batch1, ...batch2], schema).filter(col('t').lt(new Date(T0 + 20_000))));
      const expected = (await batch.toArray()).filter((r) => (r.w as { end: Date }).end.getTime() <= T0 + 24_000);
      expect(expected.length).toBeGreaterThan(0);
      expect(normalizeRows(t.answer().map(flat), batch.columns)).toEqual(normalizeRows(expected.map(flat), batch.columns));
      await t.cleanup();
    }
  });
});
