import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { types } from '../../../common/data-type.js';
import { SluiceError } from '../../../common/errors.js';
import { field, schemaOf } from '../../../common/schema.js';
import { count } from '../../../dataframe/expr/functions.js';
import type { StreamTrigger } from '../../../dataframe/data-stream-writer.js';
import type { QueryProgressEvent, StreamingQueryListener } from '../../../engine/execution/query-listener.js';
import { Sluice } from '../../../engine/session/sluice.js';
import { Trigger } from '../../../scheduler/trigger.js';
import { MemoryStream } from '../../../sources/memory/memory-stream.js';
import { StreamTest } from '../../helpers/stream-test.js';

let sluice: Sluice;
const schema = schemaOf([field('k', types.utf8), field('v', types.int64)]);

beforeAll(async () => {
  sluice = await Sluice.builder().workers(1).getOrCreate();
});

afterAll(async () => {
  await sluice.stop();
});

async function errorOf(p: Promise<unknown>): Promise<SluiceError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(SluiceError);
    return e as SluiceError;
  }
  throw new Error('expected an error');
}

describe('query start validation', () => {
  it('refuses append with an aggregation, complete without one, and stream-stream joins', async () => {
    const a = sluice.readStream.fromSource(new MemoryStream(schema));
    const b = sluice.readStream.fromSource(new MemoryStream(schema));
    const agg = a.groupBy('k').agg(count().alias('n'));
    const e1 = await errorOf(
      agg.writeStream
        .outputMode('append')
        .foreachBatch(() => {})
        .start(),
    );
    expect(e1.message).toContain('Append output mode is not supported for a streaming aggregation without a watermark');
    expect(e1.message).toContain("outputMode('update')");
    const e2 = await errorOf(
      a.writeStream
        .outputMode('complete')
        .foreachBatch(() => {})
        .start(),
    );
    expect(e2.message).toContain('Complete output mode needs a streaming aggregation');
    const e3 = await errorOf(
      a
        .join(b, 'k', 'full')
        .writeStream.foreachBatch(() => {})
        .start(),
    );
    // Full outer stream-stream joins are supported, but only with a state bound on both sides (Spark's rule).
    expect(e3.message).toContain('A full outer join between two streaming DataFrames needs to know when a left row can no longer match');
    const e4 = await errorOf(agg.writeStream.format('memory').queryName('m').outputMode('update').start());
    expect(e4.message).toContain("does not support output mode 'update'");
    expect(() => sluice.createDataFrame([{ x: 1 }]).writeStream).toThrow(/writeStream needs a streaming DataFrame/);
    expect(sluice.streams.active).toEqual([]);
  });

  it('rejects start() for a trigger given as plain data with a bad interval, before any batch', async () => {
    const input = new MemoryStream(schema);
    const bad: unknown[] = [
      { kind: 'processingTime', intervalMs: -1 },
      { kind: 'processingTime', intervalMs: '0.5 sekunden' },
      { kind: 'processingTime', intervalMs: Number.NaN },
      { kind: 'processingTime' },
      { kind: 'sometimes' },
    ];
    const batches: number[] = [];
    for (const trigger of bad) {
      const e = await errorOf(
        sluice.readStream
          .fromSource(input)
          .writeStream.foreachBatch((_df, id) => {
            batches.push(id);
          })
          .trigger(trigger as StreamTrigger)
          .start(),
      );
      expect(e.code).toBe('INVALID_ARGUMENT');
      expect(e.message).toContain("Trigger.processingTime('1 second')");
    }
    const e = await errorOf(
      sluice.readStream
        .fromSource(input)
        .writeStream.foreachBatch(() => {})
        .trigger({ kind: 'processingTime', intervalMs: '0.5 sekunden' } as unknown as StreamTrigger)
        .start(),
    );
    expect(e.message).toContain("Cannot parse interval '0.5 sekunden'");
    expect(batches).toEqual([]);
    expect(sluice.streams.active).toEqual([]);
    // A duration string in plain data is accepted, as Trigger.processingTime accepts it.
    const q = await sluice.readStream
      .fromSource(input)
      .writeStream.foreachBatch(() => {})
      .trigger({ kind: 'processingTime', intervalMs: '2 seconds' } as unknown as StreamTrigger)
      .start();
    expect(q.isActive).toBe(true);
    await q.stop();
    expect(q.exception).toBeNull();
  });

  it('rejects a checkpoint location that is a file with IO_ERROR naming it and the fix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-ckpt-file-'));
    try {
      const file = join(dir, 'ckpt');
      writeFileSync(file, 'x');
      const e = await errorOf(
        sluice.readStream
          .fromSource(new MemoryStream(schema))
          .writeStream.foreachBatch(() => {})
          .option('checkpointLocation', file)
          .start(),
      );
      expect(e.code).toBe('IO_ERROR');
      expect(e.message).toContain(`Cannot use checkpoint location '${file}'`);
      expect(e.message).toContain('a file exists where a folder is expected');
      expect(sluice.streams.active).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a second query on a checkpoint in use, naming the pid and host', async () => {
    const input = new MemoryStream(schema);
    const t = new StreamTest(sluice.readStream.fromSource(input));
    await t.start();
    const second = new StreamTest(sluice.readStream.fromSource(input), { checkpointLocation: t.checkpointLocation });
    const e = await errorOf(second.start());
    expect(e.code).toBe('CHECKPOINT_LOCKED');
    expect(e.message).toContain(`process ${process.pid}`);
    await t.cleanup();
  });
});

describe('query lifecycle', () => {
  it('reports progress to listeners and the memory sink table, and stops cleanly', async () => {
    const input = new MemoryStream(schema, 'events');
    const events: string[] = [];
    const progress: QueryProgressEvent[] = [];
    const listener: StreamingQueryListener = {
      onQueryStarted: () => events.push('started'),
      onQueryProgress: (e) => progress.push(e),
      onQueryIdle: () => events.push('idle'),
      onQueryTerminated: (e) => events.push(`terminated:${e.exception === null}`),
    };
    sluice.streams.addListener(listener);
    const q = await sluice.readStream.fromSource(input).writeStream.format('memory').queryName('events_out').start();
    expect(sluice.streams.get(q.id)).toBe(q);
    input.addData([{ k: 'x', v: 1n }]);
    await q.processAllAvailable();
    expect(await sluice.table('events_out').toArray()).toEqual([{ k: 'x', v: 1n }]);
    await q.stop();
    expect(q.isActive).toBe(false);
    expect(await q.awaitTermination()).toBe(true);
    expect(await sluice.streams.awaitAnyTermination(10)).toBe(true);
    sluice.streams.resetTerminated();
    await new Promise((r) => setTimeout(r, 10));
    sluice.streams.removeListener(listener);
    expect(events[0]).toBe('started');
    expect(events).toContain('idle');
    expect(events[events.length - 1]).toBe('terminated:true');
    expect(progress.map((p) => p.progress.batchId)).toEqual([0]);
    expect(progress[0]?.progress.sink.description).toBe('MemorySink[events_out]');
  });

  it('stops on a batch failure and surfaces it with the batch id and the operator', async () => {
    const input = new MemoryStream(schema);
    const q = await sluice.readStream
      .fromSource(input)
      .writeStream.foreachBatch((_df, id) => {
        if (id === 1) throw new Error('boom in user code');
      })
      .start();
    input.addData([{ k: 'a', v: 1n }]);
    await q.processAllAvailable();
    input.addData([{ k: 'b', v: 2n }]);
    const e = await errorOf(q.awaitTermination());
    expect(e.code).toBe('QUERY_FAILED');
    expect(e.message).toContain('in batch 1');
    expect(e.message).toContain('ForeachBatchSink');
    expect(e.message).toContain('boom in user code');
    expect(q.exception).toBe(e);
    expect(q.isActive).toBe(false);
  });

  it('runs processingTime triggers on a manual clock, once and availableNow', async () => {
    const input = new MemoryStream(schema);
    const df = sluice.readStream.fromSource(input, { maxRowsPerTrigger: 2 });
    const t = new StreamTest(df, { manualClockIntervalMs: 1000 });
    await t.start();
    input.addData([
      { k: 'a', v: 1n },
      { k: 'b', v: 2n },
      { k: 'c', v: 3n },
    ]);
    await t.advance(1000);
    expect(t.lastBatch().map((r) => r.k)).toEqual(['a', 'b']);
    await t.advance(1000);
    expect(t.lastBatch().map((r) => r.k)).toEqual(['c']);
    expect(t.query?.recentProgress.map((p) => p.timestamp)).toEqual(['1970-01-01T00:00:01.000Z', '1970-01-01T00:00:02.000Z']);
    await t.stop();
    input.addData([
      { k: 'd', v: 4n },
      { k: 'e', v: 5n },
      { k: 'f', v: 6n },
    ]);
    const once = new StreamTest(df, { trigger: Trigger.once(), checkpointLocation: t.checkpointLocation });
    const q1 = await once.start();
    expect(await q1.awaitTermination(5000)).toBe(true);
    // Once ignores read limits (as in Spark): one batch with everything available.
    expect([...once.batches.entries()].map(([id, rows]) => [id, rows.map((r) => r.k)])).toEqual([[2, ['d', 'e', 'f']]]);
    input.addData([
      { k: 'g', v: 7n },
      { k: 'h', v: 8n },
      { k: 'i', v: 9n },
    ]);
    const now = new StreamTest(df, { trigger: Trigger.availableNow(), checkpointLocation: t.checkpointLocation });
    const q2 = await now.start();
    expect(await q2.awaitTermination(5000)).toBe(true);
    expect([...now.batches.entries()].map(([id, rows]) => [id, rows.map((r) => r.k)])).toEqual([
      [3, ['g', 'h']],
      [4, ['i']],
    ]);
    await t.cleanup();
  });
});
