import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { float64Data, int64Data, tableOf } from '../../../../benchmarks/data/arrow-columns.js';
import { writeParquetFile } from '../../../../benchmarks/data/write-parquet-file.js';
import type { ColumnarBatch } from '../../../../common/column-vector.js';
import type { LogicalPlan } from '../../../../dataframe/plan/logical-plan.js';
import { ManualClock } from '../../../../scheduler/manual-clock.js';
import { ReplaySource } from '../../../../sources/replay/replay-source.js';
import type { Offset } from '../../../../sources/source.js';

const T0 = Date.UTC(2026, 0, 1);
let dir: string;

/** Writes a file whose rows have event times T0 + `seconds` and k = seconds * 10. */
async function writeFile(name: string, seconds: readonly number[]): Promise<void> {
  const t = Float64Array.from(seconds, (s) => T0 + s * 1000);
  const k = Float64Array.from(seconds, (s) => s * 10);
  const table = tableOf(
    {
      t: int64Data(new arrow.Timestamp(arrow.TimeUnit.MILLISECOND, 'UTC'), t, 0, t.length),
      k: int64Data(new arrow.Int64(), k, 0, k.length),
      v: float64Data(Float64Array.from(seconds), 0, t.length),
    },
    t.length,
  );
  await writeParquetFile(join(dir, name), table, 2);
}

/** The k column (event seconds * 10) of a replay batch's plan, in row order. */
function ks(plan: LogicalPlan): number[] {
  if (plan.kind !== 'local') throw new Error(`expected a local relation, got ${plan.kind}`);
  return plan.batches.flatMap((b: ColumnarBatch) => Array.from(b.columns[1]?.values as BigInt64Array, Number));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-replay-src-'));
  await writeFile('part-0.parquet', [5, 1, 3, 2, 4]); // unsorted within the file
  await writeFile('part-1.parquet', [6, 3.5, 8, 7]); // 3.5 overlaps the previous file, within the bound
  await writeFile('part-2.parquet', [10, 9, 0.5]); // 0.5 is 7.5 s behind the newest earlier event: beyond a 2 s bound
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function source(clock: ManualClock, options: Record<string, string> = { reorderBound: '2 seconds' }): Promise<ReplaySource> {
  return ReplaySource.create({ path: dir, schema: null, options, clock });
}

describe('ReplaySource', () => {
  it('releases rows in event-time order as the clock passes them, across overlapping files', async () => {
    const clock = new ManualClock(T0 + 3_000);
    const src = await source(clock);
    expect(src.timeRange).toEqual({ startMs: T0 + 1_000, endMs: T0 + 10_000 }); // release times
    // part-2's rows are held back to 8 s - 2 s = 6 s.
    expect(src.files.map((f) => f.releaseFromMs - T0)).toEqual([1_000, 3_500, 6_000]);
    const o0 = await src.initialOffset();
    const o1 = await src.latestOffset(o0, {});
    expect(o1).toBe(T0 + 3_000);
    expect(ks(await src.getBatch(o0, o1))).toEqual([10, 20, 30]);
    expect(src.metrics(o1).rowsBeyondReorderBound).toBe('0');
    clock.setTime(T0 + 6_000);
    const o2 = await src.latestOffset(o1, {});
    // The late row (0.5 s) goes out with its file's first release, ahead of the rows released at 6 s.
    expect(ks(await src.getBatch(o1, o2))).toEqual([35, 40, 50, 5, 60]);
    expect(src.metrics(o2).rowsBeyondReorderBound).toBe('1');
    await src.commit(o2);
    clock.setTime(T0 + 60_000);
    const o3 = await src.latestOffset(o2, {});
    expect(o3).toBe(T0 + 10_000); // never past the last release time
    expect(ks(await src.getBatch(o2, o3))).toEqual([70, 80, 90, 100]);
    expect(await src.latestOffset(o3, {})).toBe(o3);
  });

  it('offers no batch while the clock is between rows, and replays a logged range exactly', async () => {
    const clock = new ManualClock(T0 + 3_200);
    const src = await source(clock);
    const start: Offset = T0 + 3_000;
    expect(await src.latestOffset(start, {})).toBe(start); // no row released in (3 s, 3.2 s]
    // A fresh source (a restarted query) gives the same rows for the same range.
    const again = await source(new ManualClock(T0));
    expect(ks(await again.getBatch(T0 + 3_000, T0 + 6_000))).toEqual([35, 40, 50, 5, 60]);
    expect(ks(await again.getBatch(null, T0 + 10_000))).toEqual([10, 20, 30, 35, 40, 50, 5, 60, 70, 80, 90, 100]);
  });

  it('with a wide enough bound releases every row at its own event time', async () => {
    const clock = new ManualClock(T0 + 60_000);
    const src = await source(clock, { reorderBound: '1 minute', eventTime: 't' });
    const o0 = await src.initialOffset();
    const end = await src.latestOffset(o0, {});
    expect(ks(await src.getBatch(o0, end))).toEqual([5, 10, 20, 30, 35, 40, 50, 60, 70, 80, 90, 100]);
    expect(src.metrics(end).rowsBeyondReorderBound).toBe('0');
  });

  it('rejects a missing or non-timestamp event-time column and unknown options', async () => {
    const clock = new ManualClock(T0);
    await expect(source(clock, { eventTime: 'nope' })).rejects.toThrow(/eventTime column 'nope' is not in the schema/);
    await expect(source(clock, { eventTime: 'k' })).rejects.toThrow(/must be a timestamp/);
    await expect(source(clock, { maxFilesPerTrigger: '1' })).rejects.toThrow(/Unknown option 'maxFilesPerTrigger' of the replay source/);
    await expect(source(clock, { reorderBound: 'soon' })).rejects.toThrow();
  });

  it('reads only the pruned columns plus the event time, keeping the schema with nulls elsewhere', async () => {
    const clock = new ManualClock(T0 + 60_000);
    const src = await source(clock, { reorderBound: '1 minute' });
    expect(src.readColumns).toEqual(['t', 'k', 'v']);
    src.pruneColumns(new Set(['k']));
    expect(src.readColumns).toEqual(['t', 'k']); // t is the event time: always read
    const o0 = await src.initialOffset();
    const end = await src.latestOffset(o0, {});
    const plan = await src.getBatch(o0, end);
    expect(ks(plan)).toEqual([5, 10, 20, 30, 35, 40, 50, 60, 70, 80, 90, 100]);
    if (plan.kind !== 'local') throw new Error('expected a local relation');
    const b = plan.batches[0] as ColumnarBatch;
    expect(b.schema.fields.map((f) => f.name)).toEqual(['t', 'k', 'v']);
    expect(Array.from(b.columns[2]?.validity ?? [])).toEqual(new Array(12).fill(0)); // v not decoded: null
    expect(src.metrics(end).columnsRead).toBe('t,k');
    await expect(async () => src.pruneColumns(new Set(['v']))).rejects.toThrow(/after files were read/);
  });
});
