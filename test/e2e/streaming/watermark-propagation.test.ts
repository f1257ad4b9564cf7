import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { types } from '../../../common/data-type.js';
import { field, schemaOf } from '../../../common/schema.js';
import type { Column } from '../../../dataframe/expr/column.js';
import { col, count, unixMillis, window } from '../../../dataframe/expr/functions.js';
import type { DataFrame } from '../../../dataframe/data-frame.js';
import type { StatefulProcessor, TimeMode } from '../../../dataframe/transform-with-state.js';
import { Sluice } from '../../../engine/session/sluice.js';
import { MemoryStream } from '../../../sources/memory/memory-stream.js';
import { StreamTest } from '../../helpers/stream-test.js';

let sluice: Sluice;
let dir: string;
const leftSchema = schemaOf([field('lt', types.timestamp('ms')), field('lk', types.utf8)]);
const rightSchema = schemaOf([field('rt', types.timestamp('ms')), field('rk', types.utf8)]);

beforeAll(async () => {
  sluice = await Sluice.builder().workers(2).config('sluice.sql.shuffle.partitions', 2).getOrCreate();
  dir = mkdtempSync(join(tmpdir(), 'sluice-wm-propagation-'));
});

afterAll(async () => {
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
});

type Row = Record<string, unknown>;
const L = (t: number, k: string) => ({ lt: new Date(t), lk: k });
const R = (t: number, k: string) => ({ rt: new Date(t), rk: k });

/** lk = rk and lt within 10 s of rt (both ways): each side's state watermark is the query watermark - 10 001 ms. */
function withinTenSeconds(): Column {
  return col('lk')
    .eq(col('rk'))
    .and(unixMillis(col('lt')).geq(unixMillis(col('rt')).minus(10_000)))
    .and(unixMillis(col('lt')).leq(unixMillis(col('rt')).plus(10_000)));
}

/** Joined rows counted per 10-second window of the left event time: `start-in-seconds:count`. */
function countPerWindow(l: DataFrame, r: DataFrame): DataFrame {
  return l
    .join(r, withinTenSeconds())
    .groupBy(window(col('lt'), '10 seconds'))
    .agg(count().alias('n'))
    .select(unixMillis(col('window.start')).alias('w'), col('n'));
}
const render = (r: Row): string => `${Number(r.w) / 1000}:${r.n}`;

function perBatch(t: StreamTest): string[][] {
  return [...t.batches.keys()].sort((a, b) => a - b).map((id) => (t.batches.get(id) ?? []).map(render).sort());
}

describe('per-operator watermarks: stream-stream join then windowed aggregation', () => {
  it('delays the aggregation by the join range, so a late-matched pair is counted, not dropped', async () => {
    const left = new MemoryStream(leftSchema, 'left');
    const right = new MemoryStream(rightSchema, 'right');
    const l = sluice.readStream.fromSource(left).withWatermark('lt', '5 seconds');
    const r = sluice.readStream.fromSource(right).withWatermark('rt', '5 seconds');
    const t = new StreamTest(countPerWindow(l, r), { manualClockIntervalMs: 1000 });
    await t.start();
    left.addData([L(28_000, 'a')]);
    right.addData([R(10_000, 'q')]);
    await t.processAllAvailable();
    // Query watermark now 5 s (right: 10 s - 5 s): the join's moved, so a no-data batch runs
    // (Spark's rule); the aggregation's stays 0 (5 s - 10.001 s).
    left.addData([L(40_000, 'x')]);
    right.addData([R(40_000, 'x')]);
    await t.processAllAvailable();
    // Query watermark 35 s: the join evicts q@10 (<= 35 s - 10.001 s) in a no-data batch; a@28 stays.
    expect(perBatch(t)).toEqual([[], [], [], []]);
    // a@36 matches the stored a@28. The aggregation's input watermark is 35 s - 10.001 s =
    // 24.999 s, so the window [20 s, 30 s) is not late (with the query watermark, 35 s, it was).
    right.addData([R(36_000, 'a')]);
    await t.processAllAvailable();
    const progress = t.query?.recentProgress ?? [];
    expect(progress.at(-1)?.stateOperators.map((o) => o.numRowsDroppedByWatermark)).toEqual([0, 0]);
    expect(progress.at(-1)?.stateOperators.map((o) => o.operatorName)).toEqual(['symmetricHashJoin', 'stateStoreSave']);
    expect(perBatch(t)).toEqual([[], [], [], [], []]);
    // Query watermark 55 s: the aggregation's is 44.999 s: [20 s, 30 s) is final, [40 s, 50 s) not yet.
    left.addData([L(60_000, 'z')]);
    right.addData([R(60_000, 'z')]);
    await t.processAllAvailable();
    expect(perBatch(t).slice(5)).toEqual([[], ['20:1']]);
    expect(t.query?.lastProgress?.eventTime.watermark).toBe(new Date(55_000).toISOString());
    // Query watermark 65 s, the aggregation's 54.999 s: [40 s, 50 s) comes out.
    left.addData([L(70_000, 'y')]);
    right.addData([R(70_000, 'w')]);
    await t.processAllAvailable();
    expect(perBatch(t).slice(7)).toEqual([[], ['40:1']]);
    // Restart: the per-operator watermarks come from the logged query watermark alone.
    await t.restart();
    left.addData([L(90_000, 'v')]);
    right.addData([R(90_000, 'v')]);
    await t.processAllAvailable();
    // Query watermark 85 s, the aggregation's 74.999 s: [60 s, 70 s) holds z@60.
    expect(perBatch(t).slice(9)).toEqual([[], ['60:1']]);
    await t.cleanup();
  });

  it('streams one file per batch (AvailableNow + flushAtEnd) to the same counts as the batch query', async () => {
    const base = join(dir, 'files');
    const files: [Row[], Row[]][] = [
      [[L(28_000, 'a')], [R(10_000, 'q')]],
      [[L(40_000, 'x')], [R(40_000, 'x')]],
      [[L(41_000, 'b')], [R(41_000, 'r')]],
      [[L(45_000, 'c')], [R(36_000, 'a')]],
    ];
    const iso = (d: unknown): string => (d as Date).toISOString();
    mkdirSync(join(base, 'l'), { recursive: true });
    mkdirSync(join(base, 'r'), { recursive: true });
    files.forEach(([ls, rs], i) => {
      writeFileSync(join(base, 'l', `f${i}.csv`), `lt,lk\n${ls.map((x) => `${iso(x.lt)},${x.lk}`).join('\n')}\n`);
      writeFileSync(join(base, 'r', `f${i}.csv`), `rt,rk\n${rs.map((x) => `${iso(x.rt)},${x.rk}`).join('\n')}\n`);
    });
    const s2 = await Sluice.builder().workers(2).config('sluice.streaming.availableNow.flushAtEnd', 'true').getOrCreate();
    try {
      const stream = async (side: 'l' | 'r', ddl: string) =>
        (await s2.readStream.format('csv').schema(ddl).option('header', true).option('maxFilesPerTrigger', 1).load(join(base, side))).withWatermark(
          `${side}t`,
          '5 seconds',
        );
      const q = await countPerWindow(await stream('l', 'lt TIMESTAMP, lk STRING'), await stream('r', 'rt TIMESTAMP, rk STRING'))
        .writeStream.format('memory')
        .queryName('joinAggFlush')
        .outputMode('append')
        .option('checkpointLocation', join(base, 'ckpt'))
        .trigger({ kind: 'availableNow' })
        .start();
      await q.awaitTermination();
      expect(q.recentProgress.filter((p) => p.numInputRows > 0)).toHaveLength(4);
      const dropped = q.recentProgress.flatMap((p) => p.stateOperators.map((o) => o.numRowsDroppedByWatermark));
      expect(dropped.every((n) => n === 0)).toBe(true);
      const streamed = (await s2.table('joinAggFlush').toArray()).map(render).sort();
      const lb = await s2.read.format('csv').schema('lt TIMESTAMP, lk STRING').option('header', true).load(join(base, 'l'));
      const rb = await s2.read.format('csv').schema('rt TIMESTAMP, rk STRING').option('header', true).load(join(base, 'r'));
      const batch = (await countPerWindow(lb, rb).toArray()).map(render).sort();
      expect(batch).toEqual(['20:1', '40:1']);
      expect(streamed).toEqual(batch);
    } finally {
      await s2.stop();
    }
  });
});

/** Passes every row on unchanged. */
class Echo implements StatefulProcessor<{ k: string }, Row, Row> {
  init(): void {}
  *handleInputRows(_key: { k: string }, rows: readonly Row[]): Iterable<Row> {
    yield* rows;
  }
  close(): void {}
}

describe('per-operator watermarks after transformWithState', () => {
  it('pass on in eventTime mode; in processingTime mode none does, so an append aggregation after it is refused at start', async () => {
    const counted = (timeMode: TimeMode) =>
      sluice.readStream
        .fromSource(new MemoryStream(leftSchema, 'left'))
        .withWatermark('lt', '5 seconds')
        .groupBy('lk')
        .transformWithState(new Echo(), { outputSchema: leftSchema, timeMode })
        .groupBy(window(col('lt'), '10 seconds'))
        .agg(count().alias('n'))
        .writeStream.format('memory')
        .outputMode('append');
    const q = await counted('eventTime').queryName('twsEvent').start();
    await q.stop();
    await expect(counted('processingTime').queryName('twsProcessing').start()).rejects.toThrow(/streaming aggregation without a watermark/);
  });
});
