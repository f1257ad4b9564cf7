import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { types } from '../../../common/data-type.js';
import { field, schemaOf } from '../../../common/schema.js';
import type { DataFrame, Row } from '../../../dataframe/data-frame.js';
import { col, count, sessionWindow, unixMillis, window } from '../../../dataframe/expr/functions.js';
import type { StatefulProcessor, StatefulProcessorHandle } from '../../../dataframe/transform-with-state.js';
import { Sluice } from '../../../engine/session/sluice.js';
import { MemoryStream } from '../../../sources/memory/memory-stream.js';
import { StreamTest } from '../../helpers/stream-test.js';

// Spark's rule (MicroBatchExecution.constructNextBatch + each stateful exec's
// shouldRunAnotherBatch): after a batch, a batch without new rows runs when the watermark
// moved and a stateful operator with a watermark below it asks for one, whether or not it
// has anything to emit. These tests pin the batch ids and row counts foreachBatch sees.

let sluice: Sluice;
const schema = schemaOf([field('t', types.timestamp('ms')), field('k', types.utf8), field('v', types.int64)]);
const at = (t: number, k = 'a', v = 1n) => ({ t: new Date(t), k, v });

beforeAll(async () => {
  // State on the driver thread: these tests are about which batches run, not where state lives.
  sluice = await Sluice.builder().workers(1).config('sluice.sql.shuffle.partitions', 2).config('sluice.streaming.stateStore.location', 'driver').getOrCreate();
});

afterAll(async () => {
  await sluice.stop();
});

/** `batchId:rows` for every batch foreachBatch saw, in id order. */
function batchSizes(t: StreamTest): string[] {
  return [...t.batches.keys()].sort((a, b) => a - b).map((id) => `${id}:${t.batches.get(id)?.length}`);
}

/** Runs `steps` (each a list of rows added before processing) and returns the batch sizes after each. */
async function run(df: DataFrame, input: MemoryStream, steps: Row[][], outputMode: 'append' | 'update' | 'complete' = 'append'): Promise<string[][]> {
  const t = new StreamTest(df, { outputMode });
  await t.start();
  const out: string[][] = [];
  for (const rows of steps) {
    input.addData(rows);
    await t.processAllAvailable();
    out.push(batchSizes(t));
  }
  await t.cleanup();
  return out;
}

describe("no-data batches follow Spark's rule by default", () => {
  it('update-mode aggregation without an event-time key: an empty batch whenever the watermark moves', async () => {
    const input = new MemoryStream(schema, 'events');
    const df = sluice.readStream.fromSource(input).withWatermark('t', '5 seconds').groupBy('k').agg(count().alias('n'));
    const steps = await run(df, input, [[at(10_000, 'a'), at(20_000, 'b')], [at(12_000, 'a')], [at(30_000, 'c')]], 'update');
    // Batch 0 moves the watermark to 15 s: empty batch 1. Batch 2 (12 s) leaves it: no batch.
    // Batch 3 (30 s) moves it to 25 s: empty batch 4. Nothing is ever evicted (no event-time key).
    expect(steps).toEqual([
      ['0:2', '1:0'],
      ['0:2', '1:0', '2:1'],
      ['0:2', '1:0', '2:1', '3:1', '4:0'],
    ]);
  });

  it('deduplication with a watermark below it: an empty batch when the watermark moves, none otherwise', async () => {
    const input = new MemoryStream(schema, 'events');
    const df = sluice.readStream.fromSource(input).withWatermark('t', '5 seconds').dropDuplicates(['k']);
    const steps = await run(df, input, [[at(10_000, 'a'), at(10_000, 'a')], [at(9_000, 'b')]]);
    expect(steps).toEqual([
      ['0:1', '1:0'],
      ['0:1', '1:0', '2:1'],
    ]);
  });

  it('no watermark, no no-data batch', async () => {
    const input = new MemoryStream(schema, 'events');
    const df = sluice.readStream.fromSource(input).groupBy('k').agg(count().alias('n'));
    const steps = await run(df, input, [[at(10_000, 'a')], [at(90_000, 'b')]], 'update');
    expect(steps).toEqual([['0:1'], ['0:1', '1:1']]);
  });

  it('append-mode windows: the no-data batch emits what the watermark passed', async () => {
    const input = new MemoryStream(schema, 'events');
    const df = sluice.readStream.fromSource(input).withWatermark('t', '5 seconds').groupBy(window('t', '10 seconds')).agg(count().alias('n'));
    // 31 s: watermark 26 s closes [0,10), [10,20). 33 s moves it to 28 s: an empty batch
    // although no window closes (Spark's rule); the old rule would run none.
    const steps = await run(df, input, [[at(1_000), at(11_000), at(31_000)], [at(33_000)]]);
    expect(steps).toEqual([
      ['0:0', '1:2'],
      ['0:0', '1:2', '2:0', '3:0'],
    ]);
  });

  it('complete mode runs no no-data batch: tumbling windows and session windows alike', async () => {
    const tumbling = new MemoryStream(schema, 'events');
    const byWindow = sluice.readStream.fromSource(tumbling).withWatermark('t', '5 seconds').groupBy(window('t', '10 seconds')).agg(count().alias('n'));
    expect(await run(byWindow, tumbling, [[at(1_000), at(31_000)], [at(45_000)]], 'complete')).toEqual([['0:2'], ['0:2', '1:3']]);

    const sessions = new MemoryStream(schema, 'events');
    const bySession = sluice.readStream
      .fromSource(sessions)
      .withWatermark('t', '5 seconds')
      .groupBy(col('k'), sessionWindow(col('t'), '10 seconds'))
      .agg(count().alias('n'))
      .select(col('k'), unixMillis(col('session_window.start')).alias('s'), col('n'));
    const t = new StreamTest(bySession, { outputMode: 'complete' });
    await t.start();
    sessions.addData([at(0, 'a'), at(5_000, 'a'), at(40_000, 'b')]);
    await t.processAllAvailable();
    // The watermark (35 s) passes the session of 'a' [0, 15): Spark runs no batch for it in
    // complete mode, where nothing is evicted and the table would only be re-emitted.
    expect(batchSizes(t)).toEqual(['0:2']);
    sessions.addData([at(60_000, 'a')]);
    await t.processAllAvailable();
    expect(batchSizes(t)).toEqual(['0:2', '1:3']);
    expect((t.batches.get(1) ?? []).map((r) => `${r.k}@${r.s}=${r.n}`).sort()).toEqual(['a@0=2', 'a@60000=1', 'b@40000=1']);
    await t.cleanup();
  });

  it('session windows in append mode: an empty batch on every watermark move', async () => {
    const input = new MemoryStream(schema, 'events');
    const df = sluice.readStream
      .fromSource(input)
      .withWatermark('t', '5 seconds')
      .groupBy(col('k'), sessionWindow(col('t'), '10 seconds'))
      .agg(count().alias('n'));
    const steps = await run(df, input, [[at(0, 'a'), at(12_000, 'a')], [at(40_000, 'b')]]);
    // Watermark 7 s after batch 0: the sessions [0, 10) and [12, 22) stay open, batch 1 is
    // empty; 40 s moves it to 35 s and the no-data batch 3 emits both.
    expect(steps).toEqual([
      ['0:0', '1:0'],
      ['0:0', '1:0', '2:0', '3:2'],
    ]);
  });

  it('stream-stream joins: an empty batch only when the watermark bounds their state', async () => {
    const lSchema = schemaOf([field('lt', types.timestamp('ms')), field('lk', types.utf8)]);
    const rSchema = schemaOf([field('rt', types.timestamp('ms')), field('rk', types.utf8)]);
    for (const bounded of [true, false]) {
      const left = new MemoryStream(lSchema, 'left');
      const right = new MemoryStream(rSchema, 'right');
      const l = sluice.readStream.fromSource(left).withWatermark('lt', '5 seconds');
      const r = sluice.readStream.fromSource(right).withWatermark('rt', '5 seconds');
      const on = bounded
        ? col('lk')
            .eq(col('rk'))
            .and(unixMillis(col('lt')).geq(unixMillis(col('rt')).minus(1_000)))
            .and(unixMillis(col('lt')).leq(unixMillis(col('rt')).plus(1_000)))
        : col('lk').eq(col('rk'));
      const t = new StreamTest(l.join(r, on));
      await t.start();
      left.addData([{ lt: new Date(10_000), lk: 'a' }]);
      right.addData([{ rt: new Date(10_500), rk: 'a' }]);
      await t.processAllAvailable();
      expect(batchSizes(t)).toEqual(bounded ? ['0:1', '1:0'] : ['0:1']);
      await t.cleanup();
    }
  });

  it('transformWithState without timers: an empty batch when the watermark moves (Spark 4.0)', async () => {
    class Echo implements StatefulProcessor<{ k: string }, { k: string }, Row> {
      init(_handle: StatefulProcessorHandle): void {}
      *handleInputRows(key: { k: string }, rows: readonly { k: string }[]): Iterable<Row> {
        yield { k: key.k, n: BigInt(rows.length) };
      }
    }
    const input = new MemoryStream(schema, 'events');
    const df = sluice.readStream
      .fromSource(input)
      .withWatermark('t', '5 seconds')
      .groupBy('k')
      .transformWithState(new Echo(), {
        outputSchema: schemaOf([field('k', types.utf8), field('n', types.int64)]),
        timeMode: 'none',
        outputMode: 'append',
      });
    expect(await run(df, input, [[at(10_000, 'a'), at(10_000, 'b')]])).toEqual([['0:2', '1:0']]);
  });

  it('after a restart, waits for a batch of this run before running a no-data batch (as Spark)', async () => {
    const input = new MemoryStream(schema, 'events');
    const df = sluice.readStream.fromSource(input).withWatermark('t', '5 seconds').groupBy(window('t', '10 seconds')).agg(count().alias('n'));
    const t = new StreamTest(df, { trigger: { kind: 'once' } });
    input.addData([at(1_000), at(31_000)]);
    await t.start();
    await t.query?.awaitTermination();
    expect(batchSizes(t)).toEqual(['0:0']);
    // A once-trigger run with no new data runs nothing, though the watermark moved in batch 0.
    await t.start();
    await t.query?.awaitTermination();
    expect(batchSizes(t)).toEqual(['0:0']);
    // New data: its batch runs with the watermark of batch 0 (26 s) and emits [0,10); the
    // watermark moves to 27 s, so an empty no-data batch follows.
    const t2 = new StreamTest(df, { checkpointLocation: t.checkpointLocation });
    await t2.start();
    input.addData([at(32_000)]);
    await t2.processAllAvailable();
    expect(batchSizes(t2)).toEqual(['1:1', '2:0']);
    await t2.cleanup();
    await t.cleanup();
  });
});

describe('the old rule and no no-data batches at all, as options', () => {
  it('onlyWhenDue runs a no-data batch only when an operator has something to emit or evict; enabled=false runs none', async () => {
    const expected = {
      due: [['0:2'], ['0:2', '1:1'], ['0:2', '1:1', '2:1']],
      off: [['0:2'], ['0:2', '1:1'], ['0:2', '1:1', '2:1']],
    };
    for (const option of ['due', 'off'] as const) {
      const [key, value, reset] =
        option === 'due'
          ? ['sluice.streaming.noDataMicroBatches.onlyWhenDue', 'true', 'false']
          : ['sluice.sql.streaming.noDataMicroBatches.enabled', 'false', 'true'];
      sluice.conf.set(key, value);
      try {
        const input = new MemoryStream(schema, 'events');
        const df = sluice.readStream.fromSource(input).withWatermark('t', '5 seconds').groupBy('k').agg(count().alias('n'));
        expect(await run(df, input, [[at(10_000, 'a'), at(20_000, 'b')], [at(12_000, 'a')], [at(30_000, 'c')]], 'update')).toEqual(expected[option]);
        // Windows: onlyWhenDue emits [0,10) in a no-data batch; with none, it waits for the next data batch.
        const w = new MemoryStream(schema, 'events');
        const byWindow = sluice.readStream.fromSource(w).withWatermark('t', '5 seconds').groupBy(window('t', '10 seconds')).agg(count().alias('n'));
        const steps = await run(byWindow, w, [[at(1_000), at(31_000)], [at(33_000)]]);
        expect(steps).toEqual(
          option === 'due'
            ? [
                ['0:0', '1:1'],
                ['0:0', '1:1', '2:0'],
              ]
            : [['0:0'], ['0:0', '1:1']],
        );
      } finally {
        sluice.conf.set(key, reset);
      }
    }
  });

  it('refuses a bad setting at start()', async () => {
    sluice.conf.set('sluice.sql.streaming.noDataMicroBatches.enabled', 'yes');
    try {
      const input = new MemoryStream(schema, 'events');
      const df = sluice.readStream.fromSource(input).groupBy('k').agg(count().alias('n'));
      await expect(df.writeStream.format('memory').queryName('bad_nodata').outputMode('complete').start()).rejects.toThrow(
        /sluice\.sql\.streaming\.noDataMicroBatches\.enabled' must be 'true' or 'false', got 'yes'/,
      );
    } finally {
      sluice.conf.set('sluice.sql.streaming.noDataMicroBatches.enabled', 'true');
    }
  });
});
