/**
 * Stage tasks through BullMQ on a real Redis: a session built with `.master(url)` and two
 * worker loops (`startRemoteWorker`, what `sluice worker` runs) give the same results as a
 * local session, for batch queries of every stage shape and for streams.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SluiceError } from '../../common/errors.js';
import type { DataFrame } from '../../dataframe/data-frame.js';
import { avg, col, count, max, sum } from '../../dataframe/expr/functions.js';
import type { RemoteWorker } from '../../engine/distributed/remote-worker.js';
import { startRemoteWorker } from '../../engine/distributed/remote-worker.js';
import { Sluice } from '../../engine/session/sluice.js';
import { normalizeRows } from '../helpers/normalize-rows.js';
import { redisUrl } from '../helpers/services.js';

const queue = `it-${randomBytes(4).toString('hex')}`;
let dir: string;
let shared: string;
let local: Sluice;
let remote: Sluice;
const workers: RemoteWorker[] = [];
const tasksRun: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-distributed-'));
  shared = join(dir, 'shared');
  mkdirSync(shared);
  local = await Sluice.builder().workers(2).getOrCreate();
  for (let i = 0; i < 2; i++)
    workers.push(await startRemoteWorker({ redisUrl: redisUrl(), slots: 1, queue, lockMs: 3000, onTask: (t) => tasksRun.push(t.taskId) }));
  remote = await Sluice.builder()
    .master(redisUrl())
    .config('sluice.distributed.queue', queue)
    .config('sluice.distributed.sharedStorage', shared)
    // Small, so that row-returning stages send their results through the shared folder.
    .config('sluice.distributed.inlineResultMaxBytes', 16 * 1024)
    .getOrCreate();
  const rows = Array.from({ length: 30_000 }, (_, i) => ({
    id: BigInt(i),
    user: `u${(i * 7919) % 97}`,
    country: ['de', 'fr', 'us', null][i % 4] ?? null,
    amount: ((i * 37) % 1000) / 10,
  }));
  for (let f = 0; f < 3; f++)
    await local
      .createDataFrame(rows.slice(f * 10_000, (f + 1) * 10_000))
      .write.mode('overwrite')
      .parquet(join(dir, 'tx', `part-${f}`));
}, 60_000);

afterAll(async () => {
  await remote?.stop();
  await Promise.all(workers.map((w) => w.close()));
  await local?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function same(build: (s: Sluice) => Promise<DataFrame> | DataFrame, columns: readonly string[]): Promise<number> {
  const before = tasksRun.length;
  const a = await (await build(local)).toArray();
  const b = await (await build(remote)).toArray();
  expect(b.length).toBe(a.length);
  expect(normalizeRows(b, columns)).toEqual(normalizeRows(a, columns));
  expect(tasksRun.length).toBeGreaterThan(before);
  return a.length;
}

const tx = (s: Sluice): Promise<DataFrame> => s.read.parquet(join(dir, 'tx', 'part-0'), join(dir, 'tx', 'part-1'), join(dir, 'tx', 'part-2'));

describe('BullMQ task runner: batch queries equal the local run', () => {
  it('sizes itself from the live worker processes and says so in explain', async () => {
    expect(remote.workers).toBe(2);
    const plan = (await tx(remote)).filter(col('amount').gt(5)).explain();
    expect(plan).toContain(`redis queue ${queue} (2 slot(s) on 2 worker process(es))`);
  });

  it('scan + filter + project returns all rows (large results through the shared folder, which is left empty)', async () => {
    const n = await same(async (s) => (await tx(s)).filter(col('amount').gt(5)).select('id', 'user', 'amount'), ['id', 'user', 'amount']);
    expect(n).toBeGreaterThan(20_000);
    expect(readdirSync(join(shared, 'results'))).toEqual([]);
  });

  it('partial aggregates in the tasks, final on the driver', async () => {
    await same(
      async (s) =>
        (await tx(s)).groupBy('country').agg(sum('amount').alias('total'), count('id').alias('n'), avg('amount').alias('mean'), max('user').alias('top')),
      ['country', 'total', 'n', 'mean', 'top'],
    );
  });

  it('plans no exchange on a remote runner (shuffle blocks live on shared memory), and still gives the local rows', async () => {
    for (const s of [local, remote]) s.conf.set('sluice.sql.shuffle.minInputBytes', 0);
    try {
      const q = async (s: Sluice) => (await tx(s)).repartition(4, 'user').groupBy('user').agg(sum('amount').alias('total'), count('id').alias('n'));
      expect((await q(local)).explain()).toContain('Exchange');
      expect((await q(remote)).explain()).not.toContain('Exchange');
      await same(q, ['user', 'total', 'n']);
    } finally {
      for (const s of [local, remote]) s.conf.set('sluice.sql.shuffle.minInputBytes', 4 * 1024 * 1024);
    }
  });

  it('distinct, top-k and limit', async () => {
    await same(async (s) => (await tx(s)).select('user', 'country').distinct(), ['user', 'country']);
    await same(async (s) => (await tx(s)).orderBy(col('amount').desc(), col('id')).limit(7), ['id', 'amount']);
    expect(await (await tx(remote)).limit(5).count()).toBe(5);
  });

  it('a broadcast join against in-memory rows (shipped inside the task bytes)', async () => {
    const names = [
      { country: 'de', name: 'Germany' },
      { country: 'fr', name: 'France' },
    ];
    await same(async (s) => (await tx(s)).join(s.createDataFrame(names), 'country').groupBy('name').agg(sum('amount').alias('t')), ['name', 't']);
  });

  it('in-memory rows from createDataFrame are split into tasks', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => ({ k: i % 13, v: i }));
    await same((s) => s.createDataFrame(rows).filter(col('v').gt(100)).groupBy('k').agg(sum('v').alias('s')), ['k', 's']);
  });

  it("a task's own error reaches the driver with its code", async () => {
    const csv = join(dir, 'bad');
    mkdirSync(csv);
    writeFileSync(join(csv, 'a.csv'), 'id,amount\n1,2.5\n2,notanumber\n');
    const read = async (s: Sluice) => (await s.read.schema('id BIGINT, amount DOUBLE').option('header', true).option('mode', 'FAILFAST').csv(csv)).toArray();
    const expected = await read(local).catch((e: unknown) => e);
    const actual = await read(remote).catch((e: unknown) => e);
    expect(expected).toBeInstanceOf(SluiceError);
    expect(actual).toBeInstanceOf(SluiceError);
    expect((actual as SluiceError).code).toBe((expected as SluiceError).code);
  });
});

describe('BullMQ task runner: streams equal the local run', () => {
  it('a file stream through filter/project into Parquet, then a streaming count per key', async () => {
    const input = join(dir, 'stream-in');
    mkdirSync(input);
    for (let f = 0; f < 4; f++) {
      const lines = ['k,v', ...Array.from({ length: 500 }, (_, i) => `k${(f * 500 + i) % 11},${f * 500 + i}`)];
      writeFileSync(join(input, `f${f}.csv`), `${lines.join('\n')}\n`);
    }
    const run = async (s: Sluice, tag: string) => {
      const stream = await s.readStream.schema('k STRING, v BIGINT').option('header', true).option('maxFilesPerTrigger', 1).csv(input);
      const out = join(dir, `stream-out-${tag}`);
      const q1 = await stream
        .filter(col('v').gt(3))
        .select('k', 'v')
        .writeStream.trigger({ kind: 'availableNow' })
        .option('checkpointLocation', join(dir, `ckpt1-${tag}`))
        .format('parquet')
        .start(out);
      await q1.awaitTermination();
      const q2 = await stream
        .groupBy('k')
        .agg(count('v').alias('n'), sum('v').alias('s'))
        .writeStream.outputMode('complete')
        .trigger({ kind: 'availableNow' })
        .option('checkpointLocation', join(dir, `ckpt2-${tag}`))
        .format('memory')
        .queryName(`counts_${tag}`)
        .start();
      await q2.awaitTermination();
      return { rows: await (await s.read.parquet(out)).toArray(), counts: await s.table(`counts_${tag}`).toArray() };
    };
    const a = await run(local, 'local');
    const before = tasksRun.length;
    const b = await run(remote, 'remote');
    expect(tasksRun.length - before).toBeGreaterThanOrEqual(8);
    expect(b.rows.length).toBe(1996);
    expect(normalizeRows(b.rows, ['k', 'v'])).toEqual(normalizeRows(a.rows, ['k', 'v']));
    expect(normalizeRows(b.counts, ['k', 'n', 's'])).toEqual(normalizeRows(a.counts, ['k', 'n', 's']));
  }, 60_000);
});

describe('master() checks', () => {
  it('a URL that is not redis:// is an INVALID_ARGUMENT at getOrCreate; an unreachable Redis a CONNECTION_FAILED naming it', async () => {
    await expect(Sluice.builder().master('http://127.0.0.1:6379').getOrCreate()).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(Sluice.builder().master('redis://127.0.0.1:1').getOrCreate()).rejects.toMatchObject({
      code: 'CONNECTION_FAILED',
      message: expect.stringContaining('redis://127.0.0.1:1'),
    });
  });
});

describe('speculative copies', () => {
  it('a task stuck on one worker is copied to an idle worker, and the query finishes without it', async () => {
    const q = `spec-${randomBytes(4).toString('hex')}`;
    let armed = false;
    let release: (() => void) | null = null;
    const stuck = await startRemoteWorker({
      redisUrl: redisUrl(),
      slots: 1,
      queue: q,
      // Long enough that the stalled-job check cannot be what rescues the task.
      lockMs: 120_000,
      onTake: () => {
        if (!armed || release !== null) return;
        return new Promise<void>((r) => {
          release = r;
        });
      },
    });
    const idle = await startRemoteWorker({ redisUrl: redisUrl(), slots: 1, queue: q, lockMs: 120_000 });
    const s = await Sluice.builder().master(redisUrl()).config('sluice.distributed.queue', q).getOrCreate();
    try {
      const rows = Array.from({ length: 40_000 }, (_, i) => ({ k: i % 17, v: i }));
      const query = (x: Sluice) => x.createDataFrame(rows).groupBy('k').agg(sum('v').alias('s'));
      // Finished tasks give the driver a median task time.
      await query(s).toArray();
      await query(s).toArray();
      armed = true;
      const out = await query(s).toArray();
      expect(release).not.toBeNull();
      expect(normalizeRows(out, ['k', 's'])).toEqual(normalizeRows(await query(local).toArray(), ['k', 's']));
    } finally {
      (release as (() => void) | null)?.();
      await s.stop();
      await Promise.all([stuck.close(), idle.close()]);
    }
  }, 60_000);
});

describe('no worker yet', () => {
  it('warns once that no worker serves the queue, and the query runs when a worker joins later', async () => {
    const q = `late-${randomBytes(4).toString('hex')}`;
    const s = await Sluice.builder().master(redisUrl()).config('sluice.distributed.queue', q).getOrCreate();
    const warnings: string[] = [];
    const onWarning = (w: Error & { code?: string }): void => {
      if (w.code === 'SLUICE_NO_WORKERS') warnings.push(w.message);
    };
    process.on('warning', onWarning);
    let late: RemoteWorker | null = null;
    try {
      const rows = Array.from({ length: 1000 }, (_, i) => ({ k: i % 3, v: i }));
      const pending = s.createDataFrame(rows).groupBy('k').agg(sum('v').alias('s')).toArray();
      await new Promise((r) => setTimeout(r, 500));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(`queue '${q}'`);
      late = await startRemoteWorker({ redisUrl: redisUrl(), slots: 1, queue: q });
      const out = await pending;
      expect(normalizeRows(out, ['k', 's'])).toEqual([
        [0, 166833],
        [1, 166167],
        [2, 166500],
      ]);
      expect(warnings).toHaveLength(1);
    } finally {
      process.off('warning', onWarning);
      await s.stop();
      await late?.close();
    }
  }, 60_000);
});
