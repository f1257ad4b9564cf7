import { invalidArgument } from '../../common/errors.js';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetManifest, DatasetSpec, ManifestFile } from './dataset-manifest.js';
import { MANIFEST_FILE, MERCHANTS_DIR, manifestMatches, readManifest } from './dataset-manifest.js';
import type { TransactionColumns } from './generate-transactions.js';
import { generateTransactions } from './generate-transactions.js';
import { merchantsTable } from './merchants-table.js';
import type { TransactionOptions } from './transaction-options.js';
import { GENERATOR_VERSION, ROW_GROUP_ROWS, START_MS, transactionOptions } from './transaction-options.js';
import { transactionTable } from './transaction-table.js';
import { writeParquetFile } from './write-parquet-file.js';

/** What {@link ensureDataset} needs: where, how many rows and files, and any generator option. */
export interface DatasetRequest extends Partial<TransactionOptions> {
  readonly out: string;
  readonly rows: number;
  readonly files: number;
  readonly rowGroupRows?: number;
}

/** The outcome of {@link ensureDataset}. */
export interface DatasetResult {
  readonly manifest: DatasetManifest;
  /** False when an existing dataset with the same spec was reused. */
  readonly generated: boolean;
  /** Seconds spent generating and writing (0 when reused). */
  readonly seconds: number;
}

/** Names a data set folder may hold: part files, the merchants folder, the manifest (and a partly written one's leftovers). */
const DATASET_ENTRY = /^(part-\d+\.parquet|_merchants|_manifest\.json|\..*)$/;

async function refuseForeignFolder(out: string): Promise<void> {
  const names = await readdir(out).catch(() => [] as string[]);
  const foreign = names.filter((n) => !DATASET_ENTRY.test(n));
  if (foreign.length === 0) return;
  throw invalidArgument(
    `Output folder '${out}' holds files that are not part of a generated data set (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', ...' : ''}), ` +
      'and generating replaces the whole folder: give an empty or new folder.',
  );
}

/**
 * Makes sure `out` holds the dataset for the request: transactions as `part-00000.parquet`...
 * (contiguous slices in arrival order), the merchants dimension in `_merchants/`, and
 * `_manifest.json` (written last). Reuses the folder when its manifest has the same spec and
 * all files are intact; otherwise deletes the folder and regenerates it. A folder holding
 * anything but data set files (a mistyped `--out` such as a home folder) is refused with
 * INVALID_ARGUMENT rather than deleted.
 */
export async function ensureDataset(req: DatasetRequest): Promise<DatasetResult> {
  const { out, files, rowGroupRows = ROW_GROUP_ROWS, ...given } = req;
  if (!Number.isInteger(files) || files < 1) throw invalidArgument(`files must be a positive integer, got ${files}.`);
  const spec: DatasetSpec = { generatorVersion: GENERATOR_VERSION, options: transactionOptions(given), files, rowGroupRows };
  const existing = await readManifest(out);
  if (existing !== null && (await manifestMatches(out, existing, spec))) return { manifest: existing, generated: false, seconds: 0 };
  await refuseForeignFolder(out);
  const t0 = performance.now();
  await rm(out, { recursive: true, force: true });
  await mkdir(join(out, MERCHANTS_DIR), { recursive: true });
  const data = generateTransactions(spec.options);
  const transactionFiles = await writeTransactionFiles(out, data, files, rowGroupRows);
  const merchantsName = join(MERCHANTS_DIR, 'part-00000.parquet');
  const merchantsBytes = await writeParquetFile(join(out, merchantsName), merchantsTable(spec.options.merchants, spec.options.seed), rowGroupRows);
  const merchantsFile: ManifestFile = { file: merchantsName, rows: spec.options.merchants, bytes: merchantsBytes };
  const manifest: DatasetManifest = {
    generator: 'sluice-benchmarks',
    spec,
    rows: data.rows,
    startMs: START_MS,
    transactionFiles,
    merchantsFile,
    bytesOnDisk: transactionFiles.reduce((s, f) => s + f.bytes, merchantsBytes),
    stats: data.stats,
  };
  await writeFile(join(out, MANIFEST_FILE), `${JSON.stringify(manifest, null, 1)}\n`);
  return { manifest, generated: true, seconds: (performance.now() - t0) / 1000 };
}

async function writeTransactionFiles(out: string, data: TransactionColumns, files: number, rowGroupRows: number): Promise<ManifestFile[]> {
  const written: ManifestFile[] = [];
  for (let i = 0; i < files; i++) {
    const begin = Math.floor((i * data.rows) / files);
    const end = Math.floor(((i + 1) * data.rows) / files);
    const file = `part-${String(i).padStart(5, '0')}.parquet`;
    const bytes = await writeParquetFile(join(out, file), transactionTable(data, begin, end), rowGroupRows);
    let minEventMs = Number.POSITIVE_INFINITY;
    let maxEventMs = Number.NEGATIVE_INFINITY;
    for (let r = begin; r < end; r++) {
      const t = data.eventTimeMs[r] as number;
      if (t < minEventMs) minEventMs = t;
      if (t > maxEventMs) maxEventMs = t;
    }
    written.push(end > begin ? { file, rows: end - begin, bytes, minEventMs, maxEventMs } : { file, rows: 0, bytes });
  }
  return written;
}
