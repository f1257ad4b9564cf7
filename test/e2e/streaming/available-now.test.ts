import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { types } from '../../../common/data-type.js';
import { SluiceError } from '../../../common/errors.js';
import { field, schemaOf } from '../../../common/schema.js';
import type { DataFrame } from '../../../dataframe/data-frame.js';
import { Sluice } from '../../../engine/session/sluice.js';
import { Trigger } from '../../../scheduler/trigger.js';
import { MemoryStream } from '../../../sources/memory/memory-stream.js';
import { writeKvCsv } from '../../helpers/kv-csv-files.js';

let sluice: Sluice;
let dir: string;
const T0 = 1_700_000_000_000;

beforeAll(async () => {
  sluice = await Sluice.builder().workers(1).getOrCreate();
  dir = mkdtempSync(join(tmpdir(), 'sluice-available-now-'));
});

afterAll(async () => {
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Writes a CSV file atomically (temp name, then rename) with the given modification time. */
/** The keys each batch saw, by batch id, in id order. */
type BatchKeys = [number, string[]][];

/**
 * Runs one availableNow query over the CSV files in `input` (one file per batch) into a
 * foreachBatch sink; `during(batchId)` runs inside the sink after the batch's rows are read.
 */
async function runAvailableNow(input: string, checkpoint: string, during: (batchId: number) => void = () => {}): Promise<BatchKeys> {
  const seen: BatchKeys = [];
  const df = await sluice.readStream.format('csv').schema('k STRING, v BIGINT').option('header', true).option('maxFilesPerTrigger', 1).load(input);
  const q = await df.writeStream
    .option('checkpointLocation', checkpoint)
    .trigger(Trigger.availableNow())
    .foreachBatch(async (batch: DataFrame, batchId: number) => {
      const rows = await batch.toArray();
      seen.push([batchId, rows.map((r) => String(r.k)).sort()]);
      during(batchId);
    })
    .start();
  expect(await q.awaitTermination(20_000)).toBe(true);
  expect(q.isActive).toBe(false);
  return seen;
}

describe('Trigger.availableNow over a file source', () => {
  it('processes exactly the files present at start, one per batch, and leaves files added during the run to the next run', async () => {
    const input = join(dir, 'in-basic');
    const ckpt = join(dir, 'ckpt-basic');
    mkdirSync(input);
    writeKvCsv(input, 'a.csv', ['a1,1', 'a2,2'], T0);
    writeKvCsv(input, 'b.csv', ['b1,3'], T0 + 1000);
    // The late file is older than both, so a fresh listing would order it first.
    const first = await runAvailableNow(input, ckpt, (id) => {
      if (id === 0) writeKvCsv(input, 'late.csv', ['late1,4'], T0 - 1000);
    });
    expect(first).toEqual([
      [0, ['a1', 'a2']],
      [1, ['b1']],
    ]);
    expect(readdirSync(join(ckpt, 'commits')).sort()).toEqual(['0', '1']);

    const second = await runAvailableNow(input, ckpt);
    expect(second).toEqual([[2, ['late1']]]);

    const third = await runAvailableNow(input, ckpt);
    expect(third).toEqual([]);
    expect(readdirSync(join(ckpt, 'commits')).sort()).toEqual(['0', '1', '2']);
  });

  it('after a failed run, the restarted run re-runs the logged batch and fixes its end when it starts', async () => {
    const input = join(dir, 'in-restart');
    const ckpt = join(dir, 'ckpt-restart');
    mkdirSync(input);
    writeKvCsv(input, 'a.csv', ['a1,1'], T0);
    writeKvCsv(input, 'b.csv', ['b1,2'], T0 + 1000);
    const failing = sluice.readStream.format('csv').schema('k STRING, v BIGINT').option('header', true).option('maxFilesPerTrigger', 1).load(input);
    const q = await (await failing).writeStream
      .option('checkpointLocation', ckpt)
      .trigger(Trigger.availableNow())
      .foreachBatch((_df: DataFrame, batchId: number) => {
        if (batchId === 1) throw new Error('crash in batch 1');
      })
      .start();
    const e = await q.awaitTermination(20_000).then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(SluiceError);
    expect((e as SluiceError).message).toContain('crash in batch 1');
    expect(readdirSync(join(ckpt, 'offsets')).sort()).toEqual(['0', '1']);
    expect(readdirSync(join(ckpt, 'commits'))).toEqual(['0']);

    // Arrives between the runs: available when the restarted run starts.
    writeKvCsv(input, 'c.csv', ['c1,3'], T0 + 2000);
    const restarted = await runAvailableNow(input, ckpt, (id) => {
      if (id === 1) writeKvCsv(input, 'd.csv', ['d1,4'], T0 + 3000);
    });
    expect(restarted).toEqual([
      [1, ['b1']],
      [2, ['c1']],
    ]);
    expect(await runAvailableNow(input, ckpt)).toEqual([[3, ['d1']]]);
  });
});

describe('Trigger.availableNow over a memory stream', () => {
  it('reads the rows present at start under maxRowsPerTrigger; rows added during the run wait for the next run', async () => {
    const schema = schemaOf([field('k', types.utf8), field('v', types.int64)]);
    const input = new MemoryStream(schema);
    input.addData([
      { k: 'a', v: 1n },
      { k: 'b', v: 2n },
      { k: 'c', v: 3n },
    ]);
    const df = sluice.readStream.fromSource(input, { maxRowsPerTrigger: 2 });
    const ckpt = join(dir, 'ckpt-memory');
    const run = async (): Promise<BatchKeys> => {
      const seen: BatchKeys = [];
      const q = await df.writeStream
        .option('checkpointLocation', ckpt)
        .trigger(Trigger.availableNow())
        .foreachBatch(async (batch: DataFrame, batchId: number) => {
          seen.push([batchId, (await batch.toArray()).map((r) => String(r.k))]);
          if (batchId === 0) input.addData([{ k: 'late', v: 9n }]);
        })
        .start();
      expect(await q.awaitTermination(20_000)).toBe(true);
      return seen;
    };
    expect(await run()).toEqual([
      [0, ['a', 'b']],
      [1, ['c']],
    ]);
    expect(await run()).toEqual([[2, ['late']]]);
  });
});
