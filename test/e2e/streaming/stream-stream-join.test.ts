import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { types } from '../../../common/data-type.js';
import { field, schemaOf } from '../../../common/schema.js';
import type { Column } from '../../../dataframe/expr/column.js';
import { col, unixMillis, window } from '../../../dataframe/expr/functions.js';
import type { DataFrame } from '../../../dataframe/data-frame.js';
import { Sluice } from '../../../engine/session/sluice.js';
import { MemoryStream } from '../../../sources/memory/memory-stream.js';
import { StreamTest } from '../../helpers/stream-test.js';

let sluice: Sluice;
const leftSchema = schemaOf([field('lt', types.timestamp('ms')), field('lk', types.utf8), field('lv', types.int64)]);
const rightSchema = schemaOf([field('rt', types.timestamp('ms')), field('rk', types.utf8), field('rv', types.int64)]);

beforeAll(async () => {
  sluice = await Sluice.builder().workers(2).config('sluice.sql.shuffle.partitions', 2).getOrCreate();
});

afterAll(async () => {
  await sluice.stop();
});

type Row = Record<string, unknown>;
const L = (t: number, k: string, v = 1n) => ({ lt: new Date(t), lk: k, lv: v });
const R = (t: number, k: string, v = 1n) => ({ rt: new Date(t), rk: k, rv: v });
const s = (d: unknown): string => (d instanceof Date ? String(d.getTime() / 1000) : 'null');
/** `lk@lt|rk@rt` with times in seconds and null sides as `null`. */
const render = (r: Row): string => `${r.lk ?? 'null'}@${s(r.lt)}|${r.rk ?? 'null'}@${s(r.rt)}`;

/** Batches in id order, each as the sorted list of rendered rows. */
function perBatch(t: StreamTest): string[][] {
  return [...t.batches.keys()].sort((a, b) => a - b).map((id) => (t.batches.get(id) ?? []).map(render).sort());
}

/** lk = rk and lt within 10 s of rt (both ways), written in milliseconds through unixMillis. */
function withinTenSeconds(): Column {
  return col('lk')
    .eq(col('rk'))
    .and(unixMillis(col('lt')).geq(unixMillis(col('rt')).minus(10_000)))
    .and(unixMillis(col('lt')).leq(unixMillis(col('rt')).plus(10_000)));
}

function streams(): { left: MemoryStream; right: MemoryStream; l: DataFrame; r: DataFrame } {
  const left = new MemoryStream(leftSchema, 'left');
  const right = new MemoryStream(rightSchema, 'right');
  const l = sluice.readStream.fromSource(left).withWatermark('lt', '5 seconds');
  const r = sluice.readStream.fromSource(right).withWatermark('rt', '5 seconds');
  return { left, right, l, r };
}

const stateRows = (t: StreamTest): (number | undefined)[] => (t.query?.recentProgress ?? []).map((p) => p.stateOperators[0]?.numRowsTotal);

describe('stream-stream inner join', () => {
  it('matches rows across batches whichever side arrives first, once per pair', async () => {
    const { left, right, l, r } = streams();
    const t = new StreamTest(l.join(r, withinTenSeconds()), { manualClockIntervalMs: 1000 });
    await t.start();
    left.addData([L(10_000, 'a'), L(11_000, 'a')]);
    await t.processAllAvailable();
    right.addData([R(12_000, 'a'), R(12_000, 'b'), R(30_000, 'a')]);
    await t.processAllAvailable();
    right.addData([R(13_000, 'c')]);
    left.addData([L(14_000, 'c'), L(15_000, 'b')]);
    await t.processAllAvailable();
    // Spark's rule: an empty no-data batch follows every batch that moves the watermark and
    // the join bounds its state (batch 1: 6 s, batch 4: 10 s); batch 2 leaves it at 6 s.
    expect(perBatch(t)).toEqual([
      [],
      [],
      ['a@10|a@12', 'a@11|a@12'],
      // b@15 matches the stored b@12; c@14 the new c@13 (new-new pair, once).
      ['b@15|b@12', 'c@14|c@13'],
      [],
    ]);
    expect(t.query?.lastProgress?.stateOperators[0]?.operatorName).toBe('symmetricHashJoin');
    await t.cleanup();
  });

  it('evicts state once the watermark passes the time range and stops matching evicted rows', async () => {
    const { left, right, l, r } = streams();
    const t = new StreamTest(l.join(r, withinTenSeconds()), { manualClockIntervalMs: 1000 });
    await t.start();
    left.addData([L(10_000, 'a'), L(10_000, 'b')]);
    right.addData([R(10_000, 'a'), R(11_000, 'x')]);
    await t.processAllAvailable();
    // Watermark 5 s: an empty no-data batch evicts nothing yet.
    expect(stateRows(t)).toEqual([4, 4]);
    // Rows at 40 s move it to 35 s: the left state keeps lt > 35 - 10 s, the right state
    // rt > 25 s, so the no-data batch after them evicts the four rows at 10-11 s.
    left.addData([L(40_000, 'c')]);
    right.addData([R(40_000, 'd')]);
    await t.processAllAvailable();
    expect(perBatch(t)).toEqual([['a@10|a@10'], [], [], []]);
    expect(stateRows(t)).toEqual([4, 4, 6, 2]);
    expect(t.query?.lastProgress?.eventTime.watermark).toBe(new Date(35_000).toISOString());
    // 'b' at 36 s would have matched b@10 within... no: 26 s apart; but 'c' at 36 s matches c@40.
    right.addData([R(36_000, 'c'), R(20_000, 'b')]);
    await t.processAllAvailable();
    const last = perBatch(t).pop();
    expect(last).toEqual(['c@40|c@36']);
    // rt = 20 s is at or before the late-events watermark (35 s): dropped.
    expect(t.query?.lastProgress?.stateOperators[0]?.numRowsDroppedByWatermark).toBe(1);
    await t.cleanup();
  });

  it('joins on column names (using), keys once in the output', async () => {
    const { left, right, l, r } = streams();
    const t = new StreamTest(l.withColumnRenamed('lk', 'k').join(r.withColumnRenamed('rk', 'k'), 'k'), { manualClockIntervalMs: 1000 });
    await t.start();
    left.addData([L(1_000, 'a', 1n), L(2_000, 'b', 2n)]);
    await t.processAllAvailable();
    right.addData([R(3_000, 'a', 10n), R(4_000, 'a', 20n)]);
    await t.processAllAvailable();
    const rows = perBatchRaw(t).flat();
    expect(Object.keys(rows[0] ?? {})).toEqual(['k', 'lt', 'lv', 'rt', 'rv']);
    expect(rows.map((x) => `${x.k}:${x.lv}:${x.rv}`).sort()).toEqual(['a:1:10', 'a:1:20']);
    await t.cleanup();
  });
});

function perBatchRaw(t: StreamTest): Row[][] {
  return [...t.batches.keys()].sort((a, b) => a - b).map((id) => t.batches.get(id) ?? []);
}

describe('stream-stream outer joins', () => {
  it('left outer: emits unmatched left rows with nulls exactly when the watermark passes, in a no-data batch', async () => {
    const { left, right, l, r } = streams();
    const t = new StreamTest(l.join(r, withinTenSeconds(), 'left'), { manualClockIntervalMs: 1000 });
    await t.start();
    left.addData([L(10_000, 'a'), L(10_000, 'b'), L(20_000, 'e')]);
    right.addData([R(12_000, 'a')]);
    await t.processAllAvailable();
    // Watermark min(left 15 s, right 7 s) = 7 s: the no-data batch finds nothing final yet.
    expect(perBatch(t)).toEqual([['a@10|a@12'], []]);
    // Right rows at 30 s: watermark min(15, 25) = 15 s; the left state keeps lt > 15 - 10 = 5 s: still nothing.
    right.addData([R(30_000, 'z')]);
    await t.processAllAvailable();
    expect(perBatch(t)).toEqual([['a@10|a@12'], [], [], []]);
    // Left at 40 s: watermark min(35, 25) = 25 s: lt <= 15 s is final: b@10 (unmatched) comes out with nulls, a@10 matched.
    left.addData([L(40_000, 'y')]);
    await t.processAllAvailable();
    expect(perBatch(t)).toEqual([['a@10|a@12'], [], [], [], [], ['b@10|null@null']]);
    expect(t.query?.lastProgress?.eventTime.watermark).toBe(new Date(25_000).toISOString());
    // Right at 50 s: watermark 35 s; e@20 (unmatched, <= 25 s) is emitted in the no-data batch.
    right.addData([R(50_000, 'q')]);
    await t.processAllAvailable();
    expect(perBatch(t).slice(6)).toEqual([[], ['e@20|null@null']]);
    await t.cleanup();
  });

  it('right outer: emits unmatched right rows with nulls and drops a late row', async () => {
    const { left, right, l, r } = streams();
    const t = new StreamTest(l.join(r, withinTenSeconds(), 'right'), { manualClockIntervalMs: 1000 });
    await t.start();
    left.addData([L(10_000, 'a')]);
    right.addData([R(12_000, 'a'), R(12_000, 'b')]);
    await t.processAllAvailable();
    expect(perBatch(t)).toEqual([['a@10|a@12'], []]);
    left.addData([L(40_000, 'x')]);
    right.addData([R(40_000, 'y')]);
    await t.processAllAvailable();
    // Watermark 35 s: right state keeps rt > 25 s: b@12 is emitted with nulls.
    expect(perBatch(t)).toEqual([['a@10|a@12'], [], [], ['null@null|b@12']]);
    right.addData([R(30_000, 'late')]);
    left.addData([L(41_000, 'y')]);
    await t.processAllAvailable();
    // The watermark stays at 35 s (min of 36 s and 35 s): no no-data batch follows.
    expect(perBatch(t).slice(4)).toEqual([['y@41|y@40']]);
    expect(t.query?.lastProgress?.stateOperators[0]?.numRowsDroppedByWatermark).toBe(1);
    await t.cleanup();
  });

  it('keeps join state across a restart', async () => {
    const { left, right, l, r } = streams();
    const t = new StreamTest(l.join(r, withinTenSeconds(), 'left'), { manualClockIntervalMs: 1000 });
    await t.start();
    left.addData([L(10_000, 'a'), L(10_000, 'b')]);
    await t.processAllAvailable();
    await t.restart();
    right.addData([R(12_000, 'a')]);
    await t.processAllAvailable();
    expect(perBatch(t).flat()).toEqual(['a@10|a@12']);
    await t.restart();
    left.addData([L(40_000, 'x')]);
    right.addData([R(40_000, 'y')]);
    await t.processAllAvailable();
    expect(perBatch(t).flat()).toEqual(['a@10|a@12', 'b@10|null@null']);
    await t.cleanup();
  });

  it('left outer: a new left row already past the state watermark is emitted with nulls at once, not stored', async () => {
    const { left, right, l, r } = streams();
    const cond = col('lk')
      .eq(col('rk'))
      .and(unixMillis(col('lt')).geq(unixMillis(col('rt')).plus(20_000)));
    const t = new StreamTest(l.join(r, cond, 'left'), { manualClockIntervalMs: 1000 });
    await t.start();
    right.addData([R(50_000, 'z')]);
    await t.processAllAvailable();
    // Watermark 45 s: the left state keeps lt > 45 + 20 s - 1 ms; a@50 is not late but can never match.
    left.addData([L(50_000, 'a'), L(70_000, 'z')]);
    await t.processAllAvailable();
    expect(perBatch(t)).toEqual([[], [], ['a@50|null@null', 'z@70|z@50']]);
    // State: right z@50 (unbounded: the condition gives no lower bound for rt) and left z@70.
    expect(stateRows(t).pop()).toBe(2);
    await t.cleanup();
  });

  it('joins on an event-time key and evicts by it', async () => {
    const { left, right, l, r } = streams();
    const t = new StreamTest(
      l.join(
        r,
        col('lk')
          .eq(col('rk'))
          .and(col('lt').eq(col('rt'))),
        'left',
      ),
      { manualClockIntervalMs: 1000 },
    );
    await t.start();
    left.addData([L(10_000, 'a'), L(10_000, 'b')]);
    right.addData([R(10_000, 'a')]);
    await t.processAllAvailable();
    left.addData([L(20_000, 'c')]);
    right.addData([R(20_000, 'd')]);
    await t.processAllAvailable();
    // Watermark 15 s: keys at 10 s are final (batch 1 is the empty no-data batch at 5 s).
    expect(perBatch(t)).toEqual([['a@10|a@10'], [], [], ['b@10|null@null']]);
    expect(stateRows(t).pop()).toBe(2);
    await t.cleanup();
  });

  it('joins on equal time windows and evicts windows the watermark passed', async () => {
    const { left, right, l, r } = streams();
    const lw = l.withColumn('w', window(col('lt'), '10 seconds'));
    const rw = r.withColumn('rw', window(col('rt'), '10 seconds'));
    const t = new StreamTest(
      lw.join(
        rw,
        col('lk')
          .eq(col('rk'))
          .and(col('w').eq(col('rw'))),
        'left',
      ),
      { manualClockIntervalMs: 1000 },
    );
    await t.start();
    left.addData([L(11_000, 'a'), L(12_000, 'b')]);
    right.addData([R(19_000, 'a'), R(21_000, 'b')]);
    await t.processAllAvailable();
    expect(perBatch(t)).toEqual([['a@11|a@19'], []]);
    left.addData([L(40_000, 'c')]);
    right.addData([R(40_000, 'd')]);
    await t.processAllAvailable();
    // Watermark 35 s: windows ending at or before it are evicted; b's window [10 s, 20 s) never matched.
    expect(perBatch(t)).toEqual([['a@11|a@19'], [], [], ['b@12|null@null']]);
    expect(stateRows(t).pop()).toBe(2);
    await t.cleanup();
  });
});

describe('stream-stream join late rows', () => {
  it('writes late rows of either side to the late-rows path, null-padded to the join schema', async () => {
    const lateDir = mkdtempSync(join(tmpdir(), 'sluice-ssj-late-'));
    const { left, right, l, r } = streams();
    const q = await l
      .join(r, withinTenSeconds())
      .writeStream.format('memory')
      .queryName('ssjLate')
      .outputMode('append')
      .option('lateRowsPath', lateDir)
      .start();
    left.addData([L(40_000, 'a')]);
    right.addData([R(40_000, 'a')]);
    await q.processAllAvailable();
    left.addData([L(10_000, 'x')]);
    await q.processAllAvailable();
    right.addData([R(11_000, 'y')]);
    await q.processAllAvailable();
    await q.stop();
    expect((await sluice.table('ssjLate').toArray()).map(render)).toEqual(['a@40|a@40']);
    const files = readdirSync(lateDir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.parquet'))
      .sort();
    expect(files).toHaveLength(2);
    const late: string[] = [];
    for (const f of files) late.push(...(await (await sluice.read.parquet(join(lateDir, f))).toArray()).map(render));
    expect(late.sort()).toEqual(['null@null|y@11', 'x@10|null@null']);
    rmSync(lateDir, { recursive: true, force: true });
  });
});

describe('stream-stream join plan checks', () => {
  it('refuses anti joins, outer joins without a time bound, and update mode', async () => {
    const { l, r } = streams();
    await expect(l.join(r, withinTenSeconds(), 'anti').writeStream.format('memory').queryName('ssjAnti').start()).rejects.toThrow(
      /'anti' join between two streaming/,
    );
    await expect(
      l
        .join(r, col('lk').eq(col('rk')), 'left')
        .writeStream.format('memory')
        .queryName('ssjNoBound')
        .start(),
    ).rejects.toThrow(/left outer join between two streaming DataFrames needs.*time-range condition/);
    await expect(l.join(r, withinTenSeconds()).writeStream.format('memory').queryName('ssjUpdate').outputMode('update').start()).rejects.toThrow(
      /only supported in append output mode/,
    );
    await expect(
      l
        .join(r, unixMillis(col('lt')).geq(unixMillis(col('rt'))))
        .writeStream.format('memory')
        .queryName('ssjNoKey')
        .start(),
    ).rejects.toThrow(/at least one equality/);
  });
});
