import { invalidArgument } from '../../common/errors.js';
import type { BenchCase } from './bench-query.js';
import { JOIN_MERCHANTS } from './join-merchants.js';
import { W0_FULL_SCAN } from './w0-full-scan.js';
import { W1_FILTER } from './w1-filter.js';
import { W2_GROUP_BY } from './w2-group-by.js';
import { W3_TUMBLING_WINDOWS } from './w3-tumbling-windows.js';
import { W4_SLIDING_WINDOWS } from './w4-sliding-windows.js';
import { W5_FRAUD_RULE } from './w5-fraud-rule.js';
import { W6_SESSIONS } from './w6-sessions.js';
import { W7_PERCENTILES } from './w7-percentiles.js';
import { EXPLODE_ARRAY } from './explode-array.js';
import { RANKING_WINDOW } from './ranking-window.js';

/** Every benchmark case by name, in order (`all` runs those not marked `notInAll`). */
export const BENCH_CASES: readonly BenchCase[] = Object.freeze([
  { name: 'W0', query: W0_FULL_SCAN, source: 'parquet', workerCounts: null },
  { name: 'W1', query: W1_FILTER, source: 'parquet', workerCounts: null },
  { name: 'W2', query: W2_GROUP_BY, source: 'parquet', workerCounts: null },
  { name: 'W3', query: W3_TUMBLING_WINDOWS, source: 'parquet', workerCounts: null },
  { name: 'join', query: JOIN_MERCHANTS, source: 'parquet', workerCounts: null },
  { name: 'W1-mem', query: W1_FILTER, source: 'memory', workerCounts: null },
  { name: 'W2-mem', query: W2_GROUP_BY, source: 'memory', workerCounts: null },
  { name: 'W2-workers', query: W2_GROUP_BY, source: 'parquet', workerCounts: [1, 2] },
  { name: 'W4', query: W4_SLIDING_WINDOWS, source: 'parquet', workerCounts: null, notInAll: true },
  { name: 'W5', query: W5_FRAUD_RULE, source: 'parquet', workerCounts: null, notInAll: true },
  { name: 'W6', query: W6_SESSIONS, source: 'parquet', workerCounts: null, notInAll: true },
  { name: 'W7', query: W7_PERCENTILES, source: 'parquet', workerCounts: null, notInAll: true },
  { name: 'ranking', query: RANKING_WINDOW, source: 'parquet', workerCounts: null, notInAll: true },
  { name: 'explode', query: EXPLODE_ARRAY, source: 'parquet', workerCounts: null, notInAll: true },
]);

/** The event-time workloads, run together by the name `event-time`. */
export const EVENT_TIME_CASE_NAMES: readonly string[] = Object.freeze(['W3', 'W4', 'W5', 'W6']);

/** The case called `name`; throws INVALID_ARGUMENT listing the names otherwise. */
export function benchCase(name: string): BenchCase {
  const c = BENCH_CASES.find((x) => x.name === name);
  if (c === undefined) throw invalidArgument(`Unknown workload '${name}'. Workloads are: ${BENCH_CASES.map((x) => x.name).join(', ')}, all, event-time.`);
  return c;
}

/**
 * The cases a command-line workload argument names: one case; `all`: every case not marked
 * `notInAll` (W4-W6 stay out until their Sluice side exists); `event-time`: W3, W4, W5, W6.
 */
export function selectCases(name: string): readonly BenchCase[] {
  if (name === 'all') return BENCH_CASES.filter((c) => c.notInAll !== true);
  if (name === 'event-time') return EVENT_TIME_CASE_NAMES.map(benchCase);
  return [benchCase(name)];
}
