import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sluice, avg, count, first, max, sum } from '../../../index.js';

/**
 * Regression: a streaming aggregation over Parquet files with several row groups per file
 * runs each micro-batch as several worker tasks, so the same key comes back once per task.
 * The state merge must combine those before meeting the stored state, or stored totals are
 * counted once per task.
 */
let sluice: Sluice;
let dir: string;

beforeAll(async () => {
  sluice = await Sluice.builder().workers(2).getOrCreate();
  dir = mkdtempSync(join(tmpdir(), 'sluice-stream-splits-'));
  for (let f = 0; f < 3; f++) {
    const rows = Array.from({ length: 20000 }, (_, i) => ({ k: `key${(i * 7 + f) % 13}`, v: (i % 97) + f, seq: f * 20000 + i }));
    await sluice
      .createDataFrame(rows)
      .write.mode('overwrite')
      .option('rowGroupSize', 2500)
      .parquet(join(dir, 'staging', String(f)));
  }
});

afterAll(async () => {
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('streaming aggregation over multi-row-group Parquet files', () => {
  it('complete mode with one file per batch equals the batch result', async () => {
    const input = join(dir, 'staging');
    const query = (df: Awaited<ReturnType<typeof sluice.read.parquet>>) =>
      df.groupBy('k').agg(count().alias('n'), sum('v').alias('s'), avg('v').alias('a'), max('seq').alias('m'), first('k').alias('f'));
    const stream = await sluice.readStream.format('parquet').option('maxFilesPerTrigger', 1).load(input);
    const q = await query(stream)
      .writeStream.format('memory')
      .queryName('splits')
      .outputMode('complete')
      .trigger({ kind: 'availableNow' })
      .option('checkpointLocation', join(dir, 'cp'))
      .start();
    await q.awaitTermination();
    expect(q.recentProgress.length).toBe(3);
    const streamed = await sluice.table('splits').orderBy('k').toArray();
    const batch = await query(await sluice.read.parquet(input))
      .orderBy('k')
      .toArray();
    expect(streamed).toHaveLength(13);
    expect(streamed.map((r) => [r.k, r.n, r.s, r.m, r.f])).toEqual(batch.map((r) => [r.k, r.n, r.s, r.m, r.f]));
    for (const [i, r] of streamed.entries()) expect(r.a as number).toBeCloseTo(batch[i]?.a as number, 9);
  });
});
