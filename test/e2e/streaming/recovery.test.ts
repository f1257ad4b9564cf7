import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { types } from '../../../common/data-type.js';
import { SluiceError } from '../../../common/errors.js';
import { field, schemaOf } from '../../../common/schema.js';
import { count, sum } from '../../../dataframe/expr/functions.js';
import type { StreamingQuery } from '../../../dataframe/streaming-query.js';
import { Sluice } from '../../../engine/session/sluice.js';
import { Trigger } from '../../../scheduler/trigger.js';
import { committedFiles } from '../../../common/log/committed-files.js';
import { MemoryStream } from '../../../sources/memory/memory-stream.js';
import { StreamTest } from '../../helpers/stream-test.js';
import { writeKvCsv } from '../../helpers/kv-csv-files.js';

let sluice: Sluice;
let dir: string;
const schema = schemaOf([field('k', types.utf8), field('v', types.int64)]);

beforeAll(async () => {
  sluice = await Sluice.builder().workers(1).config('sluice.sql.shuffle.partitions', 2).getOrCreate();
  dir = mkdtempSync(join(tmpdir(), 'sluice-recovery-'));
});

afterAll(async () => {
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The error of starting a query, or of running it to its end. */
async function failureOf(start: () => Promise<StreamingQuery>): Promise<SluiceError> {
  try {
    const q = await start();
    await q.awaitTermination(10_000);
  } catch (e) {
    expect(e).toBeInstanceOf(SluiceError);
    return e as SluiceError;
  }
  throw new Error('expected the query to fail');
}

describe('restart after a crash before the commit', () => {
  it('re-runs the uncommitted batch with its logged offsets and batch time, without double counting state', async () => {
    const input = new MemoryStream(schema);
    const df = sluice.readStream.fromSource(input).groupBy('k').agg(count().alias('n'), sum('v').alias('s'));
    const t = new StreamTest(df, { outputMode: 'update', keys: ['k'], manualClockIntervalMs: 100 });
    await t.start();
    input.addData([{ k: 'a', v: 1n }]);
    await t.advance(100);
    input.addData([
      { k: 'a', v: 2n },
      { k: 'b', v: 3n },
    ]);
    await t.advance(100);
    const batch1 = t.lastBatch();
    const loggedTime = JSON.parse(readFileSync(join(t.checkpointLocation, 'offsets', '1'), 'utf8').split('\n')[1] as string).batchTimestampMs;
    await t.stop();
    rmSync(join(t.checkpointLocation, 'commits', '1'));
    t.batches.clear();
    await t.start();
    await t.advance(100);
    expect(t.batches.get(1)).toEqual(batch1);
    expect(t.query?.lastProgress?.batchId).toBe(1);
    expect(Date.parse(t.query?.lastProgress?.timestamp ?? '')).toBe(loggedTime);
    input.addData([{ k: 'a', v: 10n }]);
    await t.advance(100);
    expect(t.lastBatch()).toEqual([{ k: 'a', n: 3n, s: 13n }]);
    await t.cleanup();
  });
});

describe('damaged checkpoint and sink files fail the restart, naming the file and the way out', () => {
  let base: string;
  let out: string;
  let input: string;

  const start = (checkpoint: string, output: string): Promise<StreamingQuery> =>
    sluice.readStream
      .format('csv')
      .schema('k STRING, v BIGINT')
      .option('header', true)
      .option('maxFilesPerTrigger', 1)
      .load(input)
      .then((df) => df.writeStream.format('parquet').option('checkpointLocation', checkpoint).trigger(Trigger.availableNow()).start(output));

  beforeAll(async () => {
    input = join(dir, 'in');
    mkdirSync(input);
    writeKvCsv(input, 'a.csv', ['x,1', 'y,2']);
    writeKvCsv(input, 'b.csv', ['z,3']);
    base = join(dir, 'ckpt');
    out = join(dir, 'out');
    const q = await start(base, out);
    expect(await q.awaitTermination(10_000)).toBe(true);
    expect(readdirSync(join(base, 'commits'))).toEqual(['0', '1']);
    expect((await committedFiles(out))?.length).toBe(2);
    writeKvCsv(input, 'c.csv', ['w,4']);
  });

  const copy = (name: string): { ckpt: string; out: string } => {
    const ckpt = join(dir, `ckpt-${name}`);
    const o = join(dir, `out-${name}`);
    cpSync(base, ckpt, { recursive: true });
    cpSync(out, o, { recursive: true });
    rmSync(join(ckpt, 'lock'), { force: true });
    return { ckpt, out: o };
  };

  it('a truncated offset-log file', async () => {
    const c = copy('offsets');
    truncateSync(join(c.ckpt, 'offsets', '1'), 5);
    const e = await failureOf(() => start(c.ckpt, c.out));
    expect(e.code).toBe('CHECKPOINT_CORRUPT');
    expect(e.message).toContain(join(c.ckpt, 'offsets', '1'));
    expect(e.message).toContain('Delete this file');
  });

  it('a corrupt commit-log file', async () => {
    const c = copy('commits');
    writeFileSync(join(c.ckpt, 'commits', '1'), 'v1\n{"nextBatchWatermarkMs": "soon"');
    const e = await failureOf(() => start(c.ckpt, c.out));
    expect(e.code).toBe('CHECKPOINT_CORRUPT');
    expect(e.message).toContain(join(c.ckpt, 'commits', '1'));
    expect(e.message).toContain('new checkpoint location');
  });

  it('a corrupt sink-log file', async () => {
    const c = copy('sinklog');
    const log = join(c.out, '_sluice_metadata', '1');
    writeFileSync(log, 'garbage');
    // The restarted sink reads its newest log entry back before its first batch, so the
    // restart fails (in batch 2, which c.csv brings) without writing anything on top of it.
    const e = await failureOf(() => start(c.ckpt, c.out));
    expect(e.code).toBe('QUERY_FAILED');
    expect(e.message).toContain('in batch 2');
    const cause = e.cause as SluiceError;
    expect(cause).toBeInstanceOf(SluiceError);
    expect(cause.code).toBe('CHECKPOINT_CORRUPT');
    expect(cause.message).toContain(`'${log}'`);
    expect(e.message).toContain(log);
    expect(e.message).toContain('restore');
    expect(readdirSync(join(c.out, '_sluice_metadata')).sort()).toEqual(['0', '1', 'owner']);
    expect(readdirSync(c.out).filter((f) => f.startsWith('part-00002'))).toEqual([]);
    expect(readdirSync(join(c.ckpt, 'commits')).sort()).toEqual(['0', '1']);
    await expect(committedFiles(c.out)).rejects.toThrow(expect.objectContaining({ code: 'CHECKPOINT_CORRUPT' }));
  });

  it('a truncated state file', async () => {
    const stream = new MemoryStream(schema);
    const df = sluice.readStream.fromSource(stream).groupBy('k').agg(count().alias('n'));
    const t = new StreamTest(df, { outputMode: 'complete' });
    await t.start();
    stream.addData([
      { k: 'a', v: 1n },
      { k: 'b', v: 1n },
      { k: 'c', v: 1n },
    ]);
    await t.processAllAvailable();
    await t.stop();
    const partition = readdirSync(join(t.checkpointLocation, 'state', '0')).find((p) =>
      readdirSync(join(t.checkpointLocation, 'state', '0', p)).includes('1.delta'),
    );
    const file = join(t.checkpointLocation, 'state', '0', partition as string, '1.delta');
    truncateSync(file, 3);
    const e = await failureOf(() => t.start());
    expect(e.code).toBe('CHECKPOINT_CORRUPT');
    expect(e.message).toContain(file);
    await t.cleanup();
  });
});
