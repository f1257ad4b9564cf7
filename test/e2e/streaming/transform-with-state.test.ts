import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { types } from '../../../common/data-type.js';
import { field, schemaOf } from '../../../common/schema.js';
import type { Row } from '../../../dataframe/data-frame.js';
import type {
  ListState,
  MapState,
  StatefulProcessor,
  StatefulProcessorHandle,
  TimeMode,
  TimerValues,
  ValueState,
} from '../../../dataframe/transform-with-state.js';
import { Sluice } from '../../../engine/session/sluice.js';
import { MemoryStream } from '../../../sources/memory/memory-stream.js';
import { StreamTest } from '../../helpers/stream-test.js';

let sluice: Sluice;
const schema = schemaOf([field('t', types.timestamp('ms')), field('k', types.utf8), field('v', types.int64)]);
const at = (t: number, k = 'a', v = 1n) => ({ t: new Date(t), k, v });

beforeAll(async () => {
  sluice = await Sluice.builder().workers(1).config('sluice.sql.shuffle.partitions', 2).getOrCreate();
});

afterAll(async () => {
  await sluice.stop();
});

/** Batches in id order, each as the sorted rendered rows. */
function perBatch(t: StreamTest, render: (r: Row) => string): string[][] {
  return [...t.batches.keys()].sort((a, b) => a - b).map((id) => (t.batches.get(id) ?? []).map(render).sort());
}

/** Keeps a running count (value), the values seen (list) and a count per value (map) per key. */
class AllStates implements StatefulProcessor<{ k: string }, { k: string; v: bigint }, Row> {
  count!: ValueState<bigint>;
  seen!: ListState<bigint>;
  perValue!: MapState<string, number>;
  inits = 0;
  closes = 0;

  init(handle: StatefulProcessorHandle): void {
    this.inits++;
    this.count = handle.getValueState('count');
    this.seen = handle.getListState('seen');
    this.perValue = handle.getMapState('perValue');
  }

  *handleInputRows(key: { k: string }, rows: readonly { k: string; v: bigint }[]): Iterable<Row> {
    let n = this.count.get() ?? 0n;
    for (const r of rows) {
      n += 1n;
      this.seen.appendValue(r.v);
      this.perValue.updateValue(String(r.v), (this.perValue.getValue(String(r.v)) ?? 0) + 1);
    }
    if (n >= 100n) {
      this.count.clear();
      this.seen.clear();
      this.perValue.clear();
    } else this.count.update(n);
    const map = this.perValue
      .iterator()
      .map(([v, c]) => `${v}x${c}`)
      .join(',');
    yield { k: key.k, n, seen: this.seen.get().join(','), map };
  }

  close(): void {
    this.closes++;
  }
}

const allStatesOut = schemaOf([field('k', types.utf8), field('n', types.int64), field('seen', types.utf8), field('map', types.utf8)]);
const renderAll = (r: Row) => `${r.k}:${r.n}|${r.seen}|${r.map}`;

describe('transformWithState: value, list and map state', () => {
  it('keeps each state kind per key across batches and a restart, and removes cleared keys', async () => {
    const input = new MemoryStream(schema, 'events');
    const proc = new AllStates();
    const df = sluice.readStream.fromSource(input).groupBy('k').transformWithState(proc, { outputSchema: allStatesOut });
    const t = new StreamTest(df, { outputMode: 'append' });
    await t.start();
    input.addData([at(0, 'a', 1n), at(0, 'b', 5n), at(0, 'a', 2n)]);
    await t.processAllAvailable();
    input.addData([at(0, 'a', 1n)]);
    await t.processAllAvailable();
    expect(perBatch(t, renderAll)).toEqual([['a:2|1,2|1x1,2x1', 'b:1|5|5x1'], ['a:3|1,2,1|1x2,2x1']]);
    expect(t.query?.lastProgress?.stateOperators[0]).toMatchObject({ operatorName: 'transformWithStateExec', numRowsTotal: 2, numRowsUpdated: 1 });
    await t.restart();
    input.addData([at(0, 'b', 7n), at(0, 'c', 1n)]);
    await t.processAllAvailable();
    expect(perBatch(t, renderAll)[2]).toEqual(['b:2|5,7|5x1,7x1', 'c:1|1|1x1']);
    expect(proc.inits).toBe(2);
    expect(proc.closes).toBe(1);
    // 100 rows for 'c' clear all its state: the key's row leaves the store.
    input.addData(Array.from({ length: 99 }, () => at(0, 'c', 3n)));
    await t.processAllAvailable();
    expect(perBatch(t, renderAll)[3]).toEqual(['c:100||']);
    expect(t.query?.lastProgress?.stateOperators[0]?.numRowsTotal).toBe(2);
    await t.cleanup();
  });
});

describe('transformWithState: update mode and explain', () => {
  it('runs in update output mode (the sink upserts by key) and shows in explain', async () => {
    const input = new MemoryStream(schema, 'events');
    const df = sluice.readStream.fromSource(input).groupBy('k').transformWithState(new AllStates(), { outputSchema: allStatesOut, outputMode: 'update' });
    expect(df.plan.kind).toBe('transformWithState');
    const t = new StreamTest(df, { outputMode: 'update', keys: ['k'] });
    await t.start();
    input.addData([at(0, 'a', 1n), at(0, 'b', 2n)]);
    await t.processAllAvailable();
    input.addData([at(0, 'a', 3n)]);
    await t.checkAnswer([
      { k: 'a', n: 2n, seen: '1,3', map: '1x1,3x1' },
      { k: 'b', n: 1n, seen: '2', map: '2x1' },
    ]);
    await t.cleanup();
    const batchDf = sluice
      .createDataFrame([at(0)], schema)
      .groupBy('k')
      .transformWithState(new AllStates(), { outputSchema: allStatesOut });
    const { explainLogicalPlan } = await import('../../../dataframe/plan/explain-plan.js');
    expect(explainLogicalPlan(batchDf.plan).split('\n')[0]).toBe('TransformWithState [k], AllStates, none, append, [k, n, seen, map]');
  });
});

/** Emits a row per input batch and one when the key's timer (registered `delayMs` after the clock) fires. */
class TimerProcessor implements StatefulProcessor<{ k: string }, { t: Date; k: string }, Row> {
  handle!: StatefulProcessorHandle;
  constructor(
    private readonly delayMs: number,
    private readonly clock: 'processing' | 'event',
  ) {}

  init(handle: StatefulProcessorHandle, _mode: TimeMode): void {
    this.handle = handle;
  }

  *handleInputRows(key: { k: string }, rows: readonly { t: Date; k: string }[], tv: TimerValues): Iterable<Row> {
    for (const old of this.handle.listTimers()) this.handle.deleteTimer(old);
    const base = this.clock === 'processing' ? tv.getCurrentProcessingTimeInMs() : Math.max(...rows.map((r) => r.t.getTime()));
    this.handle.registerTimer(base + this.delayMs);
    yield { k: key.k, what: `input@${base}`, at: BigInt(base + this.delayMs) };
  }

  *handleExpiredTimer(key: { k: string }, tv: TimerValues, info: { getExpiryTimeInMs(): number }): Iterable<Row> {
    const now = this.clock === 'processing' ? tv.getCurrentProcessingTimeInMs() : tv.getCurrentWatermarkInMs();
    yield { k: key.k, what: `fired@${now}`, at: BigInt(info.getExpiryTimeInMs()) };
  }
}

const timerOut = schemaOf([field('k', types.utf8), field('what', types.utf8), field('at', types.int64)]);
const renderTimer = (r: Row) => `${r.k}:${r.what}:${r.at}`;

describe('transformWithState: timers', () => {
  it('fires a processing-time timer in a no-data batch once the clock reaches it, also after a restart', async () => {
    const input = new MemoryStream(schema, 'events');
    const df = sluice.readStream
      .fromSource(input)
      .groupBy('k')
      .transformWithState(new TimerProcessor(5_000, 'processing'), { outputSchema: timerOut, timeMode: 'processingTime' });
    const t = new StreamTest(df, { outputMode: 'append', manualClockIntervalMs: 1000 });
    await t.start();
    input.addData([at(0, 'a'), at(0, 'b')]);
    await t.advance(1000);
    expect(perBatch(t, renderTimer)).toEqual([['a:input@1000:6000', 'b:input@1000:6000']]);
    input.addData([at(0, 'b')]);
    await t.advance(1000);
    expect(perBatch(t, renderTimer)[1]).toEqual(['b:input@2000:7000']);
    // Nothing is due before 6 s: no batch runs.
    for (let i = 0; i < 3; i++) await t.advance(1000);
    expect(t.batches.size).toBe(2);
    await t.advance(1000);
    // At 6 s a no-data batch fires 'a'; 'b' was re-armed to 7 s.
    expect(perBatch(t, renderTimer)[2]).toEqual(['a:fired@6000:6000']);
    expect(t.query?.lastProgress?.numInputRows).toBe(0);
    await t.stop();
    await t.start();
    await t.advance(1000);
    expect(perBatch(t, renderTimer)[3]).toEqual(['b:fired@7000:7000']);
    // No timer left: the state is empty and no more batches run.
    expect(t.query?.lastProgress?.stateOperators[0]?.numRowsTotal).toBe(0);
    await t.advance(5000);
    expect(t.batches.size).toBe(4);
    await t.cleanup();
  });

  it('fires an event-time timer when the watermark reaches it and drops late rows', async () => {
    const input = new MemoryStream(schema, 'events');
    const df = sluice.readStream
      .fromSource(input)
      .withWatermark('t', '0 seconds')
      .groupBy('k')
      .transformWithState(new TimerProcessor(10_000, 'event'), { outputSchema: timerOut, timeMode: 'eventTime' });
    const t = new StreamTest(df, { outputMode: 'append' });
    await t.start();
    input.addData([at(1_000, 'a'), at(3_000, 'a'), at(2_000, 'b')]);
    await t.processAllAvailable();
    // The watermark moved to 3 s: Spark's rule runs an empty no-data batch (no timer is due).
    expect(perBatch(t, renderTimer)).toEqual([['a:input@3000:13000', 'b:input@2000:12000'], []]);
    // Watermark 12.5 s: only b's timer (12 s) is due; it fires in the no-data batch after.
    input.addData([at(12_500, 'c')]);
    await t.processAllAvailable();
    expect(perBatch(t, renderTimer).slice(2)).toEqual([['c:input@12500:22500'], ['b:fired@12500:12000']]);
    // A row at or before the watermark is late and dropped (no output for 'd').
    input.addData([at(12_500, 'd'), at(13_000, 'e')]);
    await t.processAllAvailable();
    expect(perBatch(t, renderTimer).slice(4)).toEqual([['e:input@13000:23000'], ['a:fired@13000:13000']]);
    expect(t.query?.recentProgress[4]?.stateOperators[0]?.numRowsDroppedByWatermark).toBe(1);
    await t.cleanup();
  });

  it('refuses timers without a time mode, naming the option', async () => {
    const input = new MemoryStream(schema, 'events');
    const df = sluice.readStream.fromSource(input).groupBy('k').transformWithState(new TimerProcessor(1, 'processing'), { outputSchema: timerOut });
    const q = await df.writeStream.format('memory').queryName('twsNoTimeMode').outputMode('append').start();
    input.addData([at(0, 'a')]);
    await expect(q.processAllAvailable()).rejects.toThrow(/timeMode: 'processingTime' or 'eventTime'/);
    await q.stop().catch(() => undefined);
  });
});

/** Remembers the last value of a key for `ttlMs` of processing time. */
class TtlProcessor implements StatefulProcessor<{ k: string }, { k: string; v: bigint }, Row> {
  last!: ValueState<bigint>;
  history!: ListState<bigint>;
  init(handle: StatefulProcessorHandle): void {
    this.last = handle.getValueState('last', { ttlDurationMs: 10_000 });
    this.history = handle.getListState('history', { ttlDurationMs: 10_000 });
  }
  *handleInputRows(key: { k: string }, rows: readonly { k: string; v: bigint }[], tv: TimerValues): Iterable<Row> {
    const before = this.last.exists() ? String(this.last.get()) : 'none';
    const hist = this.history.get().join(',');
    const v = rows[rows.length - 1]?.v as bigint;
    if (v !== 0n) {
      this.last.update(v);
      this.history.appendValue(v);
    }
    yield { k: key.k, what: `${tv.getCurrentProcessingTimeInMs()}:${before}:[${hist}]`, at: v };
  }
}

describe('transformWithState: TTL', () => {
  it('expires values and list elements ttl ms after their last update, in processing time', async () => {
    const input = new MemoryStream(schema, 'events');
    const df = sluice.readStream.fromSource(input).groupBy('k').transformWithState(new TtlProcessor(), { outputSchema: timerOut });
    const t = new StreamTest(df, { outputMode: 'append', manualClockIntervalMs: 1000 });
    await t.start();
    const step = async (rows: ReturnType<typeof at>[], ms: number) => {
      input.addData(rows);
      await t.advance(ms);
    };
    await step([at(0, 'a', 1n), at(0, 'b', 9n)], 1000); // t=1 s: a=1 (expires 11 s), b=9 (expires 11 s)
    await step([at(0, 'a', 2n)], 5000); // t=6 s: a=2 (expires 16 s), history [1 (11 s), 2 (16 s)]
    await step([at(0, 'a', 0n)], 6000); // t=12 s: a still 2; element 1 expired
    expect(t.query?.lastProgress?.stateOperators[0]?.numRowsTotal).toBe(1); // b expired and was removed
    await step([at(0, 'a', 0n), at(0, 'b', 0n)], 4000); // t=16 s: everything of a expired too
    expect(perBatch(t, renderTimer).flat()).toEqual([
      'a:1000:none:[]:1',
      'b:1000:none:[]:9',
      'a:6000:1:[1]:2',
      'a:12000:2:[2]:0',
      'a:16000:none:[]:0',
      'b:16000:none:[]:0',
    ]);
    expect(t.query?.lastProgress?.stateOperators[0]?.numRowsTotal).toBe(0);
    await t.cleanup();
  });
});

describe('transformWithState in a batch query', () => {
  it('runs the processor once per key over all rows and fires event-time timers at the end', async () => {
    const df = sluice.createDataFrame([at(1_000, 'a'), at(5_000, 'a'), at(2_000, 'b')], schema);
    const rows = await df.groupBy('k').transformWithState(new TimerProcessor(10_000, 'event'), { outputSchema: timerOut, timeMode: 'eventTime' }).toArray();
    expect(rows.map(renderTimer).sort()).toEqual(['a:fired@15000:15000', 'a:input@5000:15000', 'b:fired@15000:12000', 'b:input@2000:12000']);
    const counted = await df.groupBy('k').transformWithState(new AllStates(), { outputSchema: allStatesOut }).toArray();
    expect(counted.map(renderAll).sort()).toEqual(['a:2|1,1|1x2', 'b:1|1|1x1']);
  });

  it('rejects grouping by an expression and a bad output schema', () => {
    const df = sluice.createDataFrame([at(0)], schema);
    expect(() => df.groupBy(df.col('v').plus(1)).transformWithState(new AllStates(), { outputSchema: allStatesOut })).toThrow(/groups by columns only/);
    expect(() => df.groupBy('k').transformWithState(new AllStates(), { outputSchema: schemaOf([]) })).toThrow(/outputSchema/);
  });
});
