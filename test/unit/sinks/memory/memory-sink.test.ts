import { describe, expect, it } from 'vitest';
import { MemorySink } from '../../../../sinks/memory/memory-sink.js';
import { MemorySinkRegistry } from '../../../../sinks/memory/memory-sink-registry.js';
import { batchRows, localFrame } from '../../../contract/local-query-executor.js';
import { SINK_SCHEMA } from '../../../contract/sink-contract.js';

describe('MemorySink', () => {
  it('replaces the table each batch in complete mode', async () => {
    const registry = new MemorySinkRegistry();
    const sink = new MemorySink('counts', registry);
    await sink.addBatch(0, localFrame(SINK_SCHEMA, [[1n, 'a', 1]]), 'complete');
    await sink.addBatch(
      1,
      localFrame(SINK_SCHEMA, [
        [1n, 'a', 2],
        [2n, null, null],
      ]),
      'complete',
    );
    expect(batchRows(registry.table('counts'))).toEqual([
      [1n, 'a', 2],
      [2n, null, null],
    ]);
    await sink.addBatch(2, localFrame(SINK_SCHEMA, []), 'complete');
    expect(registry.table('counts').numRows).toBe(0);
    expect(registry.table('counts').schema).toBe(SINK_SCHEMA);
    expect(registry.names()).toEqual(['counts']);
  });

  it('rejects update mode and unknown table names', async () => {
    const registry = new MemorySinkRegistry();
    await expect(new MemorySink('q', registry).addBatch(0, localFrame(SINK_SCHEMA, []), 'update')).rejects.toThrow(/append and complete/);
    expect(() => registry.table('nope')).toThrow(/No memory table named 'nope'/);
    expect(() => new MemorySink('', registry)).toThrow(/needs a query name/);
  });

  it('caches the joined table until the next write', async () => {
    const registry = new MemorySinkRegistry();
    const sink = new MemorySink('q', registry);
    await sink.addBatch(0, localFrame(SINK_SCHEMA, [[1n, 'a', 1]]), 'append');
    await sink.addBatch(1, localFrame(SINK_SCHEMA, [[2n, 'b', 2]]), 'append');
    const t = registry.table('q');
    expect(registry.table('q')).toBe(t);
    await sink.addBatch(2, localFrame(SINK_SCHEMA, [[3n, 'c', 3]]), 'append');
    expect(batchRows(registry.table('q')).map((r) => r[0])).toEqual([1n, 2n, 3n]);
    expect(registry.lastBatchId('q')).toBe(2);
  });
});
