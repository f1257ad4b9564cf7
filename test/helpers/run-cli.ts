import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root. */
export const REPO_ROOT = resolve(__dirname, '../..');
/** The built CLI. */
export const CLI = join(REPO_ROOT, 'dist/jobs/cli.js');

/** What a CLI run printed and how it exited. */
export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built `sluice` CLI with `args` (stdout and stderr are pipes, so not terminals). */
export function runCli(args: readonly string[], cwd = REPO_ROOT, timeoutMs = 60_000): CliResult {
  if (!existsSync(CLI)) throw new Error('dist/ is missing: run `npm run build` (npm test does) before this test.');
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: timeoutMs });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The JSON objects of a JSON-lines text (every non-empty line must parse). */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
