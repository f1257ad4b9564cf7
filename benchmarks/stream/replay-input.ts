import { mkdir, readdir, rm, symlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as arrow from 'apache-arrow';
import { boolData, float64Data, int64Data, stringTable, tableOf, utf8DataFromCodes } from '../data/arrow-columns.js';
import { readManifest } from '../data/dataset-manifest.js';
import { writeParquetFile } from '../data/write-parquet-file.js';
import { FLUSH_CARD_ID } from './replay-queries.js';

/** How far past the newest event the flush row's event time is (1 day). */
export const FLUSH_AFTER_MS = 86_400_000;

/** Name of the flush file: sorts after every `part-*` file, and gets the newest mtime. */
export const FLUSH_FILE = 'zz-flush.parquet';

/**
 * Makes the input folder of an append-mode replay at `out` (replacing it): a symbolic link
 * to every `*.parquet` file of the dataset `dataDir`, in name order, plus {@link FLUSH_FILE},
 * one row with card_id {@link FLUSH_CARD_ID} and an event time {@link FLUSH_AFTER_MS} past
 * the dataset's newest event. With maxFilesPerTrigger=1 the flush row is the stream's last
 * batch, so the watermark passes every window of the data and append mode emits them all;
 * the replay query drops the row after `withWatermark`. The dataset folder is not touched
 * (DuckDB and the batch query read it as it is). Returns the number of files in `out`.
 */
export async function makeFlushedReplayInput(dataDir: string, out: string): Promise<number> {
  const manifest = await readManifest(dataDir);
  let maxEventMs = Number.NEGATIVE_INFINITY;
  for (const f of manifest?.transactionFiles ?? []) if (f.maxEventMs !== undefined && f.maxEventMs > maxEventMs) maxEventMs = f.maxEventMs;
  if (!Number.isFinite(maxEventMs)) throw new Error(`stream-replay: ${dataDir} has no manifest with event-time ranges; regenerate it with benchmarks/data.`);
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const names = (await readdir(dataDir)).filter((n) => n.endsWith('.parquet')).sort();
  // The file source orders files by mtime (stat follows the links), then path: the
  // generator wrote the parts in name order, and the flush file is written last.
  for (const name of names) await symlink(resolve(dataDir, name), join(out, name));
  const one = (x: number): Float64Array => Float64Array.of(x);
  const table = tableOf(
    {
      event_time: int64Data(new arrow.Timestamp(arrow.TimeUnit.MILLISECOND, 'UTC'), one(maxEventMs + FLUSH_AFTER_MS), 0, 1),
      card_id: int64Data(new arrow.Int64(), one(FLUSH_CARD_ID), 0, 1),
      merchant_id: utf8DataFromCodes(stringTable(['m0']), Int32Array.of(0), 0, 1),
      amount: float64Data(one(0), 0, 1),
      country: utf8DataFromCodes(stringTable(['US']), Int32Array.of(0), 0, 1),
      is_online: boolData(Uint8Array.of(0), 0, 1),
    },
    1,
  );
  await writeParquetFile(join(out, FLUSH_FILE), table, 1024);
  return names.length + 1;
}
