/**
 * `npm run bench -- udf [--rows 10000000] [--runs 5] [--workers 2] [--only arith|lower] [--results-dir benchmarks/results]`:
 * user-defined functions against the same expression built in, in the same run, on the
 * same in-memory data (createDataFrame + cache(), untimed), so only the expression's
 * evaluation and a sum over it are timed. Cases: `amount * 1.1 + 3` (double) and
 * `lower(name)` (distinct strings, as plain UTF-8), each as a vectorized UDF and as a row UDF.
 * One JSON line per UDF case: `ratio` = builtinSeconds / udfSeconds (0.5 = the UDF takes
 * twice as long), `nsPerRow` the UDF's cost per row above the built-in, and the machine's
 * load average (the machine is shared). Then `udf-kernel-arith`: the double expression's
 * kernels alone, timed in this thread over one batch of up to 1M rows (ns per row each).
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Table, Utf8, vectorFromArray, makeVector } from 'apache-arrow';
import type { DataFrame } from '../../dataframe/data-frame.js';
import type { Column } from '../../dataframe/expr/column.js';
import { col, length, lower, sum } from '../../dataframe/expr/functions.js';
import { udfFromModule } from '../../dataframe/udf/user-defined-function.js';
import { Sluice } from '../../engine/session/sluice.js';
import { appendStreamRecord, type StreamRecord } from '../stream/stream-record.js';
import { measureKernelCosts } from './udf-kernel-bench.js';

const MODULE = new URL('./udf-bench-functions.js', import.meta.url).href;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

async function timeRuns(q: DataFrame, runs: number): Promise<{ seconds: number[]; value: unknown }> {
  const seconds: number[] = [];
  let value: unknown = null;
  for (let r = -1; r < runs; r++) {
    (globalThis as { gc?: () => void }).gc?.();
    const t0 = performance.now();
    const rows = await q.toArray();
    const t = (performance.now() - t0) / 1000;
    if (r >= 0) seconds.push(t);
    value = rows[0]?.x ?? null;
  }
  return { seconds, value };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
  return a === b;
}

const { values: a } = parseArgs({
  args: process.argv.slice(3),
  options: {
    rows: { type: 'string', default: '10000000' },
    runs: { type: 'string', default: '5' },
    workers: { type: 'string', default: '2' },
    only: { type: 'string', default: 'all' },
    'results-dir': { type: 'string', default: 'benchmarks/results' },
  },
  strict: true,
});
const n = Number(a.rows);
const runs = Number(a.runs);
let commit: string | null = null;
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
} catch {}

const sluice = await Sluice.builder().appName('sluice-udf-bench').workers(Number(a.workers)).getOrCreate();
let failed = false;
try {
  const withStrings = a.only !== 'arith';
  const amount = new Float64Array(n);
  const names: string[] = new Array(withStrings ? n : 1).fill('');
  for (let i = 0; i < n; i++) amount[i] = ((i * 7919) % 100_003) / 7;
  if (withStrings) for (let i = 0; i < n; i++) names[i] = `Customer-${(i * 31) % n}-X`;
  // Plain Utf8 (not a dictionary): every row's string is distinct.
  const table = withStrings ? new Table({ amount: makeVector(amount), name: vectorFromArray(names, new Utf8()) }) : new Table({ amount: makeVector(amount) });
  const df = await sluice.createDataFrame(table).cache();
  const total = (c: Column): DataFrame => df.select(c.alias('v')).agg(sum('v').alias('x'));
  const totalLength = (c: Column): DataFrame => df.select(c.alias('v')).agg(sum(length(col('v'))).alias('x'));
  const arith = (): DataFrame => total(col('amount').multiply(1.1).plus(3));
  const lowered = (): DataFrame => totalLength(lower(col('name')));
  const cases: { workload: string; kind: string; builtin: () => DataFrame; udf: () => DataFrame }[] = [
    {
      workload: 'udf-vectorized-arith',
      kind: 'vectorized',
      builtin: arith,
      udf: () => total(udfFromModule(MODULE, 'scaleVector', 'double', { vectorized: true })(col('amount'))),
    },
    { workload: 'udf-row-arith', kind: 'row', builtin: arith, udf: () => total(udfFromModule(MODULE, 'scaleRow', 'double')(col('amount'))) },
    {
      workload: 'udf-vectorized-lower',
      kind: 'vectorized',
      builtin: lowered,
      udf: () => totalLength(udfFromModule(MODULE, 'lowerVector', 'string', { vectorized: true })(col('name'))),
    },
    { workload: 'udf-row-lower', kind: 'row', builtin: lowered, udf: () => totalLength(udfFromModule(MODULE, 'lowerRow', 'string')(col('name'))) },
  ];
  for (const c of cases.filter((x) => a.only === 'all' || x.workload.endsWith(`-${a.only}`))) {
    const load = loadavg()[0] as number;
    const b = await timeRuns(c.builtin(), runs);
    const u = await timeRuns(c.udf(), runs);
    const bs = median(b.seconds);
    const us = median(u.seconds);
    const match = sameValue(b.value, u.value);
    if (!match) failed = true;
    const r: StreamRecord = {
      workload: c.workload,
      udf: c.kind,
      rows: n,
      udfSeconds: Math.round(us * 1e4) / 1e4,
      peer: 'builtin',
      builtinSeconds: Math.round(bs * 1e4) / 1e4,
      ratio: Math.round((bs / us) * 1000) / 1000,
      nsPerRow: Math.round(((us - bs) * 1e9) / n),
      resultsMatch: match,
      udfRunsSeconds: u.seconds.map((t) => Math.round(t * 1e4) / 1e4),
      builtinRunsSeconds: b.seconds.map((t) => Math.round(t * 1e4) / 1e4),
      workers: sluice.workers,
      runs,
      loadAverage1m: Math.round(load * 100) / 100,
      commit,
      timestamp: new Date().toISOString(),
    };
    process.stdout.write(`${JSON.stringify(r)}\n`);
    await appendStreamRecord(a['results-dir'] as string, r);
  }
  if (a.only !== 'lower') {
    const load = loadavg()[0] as number;
    const k = await measureKernelCosts(MODULE, Math.min(n, 1_000_000), runs);
    const r: StreamRecord = {
      workload: 'udf-kernel-arith',
      ...k,
      vectorizedRatio: Math.round((k.builtinNsPerRow / k.vectorizedNsPerRow) * 1000) / 1000,
      rowRatio: Math.round((k.builtinNsPerRow / k.rowNsPerRow) * 1000) / 1000,
      runs,
      loadAverage1m: Math.round(load * 100) / 100,
      commit,
      timestamp: new Date().toISOString(),
    };
    process.stdout.write(`${JSON.stringify(r)}\n`);
    await appendStreamRecord(a['results-dir'] as string, r);
  }
} finally {
  await sluice.stop();
}
process.exit(failed ? 1 : 0);
