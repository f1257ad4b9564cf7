import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { types } from '../../../common/data-type.js';
import { field, schemaOf } from '../../../common/schema.js';
import { col, count, unixMillis, window } from '../../../dataframe/expr/functions.js';
import type { DataFrame } from '../../../dataframe/data-frame.js';
import { Sluice } from '../../../engine/session/sluice.js';
import { MemoryStream } from '../../../sources/memory/memory-stream.js';
import { StreamTest } from '../../helpers/stream-test.js';

let sluice: Sluice;
const schema = schemaOf([field('t', types.timestamp('ms')), field('k', types.utf8), field('v', types.int64)]);

beforeAll(async () => {
  sluice = await Sluice.builder().workers(2).config('sluice.sql.shuffle.partitions', 2).getOrCreate();
});

afterAll(async () => {
  await sluice.stop();
});

type Row = Record<string, unknown>;
const ms = (r: Row): number => (r.t as Date).getTime();
const at = (t: number, k = 'a', v = 1n) => ({ t: new Date(t), k, v });

function perBatch(t: StreamTest, render: (r: Row) => string): string[][] {
  return [...t.batches.keys()].sort((a, b) => a - b).map((id) => (t.batches.get(id) ?? []).map(render).sort());
}

describe('filters above withWatermark', () => {
  it('a filter that does not read the event time runs before the watermark: the rows it drops never move it', async () => {
    const input = new MemoryStream(schema, 'events');
    const df = sluice.readStream
      .fromSource(input)
      .withWatermark('t', '10 seconds')
      .withColumn('v2', col('v').plus(1))
      // k = 'a' moves below withWatermark (through the projection); the event-time conjunct stays above it.
      .filter(
        col('k')
          .eq('a')
          .and(unixMillis(col('t')).lt(200_000)),
      )
      .groupBy('t')
      .agg(count().alias('n'));
    const t = new StreamTest(df, { outputMode: 'append' });
    await t.start();
    input.addData([at(10_000), at(100_000, 'b')]);
    await t.processAllAvailable();
    // b@100 s is filtered out before the watermark: it stays at 10 s - 10 s = 0 (with the
    // filter above the watermark it was 90 s, and the next rows were all late).
    expect(t.query?.lastProgress?.eventTime).toMatchObject({ watermark: new Date(0).toISOString(), max: new Date(10_000).toISOString() });
    input.addData([at(20_000), at(30_000)]);
    await t.processAllAvailable();
    // Watermark 20 s: a no-data batch emits the groups at 10 s and 20 s.
    expect(perBatch(t, (r) => `${ms(r)}:${r.n}`)).toEqual([[], [], ['10000:1', '20000:1']]);
    expect(t.query?.recentProgress.map((p) => p.stateOperators[0]?.numRowsDroppedByWatermark)).toEqual([0, 0, 0]);
    // a@300 s fails the event-time conjunct, which stays above withWatermark (Spark's rule):
    // it still moves the watermark, to 290 s, so the group at 30 s comes out.
    input.addData([at(300_000)]);
    await t.processAllAvailable();
    expect(t.query?.lastProgress?.eventTime.watermark).toBe(new Date(290_000).toISOString());
    expect(perBatch(t, (r) => `${ms(r)}:${r.n}`).slice(3)).toEqual([[], ['30000:1']]);
    await t.cleanup();
  });
});

describe('event times at or before 1970-01-01 in a stream', () => {
  const tenSecondCounts = (df: DataFrame): DataFrame =>
    df
      .groupBy(window(col('t'), '10 seconds'))
      .agg(count().alias('n'))
      .select(unixMillis(col('window.start')).alias('w'), col('n'));

  it('are late for stateful operators, as in Spark (the watermark starts at the epoch), even with flushAtEnd; a warning says so', async () => {
    const s2 = await Sluice.builder().workers(1).config('sluice.streaming.availableNow.flushAtEnd', 'true').getOrCreate();
    const warn = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const rows = [at(-15_000), at(-5_000), at(0), at(3_000), at(12_000)];
      const input = new MemoryStream(schema, 'old');
      input.addData(rows);
      const q = await tenSecondCounts(s2.readStream.fromSource(input).withWatermark('t', '5 seconds'))
        .writeStream.format('memory')
        .queryName('preEpoch')
        .outputMode('append')
        .trigger({ kind: 'availableNow' })
        .start();
      await q.awaitTermination();
      const render = (r: Row) => `${Number(r.w) / 1000}:${r.n}`;
      // Windows ending at or before the epoch ([-20 s, -10 s) and [-10 s, 0)) are late in
      // batch 0; the row at exactly 0 is in [0, 10), which ends after the epoch, and is kept.
      expect((await s2.table('preEpoch').toArray()).map(render).sort()).toEqual(['0:2', '10:1']);
      expect(q.recentProgress[0]?.stateOperators[0]?.numRowsDroppedByWatermark).toBe(2);
      // The batch query keeps them: this is the one documented exception to stream = batch.
      const batch = await tenSecondCounts(s2.createDataFrame(rows, schema)).toArray();
      expect(batch.map(render).sort()).toEqual(['-10:1', '-20:1', '0:2', '10:1']);
      const messages = warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('1970-01-01'));
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(/stateStoreSave \(operator 0\) dropped 2 rows.*at or before 1970-01-01T00:00:00/);
    } finally {
      warn.mockRestore();
      await s2.stop();
    }
  });

  it('a plain event-time key: rows at or before the epoch are dropped, one millisecond after is kept', async () => {
    const input = new MemoryStream(schema, 'events');
    const df = sluice.readStream.fromSource(input).withWatermark('t', '1 second').groupBy('t').agg(count().alias('n'));
    const t = new StreamTest(df, { outputMode: 'append' });
    const warn = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await t.start();
      input.addData([at(-5_000), at(0), at(1), at(5_000)]);
      await t.processAllAvailable();
      expect(perBatch(t, (r) => `${ms(r)}:${r.n}`)).toEqual([[], ['1:1']]);
      expect(t.query?.recentProgress[0]?.stateOperators[0]?.numRowsDroppedByWatermark).toBe(2);
    } finally {
      warn.mockRestore();
      await t.cleanup();
    }
  });
});
