import type { BenchCase } from '../workloads/bench-query.js';

/** Names of the engines the runner measures (the Spark peer is a Python child: benchmarks/engines/spark_runner.py). */
export type EngineName = 'sluice' | 'duckdb' | 'spark';

/** The engines Sluice can be measured against (`--peer`). */
export type PeerName = Exclude<EngineName, 'sluice'>;

/** The accepted `--peer` values. */
export const PEER_NAMES: readonly PeerName[] = ['duckdb', 'spark'];

/**
 * How the Sluice side of an in-memory case loads its data (untimed): `arrow` reads the
 * dataset's files into an Arrow table with parquet-wasm and calls `createDataFrame(table)`
 * + `cache()`; `reader` calls `sluice.read.parquet(dir)` + `cache()`; `generate` regenerates
 * the rows from the manifest's seed into an Arrow table, then as `arrow`.
 */
export type MemorySource = 'arrow' | 'reader' | 'generate';

/** The accepted {@link MemorySource} values. */
export const MEMORY_SOURCES: readonly MemorySource[] = ['arrow', 'reader', 'generate'];

/** Everything one engine run needs. */
export interface EngineRunConfig {
  /** The dataset folder (transactions at top level, merchants in `_merchants/`). */
  readonly dataDir: string;
  readonly benchCase: BenchCase;
  /** Sluice worker threads, or DuckDB threads. */
  readonly workers: number;
  readonly memorySource: MemorySource;
}

/**
 * One engine set up for one benchmark case. Contract: `prepare` does all untimed setup
 * (session or connection, loading in-memory tables); `runOnce` is what is timed: it runs
 * the query from its source and fully materialises the result in the engine's own result
 * form; `resultRows` converts the last result to row objects (untimed); `close` releases
 * everything (threads, connections).
 */
export interface EngineRunner {
  readonly name: EngineName;
  prepare(): Promise<void>;
  runOnce(): Promise<void>;
  resultRows(): Readonly<Record<string, unknown>>[];
  /** Number of rows of the last result. */
  resultRowCount(): number;
  close(): Promise<void>;
}
