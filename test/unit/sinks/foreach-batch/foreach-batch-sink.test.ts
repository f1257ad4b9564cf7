import { describe, expect, it } from 'vitest';
import { ForeachBatchSink } from '../../../../sinks/foreach-batch/foreach-batch-sink.js';
import { localFrame } from '../../../contract/local-query-executor.js';
import { SINK_SCHEMA } from '../../../contract/sink-contract.js';

describe('ForeachBatchSink', () => {
  it('passes each batch and its id once, and retries a batch whose function failed', async () => {
    const calls: [number, number][] = [];
    let fail = true;
    const sink = new ForeachBatchSink(async (df, batchId) => {
      if (batchId === 1 && fail) {
        fail = false;
        throw new Error('downstream unavailable');
      }
      calls.push([batchId, (await df.collectBatch()).numRows]);
    });
    await sink.addBatch(0, localFrame(SINK_SCHEMA, [[1n, 'a', 1]]), 'update');
    await expect(
      sink.addBatch(
        1,
        localFrame(SINK_SCHEMA, [
          [2n, 'b', 2],
          [3n, null, null],
        ]),
        'update',
      ),
    ).rejects.toThrow('downstream unavailable');
    await sink.addBatch(
      1,
      localFrame(SINK_SCHEMA, [
        [2n, 'b', 2],
        [3n, null, null],
      ]),
      'update',
    );
    await sink.addBatch(1, localFrame(SINK_SCHEMA, []), 'update');
    expect(calls).toEqual([
      [0, 1],
      [1, 2],
    ]);
  });
});
