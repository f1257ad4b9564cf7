/**
 * Child process of the benchmark runner: runs ONE engine on ONE workload, so that the peak
 * RSS it reports belongs to that engine alone.
 *
 *   node dist/benchmarks/run-one.js --engine sluice|duckdb --workload W2 --data DIR --out REPORT.json
 *     [--runs 5] [--warmup 1] [--workers 2] [--memory-source arrow|reader|generate]
 *
 * Writes an {@link EngineRunReport} to `--out` and exits 0, or 1 after writing the error.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { canonicalRows } from './canonical-rows.js';
import type { EngineRunReport } from './engine-run-report.js';
import type { EngineName, EngineRunConfig, EngineRunner, MemorySource } from './engines/engine-runner.js';
import { median, timeRuns } from './timing.js';
import { benchCase } from './workloads/bench-cases.js';

const { values: a } = parseArgs({
  options: {
    engine: { type: 'string' },
    workload: { type: 'string' },
    data: { type: 'string' },
    out: { type: 'string' },
    runs: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    workers: { type: 'string', default: '2' },
    'memory-source': { type: 'string', default: 'arrow' },
  },
  strict: true,
});

if (a.engine === undefined || a.workload === undefined || a.data === undefined || a.out === undefined) {
  process.stderr.write('usage: run-one.js --engine sluice|duckdb --workload NAME --data DIR --out FILE [--runs N] [--warmup N] [--workers N]\n');
  process.exit(2);
}
const engine = a.engine as EngineName;
const workers = Number(a.workers);
const config: EngineRunConfig = {
  dataDir: a.data,
  benchCase: benchCase(a.workload),
  workers,
  memorySource: a['memory-source'] as MemorySource,
};
// Each child loads only its own engine, so neither one's code counts in the other's RSS.
const runner: EngineRunner =
  engine === 'sluice'
    ? new (await import('./engines/sluice-runner.js')).SluiceRunner(config)
    : new (await import('./engines/duckdb-runner.js')).DuckdbRunner(config);
let report: EngineRunReport;
try {
  await runner.prepare();
  const times = await timeRuns(() => runner.runOnce(), Number(a.runs), Number(a.warmup));
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  report = {
    engine,
    workload: a.workload,
    workers,
    times,
    medianSeconds: median(times),
    peakRssMb,
    outputRows: runner.resultRowCount(),
    rows: canonicalRows(runner.resultRows(), config.benchCase.query.columns),
  };
} catch (e) {
  const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
  report = { engine, workload: a.workload, workers, times: [], medianSeconds: Number.NaN, peakRssMb: Number.NaN, outputRows: 0, rows: [], error: message };
}
await runner.close().catch(() => undefined);
await writeFile(a.out, JSON.stringify(report));
process.exit(report.error === undefined ? 0 : 1);
