import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { types } from '../../../common/data-type.js';
import { field, schemaOf } from '../../../common/schema.js';
import type { DataFrame } from '../../../dataframe/data-frame.js';
import { col, count, countDistinct, first, sessionWindow, struct, unixMillis, window } from '../../../dataframe/expr/functions.js';
import { Sluice } from '../../../engine/session/sluice.js';
import { MemoryStream } from '../../../sources/memory/memory-stream.js';
import { StreamTest } from '../../helpers/stream-test.js';

// Shapes a stream cannot run are refused by start(): its promise rejects with the
// SluiceError, no batch runs (foreachBatch is never called) and no checkpoint is written.

let sluice: Sluice;
const schema = schemaOf([field('t', types.timestamp('ms')), field('k', types.utf8), field('v', types.int64)]);
const at = (t: number, k = 'a', v = 1n) => ({ t: new Date(t), k, v });

beforeAll(async () => {
  sluice = await Sluice.builder().workers(1).config('sluice.sql.shuffle.partitions', 2).config('sluice.streaming.stateStore.location', 'driver').getOrCreate();
});

afterAll(async () => {
  await sluice.stop();
});

/** Starts `df` with a checkpoint and a recording foreachBatch; returns the rejection, the batches seen and the checkpoint's contents. */
async function startRefused(df: DataFrame, mode: 'append' | 'update' | 'complete'): Promise<{ error: unknown; batches: number; checkpoint: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-refused-'));
  const ckpt = join(dir, 'ckpt');
  let batches = 0;
  let error: unknown = null;
  try {
    const q = await df.writeStream
      .outputMode(mode)
      .option('checkpointLocation', ckpt)
      .foreachBatch(async () => {
        batches++;
      })
      .start();
    await q.processAllAvailable().catch(() => undefined);
    await q.stop();
  } catch (e) {
    error = e;
  }
  const checkpoint = existsSync(ckpt) ? readdirSync(ckpt) : [];
  rmSync(dir, { recursive: true, force: true });
  return { error, batches, checkpoint };
}

function input(): { stream: MemoryStream; df: DataFrame } {
  const stream = new MemoryStream(schema, 'events');
  stream.addData([at(1_000, 'a', 1n), at(2_000, 'a', 2n)]);
  return { stream, df: sluice.readStream.fromSource(stream) };
}

describe('unsupported streaming shapes are refused at start()', () => {
  it('session windows in update mode (was QUERY_FAILED in batch 0)', async () => {
    const { df } = input();
    const r = await startRefused(
      df
        .withWatermark('t', '5 seconds')
        .groupBy(col('k'), sessionWindow(col('t'), '10 seconds'))
        .agg(count()),
      'update',
    );
    expect(r.error).toMatchObject({ name: 'SluiceError', code: 'UNSUPPORTED' });
    expect(String(r.error)).toMatch(/Session windows in a stream support 'append' and 'complete' output modes.*not 'update'.*outputMode\('append'\)/);
    expect(r.batches).toBe(0);
    expect(r.checkpoint).toEqual([]);
    expect(sluice.streams.active).toHaveLength(0);
  });

  it('struct-valued aggregates, naming the function', async () => {
    const st = await startRefused(
      input()
        .df.groupBy('k')
        .agg(first(struct(col('v'), col('t'))).alias('f')),
      'update',
    );
    expect(st.error).toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringMatching(/^first\(struct\(v, t\)\) keeps a value of type struct<v:bigint,t:timestamp/),
    });
    expect(st.batches).toBe(0);
  });

  it('deduplication on a struct column and a stream-stream join carrying a list column', async () => {
    const dedup = await startRefused(
      input()
        .df.withColumn('st', struct(col('k'), col('v')))
        .dropDuplicates(['st']),
      'append',
    );
    expect(dedup.error).toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringMatching(/deduplication keeps its key columns in state, and 'st' has type struct/),
    });
    const listSchema = schemaOf([field('rt', types.timestamp('ms')), field('rk', types.utf8), field('tags', types.list(types.utf8))]);
    const right = sluice.readStream.fromSource(new MemoryStream(listSchema, 'right'));
    const joined = input().df.join(right, col('k').eq(col('rk')));
    const join = await startRefused(joined, 'append');
    expect(join.error).toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringMatching(/stream-stream join keeps the rows of both inputs in state, including column 'tags' of type array<string>/),
    });
    expect(dedup.batches + join.batches).toBe(0);
  });
});

describe('distinct values counted by a chained aggregation', () => {
  it('a chained aggregation counts distinct values per window, equal to the batch countDistinct', async () => {
    const rows = [at(1_000, 'a', 1n), at(2_000, 'a', 1n), at(3_000, 'b', 2n), at(12_000, 'a', 3n), at(13_000, 'a', 3n), at(14_000, 'a', 4n)];
    const stream = new MemoryStream(schema, 'events');
    const distinct = sluice.readStream
      .fromSource(stream)
      .withWatermark('t', '5 seconds')
      .groupBy(window('t', '10 seconds'), col('v'))
      .agg(count())
      .groupBy('window')
      .agg(count().alias('d'))
      .select(unixMillis(col('window.start')).alias('w'), col('d'));
    const t = new StreamTest(distinct, { outputMode: 'append' });
    await t.start();
    stream.addData(rows.slice(0, 3));
    await t.processAllAvailable();
    stream.addData(rows.slice(3));
    await t.processAllAvailable();
    stream.addData([at(60_000, 'z', 9n)]);
    await t.processAllAvailable();
    const streamed = t.answer().map((r) => `${r.w}:${r.d}`);
    const batch = await sluice
      .createDataFrame(rows, schema)
      .groupBy(window('t', '10 seconds'))
      .agg(countDistinct('v').alias('d'))
      .select(unixMillis(col('window.start')).alias('w'), col('d'))
      .toArray();
    expect(streamed.sort()).toEqual(batch.map((r) => `${r.w}:${r.d}`).sort());
    expect(streamed.sort()).toEqual(['0:2', '10000:2']);
    await t.cleanup();
  });
});
