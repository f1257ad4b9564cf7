import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { col, count, explode, posexplodeOuter, Sluice, sum } from '../../../index.js';
import { normalizeRows } from '../../helpers/normalize-rows.js';
import { StreamTest } from '../../helpers/stream-test.js';

/**
 * The explode family in streaming queries equals the batch query over the same Parquet
 * files (array and map columns with null and empty values, four files read one per
 * trigger): a stateless posexplodeOuter in append mode, and a map explode feeding a
 * streaming aggregation in complete mode, across a restart from the checkpoint.
 */
let sluice: Sluice;
let dir: string;
let input: string;

beforeAll(async () => {
  sluice = await Sluice.builder().workers(2).getOrCreate();
  dir = mkdtempSync(join(tmpdir(), 'sluice-explode-stream-'));
  input = join(dir, 'in');
  mkdirSync(input);
  for (let f = 0; f < 4; f++) {
    const rows = Array.from({ length: 50 }, (_, j) => {
      const i = f * 50 + j;
      const xs = i % 9 === 0 ? null : Array.from({ length: i % 4 }, (_, k) => ((i * 7 + k) % 5 === 0 ? null : (i * 3 + k) % 11));
      const m = i % 7 === 0 ? null : new Map(Array.from({ length: (i % 3) + 1 }, (_, k) => [`k${(i + k) % 6}`, (i * k) % 13] as const));
      return { id: i, xs, m };
    });
    await sluice.createDataFrame(rows, 'id INT, xs array<int>, m map<string,int>').write.parquet(join(input, `part-${f}`));
  }
});

afterAll(async () => {
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('explode in a streaming query', () => {
  it('posexplodeOuter per micro-batch equals the batch result', async () => {
    const batch = await (await sluice.read.parquet(`${input}/*/*.parquet`)).select(col('id'), posexplodeOuter('xs')).toArray();
    const stream = (await sluice.readStream.format('parquet').option('maxFilesPerTrigger', 1).load(`${input}/*/*.parquet`)).select(
      col('id'),
      posexplodeOuter('xs'),
    );
    const t = new StreamTest(stream);
    await t.start();
    await t.processAllAvailable();
    await t.restart();
    await t.processAllAvailable();
    expect(t.batches.size).toBe(4);
    const cols = ['id', 'pos', 'col'];
    expect(batch.length).toBeGreaterThan(250);
    expect(normalizeRows(t.answer(), cols)).toEqual(normalizeRows(batch, cols));
    await t.cleanup();
  });

  it('a map explode feeding a streaming aggregation equals the batch aggregation', async () => {
    const agg = (df: Awaited<ReturnType<typeof sluice.read.parquet>>) =>
      df.select(col('id'), explode('m')).groupBy('key').agg(count().alias('n'), sum('value').alias('total'));
    const batch = await agg(await sluice.read.parquet(`${input}/*/*.parquet`)).toArray();
    const stream = agg(await sluice.readStream.format('parquet').option('maxFilesPerTrigger', 1).load(`${input}/*/*.parquet`));
    const t = new StreamTest(stream, { outputMode: 'complete' });
    await t.start();
    await t.processAllAvailable();
    expect(t.batches.size).toBe(4);
    expect(batch.length).toBe(6);
    expect(normalizeRows(t.answer(), ['key', 'n', 'total'])).toEqual(normalizeRows(batch, ['key', 'n', 'total']));
    await t.cleanup();
  });
});
