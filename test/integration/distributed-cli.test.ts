/**
 * The command-line path of a distributed batch job: one `sluice worker` process and
 * `sluice run --redis ... --shared-storage ...` give the same Parquet output as
 * `sluice run` on local threads.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sluice } from '../../engine/session/sluice.js';
import { normalizeRows } from '../helpers/normalize-rows.js';
import { CLI, REPO_ROOT } from '../helpers/run-cli.js';
import { redisUrl } from '../helpers/services.js';
import { writeTransactionFiles } from '../helpers/transaction-files.js';

let dir: string;
let worker: ChildProcess;
let workerLog = '';
const queue = `cli-${process.pid}`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-distributed-cli-'));
  worker = spawn(process.execPath, [CLI, 'worker', '--redis', redisUrl(), '--queue', queue, '--slots', '2'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  worker.stderr?.on('data', (d: Buffer) => {
    workerLog += d.toString();
  });
  while (!workerLog.includes('"event":"started"')) {
    if (worker.exitCode !== null) throw new Error(`sluice worker exited: ${workerLog}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}, 60_000);

afterAll(() => {
  worker?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

describe('sluice run --redis (batch)', () => {
  it('spend-by-user through a sluice worker (with --shared-storage and --queue) equals the local run', async () => {
    const input = join(dir, 'tx');
    writeTransactionFiles(input, 3, 6, 2000);
    const shared = join(dir, 'shared');
    mkdirSync(shared);
    const job = join(REPO_ROOT, 'dist/jobs/examples/spend-by-user.js');
    const run = (out: string, extra: readonly string[]) =>
      spawnSync(process.execPath, [CLI, 'run', job, '--input', input, '--output', out, '--log', 'json', ...extra], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        timeout: 60_000,
      });
    const local = run(join(dir, 'local'), ['--workers', '1']);
    expect(local.status).toBe(0);
    const before = (workerLog.match(/"event":"task"/g) ?? []).length;
    const remote = run(join(dir, 'remote'), ['--redis', redisUrl(), '--shared-storage', shared, '--queue', queue]);
    if (remote.status !== 0) process.stderr.write(remote.stderr);
    expect(remote.status).toBe(0);
    // spawnSync blocked this process: let the worker's log lines arrive.
    const tasks = () => (workerLog.match(/"event":"task"/g) ?? []).length - before;
    for (let i = 0; i < 100 && tasks() < 6; i++) await new Promise((r) => setTimeout(r, 50));
    expect(tasks()).toBeGreaterThanOrEqual(6);
    const sluice = await Sluice.builder().workers(1).getOrCreate();
    try {
      const cols = ['user_id', 'n', 'total', 'largest'];
      const a = await (await sluice.read.parquet(join(dir, 'local'))).toArray();
      const b = await (await sluice.read.parquet(join(dir, 'remote'))).toArray();
      expect(a.length).toBeGreaterThan(3);
      expect(normalizeRows(b, cols)).toEqual(normalizeRows(a, cols));
    } finally {
      await sluice.stop();
    }
  }, 90_000);
});
