import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { types } from '../../../common/data-type.js';
import { field, schemaOf } from '../../../common/schema.js';
import { col, count, sessionWindow, sum, unixMillis, window } from '../../../dataframe/expr/functions.js';
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
const ms = (r: Row, c = 't'): number => (r[c] as Date).getTime();
const at = (t: number, k = 'a', v = 1n) => ({ t: new Date(t), k, v });

/** Batches in id order, each as the sorted list of `render(row)`. */
function perBatch(t: StreamTest, render: (r: Row) => string): string[][] {
  return [...t.batches.keys()].sort((a, b) => a - b).map((id) => (t.batches.get(id) ?? []).map(render).sort());
}

describe('watermark boundary and append-mode emission', () => {
  it('drops a row exactly at the watermark, keeps one a millisecond after, and emits in the no-data batch', async () => {
    const input = new MemoryStream(schema, 'events');
    const df = sluice.readStream.fromSource(input).withWatermark('t', '10 seconds').groupBy('t').agg(count().alias('n'));
    const t = new StreamTest(df, { outputMode: 'append' });
    await t.start();
    input.addData([at(10_000), at(20_000), at(20_000)]);
    await t.processAllAvailable();
    // Batch 0 runs with watermark 0: nothing final. Afterwards the watermark is 20 s - 10 s = 10 s,
    // so a no-data batch 1 runs at once and emits the group at exactly 10 s (end <= watermark).
    expect(perBatch(t, (r) => `${ms(r)}:${r.n}`)).toEqual([[], ['10000:1']]);
    const q = t.query;
    expect(q?.lastProgress?.eventTime.watermark).toBe(new Date(10_000).toISOString());
    input.addData([at(10_000), at(10_001), at(40_000)]);
    await t.processAllAvailable();
    // Batch 2: late-events watermark 10 s: the row at 10 000 ms is late (<=), 10 001 is not.
    // Batch 3 (no data) runs with watermark 30 s and emits 10 001 and 20 000.
    expect(perBatch(t, (r) => `${ms(r)}:${r.n}`)).toEqual([[], ['10000:1'], [], ['10001:1', '20000:2']]);
    const progress = q?.recentProgress ?? [];
    const dropped = progress.map((p) => p.stateOperators[0]?.numRowsDroppedByWatermark);
    expect(dropped).toEqual([0, 0, 1, 0]);
    expect(progress[2]?.eventTime).toMatchObject({ min: new Date(10_000).toISOString(), max: new Date(40_000).toISOString() });
    expect(progress.map((p) => p.numInputRows)).toEqual([3, 0, 3, 0]);
    // The watermark never moves backwards: a batch of old rows leaves it at 30 s.
    input.addData([at(5_000)]);
    await t.processAllAvailable();
    expect(q?.lastProgress?.eventTime.watermark).toBe(new Date(30_000).toISOString());
    expect(q?.lastProgress?.stateOperators[0]?.numRowsDroppedByWatermark).toBe(1);
    await t.cleanup();
  });

  it('update mode emits changed keys each batch and evicts expired state without emitting it again', async () => {
    const input = new MemoryStream(schema, 'events');
    const df = sluice.readStream.fromSource(input).withWatermark('t', '5 seconds').groupBy('k', 't').agg(sum('v').alias('s'));
    const t = new StreamTest(df, { outputMode: 'update', keys: ['k', 't'] });
    await t.start();
    input.addData([at(1_000, 'a', 1n), at(1_000, 'a', 2n), at(9_000, 'b', 5n)]);
    await t.processAllAvailable();
    // The watermark is now 4 s, past the group at 1 s: a no-data batch runs, evicts it and emits nothing.
    expect(perBatch(t, (r) => `${r.k}@${ms(r)}=${r.s}`)).toEqual([['a@1000=3', 'b@9000=5'], []]);
    const states = t.query?.recentProgress.map((p) => p.stateOperators[0]?.numRowsTotal);
    expect(states?.[0]).toBe(2);
    expect(t.query?.lastProgress?.stateOperators[0]?.numRowsTotal).toBe(1);
    input.addData([at(9_000, 'b', 1n), at(2_000, 'a', 7n)]);
    await t.processAllAvailable();
    const last = [...t.batches.keys()].sort((a, b) => a - b).pop() as number;
    // 'a'@2s is late (2 s <= 4 s) and dropped; 'b'@9s is updated to 6.
    expect((t.batches.get(last) ?? []).map((r) => `${r.k}@${ms(r)}=${r.s}`)).toEqual(['b@9000=6']);
    expect(t.query?.lastProgress?.stateOperators[0]?.numRowsDroppedByWatermark).toBe(1);
    await t.cleanup();
  });

  it('keeps state and the watermark across a restart', async () => {
    const input = new MemoryStream(schema, 'events');
    const df = sluice.readStream.fromSource(input).withWatermark('t', '10 seconds').groupBy('t').agg(count().alias('n'));
    const t = new StreamTest(df, { outputMode: 'append' });
    await t.start();
    input.addData([at(15_000), at(15_000), at(30_000)]);
    await t.processAllAvailable();
    expect(perBatch(t, (r) => `${ms(r)}:${r.n}`).flat()).toEqual(['15000:2']);
    await t.restart();
    input.addData([at(30_000), at(19_000), at(60_000)]);
    await t.processAllAvailable();
    // 19 s is after the watermark (20 s)? No: 19 000 <= 20 000, so it is late and dropped.
    expect(perBatch(t, (r) => `${ms(r)}:${r.n}`).flat()).toEqual(['15000:2', '30000:2']);
    expect(t.query?.lastProgress?.eventTime.watermark).toBe(new Date(50_000).toISOString());
    await t.cleanup();
  });

  it('writes late rows to the late-rows path instead of losing them', async () => {
    const lateDir = mkdtempSync(join(tmpdir(), 'sluice-late-'));
    const input = new MemoryStream(schema, 'events');
    const df = sluice.readStream.fromSource(input).withWatermark('t', '1 second').dropDuplicates(['k', 't']);
    const q = await df.writeStream.format('memory').queryName('dedupLate').outputMode('append').option('lateRowsPath', lateDir).start();
    input.addData([at(10_000, 'a'), at(10_000, 'a'), at(12_000, 'b')]);
    await q.processAllAvailable();
    input.addData([at(5_000, 'c'), at(11_001, 'a'), at(12_000, 'b')]);
    await q.processAllAvailable();
    await q.stop();
    const kept = await sluice.table('dedupLate').toArray();
    expect(kept.map((r) => `${r.k}@${ms(r)}`).sort()).toEqual(['a@10000', 'a@11001', 'b@12000']);
    const files = readdirSync(lateDir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.parquet'));
    expect(files).toHaveLength(1);
    const late = await (await sluice.read.parquet(join(lateDir, files[0] as string))).toArray();
    expect(late.map((r) => `${r.k}@${ms(r)}`)).toEqual(['c@5000']);
    rmSync(lateDir, { recursive: true, force: true });
  });
});

describe('sliding windows in append mode', () => {
  it('puts a row in every window containing it, emits each window once, and drops only closed windows of a late row', async () => {
    const input = new MemoryStream(schema, 'events');
    const df = sluice.readStream
      .fromSource(input)
      .withWatermark('t', '5 seconds')
      .groupBy(window('t', '10 seconds', '5 seconds'))
      .agg(count().alias('n'))
      .select(unixMillis(col('window.start')).alias('s'), unixMillis(col('window.end')).alias('e'), col('n'));
    const t = new StreamTest(df, { outputMode: 'append' });
    const render = (r: Row) => `[${r.s},${r.e})=${r.n}`;
    await t.start();
    input.addData([at(7_000), at(12_000)]);
    await t.processAllAvailable();
    input.addData([at(26_000)]);
    await t.processAllAvailable();
    // Spark's rule: batch 0 moves the watermark to 7 s, so an empty no-data batch 1 follows
    // though no window closes; batch 2 brings 26 s and the no-data batch 3 runs with
    // watermark 21 s: [0,10) holds 7 s; [5,15) holds 7 s and 12 s; [10,20) holds 12 s.
    expect(perBatch(t, render)).toEqual([[], [], [], ['[0,10000)=1', '[10000,20000)=1', '[5000,15000)=2']]);
    // 9 s: both its windows ended at or before 21 s -> dropped twice; 16 s: [10,20) closed
    // (dropped once), [15,25) still open -> counted there.
    input.addData([at(9_000), at(16_000)]);
    await t.processAllAvailable();
    expect(t.query?.lastProgress?.stateOperators[0]?.numRowsDroppedByWatermark).toBe(3);
    input.addData([at(40_000)]);
    await t.processAllAvailable();
    expect(perBatch(t, render).flat()).toEqual(['[0,10000)=1', '[10000,20000)=1', '[5000,15000)=2', '[15000,25000)=1', '[20000,30000)=1', '[25000,35000)=1']);
    await t.cleanup();
  });
});

describe('late rows of window aggregations', () => {
  it('writes the rows that reach no window (sliding, tumbling), no session or are older than the watermark to the late-rows path', async () => {
    for (const kind of ['sliding', 'session', 'tumbling', 'time'] as const) {
      const lateDir = mkdtempSync(join(tmpdir(), 'sluice-late-win-'));
      const input = new MemoryStream(schema, 'events');
      const s = sluice.readStream.fromSource(input).withWatermark('t', '5 seconds');
      const df =
        kind === 'sliding'
          ? s.groupBy(window('t', '10 seconds', '5 seconds')).agg(count().alias('n'))
          : kind === 'session'
            ? s.groupBy(col('k'), sessionWindow(col('t'), '5 seconds')).agg(count().alias('n'))
            : kind === 'tumbling'
              ? s.groupBy(window('t', '10 seconds')).agg(count().alias('n'))
              : s.groupBy('t').agg(count().alias('n'));
      const q = await df.writeStream.format('memory').queryName(`late_${kind}`).outputMode('append').option('lateRowsPath', lateDir).start();
      input.addData([at(50_000)]);
      await q.processAllAvailable();
      // A second batch runs with watermark 45 s, so the third judges lateness by 45 s.
      input.addData([at(51_000)]);
      await q.processAllAvailable();
      // Watermark 45 s. 20 s: all its windows (its session [20, 25), its tumbling window
      // [20, 30), its own time) ended -> written; 42 s: its windows and session are open.
      input.addData([at(20_000, 'x'), at(42_000, 'y')]);
      await q.processAllAvailable();
      await q.stop();
      const files = readdirSync(lateDir, { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('.parquet'));
      expect(files).toHaveLength(1);
      const late = await (await sluice.read.parquet(join(lateDir, files[0] as string))).toArray();
      // Grouped by the time itself, 42 s is at or before the watermark too.
      expect(late.map((r) => `${r.k}@${ms(r)}`).sort()).toEqual(kind === 'time' ? ['x@20000', 'y@42000'] : ['x@20000']);
      rmSync(lateDir, { recursive: true, force: true });
    }
  });
});

describe('session windows and chained windows in a stream', () => {
  it('merges a batch session with the two stored sessions it bridges', async () => {
    const input = new MemoryStream(schema, 'events');
    const df = sluice.readStream
      .fromSource(input)
      .withWatermark('t', '1 minute')
      .groupBy(col('k'), sessionWindow(col('t'), '10 seconds'))
      .agg(count().alias('n'), sum('v').alias('s'))
      .select(col('k'), unixMillis(col('session_window.start')).alias('start'), unixMillis(col('session_window.end')).alias('end'), col('n'), col('s'));
    const t = new StreamTest(df, { outputMode: 'append' });
    const render = (r: Row) => `${r.k}[${r.start},${r.end})=${r.n}/${r.s}`;
    await t.start();
    input.addData([at(0, 'a', 1n), at(20_000, 'a', 2n), at(5_000, 'b', 4n)]);
    await t.processAllAvailable();
    expect(t.query?.lastProgress?.stateOperators[0]?.numRowsTotal).toBe(3);
    // 10 s is within the gap of [0, 10) (10 <= 10) and reaches 20 s: all three a-sessions merge.
    input.addData([at(10_000, 'a', 4n)]);
    await t.processAllAvailable();
    expect(t.query?.lastProgress?.stateOperators[0]?.numRowsTotal).toBe(2);
    input.addData([at(200_000, 'z', 0n)]);
    await t.processAllAvailable();
    expect(perBatch(t, render).flat()).toEqual(['a[0,30000)=3/7', 'b[5000,15000)=1/4']);
    await t.cleanup();
  });

  it('a windowed count and then a count per window over it, in append mode', async () => {
    const input = new MemoryStream(schema, 'events');
    const perKey = sluice.readStream.fromSource(input).withWatermark('t', '10 seconds').groupBy(window('t', '1 minute'), col('k')).agg(count().alias('n'));
    const perWindow = perKey.groupBy(col('window')).agg(count().alias('keys'), sum('n').alias('rows'));
    const df = perWindow.select(unixMillis(col('window.start')).alias('w'), col('keys'), col('rows'));
    const t = new StreamTest(df, { outputMode: 'append' });
    await t.start();
    input.addData([at(1_000, 'a'), at(2_000, 'a'), at(59_999, 'b'), at(60_000, 'c')]);
    await t.processAllAvailable();
    expect(perBatch(t, (r) => `${r.w}:${r.keys}/${r.rows}`).flat()).toEqual([]);
    input.addData([at(125_000, 'd')]);
    await t.processAllAvailable();
    // Watermark 115 s: both operators emit the window [0, 60) in the same batch; [60, 120) is open.
    expect(perBatch(t, (r) => `${r.w}:${r.keys}/${r.rows}`).flat()).toEqual(['0:2/3']);
    input.addData([at(300_000, 'e')]);
    await t.processAllAvailable();
    expect(perBatch(t, (r) => `${r.w}:${r.keys}/${r.rows}`).flat()).toEqual(['0:2/3', '120000:1/1', '60000:1/1']);
    await t.cleanup();
  });
});

describe('streaming deduplication', () => {
  it('dropDuplicatesWithinWatermark forgets a key once the watermark passes its first time plus the delay', async () => {
    const input = new MemoryStream(schema, 'events');
    const df = sluice.readStream.fromSource(input).withWatermark('t', '10 seconds').dropDuplicatesWithinWatermark(['k']);
    const t = new StreamTest(df, { outputMode: 'append' });
    await t.start();
    input.addData([at(1_000, 'x'), at(2_000, 'x'), at(3_000, 'y')]);
    await t.processAllAvailable();
    expect(perBatch(t, (r) => `${r.k}@${ms(r)}`).flat()).toEqual(['x@1000', 'y@3000']);
    // Watermark 3 s - 10 s < 0. x expires when the watermark reaches 1 s + 10 s = 11 s.
    input.addData([at(15_000, 'x'), at(21_000, 'z')]);
    await t.processAllAvailable();
    // Batch with 15 s: x still remembered (watermark was still < 11 s) -> duplicate dropped.
    expect(perBatch(t, (r) => `${r.k}@${ms(r)}`).flat()).toEqual(['x@1000', 'y@3000', 'z@21000']);
    // Now the watermark is 11 s: x (expiry 11 s) and y (13 s > 11 s) ... x is evicted.
    input.addData([at(22_000, 'x'), at(22_000, 'y')]);
    await t.processAllAvailable();
    expect(perBatch(t, (r) => `${r.k}@${ms(r)}`).flat()).toEqual(['x@1000', 'y@3000', 'z@21000', 'x@22000']);
    expect(t.query?.lastProgress?.stateOperators[0]?.operatorName).toBe('dedupeWithinWatermark');
    await t.cleanup();
  });

  it('dropDuplicates without an event-time key keeps every key forever, across restarts', async () => {
    const input = new MemoryStream(schema, 'events');
    const df = sluice.readStream.fromSource(input).dropDuplicates(['k']);
    const t = new StreamTest(df, { outputMode: 'append' });
    await t.start();
    input.addData([at(1, 'a'), at(2, 'b'), at(3, 'a')]);
    await t.processAllAvailable();
    await t.restart();
    input.addData([at(4, 'b'), at(5, 'c')]);
    await t.checkAnswer([at(1, 'a'), at(2, 'b'), at(5, 'c')]);
    expect(t.query?.lastProgress?.stateOperators[0]?.numRowsTotal).toBe(3);
    await t.cleanup();
  });

  it('refuses dropDuplicatesWithinWatermark without a watermark, and append aggregation without an event-time key', async () => {
    const input = new MemoryStream(schema, 'events');
    const s = sluice.readStream.fromSource(input);
    await expect(s.dropDuplicatesWithinWatermark(['k']).writeStream.format('memory').queryName('x1').start()).rejects.toThrow(/needs a watermark/);
    await expect(
      s.withWatermark('t', '1 second').groupBy('k').agg(count()).writeStream.format('memory').queryName('x2').outputMode('append').start(),
    ).rejects.toThrow(/Append output mode is not supported for a streaming aggregation without a watermark/);
    expect(() => s.withWatermark('k', '1 second')).toThrow(/needs a timestamp column, but 'k' is string/);
    expect(() => s.withWatermark('t', 'soon')).toThrow();
  });
});

describe('chained stateful operators and several watermarks', () => {
  it('a count per (key, time) then a sum per time, in append mode, with the two-watermark rule', async () => {
    const input = new MemoryStream(schema, 'events');
    const perKey = sluice.readStream.fromSource(input).withWatermark('t', '10 seconds').groupBy('k', 't').agg(count().alias('n'));
    const perTime = perKey.groupBy('t').agg(sum('n').alias('total'), count().alias('keys'));
    const t = new StreamTest(perTime, { outputMode: 'append' });
    await t.start();
    input.addData([at(1_000, 'a'), at(1_000, 'b'), at(1_000, 'a'), at(2_000, 'a')]);
    await t.processAllAvailable();
    expect(perBatch(t, (r) => `${ms(r)}:${r.total}/${r.keys}`).flat()).toEqual([]);
    input.addData([at(30_000, 'c')]);
    await t.processAllAvailable();
    // The batch with 30 s moves the watermark to 20 s; the no-data batch after it evicts the
    // (key, time) groups at 1 s and 2 s from the first operator, and the second operator takes
    // them in the same batch (its late filter uses the previous batch's watermark, 0) and
    // emits them at once, since their time is at or before this batch's watermark.
    expect(perBatch(t, (r) => `${ms(r)}:${r.total}/${r.keys}`).flat()).toEqual(['1000:3/2', '2000:1/1']);
    const ops = t.query?.lastProgress?.stateOperators ?? [];
    expect(ops.map((o) => o.operatorName)).toEqual(['stateStoreSave', 'stateStoreSave']);
    expect(ops[0]?.numRowsTotal).toBe(1);
    expect(ops[1]?.numRowsTotal).toBe(0);
    await t.cleanup();
  });

  it('takes the minimum of two inputs watermarks by default, the maximum with the max policy', async () => {
    for (const policy of ['min', 'max'] as const) {
      const s2 = await Sluice.builder().workers(1).config('sluice.sql.streaming.multipleWatermarkPolicy', policy).getOrCreate();
      const left = new MemoryStream(schema, 'left');
      const right = new MemoryStream(schema, 'right');
      const df = s2.readStream
        .fromSource(left)
        .withWatermark('t', '1 second')
        .union(s2.readStream.fromSource(right).withWatermark('t', '5 seconds'))
        .dropDuplicates(['k', 't']);
      const q = await df.writeStream.format('memory').queryName(`wm_${policy}`).outputMode('append').start();
      left.addData([at(20_000)]);
      right.addData([at(20_000, 'b')]);
      await q.processAllAvailable();
      // One more batch, so its progress shows the watermark computed from both inputs.
      left.addData([at(1, 'late')]);
      await q.processAllAvailable();
      const expected = policy === 'min' ? 15_000 : 19_000;
      expect(q.lastProgress?.eventTime.watermark).toBe(new Date(expected).toISOString());
      await q.stop();
      await s2.stop();
    }
  });

  it('with an idle timeout, advances the watermark by processing time so the last window is emitted', async () => {
    const s2 = await Sluice.builder().workers(1).config('sluice.streaming.watermark.idleTimeout', '5 seconds').getOrCreate();
    const input = new MemoryStream(schema, 'events');
    const df = s2.readStream.fromSource(input).withWatermark('t', '10 seconds').groupBy('t').agg(count().alias('n'));
    const t = new StreamTest(df, { outputMode: 'append', manualClockIntervalMs: 1000 });
    await t.start();
    input.addData([at(100_000), at(100_000)]);
    await t.processAllAvailable();
    // Watermark 90 s: the group at 100 s waits. Without new data Spark would wait forever.
    expect(perBatch(t, (r) => `${ms(r)}:${r.n}`).flat()).toEqual([]);
    // 5 s idle timeout + 10 s more of processing time moves the watermark 10 s: to 100 s.
    for (let i = 0; i < 16; i++) await t.advance(1000);
    await t.processAllAvailable();
    expect(perBatch(t, (r) => `${ms(r)}:${r.n}`).flat()).toEqual(['100000:2']);
    const wm = Date.parse(t.query?.lastProgress?.eventTime.watermark ?? '');
    expect(wm).toBeGreaterThanOrEqual(100_000);
    await t.cleanup();
    await s2.stop();
  });
});
