import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { TransactionStats } from './generate-transactions.js';
import type { TransactionOptions } from './transaction-options.js';

/** Name of the manifest file inside a dataset folder (hidden from Spark-style listings by the `_`). */
export const MANIFEST_FILE = '_manifest.json';

/** Folder (inside the dataset folder) holding the merchants dimension; `_` keeps it out of the transactions listing. */
export const MERCHANTS_DIR = '_merchants';

/** One written Parquet file. */
export interface ManifestFile {
  /** Path relative to the dataset folder. */
  readonly file: string;
  readonly rows: number;
  readonly bytes: number;
  /** Smallest and largest event_time in epoch ms (transaction files only). */
  readonly minEventMs?: number;
  readonly maxEventMs?: number;
}

/** What decides whether an existing dataset can be reused: equal specs mean equal data. */
export interface DatasetSpec {
  readonly generatorVersion: number;
  readonly options: TransactionOptions;
  readonly files: number;
  readonly rowGroupRows: number;
}

/** The `_manifest.json` of a generated dataset. */
export interface DatasetManifest {
  readonly generator: 'sluice-benchmarks';
  readonly spec: DatasetSpec;
  readonly rows: number;
  readonly startMs: number;
  readonly transactionFiles: readonly ManifestFile[];
  readonly merchantsFile: ManifestFile;
  readonly bytesOnDisk: number;
  readonly stats: TransactionStats;
}

/** Reads a dataset's manifest, or null when there is none or it cannot be parsed. */
export async function readManifest(dir: string): Promise<DatasetManifest | null> {
  try {
    return JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as DatasetManifest;
  } catch {
    return null;
  }
}

/**
 * True when `manifest` was written for exactly `spec` and every file it lists still exists
 * with the recorded size, i.e. the dataset can be reused without regenerating it.
 */
export async function manifestMatches(dir: string, manifest: DatasetManifest | null, spec: DatasetSpec): Promise<boolean> {
  if (manifest === null || manifest.generator !== 'sluice-benchmarks') return false;
  if (JSON.stringify(canonical(manifest.spec)) !== JSON.stringify(canonical(spec))) return false;
  for (const f of [...manifest.transactionFiles, manifest.merchantsFile]) {
    const s = await stat(join(dir, f.file)).catch(() => null);
    if (s === null || s.size !== f.bytes) return false;
  }
  return true;
}

/** The spec with object keys sorted, so that key order does not matter in the comparison. */
function canonical(spec: DatasetSpec): unknown {
  const sortKeys = (o: object): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(o)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, typeof v === 'object' && v !== null ? sortKeys(v) : v]),
    );
  return sortKeys(spec);
}
