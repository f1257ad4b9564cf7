import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { types } from '../../../common/data-type.js';
import { field, schemaOf } from '../../../common/schema.js';
import type { DataFrame } from '../../../dataframe/data-frame.js';
import { count, sum } from '../../../dataframe/expr/functions.js';
import { grouping, groupingId } from '../../../dataframe/expr/grouping-functions.js';
import { Sluice } from '../../../engine/session/sluice.js';
import { MemoryStream } from '../../../sources/memory/memory-stream.js';
import { normalizeRows } from '../../helpers/normalize-rows.js';
import { StreamTest } from '../../helpers/stream-test.js';

/** cube and rollup on a stream: one stateful aggregation over the expanded rows; the answer equals batch. */
let sluice: Sluice;
const schema = schemaOf([field('a', types.utf8), field('b', types.int64), field('v', types.int64)]);
const batch1 = [
  { a: 'x', b: 1n, v: 10n },
  { a: 'x', b: 2n, v: 20n },
  { a: null, b: 1n, v: 5n },
];
const batch2 = [
  { a: 'y', b: 1n, v: 1n },
  { a: 'x', b: 1n, v: 100n },
];

beforeAll(async () => {
  sluice = await Sluice.builder().workers(2).getOrCreate();
});

afterAll(async () => {
  await sluice.stop();
});

describe('grouping sets on a stream', () => {
  it('cube in update mode: exact changed rows per batch across a restart, final answer = batch', async () => {
    const cubed = (df: DataFrame) => df.cube('a', 'b').agg(sum('v').alias('s'), count().alias('n'), grouping('a').alias('ga'), groupingId().alias('id'));
    const input = new MemoryStream(schema, 'cube');
    const t = new StreamTest(cubed(sluice.readStream.fromSource(input)), { outputMode: 'update', keys: ['a', 'b', 'id'] });
    await t.start();
    input.addData(batch1);
    await t.processAllAvailable();
    const cols = ['a', 'b', 's', 'n', 'ga', 'id'];
    expect(normalizeRows(t.lastBatch(), cols)).toEqual(
      normalizeRows(
        [
          { a: 'x', b: 1n, s: 10n, n: 1n, ga: 0, id: 0n },
          { a: 'x', b: 2n, s: 20n, n: 1n, ga: 0, id: 0n },
          { a: null, b: 1n, s: 5n, n: 1n, ga: 0, id: 0n },
          { a: 'x', b: null, s: 30n, n: 2n, ga: 0, id: 1n },
          { a: null, b: null, s: 5n, n: 1n, ga: 0, id: 1n },
          { a: null, b: 1n, s: 15n, n: 2n, ga: 1, id: 2n },
          { a: null, b: 2n, s: 20n, n: 1n, ga: 1, id: 2n },
          { a: null, b: null, s: 35n, n: 3n, ga: 1, id: 3n },
        ],
        cols,
      ),
    );
    await t.restart();
    input.addData(batch2);
    await t.processAllAvailable();
    expect(normalizeRows(t.lastBatch(), cols)).toEqual(
      normalizeRows(
        [
          { a: 'y', b: 1n, s: 1n, n: 1n, ga: 0, id: 0n },
          { a: 'x', b: 1n, s: 110n, n: 2n, ga: 0, id: 0n },
          { a: 'y', b: null, s: 1n, n: 1n, ga: 0, id: 1n },
          { a: 'x', b: null, s: 130n, n: 3n, ga: 0, id: 1n },
          { a: null, b: 1n, s: 116n, n: 4n, ga: 1, id: 2n },
          { a: null, b: null, s: 136n, n: 5n, ga: 1, id: 3n },
        ],
        cols,
      ),
    );
    const batch = cubed(sluice.createDataFrame([...batch1, ...batch2], schema));
    expect(normalizeRows(t.answer(), cols)).toEqual(normalizeRows(await batch.toArray(), cols));
    await t.cleanup();
  });
});
