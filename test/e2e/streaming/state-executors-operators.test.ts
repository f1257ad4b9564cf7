import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { types } from '../../../common/data-type.js';
import { field, schemaOf } from '../../../common/schema.js';
import type { DataFrame, Row } from '../../../dataframe/data-frame.js';
import { col, count, sessionWindow, sum, unixMillis, window } from '../../../dataframe/expr/functions.js';
import type { StreamingQuery } from '../../../dataframe/streaming-query.js';
import { Sluice } from '../../../engine/session/sluice.js';
import { MemoryStream } from '../../../sources/memory/memory-stream.js';
import { StreamTest } from '../../helpers/stream-test.js';

const events = schemaOf([field('t', types.timestamp('ms')), field('k', types.utf8), field('v', types.int64)]);
type Event = { t: Date; k: string; v: bigint };
const PARTITIONS = 4;

let twoWorkers: Sluice;
let oneWorker: Sluice;

beforeAll(async () => {
  twoWorkers = await Sluice.builder().workers(2).config('sluice.sql.shuffle.partitions', PARTITIONS).getOrCreate();
  oneWorker = await Sluice.builder().workers(1).config('sluice.sql.shuffle.partitions', PARTITIONS).getOrCreate();
});

afterAll(async () => {
  await twoWorkers.stop();
  await oneWorker.stop();
});

/** The stateful operators of a running query (test-only look inside the query). */
function operatorsOf(q: StreamingQuery | null): { operatorId: number; stateLocation: string; name: string }[] {
  const loop = (q as unknown as { loop: { incremental: { operators: { operatorId: number; stateLocation: string; name: string }[] } | null } } | null)?.loop;
  return loop?.incremental?.operators ?? [];
}

const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];

/**
 * Batch `b` of the input: every key a few times around `b * 20 s`, with gaps that sometimes
 * close a session and sometimes bridge two, and a repeat of an earlier (k, t) pair.
 */
function batch(b: number): Event[] {
  const out: Event[] = [];
  keys.forEach((k, i) => {
    const base = 100_000 + b * 20_000 + i * 700;
    out.push({ t: new Date(base), k, v: BigInt(b * 100 + i) });
    out.push({ t: new Date(base + (i % 3) * 6_000), k, v: BigInt(b * 100 + i + 50) });
    if (b > 0 && i % 2 === 0) out.push({ t: new Date(base - 20_000 + (i % 3) * 6_000), k, v: 7n });
  });
  return out;
}

/** A row far in event time that moves the watermark past everything before it. */
const flush: Event = { t: new Date(1_000_000), k: 'zz', v: 0n };

function sessions(df: DataFrame): DataFrame {
  return df
    .groupBy(col('k'), sessionWindow(col('t'), '10 seconds'))
    .agg(count().alias('n'), sum('v').alias('s'))
    .select(col('k'), unixMillis(col('session_window.start')).alias('start'), unixMillis(col('session_window.end')).alias('end'), col('n'), col('s'));
}

function sliding(df: DataFrame): DataFrame {
  return df
    .groupBy(window('t', '30 seconds', '10 seconds'), col('k'))
    .agg(count().alias('n'), sum('v').alias('s'))
    .select(col('k'), unixMillis(col('window.start')).alias('start'), col('n'), col('s'));
}

const render = (rows: readonly Row[], cols: readonly string[]): string[] => rows.map((r) => cols.map((c) => String(r[c])).join('|')).sort();

/** Asserts that every state partition of the query's first operator has its own folder with version files. */
function expectStateFilesPerPartition(checkpoint: string, q: StreamingQuery | null, versions: number, operatorClass: string): void {
  const op = operatorsOf(q)[0];
  expect(op?.constructor.name).toBe(operatorClass);
  expect(op?.stateLocation).toBe('workers');
  for (let p = 0; p < PARTITIONS; p++) {
    const dir = join(checkpoint, 'state', String(op?.operatorId), String(p));
    expect(existsSync(dir), dir).toBe(true);
    const files = readdirSync(dir);
    for (let v = 1; v <= versions; v++) expect(files, dir).toContain(`${v}.delta`);
  }
}

/**
 * Runs `query` over batches 0..3 (and the flush row): two batches on two executors, a stop
 * in the middle, the rest on one executor (every partition moves to it) from the checkpoint.
 * Returns the rows of both runs together and checks the state files of the first run.
 */
async function runAcrossRestart(query: (s: Sluice, input: MemoryStream) => DataFrame, withFlush: boolean, operatorClass: string): Promise<Row[]> {
  const input = new MemoryStream(events, 'events');
  const first = new StreamTest(query(twoWorkers, input), { outputMode: 'append' });
  await first.start();
  input.addData(batch(0));
  await first.processAllAvailable();
  input.addData(batch(1));
  await first.processAllAvailable();
  expectStateFilesPerPartition(first.checkpointLocation, first.query, 2, operatorClass);
  await first.stop();
  const then = new StreamTest(query(oneWorker, input), { outputMode: 'append', checkpointLocation: first.checkpointLocation });
  try {
    await then.start();
    expect(operatorsOf(then.query)[0]?.stateLocation).toBe('workers');
    input.addData(batch(2));
    await then.processAllAvailable();
    input.addData(batch(3));
    await then.processAllAvailable();
    if (withFlush) {
      input.addData([flush]);
      await then.processAllAvailable();
    }
    return [...first.answer(), ...then.answer()];
  } finally {
    await then.stop();
    await first.cleanup();
  }
}

const allRows = [0, 1, 2, 3].flatMap(batch);

describe('stateful operators on state executors', () => {
  it('session windows: stream (2 then 1 executors, restarted in the middle) = batch, each session once', async () => {
    const streamed = await runAcrossRestart(
      (s, input) => sessions(s.readStream.fromSource(input).withWatermark('t', '30 seconds')),
      true,
      'StreamingSessionAggregate',
    );
    const expected = await sessions(twoWorkers.createDataFrame(allRows, events)).toArray();
    const cols = ['k', 'start', 'end', 'n', 's'];
    expect(expected.length).toBeGreaterThan(keys.length);
    expect(render(streamed, cols)).toEqual(render(expected, cols));
  });

  it('sliding windows kept as panes: stream (2 then 1 executors, restarted in the middle) = batch, each window once', async () => {
    const streamed = await runAcrossRestart(
      (s, input) => sliding(s.readStream.fromSource(input).withWatermark('t', '30 seconds')),
      true,
      'PaneStatefulAggregate',
    );
    const expected = await sliding(twoWorkers.createDataFrame(allRows, events)).toArray();
    const cols = ['k', 'start', 'n', 's'];
    expect(expected.length).toBeGreaterThan(keys.length * 3);
    expect(render(streamed, cols)).toEqual(render(expected, cols));
  });

  it('dropDuplicates on (k, t) with a watermark: stream across a restart = batch, each key once', async () => {
    const streamed = await runAcrossRestart(
      (s, input) => s.readStream.fromSource(input).withWatermark('t', '30 seconds').dropDuplicates(['k', 't']),
      false,
      'StreamingDeduplicate',
    );
    const expected = await twoWorkers.createDataFrame(allRows, events).dropDuplicates(['k', 't']).toArray();
    const cols = ['k', 't'];
    expect(expected.length).toBeLessThan(allRows.length);
    expect(render(streamed, cols)).toEqual(render(expected, cols));
    // The first row of each key is kept (input order), as in the batch of all rows read in order.
    const firstV = new Map<string, bigint>();
    for (const r of allRows) if (!firstV.has(`${r.k}|${r.t.getTime()}`)) firstV.set(`${r.k}|${r.t.getTime()}`, r.v);
    for (const r of streamed) expect(r.v).toBe(firstV.get(`${r.k}|${(r.t as Date).getTime()}`));
  });

  it('dropDuplicatesWithinWatermark: keys expire on the executors and the driver reads their state after a restart', async () => {
    const input = new MemoryStream(events, 'events');
    const q = (s: Sluice) => s.readStream.fromSource(input).withWatermark('t', '5 seconds').dropDuplicatesWithinWatermark(['k']);
    const at = (ms: number, k: string) => ({ t: new Date(ms), k, v: BigInt(ms) });
    const t = new StreamTest(q(twoWorkers), { outputMode: 'append' });
    await t.start();
    input.addData([at(1_000, 'a'), at(2_000, 'a'), at(1_500, 'b'), at(3_000, 'c')]);
    await t.processAllAvailable();
    expect(render(t.answer(), ['k', 'v'])).toEqual(['a|1000', 'b|1500', 'c|3000']);
    expect(operatorsOf(t.query)[0]?.stateLocation).toBe('workers');
    await t.stop();
    const driver = await Sluice.builder()
      .workers(2)
      .config('sluice.sql.shuffle.partitions', PARTITIONS)
      .config('sluice.streaming.stateStore.location', 'driver')
      .getOrCreate();
    try {
      const again = new StreamTest(q(driver), { outputMode: 'append', checkpointLocation: t.checkpointLocation });
      await again.start();
      expect(operatorsOf(again.query)[0]?.stateLocation).toBe('driver');
      // a is still remembered (expires at 6 s); the watermark moves to 15 s and expires a, b and c.
      input.addData([at(5_000, 'a'), at(20_000, 'd')]);
      await again.processAllAvailable();
      input.addData([at(16_000, 'a'), at(17_000, 'b')]);
      await again.processAllAvailable();
      expect(render(again.answer(), ['k', 'v'])).toEqual(['a|16000', 'b|17000', 'd|20000']);
      await again.stop();
    } finally {
      await driver.stop();
      await t.cleanup();
    }
  });
});
