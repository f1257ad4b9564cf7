/**
 * The benchmark runner: Sluice against DuckDB on the same data, in the same run.
 *
 *   npm run bench -- <W0|W1|W2|W3|join|W1-mem|W2-mem|W2-workers|W4|W5|W6|W7|all|event-time>
 *     [--peer duckdb|spark|duckdb,spark] [--rows 10000000] [--runs 5] [--warmup 1] [--workers 2] [--files 10] [--seed 42]
 *     [--data .bench-data/tx10m] [--results-dir benchmarks/results] [--memory-source arrow|reader|generate]
 *   npm run bench -- kafka-e2e [--rates 10000,100000,max] [--runs 3] ... (Kafka -> Kafka on Sluice and Spark: benchmarks/kafka/)
 *   npm run bench -- kafka-source [--rows 500000] [--partitions 4] [--runs 3] [--bootstrap host:port]
 *     (Kafka source decode throughput against kafkajs's consumer; starts a broker unless given one)
 *   npm run bench -- small-files [--files 10000] [--rows 1000000] [--runs 3]
 *     (10,000 small Parquet files: batch count, aggregation and one stream trigger vs DuckDB; see benchmarks/small-files/)
 *   npm run bench -- <stream-overhead|stream-latency|stream-replay|state-scaling> [--rows N] [--batches N] ...
 *     (streaming benchmarks, Sluice only, in this process: see benchmarks/stream/ and the README)
 *   npm run bench -- kafka-sink [--sizes 1000,10000] [--rows 200000]
 *     (exactly-once vs at-least-once Kafka sink: see benchmarks/kafka/kafka-sink-bench.ts)
 *   npm run bench -- redis [--rows 100000] [--runs 3]   (Redis sink and source against plain ioredis; benchmarks/redis/)
 *   npm run bench -- udf [--rows 10000000] [--runs 5]   (vectorized and row UDFs against the built-in expression; benchmarks/udf/)
 *
 * Generates the dataset when missing (or when its manifest differs), then for each workload
 * runs Sluice and its peer(s) (DuckDB by default; `--peer spark` for Apache Spark local[N] through
 * PySpark) each in its own child process, checks that both results are equal,
 * prints one JSON line per measurement to stdout and appends it to
 * `<results-dir>/<date>.jsonl`. Exits 1 when a result differs or a run fails.
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import type { BenchRecord } from './bench-record.js';
import type { EngineRunReport } from './engine-run-report.js';
import { appendRecord, benchRecord } from './bench-record.js';
import { compareResults } from './compare-results.js';
import { ensureDataset } from './data/write-dataset.js';
import type { MemorySource } from './engines/engine-runner.js';
import type { PeerName } from './engines/engine-runner.js';
import { MEMORY_SOURCES, PEER_NAMES } from './engines/engine-runner.js';
import { spawnEngineRun } from './spawn-engine-run.js';
import { isStreamBenchName } from './stream/stream-bench-options.js';
import type { BenchCase } from './workloads/bench-query.js';
import { selectCases } from './workloads/bench-cases.js';

if (process.argv[2] === 'kafka-sink') {
  // Exactly-once against at-least-once Kafka sink, on a broker of its own: benchmarks/kafka/kafka-sink-bench.ts.
  const { runKafkaSinkBench } = await import('./kafka/kafka-sink-bench.js');
  process.exit(await runKafkaSinkBench(process.argv.slice(2)));
}
if (process.argv[2] === 'kafka-source') {
  const { runKafkaSourceBench } = await import('./kafka/kafka-source-bench.js');
  process.exit(await runKafkaSourceBench(process.argv.slice(3), currentCommit()));
}

if (process.argv[2] === 'udf') {
  // UDFs against the same expression built in: benchmarks/udf/udf-bench.ts.
  await import('./udf/udf-bench.js');
}

if (process.argv[2] === 'redis') {
  await import('./redis/redis-bench.js');
  process.exit(0);
}

if (process.argv.slice(2).some(isStreamBenchName)) {
  const { runStreamBenchmark } = await import('./stream/run-stream-bench.js');
  const outcome = await runStreamBenchmark(process.argv.slice(2), currentCommit()).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  });
  process.exit(outcome.status);
}

if (process.argv[2] === 'small-files') {
  const { runSmallFiles } = await import('./small-files/small-files.js');
  const status = await runSmallFiles(process.argv.slice(3), currentCommit()).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  });
  process.exit(status);
}

if (process.argv[2] === 'kafka-e2e') {
  const { runKafkaE2e } = await import('./kafka/run-kafka-e2e.js');
  const status = await runKafkaE2e(process.argv.slice(2), currentCommit()).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 2;
  });
  process.exit(status);
}

const { values: a, positionals } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000000' },
    runs: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    workers: { type: 'string', default: '2' },
    files: { type: 'string', default: '10' },
    seed: { type: 'string', default: '42' },
    data: { type: 'string' },
    'results-dir': { type: 'string', default: 'benchmarks/results' },
    'memory-source': { type: 'string', default: 'arrow' },
    peer: { type: 'string', default: 'duckdb' },
  },
  allowPositionals: true,
  strict: true,
});

const workloadArg = positionals[0];
if (workloadArg === undefined) {
  process.stderr.write(
    'usage: npm run bench -- <W0|W1|W2|W3|join|W1-mem|W2-mem|W2-workers|W4|W5|W6|W7|all|event-time|stream-overhead|stream-latency|stream-replay|state-scaling> [--rows N] [--runs N] [--warmup N] [--workers N] [--batches N]\n',
  );
  process.exit(2);
}
const rows = Number(a.rows);
const runs = Number(a.runs);
const warmup = Number(a.warmup);
const memorySource = a['memory-source'] as MemorySource;
if (!MEMORY_SOURCES.includes(memorySource)) {
  process.stderr.write(`--memory-source must be one of ${MEMORY_SOURCES.join(', ')}, got '${memorySource}'.\n`);
  process.exit(2);
}
const peers = a.peer.split(',').map((p) => p.trim()) as PeerName[];
const unknownPeer = peers.find((p) => !PEER_NAMES.includes(p));
if (unknownPeer !== undefined) {
  process.stderr.write(`--peer must be one of ${PEER_NAMES.join(', ')} (or a comma list of them), got '${unknownPeer}'.\n`);
  process.exit(2);
}
const dataDir = a.data ?? `.bench-data/tx${rowsLabel(rows)}`;
const cases = ((): readonly BenchCase[] => {
  try {
    return selectCases(workloadArg);
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  }
})();

const dataset = await ensureDataset({ out: dataDir, rows, files: Number(a.files), seed: Number(a.seed) });
process.stderr.write(
  dataset.generated ? `generated ${rows} rows into ${dataDir} in ${dataset.seconds.toFixed(1)} s\n` : `using ${dataDir} (${rows} rows, manifest matches)\n`,
);

const commit = currentCommit();
let failures = 0;
for (const c of cases) {
  const records = await measureCase(c);
  for (const r of records) {
    process.stdout.write(`${JSON.stringify(r)}\n`);
    await appendRecord(a['results-dir'], r);
    if (!r.resultsMatch) failures++;
  }
}
process.exit(failures === 0 ? 0 : 1);

/**
 * Runs one case (once per worker count, Sluice once and each peer once per count) and returns
 * its records, one per peer and worker count; speedups go on the last record of each peer.
 */
async function measureCase(c: BenchCase): Promise<BenchRecord[]> {
  const counts = c.workerCounts ?? [Number(a.workers)];
  const byPeer = new Map<PeerName, BenchRecord[]>(peers.map((p) => [p, []]));
  for (const workers of counts) {
    const req = { workload: c.name, dataDir, runs, warmup, workers, memorySource };
    process.stderr.write(`${c.name}: sluice (${workers} workers)...\n`);
    const sluice = await spawnEngineRun({ ...req, engine: 'sluice' });
    for (const peerName of peers) {
      process.stderr.write(`${c.name}: ${peerName} (${workers} threads)...\n`);
      const peer = await spawnEngineRun({ ...req, engine: peerName });
      byPeer.get(peerName)?.push(compareRun(c, workers, sluice, peer));
    }
  }
  const records: BenchRecord[] = [];
  for (const [peerName, list] of byPeer) records.push(...withSpeedups(c, peerName, list));
  return records;
}

/** The record of one Sluice run against one peer run, after checking that both results are equal. */
function compareRun(c: BenchCase, workers: number, sluice: EngineRunReport, peer: EngineRunReport): BenchRecord {
  let match = sluice.error === undefined && peer.error === undefined;
  let error: string | undefined;
  if (match) {
    const cmp = compareResults(sluice.rows, peer.rows, c.query.columns);
    match = cmp.equal;
    if (!cmp.equal) {
      error = `results differ (sluice vs ${peer.engine}): ${cmp.differences.join('; ')}`;
      process.stderr.write(`MISMATCH in ${c.name} with ${workers} workers (sluice vs ${peer.engine}):\n  ${cmp.differences.join('\n  ')}\n`);
    }
  } else {
    process.stderr.write(`FAILED ${c.name}: ${[sluice.error, peer.error].filter((e) => e !== undefined).join('\n')}\n`);
  }
  return benchRecord(c.name, rows, runs, warmup, sluice, peer, match, error === undefined ? { commit } : { commit, error });
}

/** Puts the 1-worker -> N-worker speedups of both engines on the last record of a multi-count case. */
function withSpeedups(c: BenchCase, peerName: PeerName, records: BenchRecord[]): BenchRecord[] {
  const first = records[0];
  const last = records[records.length - 1];
  if (records.length < 2 || first === undefined || last === undefined) return records;
  const speedup = (x: number | null, y: number | null): number | undefined =>
    x !== null && y !== null && y > 0 ? Math.round((x / y) * 1000) / 1000 : undefined;
  const sluiceSpeedup = speedup(first.sluiceSeconds, last.sluiceSeconds);
  const peerSpeedup = speedup(first.peerSeconds, last.peerSeconds);
  process.stderr.write(`${c.name}: speedup ${first.workers} -> ${last.workers} workers: sluice ${sluiceSpeedup ?? '?'}x, ${peerName} ${peerSpeedup ?? '?'}x\n`);
  return [
    ...records.slice(0, -1),
    { ...last, ...(sluiceSpeedup === undefined ? {} : { sluiceSpeedup }), ...(peerSpeedup === undefined ? {} : { peerSpeedup }) },
  ];
}

/** 10000000 -> '10m', 100000 -> '100k', other sizes as digits. */
function rowsLabel(n: number): string {
  if (n % 1_000_000 === 0) return `${n / 1_000_000}m`;
  if (n % 1_000 === 0) return `${n / 1_000}k`;
  return String(n);
}

/** The short hash of the checked-out commit, or null outside a git checkout. */
function currentCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}
