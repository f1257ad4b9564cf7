import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The built CLI (benchmarks run from dist/). */
function cliPath(): string {
  const here = import.meta.dirname;
  const built = resolve(here, '../../jobs/cli.js');
  if (!existsSync(built)) throw new Error(`${built} is missing: run npm run build first.`);
  return built;
}

/** A set of `sluice worker` child processes serving one queue. */
export interface WorkerProcesses {
  stop(): Promise<void>;
}

/** Starts `n` `sluice worker` processes (`slots` each) on `queue` and waits until each has registered. */
export async function startWorkerProcesses(redisUrl: string, queue: string, n: number, slots: number): Promise<WorkerProcesses> {
  const children: ChildProcess[] = [];
  await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<void>((ok, fail) => {
          const child = spawn(process.execPath, [cliPath(), 'worker', '--redis', redisUrl, '--slots', String(slots), '--queue', queue], {
            stdio: ['ignore', 'ignore', 'pipe'],
          });
          children.push(child);
          let text = '';
          const onData = (d: Buffer): void => {
            text += d.toString();
            if (text.includes('"event":"started"')) {
              // Stop reading the per-task log lines (cheap, but not part of what is measured).
              child.stderr?.off('data', onData);
              child.stderr?.resume();
              ok();
            }
          };
          child.stderr?.on('data', onData);
          child.on('exit', (code) => fail(new Error(`sluice worker exited with ${code}: ${text}`)));
        }),
    ),
  );
  return {
    async stop() {
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((r) => {
              if (c.exitCode !== null) return r();
              c.removeAllListeners('exit');
              c.on('exit', () => r());
              c.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}
