import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { types } from '../../../common/data-type.js';
import { field, schemaOf } from '../../../common/schema.js';
import { avg, col, count, first, max, sum } from '../../../dataframe/expr/functions.js';
import { Sluice } from '../../../engine/session/sluice.js';
import { MemoryStream } from '../../../sources/memory/memory-stream.js';
import { StreamTest } from '../../helpers/stream-test.js';

let sluice: Sluice;
const schema = schemaOf([field('user', types.utf8), field('amount', types.int64)]);

beforeAll(async () => {
  sluice = await Sluice.builder().workers(2).config('sluice.sql.shuffle.partitions', 3).getOrCreate();
});

afterAll(async () => {
  await sluice.stop();
});

function aggregated(input: MemoryStream) {
  return sluice.readStream
    .fromSource(input)
    .groupBy('user')
    .agg(count().alias('n'), sum('amount').alias('total'), max('amount').alias('top'), first('amount').alias('firstAmount'));
}

describe('stateful aggregation', () => {
  it('update mode emits only changed groups and keeps state across a restart', async () => {
    const input = new MemoryStream(schema, 'payments');
    const t = new StreamTest(aggregated(input), { outputMode: 'update', keys: ['user'] });
    await t.start();
    input.addData([
      { user: 'a', amount: 10n },
      { user: 'b', amount: 5n },
      { user: 'a', amount: 1n },
      { user: null, amount: 7n },
    ]);
    await t.checkLastBatch([
      { user: 'a', n: 2n, total: 11n, top: 10n, firstAmount: 10n },
      { user: 'b', n: 1n, total: 5n, top: 5n, firstAmount: 5n },
      { user: null, n: 1n, total: 7n, top: 7n, firstAmount: 7n },
    ]);
    await t.restart();
    input.addData([
      { user: 'a', amount: 100n },
      { user: 'c', amount: null },
    ]);
    await t.checkLastBatch([
      { user: 'a', n: 3n, total: 111n, top: 100n, firstAmount: 10n },
      { user: 'c', n: 1n, total: null, top: null, firstAmount: null },
    ]);
    await t.checkAnswer([
      { user: 'a', n: 3n, total: 111n, top: 100n, firstAmount: 10n },
      { user: 'b', n: 1n, total: 5n, top: 5n, firstAmount: 5n },
      { user: null, n: 1n, total: 7n, top: 7n, firstAmount: 7n },
      { user: 'c', n: 1n, total: null, top: null, firstAmount: null },
    ]);
    const state = t.query?.lastProgress?.stateOperators[0];
    expect(state?.numRowsTotal).toBe(4);
    expect(state?.numRowsUpdated).toBe(2);
    expect(state?.numShufflePartitions).toBe(3);
    await t.cleanup();
  });

  it('complete mode emits every group each batch, with a global aggregate and sort', async () => {
    const input = new MemoryStream(schema, 'payments');
    const stream = sluice.readStream.fromSource(input);
    const byUser = new StreamTest(stream.groupBy('user').agg(avg('amount').alias('mean')).orderBy(col('mean').desc()), { outputMode: 'complete' });
    const global = new StreamTest(stream.agg(count().alias('n'), sum('amount').alias('total')), { outputMode: 'complete' });
    await byUser.start();
    await global.start();
    input.addData([
      { user: 'a', amount: 2n },
      { user: 'b', amount: 4n },
    ]);
    await byUser.checkAnswer([
      { user: 'b', mean: 4 },
      { user: 'a', mean: 2 },
    ]);
    await global.checkAnswer([{ n: 2n, total: 6n }]);
    await byUser.restart();
    await global.restart();
    input.addData([{ user: 'a', amount: 10n }]);
    await byUser.checkAnswer([
      { user: 'a', mean: 6 },
      { user: 'b', mean: 4 },
    ]);
    expect(byUser.lastBatch().map((r) => r.user)).toEqual(['a', 'b']);
    await global.checkAnswer([{ n: 3n, total: 16n }]);
    await byUser.cleanup();
    await global.cleanup();
  });

  it('pins the number of state partitions in the checkpoint', async () => {
    const input = new MemoryStream(schema, 'payments');
    const t = new StreamTest(aggregated(input), { outputMode: 'update', keys: ['user'] });
    await t.start();
    input.addData([{ user: 'a', amount: 1n }]);
    await t.processAllAvailable();
    await t.stop();
    const other = await Sluice.builder().workers(1).config('sluice.sql.shuffle.partitions', 7).getOrCreate();
    try {
      const t2 = new StreamTest(
        other.readStream
          .fromSource(input)
          .groupBy('user')
          .agg(count().alias('n'), sum('amount').alias('total'), max('amount').alias('top'), first('amount').alias('firstAmount')),
        { outputMode: 'update', keys: ['user'], checkpointLocation: t.checkpointLocation },
      );
      await t2.start();
      input.addData([{ user: 'a', amount: 2n }]);
      await t2.checkLastBatch([{ user: 'a', n: 2n, total: 3n, top: 2n, firstAmount: 1n }]);
      expect(t2.query?.lastProgress?.stateOperators[0]?.numShufflePartitions).toBe(3);
      await t2.stop();
    } finally {
      await other.stop();
      await t.cleanup();
    }
  });
});
