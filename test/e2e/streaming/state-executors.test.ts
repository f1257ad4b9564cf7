import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { types } from '../../../common/data-type.js';
import { field, schemaOf } from '../../../common/schema.js';
import type { Row } from '../../../dataframe/data-frame.js';
import type { StreamingQuery } from '../../../dataframe/streaming-query.js';
import { count, first, max, sum, window } from '../../../dataframe/expr/functions.js';
import type { StatefulAggregate } from '../../../engine/execution/stateful/stateful-aggregate.js';
import { Sluice } from '../../../engine/session/sluice.js';
import { MemoryStream } from '../../../sources/memory/memory-stream.js';
import { StreamTest } from '../../helpers/stream-test.js';

const payments = schemaOf([field('user', types.utf8), field('amount', types.int64)]);
const events = schemaOf([field('t', types.timestamp('ms')), field('k', types.utf8), field('v', types.int64)]);

let twoWorkers: Sluice;
let oneWorker: Sluice;
let threeWorkers: Sluice;

beforeAll(async () => {
  twoWorkers = await Sluice.builder().workers(2).config('sluice.sql.shuffle.partitions', 5).getOrCreate();
  oneWorker = await Sluice.builder().workers(1).config('sluice.sql.shuffle.partitions', 5).getOrCreate();
  threeWorkers = await Sluice.builder().workers(3).config('sluice.sql.shuffle.partitions', 5).getOrCreate();
});

afterAll(async () => {
  await twoWorkers.stop();
  await oneWorker.stop();
  await threeWorkers.stop();
});

/** The stateful operators of a running query (test-only look inside the query). */
function operatorsOf(q: StreamingQuery | null): StatefulAggregate[] {
  const loop = (q as unknown as { loop: { incremental: { operators: StatefulAggregate[] } | null } } | null)?.loop;
  return loop?.incremental?.operators ?? [];
}

function perUser(s: Sluice, input: MemoryStream) {
  return s.readStream
    .fromSource(input)
    .groupBy('user')
    .agg(count().alias('n'), sum('amount').alias('total'), max('amount').alias('top'), first('amount').alias('firstAmount'));
}

const users = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

/** Batch `b` of the test input: every user once, amounts that depend on the batch. */
function batchRows(b: number): { user: string; amount: bigint }[] {
  return users.map((user, i) => ({ user, amount: BigInt(b * 10 + i) }));
}

/** The answer after batches 0..last: every user seen last+1 times. */
function expected(last: number): Row[] {
  return users.map((user, i) => {
    let total = 0n;
    for (let b = 0; b <= last; b++) total += BigInt(b * 10 + i);
    return { user, n: BigInt(last + 1), total, top: BigInt(last * 10 + i), firstAmount: BigInt(i) };
  });
}

describe('state executors (sluice.streaming.stateStore.location = workers)', () => {
  it('keeps the state in executor threads, not on the driver, and reports their memory', async () => {
    const input = new MemoryStream(payments, 'payments');
    const t = new StreamTest(perUser(twoWorkers, input), { outputMode: 'update', keys: ['user'] });
    await t.start();
    input.addData(batchRows(0));
    await t.checkAnswer(expected(0));
    input.addData(batchRows(1));
    await t.checkLastBatch(expected(1));
    const [op] = operatorsOf(t.query);
    expect(op?.stateLocation).toBe('workers');
    expect(op?.holdsDriverState).toBe(false);
    const state = t.query?.lastProgress?.stateOperators[0];
    expect(state?.numRowsTotal).toBe(users.length);
    expect(state?.numRowsUpdated).toBe(users.length);
    expect(state?.memoryUsedBytes).toBeGreaterThan(0);
    await t.cleanup();
  });

  it('restarts with a different worker count (partitions move between executors) and with the driver, giving the same answer', async () => {
    const input = new MemoryStream(payments, 'payments');
    const first2 = new StreamTest(perUser(twoWorkers, input), { outputMode: 'update', keys: ['user'] });
    await first2.start();
    input.addData(batchRows(0));
    input.addData(batchRows(1));
    await first2.checkAnswer(expected(1));
    await first2.stop();
    const dir = first2.checkpointLocation;

    // One executor now owns all five partitions.
    const then1 = new StreamTest(perUser(oneWorker, input), { outputMode: 'update', keys: ['user'], checkpointLocation: dir });
    await then1.start();
    input.addData(batchRows(2));
    await then1.checkLastBatch(expected(2));
    expect(operatorsOf(then1.query)[0]?.stateLocation).toBe('workers');
    await then1.stop();

    // Three executors: partitions 0..4 owned by 0,1,2,0,1.
    const then3 = new StreamTest(perUser(threeWorkers, input), { outputMode: 'update', keys: ['user'], checkpointLocation: dir });
    await then3.start();
    input.addData(batchRows(3));
    await then3.checkLastBatch(expected(3));
    expect(then3.query?.lastProgress?.stateOperators[0]?.numRowsTotal).toBe(users.length);
    await then3.stop();

    // The driver reads the same files.
    const driver = await Sluice.builder().workers(2).config('sluice.streaming.stateStore.location', 'driver').getOrCreate();
    try {
      const onDriver = new StreamTest(perUser(driver, input), { outputMode: 'update', keys: ['user'], checkpointLocation: dir });
      await onDriver.start();
      input.addData(batchRows(4));
      await onDriver.checkLastBatch(expected(4));
      const [op] = operatorsOf(onDriver.query);
      expect(op?.stateLocation).toBe('driver');
      expect(op?.holdsDriverState).toBe(true);
      await onDriver.stop();
    } finally {
      await driver.stop();
      await first2.cleanup();
    }
  });

  it('append-mode windows: the eviction deadline survives a restart on fewer executors', async () => {
    const input = new MemoryStream(events, 'events');
    const windowed = (s: Sluice) =>
      s.readStream.fromSource(input).withWatermark('t', '10 seconds').groupBy(window('t', '10 seconds'), 'k').agg(sum('v').alias('s'), count().alias('n'));
    const at = (ms: number, k: string, v: bigint) => ({ t: new Date(ms), k, v });
    const render = (r: Record<string, unknown>) => `${r.k}@${((r.window as { start: Date }).start as Date).getTime()}=${r.s}/${r.n}`;
    const t = new StreamTest(windowed(twoWorkers), { outputMode: 'append' });
    await t.start();
    input.addData([at(1_000, 'a', 1n), at(2_000, 'b', 2n), at(5_000, 'a', 3n), at(12_000, 'c', 4n)]);
    await t.processAllAvailable();
    // Watermark 2 s: nothing final yet.
    expect([...t.batches.values()].flat().map(render)).toEqual([]);
    await t.stop();

    const again = new StreamTest(windowed(oneWorker), { outputMode: 'append', checkpointLocation: t.checkpointLocation });
    await again.start();
    input.addData([at(25_000, 'a', 5n)]);
    await again.processAllAvailable();
    // Watermark 15 s: the [0, 10 s) windows of a and b are final and evicted; c@10 s and a@20 s stay.
    expect([...again.batches.values()].flat().map(render).sort()).toEqual(['a@0=4/2', 'b@0=2/1']);
    expect(again.query?.lastProgress?.stateOperators[0]?.numRowsTotal).toBe(2);
    input.addData([at(45_000, 'd', 1n)]);
    await again.processAllAvailable();
    expect([...again.batches.values()].flat().map(render).sort()).toEqual(['a@0=4/2', 'a@20000=5/1', 'b@0=2/1', 'c@10000=4/1']);
    await again.stop();
    await t.cleanup();
  });

  it('rejects an unknown location, naming the setting', async () => {
    const bad = await Sluice.builder().workers(1).config('sluice.streaming.stateStore.location', 'gpu').getOrCreate();
    try {
      const input = new MemoryStream(payments, 'payments');
      const t = new StreamTest(perUser(bad, input), { outputMode: 'update', keys: ['user'] });
      await expect(t.start()).rejects.toThrow(/sluice\.streaming\.stateStore\.location.*'workers' or 'driver'/);
      await t.cleanup();
    } finally {
      await bad.stop();
    }
  });
});
