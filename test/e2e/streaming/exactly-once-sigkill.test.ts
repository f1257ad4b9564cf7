import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sluice } from '../../../engine/session/sluice.js';
import job from '../../../jobs/examples/transactions-cleaning.js';
import { runJob } from '../../../jobs/run-job.js';
import { committedFiles } from '../../../engine/checkpoint/committed-files.js';
import { normalizeRows } from '../../helpers/normalize-rows.js';
import { writeTransactionFiles } from '../../helpers/transaction-files.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const KILLS = 50;
const FILES = 200;
/** Kill more than KILLS times (up to this) until every protocol moment was hit. */
const MAX_KILLS = 80;
const MOMENTS = ['gapBeforeCommit', 'afterOffsetWrite|sinkWrite|offsetWrite'];

let dir: string;
let sluice: Sluice;

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist/jobs/cli.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does) before this test.');
  dir = mkdtempSync(join(tmpdir(), 'sluice-sigkill-'));
  sluice = await Sluice.builder().workers(1).getOrCreate();
});

afterAll(async () => {
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A seeded generator for kill delays. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function lockPid(ckpt: string): number | null {
  try {
    return (JSON.parse(readFileSync(join(ckpt, 'lock'), 'utf8')) as { pid: number }).pid;
  } catch {
    return null;
  }
}

function ids(folder: string): number[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((n) => /^\d+(\.compact)?$/.test(n))
    .map((n) => Number.parseInt(n, 10));
}

/** Where in the batch protocol the kill landed, read from what it left on disk. */
function tempFiles(ckpt: string): string[] {
  const d = join(ckpt, 'offsets');
  return existsSync(d) ? readdirSync(d).filter((n) => n.startsWith('.')) : [];
}

function classify(ckpt: string, out: string, tempsBefore: number): string {
  const offsets = Math.max(-1, ...ids(join(ckpt, 'offsets')));
  const commits = Math.max(-1, ...ids(join(ckpt, 'commits')));
  const sinkLog = Math.max(-1, ...ids(join(out, '_sluice_metadata')));
  if (!existsSync(join(ckpt, 'offsets'))) return 'starting';
  if (tempFiles(ckpt).length > tempsBefore) return 'offsetWrite';
  if (offsets === commits) return 'betweenBatches';
  if (sinkLog >= offsets) return 'gapBeforeCommit';
  const pending = `part-${String(offsets).padStart(5, '0')}-`;
  if (existsSync(out) && readdirSync(out).some((n) => n.startsWith(pending))) return 'sinkWrite';
  return 'afterOffsetWrite';
}

function runChild(input: string, out: string, ckpt: string): { exited: Promise<number | null>; pid: number } {
  const child = spawn(
    process.execPath,
    [
      // The built CLI (npm test builds first): a child starts in a fraction of the time tsx needs.
      join(ROOT, 'dist/jobs/cli.js'),
      'run',
      join(ROOT, 'dist/jobs/examples/transactions-cleaning.js'),
      '--mode',
      'available-now',
      '--input',
      input,
      '--output',
      out,
      '--checkpoint',
      ckpt,
      '--max-files-per-trigger',
      '1',
      '--workers',
      '1',
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolveExit) =>
    child.on('exit', (code) => {
      if (code !== null && code !== 0) process.stderr.write(stderr);
      resolveExit(code);
    }),
  );
  return { exited, pid: child.pid as number };
}

describe('exactly-once under SIGKILL', () => {
  it(`the output after ${KILLS} kills and restarts equals the batch run`, async () => {
    const input = join(dir, 'in');
    const out = join(dir, 'out');
    const ckpt = join(dir, 'ckpt');
    let nextId = writeTransactionFiles(input, 42, FILES, 6);
    let extraRounds = 0;
    const random = rng(7);
    const seen = new Map<string, number>();
    let kills = 0;
    const covered = (): boolean => MOMENTS.every((m) => m.split('|').some((k) => (seen.get(k) ?? 0) > 0));
    while ((kills < KILLS || !covered()) && kills < MAX_KILLS) {
      const tempsBefore = tempFiles(ckpt).length;
      const child = runChild(input, out, ckpt);
      let done = false;
      void child.exited.then(() => {
        done = true;
      });
      while (!done && lockPid(ckpt) !== child.pid) await sleep(3);
      // Mostly kill in the steady state (after this run committed a batch), sometimes during recovery.
      if (random() >= 0.1) {
        const committed = ids(join(ckpt, 'commits')).length;
        while (!done && ids(join(ckpt, 'commits')).length === committed) await sleep(2);
      }
      if (!done) await sleep(random() * 80);
      if (done) {
        // The job caught up with its input before enough kills: it must have ended cleanly;
        // give it more files (later in mtime order) and go on killing.
        expect(await child.exited).toBe(0);
        nextId = writeTransactionFiles(input, 100 + ++extraRounds, FILES / 4, 6, nextId);
        continue;
      }
      process.kill(child.pid, 'SIGKILL');
      await child.exited;
      kills++;
      const where = classify(ckpt, out, tempsBefore);
      seen.set(where, (seen.get(where) ?? 0) + 1);
    }
    expect(await runChild(input, out, ckpt).exited).toBe(0);
    process.stderr.write(`SIGKILL moments: ${JSON.stringify(Object.fromEntries(seen))}\n`);
    expect(kills).toBeGreaterThanOrEqual(KILLS);
    expect(covered()).toBe(true);

    const batchOut = join(dir, 'batch');
    await runJob(sluice, job, { mode: 'batch', inputPaths: { transactions: input }, output: batchOut });
    const expected = await (await sluice.read.parquet(batchOut)).toArray();
    const files = (await committedFiles(out)) ?? [];
    const actual = await (await sluice.read.parquet(...files)).toArray();
    const cols = ['tx_id', 'user_id', 'merchant', 'amount', 'large'];
    expect(actual.length).toBe(expected.length);
    expect(normalizeRows(actual, cols)).toEqual(normalizeRows(expected, cols));
  }, 180_000);
});
