/**
 * Faults with real processes: a driver (`sluice run --redis`), three `sluice worker`
 * processes and a private redis-server on loopback. A worker is SIGKILLed while it runs a
 * task, Redis is restarted (without persistence: queue and side keys are lost) mid-stream,
 * and the driver is SIGKILLed and restarted; the committed output is exactly once and
 * equals the single-process batch run of the same job.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sluice } from '../../engine/session/sluice.js';
import job from '../../jobs/examples/card-spend-windows.js';
import { runJob } from '../../jobs/run-job.js';
import { writeEventFiles, writeHeartbeatFile } from '../helpers/event-files.js';
import { normalizeRows } from '../helpers/normalize-rows.js';
import type { PrivateServer } from '../helpers/services.js';
import { startPrivateRedis } from '../helpers/services.js';
import { assertDistBuilt, DIST_DIR, readCommittedRows, REPO_ROOT, runSigkillHarness } from '../helpers/sigkill-harness.js';

const JOB_FILE = 'dist/jobs/examples/card-spend-windows.js';
const CLI = join(DIST_DIR, 'jobs/cli.js');
const COLUMNS = ['window_start', 'window_end', 'card_id', 'n', 'total'];

interface Proc {
  readonly child: ChildProcess;
  readonly events: Record<string, unknown>[];
  readonly exited: Promise<number | null>;
}

function spawnCli(args: readonly string[], onEvent?: (e: Record<string, unknown>, p: Proc) => void): Proc {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  const events: Record<string, unknown>[] = [];
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const p: Proc = { child, events, exited };
  let buf = '';
  child.stderr?.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl = buf.indexOf('\n');
    while (nl >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      nl = buf.indexOf('\n');
      try {
        const e = JSON.parse(line) as Record<string, unknown>;
        events.push(e);
        onEvent?.(e, p);
      } catch {
        events.push({ event: 'text', line });
      }
    }
  });
  return p;
}

let redis: PrivateServer;
let local: Sluice;
let dir: string;
const workers: Proc[] = [];

async function startWorker(onEvent?: (e: Record<string, unknown>, p: Proc) => void): Promise<Proc> {
  const p = spawnCli(['worker', '--redis', redis.address, '--slots', '1', '--lock-ms', '1500'], onEvent);
  workers.push(p);
  while (!p.events.some((e) => e.event === 'started')) {
    if (p.child.exitCode !== null) throw new Error(`sluice worker exited with ${p.child.exitCode}: ${JSON.stringify(p.events)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return p;
}

beforeAll(async () => {
  assertDistBuilt(JOB_FILE);
  redis = await startPrivateRedis();
  local = await Sluice.builder().workers(1).getOrCreate();
  dir = mkdtempSync(join(tmpdir(), 'sluice-distributed-faults-'));
}, 60_000);

afterAll(async () => {
  for (const w of workers) w.child.kill('SIGKILL');
  await local?.stop();
  await redis?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function batchRun(input: string, name: string): Promise<Record<string, unknown>[]> {
  const out = join(dir, name);
  await runJob(local, job, { mode: 'batch', inputPaths: { events: input }, output: out });
  return (await local.read.parquet(out)).toArray();
}

describe('distributed stream with real processes', () => {
  it('a worker SIGKILLed mid-task and a Redis restart: output exactly once, equal to the single-process run', async () => {
    const input = join(dir, 'in1');
    const next = writeEventFiles(input, 0, 10, 8000);
    writeHeartbeatFile(input, next, 8000);
    const out = join(dir, 'out1');
    let kills = 0;
    let restarted = false;
    const killedTasks: string[] = [];
    const pendingWork: Promise<unknown>[] = [];
    const chaosAt: string[] = [];
    // Kill the worker that just took a task (twice, replacing it), then restart Redis while a task runs.
    const chaos = (e: Record<string, unknown>, p: Proc): void => {
      if (e.event !== 'take') return;
      if (kills < 2 && Number(e.taskId?.toString().split('-')[1] ?? 0) > 2 * (kills + 1)) {
        kills++;
        killedTasks.push(String(e.taskId));
        chaosAt.push(`kill ${new Date().toISOString()}`);
        p.child.kill('SIGKILL');
        pendingWork.push(startWorker(chaos));
      } else if (
        kills === 2 &&
        !restarted &&
        Number(String(e.taskId).split('-')[1]) > 6 &&
        // Not while a replacement worker is still connecting: it would find no Redis and exit.
        workers.every((w) => w.child.exitCode !== null || w.events.some((x) => x.event === 'started'))
      ) {
        restarted = true;
        pendingWork.push(
          (async () => {
            chaosAt.push(`redis stop ${new Date().toISOString()}`);
            await redis.stop();
            await new Promise((r) => setTimeout(r, 300));
            await redis.start();
            chaosAt.push(`redis started ${new Date().toISOString()}`);
          })(),
        );
      }
    };
    await Promise.all([0, 1, 2].map(() => startWorker(chaos)));
    const driver = spawnCli([
      'run',
      join(DIST_DIR, 'jobs/examples/card-spend-windows.js'),
      '--mode',
      'available-now',
      '--input',
      `events=${input}`,
      '--output',
      out,
      '--checkpoint',
      join(dir, 'ckpt1'),
      '--max-files-per-trigger',
      '1',
      '--workers',
      '1',
      '--redis',
      redis.address,
      '--log',
      'json',
    ]);
    const problems: unknown[] = [];
    const watchWork = setInterval(() => {
      for (const w of pendingWork.splice(0)) void w.catch((e: unknown) => problems.push(e));
    }, 50);
    const code = await Promise.race([driver.exited, new Promise<string>((r) => setTimeout(() => r('timeout'), 90_000))]);
    clearInterval(watchWork);
    if (code !== 0) {
      // What each process last said, to see where a run stopped.
      process.stderr.write(`driver exit ${code}; problems ${String(problems)}\ndriver: ${JSON.stringify(driver.events.slice(-4))}\n`);
      for (const w of workers) process.stderr.write(`worker exit ${w.child.exitCode}: ${JSON.stringify(w.events.slice(-3))}\n`);
      driver.child.kill('SIGKILL');
    }
    await Promise.all(pendingWork);
    if (process.env.SLUICE_DEBUG_DISTRIBUTED_FAULTS)
      writeFileSync(
        process.env.SLUICE_DEBUG_DISTRIBUTED_FAULTS,
        JSON.stringify({ driver: driver.events, workers: workers.map((w) => w.events), chaosAt }, null, 1),
      );
    expect(code).toBe(0);
    expect(kills).toBe(2);
    expect(restarted).toBe(true);
    // A task a killed worker held was finished by another worker. (A kill can land just after
    // a short task wrote its result; then the retry finds the task done. Not both kills do.)
    const finished = new Set(workers.flatMap((w) => w.events.filter((e) => e.event === 'task').map((e) => String(e.taskId))));
    expect(killedTasks.some((t) => finished.has(t))).toBe(true);
    const expected = await batchRun(input, 'batch1');
    const actual = await readCommittedRows(local, out);
    expect(expected.length).toBeGreaterThan(10);
    expect(normalizeRows(actual, COLUMNS)).toEqual(normalizeRows(expected, COLUMNS));
  }, 150_000);

  it('the driver SIGKILLed and restarted on its checkpoint while workers keep serving: output equals the single-process run', async () => {
    const input = join(dir, 'in2');
    let next = writeEventFiles(input, 0, 10, 200);
    const out = join(dir, 'out2');
    const run = await runSigkillHarness({
      jobFile: JOB_FILE,
      inputs: { events: input },
      output: out,
      checkpoint: join(dir, 'ckpt2'),
      extraArgs: ['--max-files-per-trigger', '1', '--workers', '1', '--redis', redis.address],
      kills: 2,
      maxKills: 5,
      seed: 5,
      moreInput: () => {
        next = writeEventFiles(input, next, 4, 200);
      },
      beforeFinalRun: () => writeHeartbeatFile(input, next, 200),
    });
    expect(run.finalExitCode).toBe(0);
    expect(run.kills).toBeGreaterThanOrEqual(2);
    const expected = await batchRun(input, 'batch2');
    const actual = await readCommittedRows(local, out);
    expect(expected.length).toBeGreaterThan(10);
    expect(normalizeRows(actual, COLUMNS)).toEqual(normalizeRows(expected, COLUMNS));
    const served = workers.filter((w) => w.child.exitCode === null).reduce((s, w) => s + w.events.filter((e) => e.event === 'task').length, 0);
    expect(served).toBeGreaterThan(10);
  }, 120_000);
});
