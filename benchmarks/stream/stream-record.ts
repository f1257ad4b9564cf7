import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

/** A JSON value of a streaming benchmark line. */
export type StreamFieldValue = number | string | boolean | null | readonly number[] | { readonly [key: string]: number | null };

/**
 * One result line of a streaming benchmark (`benchmarks/results/<date>.jsonl`): `workload`
 * first, then the benchmark's own fields (see benchmarks/README.md, "Streaming"), then
 * `peakRssMb`, `workers`, `commit` and `timestamp`.
 */
export interface StreamRecord {
  readonly workload: string;
  readonly [field: string]: StreamFieldValue;
}

/** Appends one record as a JSON line to `<dir>/<YYYY-MM-DD>.jsonl` (UTC date of its timestamp), creating the folder. */
export async function appendStreamRecord(dir: string, record: StreamRecord): Promise<string> {
  await mkdir(dir, { recursive: true });
  const stamp = typeof record.timestamp === 'string' ? record.timestamp : new Date().toISOString();
  const file = join(dir, `${stamp.slice(0, 10)}.jsonl`);
  await appendFile(file, `${JSON.stringify(record)}\n`);
  return file;
}
