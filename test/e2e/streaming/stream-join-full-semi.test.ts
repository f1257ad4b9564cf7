import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { types } from '../../../common/data-type.js';
import { field, schemaOf } from '../../../common/schema.js';
import type { Column } from '../../../dataframe/expr/column.js';
import { col, unixMillis } from '../../../dataframe/expr/functions.js';
import type { DataFrame, Row } from '../../../dataframe/data-frame.js';
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

const L = (t: number, k: string, v = 1n) => ({ lt: new Date(t), lk: k, lv: v });
const R = (t: number, k: string, v = 1n) => ({ rt: new Date(t), rk: k, rv: v });
const s = (d: unknown): string => (d instanceof Date ? String(d.getTime() / 1000) : 'null');
/** `lk@lt|rk@rt` (seconds; a null side as `null@null`); semi rows have no right side. */
const render = (r: Row): string => ('rk' in r ? `${r.lk ?? 'null'}@${s(r.lt)}|${r.rk ?? 'null'}@${s(r.rt)}` : `${r.lk}@${s(r.lt)}`);

function perBatch(t: StreamTest): string[][] {
  return [...t.batches.keys()].sort((a, b) => a - b).map((id) => (t.batches.get(id) ?? []).map(render).sort());
}

/** lk = rk and lt within 10 s of rt both ways: both sides' state is bounded. */
function withinTenSeconds(): Column {
  return col('lk')
    .eq(col('rk'))
    .and(unixMillis(col('lt')).geq(unixMillis(col('rt')).minus(10_000)))
    .and(unixMillis(col('lt')).leq(unixMillis(col('rt')).plus(10_000)));
}

function streams(): { left: MemoryStream; right: MemoryStream; l: DataFrame; r: DataFrame } {
  const left = new MemoryStream(leftSchema, 'left');
  const right = new MemoryStream(rightSchema, 'right');
  return {
    left,
    right,
    l: sluice.readStream.fromSource(left).withWatermark('lt', '5 seconds'),
    r: sluice.readStream.fromSource(right).withWatermark('rt', '5 seconds'),
  };
}

/** The same join over all the rows as static DataFrames, rendered and sorted. */
async function batchAnswer(leftRows: Row[], rightRows: Row[], how: 'full' | 'semi'): Promise<string[]> {
  const l = sluice.createDataFrame(leftRows, leftSchema);
  const r = sluice.createDataFrame(rightRows, rightSchema);
  return (await l.join(r, withinTenSeconds(), how).toArray()).map(render).sort();
}

describe('stream-stream full outer join', () => {
  it('emits unmatched rows of both sides with nulls when the watermark passes them, batch by batch', async () => {
    const { left, right, l, r } = streams();
    const t = new StreamTest(l.join(r, withinTenSeconds(), 'full'), { manualClockIntervalMs: 1000 });
    const leftRows: Row[] = [];
    const rightRows: Row[] = [];
    const add = (ls: Row[], rs: Row[]): void => {
      if (ls.length > 0) left.addData(ls as never);
      if (rs.length > 0) right.addData(rs as never);
      leftRows.push(...ls);
      rightRows.push(...rs);
    };
    await t.start();
    add([L(10_000, 'a'), L(10_000, 'b'), L(20_000, 'e')], [R(12_000, 'a'), R(11_000, 'c')]);
    await t.processAllAvailable();
    // Watermark min(left 15 s, right 7 s) = 7 s; each state keeps rows after 7 - 10 s: nothing final.
    expect(perBatch(t)).toEqual([['a@10|a@12'], []]);
    add([], [R(30_000, 'z')]);
    await t.processAllAvailable();
    // Watermark min(15, 25) = 15 s: both states keep rows after 5 s.
    expect(perBatch(t).slice(2)).toEqual([[], []]);
    add([L(40_000, 'y')], []);
    await t.processAllAvailable();
    // Watermark min(35, 25) = 25 s: rows at or before 15 s are final. b@10 (left) and c@11
    // (right) never matched: out with nulls; a@10 and a@12 matched and are dropped silently.
    expect(perBatch(t).slice(4)).toEqual([[], ['b@10|null@null', 'null@null|c@11']]);
    add([], [R(50_000, 'q')]);
    await t.processAllAvailable();
    // Watermark 35 s: e@20 (left) is final; z@30 (right) is not (30 > 25).
    expect(perBatch(t).slice(6)).toEqual([[], ['e@20|null@null']]);
    // Rows far ahead on both sides flush every earlier row.
    add([L(100_000, 'w')], [R(100_000, 'w')]);
    await t.processAllAvailable();
    expect(perBatch(t).slice(8)).toEqual([['w@100|w@100'], ['null@null|q@50', 'null@null|z@30', 'y@40|null@null']]);
    // Stream = batch: everything the stream emitted is the batch full outer join of all rows,
    // except the w@100 rows' partners... none: w matched, so only the pair.
    expect(perBatch(t).flat().sort()).toEqual(await batchAnswer(leftRows, rightRows, 'full'));
    await t.cleanup();
  });
});

describe('stream-stream left semi join', () => {
  it('outputs each left row once, when it first matches, across batches and a restart', async () => {
    const { left, right, l, r } = streams();
    const t = new StreamTest(l.join(r, withinTenSeconds(), 'semi'), { manualClockIntervalMs: 1000 });
    const leftRows: Row[] = [];
    const rightRows: Row[] = [];
    const add = (ls: Row[], rs: Row[]): void => {
      if (ls.length > 0) left.addData(ls as never);
      if (rs.length > 0) right.addData(rs as never);
      leftRows.push(...ls);
      rightRows.push(...rs);
    };
    await t.start();
    // a@10 matches the new a@12 (new-new); b@10 has no partner yet.
    add([L(10_000, 'a'), L(10_000, 'b')], [R(12_000, 'a')]);
    await t.processAllAvailable();
    expect(perBatch(t)).toEqual([['a@10'], []]);
    expect(Object.keys(t.batches.get(0)?.[0] ?? {})).toEqual(['lt', 'lk', 'lv']);
    // A second a on the right finds no a in the left state: a@10 matched at once and was
    // not stored. b@14 matches the stored b@10: b@10 out, once, and flagged matched.
    add([], [R(13_000, 'a'), R(14_000, 'b')]);
    await t.processAllAvailable();
    expect(perBatch(t).slice(2).flat()).toEqual(['b@10']);
    expect(t.query?.lastProgress?.stateOperators[0]?.numRowsTotal).toBe(4);
    await t.restart();
    // After a restart, another b on the right finds b@10 flagged matched: not output again.
    add([], [R(14_500, 'b')]);
    await t.processAllAvailable();
    expect(perBatch(t).slice(2).flat()).toEqual(['b@10']);
    // A new left a@15 matches two stored right rows: out once; c@16 matches two new right rows: out once.
    add([L(15_000, 'a'), L(16_000, 'c'), L(16_000, 'n')], [R(17_000, 'c'), R(18_000, 'c')]);
    await t.processAllAvailable();
    const after = perBatch(t).slice(2);
    expect(after.flat().sort()).toEqual(['a@15', 'b@10', 'c@16']);
    // Far-ahead rows evict everything; the unmatched n@16 is never output (a semi join emits no nulls).
    add([L(100_000, 'w')], [R(100_000, 'x')]);
    await t.processAllAvailable();
    expect(perBatch(t).flat().sort()).toEqual(['a@10', 'a@15', 'b@10', 'c@16']);
    expect(t.query?.lastProgress?.stateOperators[0]?.numRowsTotal).toBe(2);
    expect(perBatch(t).flat().sort()).toEqual(await batchAnswer(leftRows, rightRows, 'semi'));
    await t.cleanup();
  });

  it('refuses semi and full outer joins whose state cannot be bounded, and anti joins', async () => {
    const { l, r } = streams();
    await expect(
      l
        .join(r, col('lk').eq(col('rk')), 'semi')
        .writeStream.format('memory')
        .queryName('semiNoBound')
        .start(),
    ).rejects.toThrow(/A left semi join between two streaming DataFrames needs to know when a left row can no longer match/);
    const leftBoundOnly = col('lk')
      .eq(col('rk'))
      .and(unixMillis(col('lt')).geq(unixMillis(col('rt')).minus(10_000)));
    await expect(l.join(r, leftBoundOnly, 'full').writeStream.format('memory').queryName('fullOneSide').start()).rejects.toThrow(
      /A full outer join between two streaming DataFrames needs to know when a right row can no longer match.*both directions/,
    );
    await expect(l.join(r, withinTenSeconds(), 'anti').writeStream.format('memory').queryName('anti').start()).rejects.toThrow(
      /'anti' join between two streaming DataFrames is not supported/,
    );
  });
});
