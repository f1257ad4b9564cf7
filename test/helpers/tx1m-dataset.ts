import { fileURLToPath } from 'node:url';
import type { DatasetSpec } from '../../benchmarks/data/dataset-manifest.js';
import { manifestMatches, readManifest } from '../../benchmarks/data/dataset-manifest.js';
import { GENERATOR_VERSION, ROW_GROUP_ROWS, transactionOptions } from '../../benchmarks/data/transaction-options.js';
import { ensureDataset } from '../../benchmarks/data/write-dataset.js';

/** Rows of the benchmark's 1M data set. */
export const TX_1M_ROWS = 1_000_000;
/** Transaction files of the 1M data set (contiguous slices in arrival order). */
export const TX_1M_FILES = 10;

/** Where the benchmarks keep the 1M data set (benchmarks/README.md, "Data"). */
export const BENCH_TX_1M_DIR = fileURLToPath(new URL('../../.bench-data/tx1m', import.meta.url));

/**
 * A folder holding the benchmark's 1M-row transactions data set (default generator
 * options, seed 42, {@link TX_1M_FILES} Parquet files): `.bench-data/tx1m` when its manifest
 * matches that spec and its files are intact (read only, never rewritten, since benchmarks
 * may be reading it), otherwise `fallbackDir`, generated there (deterministic, a few
 * seconds) or reused if it already holds the set. Returns the folder.
 */
export async function ensureTx1m(fallbackDir: string): Promise<string> {
  const spec: DatasetSpec = {
    generatorVersion: GENERATOR_VERSION,
    options: transactionOptions({ rows: TX_1M_ROWS }),
    files: TX_1M_FILES,
    rowGroupRows: ROW_GROUP_ROWS,
  };
  if (await manifestMatches(BENCH_TX_1M_DIR, await readManifest(BENCH_TX_1M_DIR), spec)) return BENCH_TX_1M_DIR;
  await ensureDataset({ out: fallbackDir, rows: TX_1M_ROWS, files: TX_1M_FILES });
  return fallbackDir;
}
