import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicalRows } from './canonical-rows.js';
import type { EngineRunReport } from './engine-run-report.js';
import type { EngineName, MemorySource } from './engines/engine-runner.js';
import { sparkPython } from './engines/spark-python.js';
import { benchCase } from './workloads/bench-cases.js';

/** What one child engine run is asked to do. */
export interface ChildRunRequest {
  readonly engine: EngineName;
  readonly workload: string;
  readonly dataDir: string;
  readonly runs: number;
  readonly warmup: number;
  readonly workers: number;
  readonly memorySource: MemorySource;
}

/** Heap limit for the children: in-memory cases keep every row in the process. */
const CHILD_HEAP_MB = 16_384;

/**
 * Runs `run-one` in a fresh Node process (same loader flags as this process, plus
 * `--expose-gc`) and returns its report. The child's stdout goes to this process's stderr,
 * keeping this process's stdout for the JSON result lines. A child that dies without a
 * report gives a report with `error` set.
 */
export async function spawnEngineRun(req: ChildRunRequest): Promise<EngineRunReport> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-'));
  const out = join(dir, 'report.json');
  const self = fileURLToPath(import.meta.url);
  if (req.engine === 'spark') return await spawnSparkRun(req, dir, out, self).finally(() => rm(dir, { recursive: true, force: true }));
  const script = join(self, '..', `run-one${extname(self)}`);
  const args = [
    ...process.execArgv,
    '--expose-gc',
    `--max-old-space-size=${CHILD_HEAP_MB}`,
    script,
    ...['--engine', req.engine, '--workload', req.workload, '--data', req.dataDir, '--out', out],
    ...['--runs', String(req.runs), '--warmup', String(req.warmup), '--workers', String(req.workers), '--memory-source', req.memorySource],
  ];
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, args, { stdio: ['ignore', process.stderr, process.stderr] });
      child.on('error', reject);
      child.on('exit', (c) => resolve(c));
    });
    const text = await readFile(out, 'utf8').catch(() => null);
    if (text === null) return failed(req, `the ${req.engine} process exited with code ${code} and wrote no report`);
    return JSON.parse(text) as EngineRunReport;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Runs the Spark peer (benchmarks/engines/spark_runner.py, in the venv of
 * scripts/spark-kafka/env.sh) and turns its raw result rows into canonical rows.
 */
async function spawnSparkRun(req: ChildRunRequest, dir: string, out: string, self: string): Promise<EngineRunReport> {
  // The .py file is not compiled: it lives next to this file's source in benchmarks/engines/.
  const root = join(self, '..', self.includes('/dist/') ? '../..' : '..');
  const script = join(root, 'benchmarks/engines/spark_runner.py');
  const python = await sparkPython(root);
  const args = [
    script,
    '--workload',
    req.workload,
    '--data',
    resolvePath(req.dataDir),
    '--out',
    out,
    '--runs',
    String(req.runs),
    '--warmup',
    String(req.warmup),
    '--workers',
    String(req.workers),
  ];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(python, args, { stdio: ['ignore', process.stderr, process.stderr], cwd: dir });
    child.on('error', reject);
    child.on('exit', (c) => resolve(c));
  });
  const text = await readFile(out, 'utf8').catch(() => null);
  if (text === null) return failed(req, `the spark process exited with code ${code} and wrote no report`);
  const raw = JSON.parse(text) as EngineRunReport & { rawRows?: Record<string, unknown>[]; medianSeconds: number | null; peakRssMb: number | null };
  const { rawRows, ...report } = raw;
  if (report.error !== undefined) return { ...report, medianSeconds: Number.NaN, peakRssMb: Number.NaN };
  return {
    ...report,
    medianSeconds: report.medianSeconds ?? Number.NaN,
    peakRssMb: report.peakRssMb ?? Number.NaN,
    rows: canonicalRows(rawRows ?? [], benchCase(req.workload).query.columns),
  };
}

function failed(req: ChildRunRequest, error: string): EngineRunReport {
  return {
    engine: req.engine,
    workload: req.workload,
    workers: req.workers,
    times: [],
    medianSeconds: Number.NaN,
    peakRssMb: Number.NaN,
    outputRows: 0,
    rows: [],
    error,
  };
}
