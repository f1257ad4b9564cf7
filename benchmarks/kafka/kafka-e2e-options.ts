import { parseArgs } from 'node:util';
import { invalidArgument } from '../../common/errors.js';

/** The parsed command line of `npm run bench -- kafka-e2e`, defaults filled in. */
export interface KafkaE2eOptions {
  /** Engines to run, in order: sluice, spark. */
  readonly engines: readonly ('sluice' | 'spark')[];
  /**
   * Live input rates (records/s) of the latency measurements; `'max'` is each engine's own
   * sustainable rate: {@link MAX_RATE_SHARE} of its median throughput in this run.
   */
  readonly rates: readonly (number | 'max')[];
  /** Latency runs per engine and rate (medians are reported). */
  readonly runs: number;
  /** Throughput runs per engine. */
  readonly throughputRuns: number;
  readonly warmupSeconds: number;
  readonly measureSeconds: number;
  /** How long to wait after the generator stops for the output to reflect every record. */
  readonly drainSeconds: number;
  readonly triggerMs: number;
  readonly partitions: number;
  /** Records pre-filled into the throughput topic (0: skip the throughput measurement). */
  readonly fillRecords: number;
  /** maxOffsetsPerTrigger of the throughput runs (both engines). */
  readonly maxOffsetsPerTrigger: number;
  readonly workers: number;
  readonly seed: number;
  readonly bootstrap: string | undefined;
  readonly resultsDir: string;
}

/** The share of an engine's measured backlog throughput that the `max` latency rate runs at. */
export const MAX_RATE_SHARE = 0.8;

function positive(raw: string, option: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw invalidArgument(`--${option} must be a non-negative number, got '${raw}'.`);
  return n;
}

/**
 * Parses `kafka-e2e [--engines sluice,spark] [--rates 10000,100000,max] [--runs 3]
 * [--throughput-runs 3] [--warmup-seconds 20] [--measure-seconds 30] [--drain-seconds 30]
 * [--trigger-ms 100] [--partitions 2] [--fill-records 2000000] [--max-offsets-per-trigger 500000]
 * [--workers 2] [--seed 42] [--bootstrap HOST:PORT] [--results-dir benchmarks/results]`.
 */
export function parseKafkaE2eArgs(argv: readonly string[]): KafkaE2eOptions {
  const { values: a } = parseArgs({
    args: argv.filter((x) => x !== 'kafka-e2e'),
    options: {
      engines: { type: 'string', default: 'sluice,spark' },
      rates: { type: 'string', default: '10000,100000,max' },
      runs: { type: 'string', default: '3' },
      'throughput-runs': { type: 'string', default: '3' },
      'warmup-seconds': { type: 'string', default: '20' },
      'measure-seconds': { type: 'string', default: '30' },
      'drain-seconds': { type: 'string', default: '30' },
      'trigger-ms': { type: 'string', default: '100' },
      partitions: { type: 'string', default: '2' },
      'fill-records': { type: 'string', default: '2000000' },
      'max-offsets-per-trigger': { type: 'string', default: '500000' },
      workers: { type: 'string', default: '2' },
      seed: { type: 'string', default: '42' },
      bootstrap: { type: 'string' },
      'results-dir': { type: 'string', default: 'benchmarks/results' },
    },
    strict: true,
  });
  const engines = a.engines.split(',').map((e) => e.trim());
  for (const e of engines) if (e !== 'sluice' && e !== 'spark') throw invalidArgument(`--engines takes sluice and/or spark, got '${e}'.`);
  return {
    engines: engines as ('sluice' | 'spark')[],
    rates: a.rates === '' ? [] : a.rates.split(',').map((r) => (r.trim() === 'max' ? 'max' : positive(r.trim(), 'rates'))),
    runs: positive(a.runs, 'runs'),
    throughputRuns: positive(a['throughput-runs'], 'throughput-runs'),
    warmupSeconds: positive(a['warmup-seconds'], 'warmup-seconds'),
    measureSeconds: positive(a['measure-seconds'], 'measure-seconds'),
    drainSeconds: positive(a['drain-seconds'], 'drain-seconds'),
    triggerMs: positive(a['trigger-ms'], 'trigger-ms'),
    partitions: positive(a.partitions, 'partitions'),
    fillRecords: positive(a['fill-records'], 'fill-records'),
    maxOffsetsPerTrigger: positive(a['max-offsets-per-trigger'], 'max-offsets-per-trigger'),
    workers: positive(a.workers, 'workers'),
    seed: positive(a.seed, 'seed'),
    bootstrap: a.bootstrap ?? process.env.KAFKA_BOOTSTRAP,
    resultsDir: a['results-dir'],
  };
}
