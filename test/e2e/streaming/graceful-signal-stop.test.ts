import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTransactionFiles } from '../../helpers/transaction-files.js';

/**
 * A streaming job run by the CLI stops cleanly on SIGTERM and SIGINT: exit code 0, every
 * logged batch committed (the batch in progress finished), no temp files left in the
 * logs, and the checkpoint lock released, so a restart continues where it stopped.
 */
const ROOT = resolve(import.meta.dirname, '../../..');
let dir: string;

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/jobs/cli.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does) before this test.');
  dir = mkdtempSync(join(tmpdir(), 'sluice-signal-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function ids(folder: string): number[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .sort((a, b) => a - b);
}

async function runUntilSignal(signal: NodeJS.Signals, name: string): Promise<{ code: number | null; ckpt: string }> {
  const input = join(dir, `${name}-in`);
  const ckpt = join(dir, `${name}-ckpt`);
  writeTransactionFiles(input, 11, 30, 20);
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'dist/jobs/cli.js'),
      'run',
      join(ROOT, 'dist/jobs/examples/transactions-cleaning.js'),
      '--mode',
      'stream',
      '--input',
      input,
      '--output',
      join(dir, `${name}-out`),
      '--checkpoint',
      ckpt,
      '--max-files-per-trigger',
      '1',
      '--trigger',
      '50 milliseconds',
      '--workers',
      '1',
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const deadline = Date.now() + 30_000;
  while (ids(join(ckpt, 'commits')).length < 3 && Date.now() < deadline) await sleep(10);
  child.kill(signal);
  return { code: await exited, ckpt };
}

describe('graceful stop on signals', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} finishes or abandons the batch cleanly and releases the checkpoint`, async () => {
      const { code, ckpt } = await runUntilSignal(signal, signal.toLowerCase());
      expect(code).toBe(0);
      const offsets = ids(join(ckpt, 'offsets'));
      const commits = ids(join(ckpt, 'commits'));
      expect(commits.length).toBeGreaterThanOrEqual(3);
      // Every batch whose offsets were logged is committed, or it is the one batch a restart re-runs.
      expect(offsets.length - commits.length).toBeLessThanOrEqual(1);
      for (const folder of ['offsets', 'commits']) expect(readdirSync(join(ckpt, folder)).filter((n) => n.startsWith('.'))).toEqual([]);
      expect(existsSync(join(ckpt, 'lock'))).toBe(false);
    }, 60_000);
  }
});
