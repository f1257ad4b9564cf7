import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../../../common/errors.js';
import { buildLocalRelation } from '../../../../dataframe/plan/builders/build-misc.js';
import { decodeEnvelope, decodeResult, decodeTask, encodeEnvelope, encodeResult, encodeTask } from '../../../../engine/distributed/task-codec.js';
import { runStageTask } from '../../../../engine/workers/run-stage-task.js';
import { shareBatch } from '../../../../engine/workers/shared-memory.js';
import type { StageTask } from '../../../../engine/workers/stage-task.js';
import { createLocalBatch } from '../../../../engine/session/create-local-batch.js';

function task(): StageTask {
  const local = createLocalBatch(
    [
      { k: 'a', v: 1n, x: 1.5 },
      { k: null, v: 2n, x: Number.NaN },
      { k: 'c', v: -(2n ** 62n), x: -0 },
    ],
    undefined,
  );
  // Rows on SharedArrayBuffers, as createDataFrame leaves them.
  return { fragment: buildLocalRelation(local.schema, [shareBatch(local.batch)]), fileSplits: null, cap: { kind: 'none' }, batchSize: 1024 };
}

describe('task codec (the bytes of a stage task and its result in Redis)', () => {
  it('a task with shared-memory rows decodes to a task that computes the same rows', async () => {
    const t = task();
    const bytes = encodeTask(t);
    expect(Buffer.isBuffer(bytes)).toBe(true);
    const back = decodeTask(bytes);
    const [a, b] = [await runStageTask(t), await runStageTask(back)];
    if (!a.ok || !b.ok) throw new Error('task failed');
    expect(b.rowsRead).toBe(3);
    const cols = (r: typeof a) => r.batches[0]?.columns.map((c) => [Array.from(c.values as ArrayLike<unknown>), c.validity && Array.from(c.validity)]);
    expect(cols(b)).toEqual(cols(a));
    expect(b.batches[0]?.schema).toEqual(a.batches[0]?.schema);
  });

  it('a result round-trips, an error result keeps its code, and a malformed message is an internal error', async () => {
    const r = await runStageTask(task());
    const back = decodeResult(encodeResult(r));
    expect(back.ok).toBe(true);
    const err = decodeResult(encodeResult({ ok: false, error: new SluiceError('CORRUPT_FILE', 'bad footer in f.parquet').toPlain() }));
    expect(err.ok).toBe(false);
    if (!err.ok) expect(SluiceError.fromPlain(err.error).code).toBe('CORRUPT_FILE');
    expect(() => decodeTask(encodeResult(r))).toThrow(/malformed stage task/);
  });

  it('envelopes carry a result inline or the key of its stored copy', () => {
    const inline = decodeEnvelope(encodeEnvelope({ kind: 'inline', bytes: Buffer.from([1, 2, 3]) }));
    expect(inline.kind === 'inline' && Array.from(inline.bytes)).toEqual([1, 2, 3]);
    expect(decodeEnvelope(encodeEnvelope({ kind: 'stored', key: 'results/ab-1' }))).toEqual({ kind: 'stored', key: 'results/ab-1' });
    expect(() => decodeEnvelope(Buffer.from([9]))).toThrow(SluiceError);
  });
});
