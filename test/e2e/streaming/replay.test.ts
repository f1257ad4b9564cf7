import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import * as arrow from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { float64Data, int64Data, stringTable, tableOf, utf8DataFromCodes } from '../../../benchmarks/data/arrow-columns.js';
import { writeParquetFile } from '../../../benchmarks/data/write-parquet-file.js';
import { types } from '../../../common/data-type.js';
import { field, schemaOf } from '../../../common/schema.js';
import type { Row } from '../../../dataframe/data-frame.js';
import { col, count, sum, window } from '../../../dataframe/expr/functions.js';
import type { StatefulProcessor, StatefulProcessorHandle, TimerValues } from '../../../dataframe/transform-with-state.js';
import { Sluice } from '../../../engine/session/sluice.js';
import { defineJob } from '../../../jobs/job-definition.js';
import { runJob } from '../../../jobs/run-job.js';
import { ReplayClock } from '../../../scheduler/replay-clock.js';

/**
 * Replay through the engine: processing time is simulated from event time (trigger slots,
 * transformWithState processing-time timers), a job gives the same result replayed as in
 * batch mode, twice the same batches, with rows beyond the reorder bound counted; and
 * `sluice replay` runs a job file.
 */

const T0 = Date.UTC(2026, 0, 1);
const SCHEMA = 't TIMESTAMP, k STRING, amount DOUBLE';
let dir: string;
let sluice: Sluice;

/** Writes a Parquet file of (t = T0 + seconds, k, amount = seconds). */
async function writeRows(path: string, rows: readonly [number, string][]): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const keys = [...new Set(rows.map((r) => r[1]))];
  const table = tableOf(
    {
      t: int64Data(
        new arrow.Timestamp(arrow.TimeUnit.MILLISECOND),
        Float64Array.from(rows, (r) => T0 + r[0] * 1000),
        0,
        rows.length,
      ),
      k: utf8DataFromCodes(
        stringTable(keys),
        Int32Array.from(rows, (r) => keys.indexOf(r[1])),
        0,
        rows.length,
      ),
      amount: float64Data(
        Float64Array.from(rows, (r) => r[0]),
        0,
        rows.length,
      ),
    },
    rows.length,
  );
  await writeParquetFile(path, table, 1024);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-replay-e2e-'));
  sluice = await Sluice.builder().workers(1).getOrCreate();
});

afterAll(async () => {
  await sluice?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Arms a processing-time timer `delayMs` after each input batch of a key; says when it fires. */
class IdleTimer implements StatefulProcessor<{ k: string }, Row, Row> {
  handle!: StatefulProcessorHandle;
  constructor(private readonly delayMs: number) {}
  init(handle: StatefulProcessorHandle): void {
    this.handle = handle;
  }
  *handleInputRows(key: { k: string }, _rows: readonly Row[], tv: TimerValues): Iterable<Row> {
    for (const old of this.handle.listTimers()) this.handle.deleteTimer(old);
    const now = tv.getCurrentProcessingTimeInMs();
    this.handle.registerTimer(now + this.delayMs);
    yield { k: key.k, what: `input@${(now - T0) / 1000}` };
  }
  *handleExpiredTimer(key: { k: string }, tv: TimerValues): Iterable<Row> {
    yield { k: key.k, what: `idle@${(tv.getCurrentProcessingTimeInMs() - T0) / 1000}` };
  }
}

describe('replay on simulated processing time', () => {
  it('runs trigger slots and processing-time timers at the times they would have had live', async () => {
    const input = join(dir, 'timers');
    await writeRows(join(input, 'part-0.parquet'), [
      [0, 'a'],
      [30, 'b'],
      [90, 'a'],
      [200, 'b'],
    ]);
    const runOnce = async (speed: number | 'max'): Promise<string[][]> => {
      const out: string[][] = [];
      const clock = new ReplayClock({ speed });
      const df = (await sluice.readStream.format('replay').schema(SCHEMA).load(input)).groupBy('k').transformWithState(new IdleTimer(150_000), {
        outputSchema: schemaOf([field('k', types.utf8), field('what', types.utf8)]),
        timeMode: 'processingTime',
      });
      const q = await df.writeStream
        .outputMode('append')
        .trigger({ kind: 'processingTime', intervalMs: 60_000 })
        .clock(clock)
        .option('checkpointLocation', join(dir, `cp-timers-${speed}`))
        .foreachBatch(async (b) => {
          out.push((await b.toArray()).map((r) => `${r.k}:${r.what}`).sort());
        })
        .start();
      await clock.reachedEnd;
      await q.stop();
      expect(q.exception).toBeNull();
      return out;
    };
    // Slots every minute of event time from the first event; a row goes out in the first slot
    // at or after its event time; 'a' idles 150 s after 120 s, so its timer fires in the slot at
    // 300 s. The slot at 180 s runs a batch without data that emits nothing: the engine keeps
    // the deadline 150 s that 'a' armed first and re-armed at 120 s, as it does live.
    const want = [['a:input@0'], ['b:input@60'], ['a:input@120'], [], ['b:input@240'], ['a:idle@300']];
    expect(await runOnce('max')).toEqual(want);
    // At 600x the 5 minutes take about half a second of wall time, with the same batches.
    const t0 = performance.now();
    expect(await runOnce(600)).toEqual(want);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(400);
  });
});

/** A job: spend per key in 1-minute event-time windows (complete mode). */
const windowsJob = defineJob({
  name: 'replay-windows',
  description: 'spend per key and minute',
  inputs: { tx: { format: 'parquet', schema: SCHEMA, eventTime: 't' } },
  transform: ({ tx }) =>
    (tx as NonNullable<typeof tx>)
      .groupBy(window(col('t'), '1 minute'), col('k'))
      .agg(count().alias('n'), sum('amount').alias('total'))
      .select(col('window').getField('start').alias('start'), 'k', 'n', 'total'),
  outputMode: 'complete',
  sink: { format: 'parquet' },
});

async function readSorted(path: string): Promise<string[]> {
  return (await (await sluice.read.parquet(path)).toArray()).map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? Number(v) : v))).sort();
}

describe('runJob in replay mode', () => {
  let input: string;
  beforeAll(async () => {
    input = join(dir, 'jobs');
    // Three files in arrival order; each is unsorted, they overlap, and part-2 holds one row
    // (5 s) far behind the newest event before it (400 s).
    const rows = (from: number, n: number): [number, string][] => Array.from({ length: n }, (_, i) => [from + ((i * 37) % n) * 2, `k${i % 3}`]);
    await writeRows(join(input, 'part-0.parquet'), rows(0, 100));
    await writeRows(join(input, 'part-1.parquet'), rows(150, 100));
    await writeRows(join(input, 'part-2.parquet'), [...rows(320, 50), [5, 'k9']]);
  });

  it('gives the batch result, the same batches twice, and counts rows beyond the reorder bound', async () => {
    await runJob(sluice, windowsJob, { mode: 'batch', inputPaths: { tx: input }, output: join(dir, 'out-batch') });
    const batch = await readSorted(join(dir, 'out-batch'));
    expect(batch.length).toBeGreaterThan(20);
    const replays = [];
    for (const run of ['a', 'b']) {
      const { query } = await runJob(sluice, windowsJob, {
        mode: 'replay',
        inputPaths: { tx: input },
        output: join(dir, `out-replay-${run}`),
        reorderBound: '1 minute',
      });
      expect(await readSorted(join(dir, `out-replay-${run}`))).toEqual(batch);
      const progress = query?.recentProgress ?? [];
      replays.push(progress.map((p) => [p.timestamp, p.numInputRows, p.sources[0]?.endOffset, p.sources[0]?.metrics?.rowsBeyondReorderBound]));
      // The 5 s row of part-2 is 395 s behind: beyond the 1-minute bound, counted once.
      expect(progress.reduce((a, p) => a + Number(p.sources[0]?.metrics?.rowsBeyondReorderBound ?? 0), 0)).toBe(1);
      expect(progress.reduce((a, p) => a + p.numInputRows, 0)).toBe(251);
    }
    expect(replays[1]).toEqual(replays[0]);
  });

  it('runs as `sluice replay <job> --input ... --speed max`', () => {
    const jobFile = join(dir, 'windows-job.mjs');
    const index = resolve('dist/index.js');
    writeFileSync(
      jobFile,
      `import { defineJob, col, count, window } from ${JSON.stringify(index)};
export default defineJob({
  name: 'cli-windows', description: 'count per minute',
  inputs: { tx: { format: 'parquet', schema: ${JSON.stringify(SCHEMA)} } },
  transform: ({ tx }) => tx.groupBy(window(col('t'), '1 minute')).agg(count().alias('n')).select(col('window').getField('start').alias('start'), 'n'),
  outputMode: 'complete', sink: { format: 'parquet' },
});
`,
    );
    const out = join(dir, 'out-cli');
    const r = spawnSync(process.execPath, ['dist/jobs/cli.js', 'replay', jobFile, '--input', input, '--speed', 'max', '--output', out, '--workers', '1'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    // Off a terminal the CLI reports progress as JSON lines on stderr, ending with the summary.
    const events = r.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; status?: string; mode?: string });
    expect(events.at(-1)).toMatchObject({ event: 'summary', mode: 'replay', status: 'ok' });
    expect(events.filter((e) => e.event === 'queryProgress').length).toBeGreaterThan(0);
    const bad = spawnSync(process.execPath, ['dist/jobs/cli.js', 'replay', jobFile, '--input', input, '--speed', 'fast'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--speed needs a positive number .* or 'max', got 'fast'/);
    return readSorted(out).then((rows) => expect(rows.reduce((a, r) => a + (JSON.parse(r) as { n: number }).n, 0)).toBe(251));
  });
});

describe('replay column pruning', () => {
  it('decodes only the columns the query reads, plus the event time, with the same result', async () => {
    const input = join(dir, 'pruned');
    await writeRows(join(input, 'part-0.parquet'), [
      [0, 'a'],
      [30, 'b'],
      [90, 'a'],
    ]);
    const run = async (pick: (df: Awaited<ReturnType<typeof sluice.readStream.load>>) => typeof df, name: string) => {
      const out: string[] = [];
      const clock = new ReplayClock({ speed: 'max' });
      const df = pick(await sluice.readStream.format('replay').schema(SCHEMA).load(input));
      const q = await df.writeStream
        .outputMode('append')
        .trigger({ kind: 'processingTime', intervalMs: 60_000 })
        .clock(clock)
        .option('checkpointLocation', join(dir, `cp-pruned-${name}`))
        .foreachBatch(async (b) => {
          for (const r of await b.toArray()) out.push(JSON.stringify(r));
        })
        .start();
      await clock.reachedEnd;
      await q.stop();
      expect(q.exception).toBeNull();
      return { out: out.sort(), columns: q.recentProgress.map((p) => p.sources[0]?.metrics?.columnsRead) };
    };
    const amounts = await run((df) => df.select(col('amount')), 'amount');
    expect(amounts.out).toEqual(['{"amount":0}', '{"amount":30}', '{"amount":90}']);
    expect(new Set(amounts.columns)).toEqual(new Set(['t,amount']));
    const keys = await run((df) => df.where(col('amount').gt(10)).select(col('k')), 'k');
    expect(keys.out).toEqual(['{"k":"a"}', '{"k":"b"}']);
    expect(new Set(keys.columns)).toEqual(new Set(['t,k,amount']));
    // Every column read (the whole row goes to the sink): nothing pruned.
    const all = await run((df) => df, 'all');
    expect(all.out).toHaveLength(3);
    expect(new Set(all.columns)).toEqual(new Set(['t,k,amount']));
  });
});
