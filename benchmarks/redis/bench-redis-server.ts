import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A Redis for the benchmark: `REDIS_URL` when set, else a redis-server started here (scripts/services) and stopped by `stop()`. */
export interface BenchRedis {
  readonly url: string;
  stop(): Promise<void>;
}

/** Finds scripts/services from the source tree or from dist/. */
function scriptsDir(): string {
  const here = import.meta.dirname;
  const up = here.includes(`${join('dist', 'benchmarks')}`) ? '../../..' : '../..';
  return resolve(here, up, 'scripts/services');
}

/** Uses `REDIS_URL`, or starts a private redis-server without persistence on a free loopback port. */
export async function benchRedis(): Promise<BenchRedis> {
  const given = process.env.REDIS_URL;
  if (given !== undefined && given !== '') return { url: given, stop: async () => {} };
  const state = mkdtempSync(join(tmpdir(), 'sluice-bench-redis-'));
  const scripts = scriptsDir();
  const started = await run(join(scripts, 'start-redis.sh'), [state], { env: { ...process.env, REDIS_PERSIST: 'none' } });
  return {
    url: started.stdout.trim(),
    stop: async () => {
      await run(join(scripts, 'stop-redis.sh'), [state, '--clean']);
      rmSync(state, { recursive: true, force: true });
    },
  };
}
