import { invalidArgument } from '../../common/errors.js';
import type { BenchCase } from './bench-query.js';
import { JOIN_MERCHANTS } from './join-merchants.js';
import { W0_FULL_SCAN } from './w0-full-scan.js';
import { W1_FILTER } from './w1-filter.js';
import { W2_GROUP_BY } from './w2-group-by.js';
import { W3_TUMBLING_WINDOWS } from './w3-tumbling-windows.js';

/** Every benchmark case by name, in the order `all` runs them. */
export const BENCH_CASES: readonly BenchCase[] = Object.freeze([
  { name: 'W0', query: W0_FULL_SCAN, source: 'parquet', workerCounts: null },
  { name: 'W1', query: W1_FILTER, source: 'parquet', workerCounts: null },
  { name: 'W2', query: W2_GROUP_BY, source: 'parquet', workerCounts: null },
  { name: 'W3', query: W3_TUMBLING_WINDOWS, source: 'parquet', workerCounts: null },
  { name: 'join', query: JOIN_MERCHANTS, source: 'parquet', workerCounts: null },
  { name: 'W1-mem', query: W1_FILTER, source: 'memory', workerCounts: null },
  { name: 'W2-mem', query: W2_GROUP_BY, source: 'memory', workerCounts: null },
  { name: 'W2-workers', query: W2_GROUP_BY, source: 'parquet', workerCounts: [1, 2] },
]);

/** The case called `name`; throws INVALID_ARGUMENT listing the names otherwise. */
export function benchCase(name: string): BenchCase {
  const c = BENCH_CASES.find((x) => x.name === name);
  if (c === undefined) throw invalidArgument(`Unknown workload '${name}'. Workloads are: ${BENCH_CASES.map((x) => x.name).join(', ')}, all.`);
  return c;
}

/** The cases a command-line workload argument names: one case, or every case for `all`. */
export function selectCases(name: string): readonly BenchCase[] {
  return name === 'all' ? BENCH_CASES : [benchCase(name)];
}
