import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { field, schemaOf } from '../../../common/schema.js';
import { types } from '../../../common/data-type.js';
import { col } from '../../../dataframe/expr/functions.js';
import { Sluice } from '../../../engine/session/sluice.js';
import { MemoryStream } from '../../../sources/memory/memory-stream.js';
import { StreamTest } from '../../helpers/stream-test.js';

let sluice: Sluice;
const schema = schemaOf([field('id', types.int64), field('name', types.utf8), field('amount', types.float64)]);

beforeAll(async () => {
  sluice = await Sluice.builder().workers(2).getOrCreate();
});

afterAll(async () => {
  await sluice.stop();
});

describe('stateless streaming queries', () => {
  it('runs select, filter and withColumn per batch, and continues after a restart', async () => {
    const input = new MemoryStream(schema, 'tx');
    const df = sluice.readStream.fromSource(input).filter(col('amount').gt(10)).withColumn('double', col('amount').multiply(2)).select('id', 'name', 'double');
    const t = new StreamTest(df);
    await t.start();
    input.addData([
      { id: 1n, name: 'a', amount: 5 },
      { id: 2n, name: null, amount: 20 },
    ]);
    await t.checkAnswer([{ id: 2n, name: null, double: 40 }]);
    input.addData([{ id: 3n, name: 'c', amount: 30.5 }]);
    await t.checkLastBatch([{ id: 3n, name: 'c', double: 61 }]);
    await t.restart();
    input.addData([{ id: 4n, name: 'd', amount: 11 }]);
    await t.checkAnswer([
      { id: 2n, name: null, double: 40 },
      { id: 3n, name: 'c', double: 61 },
      { id: 4n, name: 'd', double: 22 },
    ]);
    const p = t.query?.lastProgress;
    expect(p?.batchId).toBe(2);
    expect(p?.numInputRows).toBe(1);
    expect(p?.sources[0]?.startOffset).toBe('3');
    expect(p?.sources[0]?.endOffset).toBe('4');
    expect(Object.keys(p?.durationMs ?? {})).toEqual([
      'latestOffset',
      'walCommit',
      'getBatch',
      'queryPlanning',
      'addBatch',
      'commitOffsets',
      'triggerExecution',
    ]);
    await t.cleanup();
  });

  it('joins a stream with a static DataFrame (inner and left outer)', async () => {
    const input = new MemoryStream(schema, 'tx');
    const names = sluice.createDataFrame([
      { name: 'a', country: 'FR' },
      { name: 'b', country: 'DE' },
    ]);
    const stream = sluice.readStream.fromSource(input);
    const inner = new StreamTest(stream.join(names, 'name', 'inner').select('id', 'country'));
    const left = new StreamTest(stream.join(names, 'name', 'left').select('id', 'country'));
    await inner.start();
    await left.start();
    input.addData([
      { id: 1n, name: 'a', amount: 1 },
      { id: 2n, name: 'z', amount: 2 },
      { id: 3n, name: 'b', amount: 3 },
    ]);
    await inner.checkAnswer([
      { id: 1n, country: 'FR' },
      { id: 3n, country: 'DE' },
    ]);
    await left.checkAnswer([
      { id: 1n, country: 'FR' },
      { id: 2n, country: null },
      { id: 3n, country: 'DE' },
    ]);
    await inner.cleanup();
    await left.cleanup();
  });
});
