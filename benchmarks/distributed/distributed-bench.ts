/**
 * `npm run bench -- distributed [--rows 2000000] [--files 8] [--runs 3] [--tasks 500]
 * [--parts w2,overhead,lease] [--data .bench-data/dist-<rows>] [--results-dir benchmarks/results]`: Sluice's stage tasks
 * through BullMQ on Redis against the in-process worker-thread pool, on this machine.
 *   - `dist-W2-<n>p`: W2 (group by merchant_id over Parquet) with n = 1, 2, 3 `sluice worker`
 *     processes of one slot each, against the in-process pool with n threads (the peer).
 *     Results are checked equal.
 *   - `dist-task-overhead`: round trip of a tiny task (one row), one at a time and 16 in
 *     flight, queue vs pool.
 *   - `dist-result-bytes`: a task returning an ~8 MB result, inline in a Redis side key vs
 *     through the shared folder, vs the pool (per-byte cost).
 *   - `dist-lease`: one state-partition lease acquire / renew / release in Redis.
 * Starts a private redis-server unless REDIS_URL is set. One JSON line per measurement on
 * stdout, also appended to `<results-dir>/<date>.jsonl`.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildLocalRelation } from '../../dataframe/plan/builders/build-misc.js';
import { Redis } from 'ioredis';
import { BullMqTaskRunner } from '../../engine/distributed/bullmq-task-runner.js';
import type { Lease } from '../../engine/distributed/partition-lease.js';
import { PartitionLeases } from '../../engine/distributed/partition-lease.js';
import { createLocalBatch } from '../../engine/session/create-local-batch.js';
import { Sluice } from '../../engine/session/sluice.js';
import type { StageTask } from '../../engine/workers/stage-task.js';
import type { TaskRunner } from '../../engine/workers/task-runner.js';
import { WorkerPool } from '../../engine/workers/worker-pool.js';
import * as api from '../../index.js';
import { ensureDataset } from '../data/write-dataset.js';
import { benchRedis } from '../redis/bench-redis-server.js';
import { appendStreamRecord, type StreamRecord } from '../stream/stream-record.js';
import { W2_GROUP_BY } from '../workloads/w2-group-by.js';
import { startWorkerProcesses } from './worker-processes.js';

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
const r4 = (x: number): number => Math.round(x * 1e4) / 1e4;

function canonical(rows: readonly Record<string, unknown>[]): string[] {
  return rows.map((r) => W2_GROUP_BY.columns.map((c) => (c.kind === 'float' ? Number(r[c.name]).toPrecision(9) : String(r[c.name]))).join('|')).sort();
}

async function timeW2(sluice: Sluice, files: readonly string[], runs: number): Promise<{ seconds: number[]; rows: string[] }> {
  const seconds: number[] = [];
  let rows: string[] = [];
  for (let i = 0; i <= runs; i++) {
    const t0 = performance.now();
    const tx = await sluice.read.parquet(...files);
    const out = await W2_GROUP_BY.sluice({ tx, merchants: null }, api).toArray();
    // The first run warms up (threads, file cache); it is not counted.
    if (i > 0) seconds.push((performance.now() - t0) / 1000);
    rows = canonical(out);
  }
  return { seconds, rows };
}

function tinyTask(rows: number): StageTask {
  const local = createLocalBatch(
    Array.from({ length: rows }, (_, i) => ({ v: i + 0.5 })),
    undefined,
  );
  return { fragment: buildLocalRelation(local.schema, [local.batch]), fileSplits: null, cap: { kind: 'none' }, batchSize: 1 << 20 };
}

/** Mean ms per task: `n` tasks, `inFlight` at a time. */
async function perTask(runner: TaskRunner, task: StageTask, n: number, inFlight: number): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next++ < n) await runner.run(task);
    }),
  );
  return (performance.now() - t0) / n;
}

/** Mean ms of a lease acquire, renew and release (one Lua script round trip each), `n` times each. */
async function leaseCost(url: string, n: number): Promise<Record<string, StreamRecord[string]>> {
  const redis = new Redis(url);
  const leases = new PartitionLeases(redis, { queue: `bench-${randomBytes(3).toString('hex')}`, owner: 'bench', ttlMs: 10_000 });
  const t = { acquire: 0, renew: 0, release: 0 };
  for (let i = 0; i < n; i++) {
    let t0 = performance.now();
    const lease = await leases.acquire(i);
    t.acquire += performance.now() - t0;
    t0 = performance.now();
    await leases.renew(lease as Lease);
    t.renew += performance.now() - t0;
    t0 = performance.now();
    await leases.release(lease as Lease);
    t.release += performance.now() - t0;
  }
  redis.disconnect();
  return { workload: 'dist-lease', leases: n, acquireMs: r4(t.acquire / n), renewMs: r4(t.renew / n), releaseMs: r4(t.release / n) };
}

async function main(): Promise<void> {
  const { values: a } = parseArgs({
    args: process.argv.slice(3),
    options: {
      rows: { type: 'string', default: '2000000' },
      files: { type: 'string', default: '8' },
      runs: { type: 'string', default: '3' },
      tasks: { type: 'string', default: '500' },
      data: { type: 'string' },
      parts: { type: 'string', default: 'w2,overhead,lease' },
      'results-dir': { type: 'string', default: 'benchmarks/results' },
    },
    strict: true,
  });
  const rows = Number(a.rows);
  const runs = Number(a.runs);
  const nTasks = Number(a.tasks);
  let commit: string | null = null;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {}
  const out = a.data ?? join('.bench-data', `dist-${rows}`);
  const data = await ensureDataset({ out, rows, files: Number(a.files) });
  const files = data.manifest.transactionFiles.map((f) => join(out, f.file));
  const server = await benchRedis();
  const emit = async (r: Record<string, StreamRecord[string]>): Promise<void> => {
    const rec = { ...r, commit, timestamp: new Date().toISOString() } as unknown as StreamRecord;
    process.stdout.write(`${JSON.stringify(rec)}\n`);
    await appendStreamRecord(a['results-dir'] as string, rec);
  };
  try {
    const parts = new Set((a.parts as string).split(','));
    if (parts.has('lease')) await emit(await leaseCost(server.url, nTasks));
    for (const n of parts.has('w2') ? [1, 2, 3] : []) {
      const queue = `bench-${randomBytes(3).toString('hex')}`;
      const local = await Sluice.builder().workers(n).config('sluice.ui.showConsoleProgress', false).getOrCreate();
      const peer = await timeW2(local, files, runs);
      await local.stop();
      const procs = await startWorkerProcesses(server.url, queue, n, 1);
      const remote = await Sluice.builder()
        .master(server.url)
        .config('sluice.distributed.queue', queue)
        .config('sluice.ui.showConsoleProgress', false)
        .getOrCreate();
      const dist = await timeW2(remote, files, runs);
      await remote.stop();
      await procs.stop();
      const s = median(dist.seconds);
      const p = median(peer.seconds);
      await emit({
        workload: `dist-W2-${n}p`,
        rows,
        sluiceSeconds: r4(s),
        peer: `in-process pool, ${n} thread(s)`,
        peerSeconds: r4(p),
        ratio: r4(p / s),
        resultsMatch: JSON.stringify(dist.rows) === JSON.stringify(peer.rows),
        outputRows: dist.rows.length,
        sluiceRunsSeconds: dist.seconds.map(r4),
        peerRunsSeconds: peer.seconds.map(r4),
        workers: n,
      });
    }
    if (!parts.has('overhead')) return;
    const queue = `bench-${randomBytes(3).toString('hex')}`;
    const procs = await startWorkerProcesses(server.url, queue, 2, 1);
    const shared = mkdtempSync(join(tmpdir(), 'sluice-bench-shared-'));
    const pool = new WorkerPool(2);
    const inline = await BullMqTaskRunner.connect({ redisUrl: server.url, queue, speculation: false });
    const stored = await BullMqTaskRunner.connect({ redisUrl: server.url, queue, storage: shared, inlineMaxBytes: 1024, speculation: false });
    try {
      const tiny = tinyTask(1);
      await perTask(inline, tiny, 50, 2);
      await perTask(pool, tiny, 50, 2);
      for (const inFlight of [1, 16]) {
        const q = await perTask(inline, tiny, nTasks, inFlight);
        const p = await perTask(pool, tiny, nTasks, inFlight);
        await emit({
          workload: 'dist-task-overhead',
          tasks: nTasks,
          inFlight,
          queueMsPerTask: r4(q),
          peer: 'in-process pool',
          peerMsPerTask: r4(p),
          workers: 2,
        });
      }
      const big = tinyTask(1_000_000);
      const bytes = 8_000_000;
      const q = await perTask(inline, big, 10, 1);
      const st = await perTask(stored, big, 10, 1);
      const p = await perTask(pool, big, 10, 1);
      await emit({
        workload: 'dist-result-bytes',
        resultBytes: bytes,
        inlineMsPerTask: r4(q),
        sharedFolderMsPerTask: r4(st),
        peer: 'in-process pool',
        peerMsPerTask: r4(p),
        // Per MB moved through Redis or the folder beyond the pool: 8 MB of task in plus 8 MB of result out.
        inlineMsPerMB: r4((q - p) / 16),
        sharedFolderMsPerMB: r4((st - p) / 16),
        workers: 2,
      });
    } finally {
      await inline.destroy();
      await stored.destroy();
      await pool.destroy();
      await procs.stop();
      rmSync(shared, { recursive: true, force: true });
    }
  } finally {
    await server.stop();
  }
}

await main();
