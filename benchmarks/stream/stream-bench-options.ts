import { tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import { invalidArgument } from '../../common/errors.js';
import { parseInterval } from '../../scheduler/parse-interval.js';

/** The streaming benchmarks, as named on the command line. */
export const STREAM_BENCH_NAMES: readonly string[] = Object.freeze(['stream-overhead', 'stream-latency', 'stream-replay', 'state-scaling', 'replay-executors']);

/** True when `name` is one of {@link STREAM_BENCH_NAMES}. */
export function isStreamBenchName(name: string): boolean {
  return STREAM_BENCH_NAMES.includes(name);
}

/** The parsed command line of a streaming benchmark, with the benchmark's defaults filled in. */
export interface StreamBenchOptions {
  readonly name: string;
  /** overhead: rows per batch (100); latency: rows per second (100000); replay: dataset rows (10000000). */
  readonly rows: number;
  /** overhead: batches (2000); latency: measured batches (300); replay: unused (batches = files). */
  readonly batches: number;
  readonly triggerMs: number;
  readonly warmupBatches: number;
  readonly throughputRows: number;
  readonly throughputBatches: number;
  readonly groupKeys: number;
  readonly throughput: boolean;
  readonly workers: number;
  readonly files: number;
  readonly seed: number;
  readonly runs: number;
  readonly dataDir: string;
  readonly resultsDir: string;
  readonly checkpointDir: string;
  /** stream-replay: the workloads to replay, one result line each (default W3; replay-executors: W4,W6). */
  readonly queries: readonly string[];
  /** stream-replay: the stream's source: `files` (file source, maxFilesPerTrigger=1, availableNow) or `replay` (replay source at speed max). */
  readonly source: 'files' | 'replay';
  /** stream-replay with `--source replay`: the trigger interval in event time (default '10 minutes'). */
  readonly replayTrigger: string;
  /** state-scaling: the distinct-key counts to run, one result line each (default 100000, 1000000, 10000000). */
  readonly keys: readonly number[];
  /** state-scaling: rows per fill batch (1000000). */
  readonly fillRows: number;
  /** state-scaling: batches after the fill (20). */
  readonly steadyBatches: number;
  /** state-scaling: rows per steady batch (100000). */
  readonly steadyRows: number;
}

const DEFAULT_ROWS: Readonly<Record<string, number>> = {
  'stream-overhead': 100,
  'stream-latency': 100_000,
  'stream-replay': 10_000_000,
  'replay-executors': 1_000_000,
};
const DEFAULT_BATCHES: Readonly<Record<string, number>> = { 'stream-overhead': 2000, 'stream-latency': 300, 'stream-replay': 0 };

function positiveInt(raw: string | undefined, fallback: number, option: string): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw invalidArgument(`--${option} must be a positive integer, got '${raw}'.`);
  return n;
}

/** 10000000 -> '10m', 100000 -> '100k', other sizes as digits (the dataset folder name, as the batch runner does). */
export function rowsLabel(n: number): string {
  if (n % 1_000_000 === 0) return `${n / 1_000_000}m`;
  if (n % 1_000 === 0) return `${n / 1_000}k`;
  return String(n);
}

/**
 * Parses `<name> [--rows N] [--batches N] [--trigger-ms N] [--warmup-batches N]
 * [--throughput-rows N] [--throughput-batches N] [--group-keys N] [--no-throughput]
 * [--workers N] [--files N] [--seed S] [--runs N] [--data DIR] [--results-dir DIR]
 * [--checkpoint-dir DIR] [--query W3,W4,...] [--keys N,N,...] [--fill-rows N] [--steady-batches N]
 * [--steady-rows N] [--source files|replay] [--replay-trigger '<interval>']`; INVALID_ARGUMENT names a bad option.
 */
export function parseStreamBenchArgs(argv: readonly string[]): StreamBenchOptions {
  const { values: a, positionals } = parseArgs({
    args: [...argv],
    options: {
      rows: { type: 'string' },
      batches: { type: 'string' },
      'trigger-ms': { type: 'string' },
      'warmup-batches': { type: 'string' },
      'throughput-rows': { type: 'string' },
      'throughput-batches': { type: 'string' },
      'group-keys': { type: 'string' },
      'no-throughput': { type: 'boolean', default: false },
      workers: { type: 'string' },
      files: { type: 'string' },
      seed: { type: 'string' },
      runs: { type: 'string' },
      data: { type: 'string' },
      'results-dir': { type: 'string', default: 'benchmarks/results' },
      'checkpoint-dir': { type: 'string' },
      keys: { type: 'string' },
      query: { type: 'string' },
      source: { type: 'string', default: 'files' },
      'replay-trigger': { type: 'string', default: '10 minutes' },
      'fill-rows': { type: 'string' },
      'steady-batches': { type: 'string' },
      'steady-rows': { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const name = positionals[0] ?? '';
  if (!isStreamBenchName(name)) throw invalidArgument(`Unknown streaming benchmark '${name}'. Streaming benchmarks are: ${STREAM_BENCH_NAMES.join(', ')}.`);
  const rows = positiveInt(a.rows, DEFAULT_ROWS[name] ?? 1, 'rows');
  if (a.source !== 'files' && a.source !== 'replay') throw invalidArgument(`--source must be files or replay, got '${a.source}'.`);
  parseInterval(a['replay-trigger']);
  return {
    source: a.source,
    replayTrigger: a['replay-trigger'],
    name,
    rows,
    batches: positiveInt(a.batches, DEFAULT_BATCHES[name] || 1, 'batches'),
    triggerMs: positiveInt(a['trigger-ms'], 100, 'trigger-ms'),
    warmupBatches: positiveInt(a['warmup-batches'], 10, 'warmup-batches'),
    throughputRows: positiveInt(a['throughput-rows'], 1_000_000, 'throughput-rows'),
    throughputBatches: positiveInt(a['throughput-batches'], 20, 'throughput-batches'),
    groupKeys: positiveInt(a['group-keys'], 10_000, 'group-keys'),
    throughput: !a['no-throughput'],
    workers: positiveInt(a.workers, 2, 'workers'),
    files: positiveInt(a.files, 10, 'files'),
    seed: positiveInt(a.seed, 42, 'seed'),
    runs: positiveInt(a.runs, 3, 'runs'),
    dataDir: a.data ?? `.bench-data/tx${rowsLabel(rows)}`,
    resultsDir: a['results-dir'],
    checkpointDir: a['checkpoint-dir'] ?? tmpdir(),
    queries: (a.query ?? (name === 'replay-executors' ? 'W4,W6' : 'W3')).split(',').map((q) => {
      const id = q.trim();
      if (!['W3', 'W4', 'W5', 'W6'].includes(id)) throw invalidArgument(`--query must list workloads among W3, W4, W5, W6, got '${id}'.`);
      return id;
    }),
    keys: (a.keys ?? '100000,1000000,10000000').split(',').map((k) => positiveInt(k.trim(), 1, 'keys')),
    fillRows: positiveInt(a['fill-rows'], 1_000_000, 'fill-rows'),
    steadyBatches: positiveInt(a['steady-batches'], 20, 'steady-batches'),
    steadyRows: positiveInt(a['steady-rows'], 100_000, 'steady-rows'),
  };
}
