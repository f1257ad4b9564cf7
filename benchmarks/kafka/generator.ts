import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ProduceLog } from './produce-log.js';
import { readProduceLog } from './produce-log.js';

const run = promisify(execFile);

/** Where the compiled load generator and its inputs are. */
export interface GeneratorSetup {
  readonly classes: string;
  readonly pool: string;
  readonly libsDir: string;
  readonly bootstrap: string;
}

/** The JSON line LoadGenerator.java prints. */
export interface GeneratorSummary {
  readonly mode: 'live' | 'fill';
  readonly records: number;
  readonly acked: number;
  readonly startWallMs: number;
  readonly seconds: number;
  readonly achievedRate: number;
  readonly sendP50Ms: number;
  readonly sendP99Ms: number;
  readonly cpuSeconds: number;
  readonly error: string | null;
}

/** One generator run: `live` at `rate` records/s for `seconds`, or `fill` with `records` as fast as it goes. */
export interface GeneratorRequest {
  readonly mode: 'live' | 'fill';
  readonly topic: string;
  readonly partitions: number;
  readonly rate?: number;
  readonly seconds?: number;
  readonly records?: number;
  readonly logFile: string;
  /** Number of the first record (picks the pool rows; runs differ by it). */
  readonly first?: number;
  readonly tickMs?: number;
}

/** Runs LoadGenerator.java in its own JVM and returns its summary and produce log; rejects when it failed. */
export async function runGenerator(s: GeneratorSetup, r: GeneratorRequest): Promise<{ summary: GeneratorSummary; log: ProduceLog }> {
  const partitions = Array.from({ length: r.partitions }, (_, i) => i).join(',');
  const args = [
    '-Xms256m',
    '-Xmx768m',
    '-cp',
    `${s.classes}:${s.libsDir}/*`,
    'LoadGenerator',
    r.mode,
    s.bootstrap,
    r.topic,
    partitions,
    String(r.rate ?? 0),
    String(r.seconds ?? 0),
    String(r.records ?? 0),
    s.pool,
    r.logFile,
    String(r.first ?? 0),
    String(r.tickMs ?? 5),
  ];
  const { stdout } = await run('java', args, { maxBuffer: 1 << 20 }).catch((e: { stdout?: string; stderr?: string; message: string }) => {
    throw new Error(`kafka-e2e: the load generator failed: ${e.stdout ?? ''} ${(e.stderr ?? e.message).slice(-2000)}`);
  });
  const summary = JSON.parse(stdout.trim().split('\n').pop() as string) as GeneratorSummary;
  if (summary.error !== null) throw new Error(`kafka-e2e: the load generator failed: ${summary.error}`);
  return { summary, log: await readProduceLog(r.logFile) };
}
