import { join } from 'node:path';
import { committedFiles } from '../../common/log/committed-files.js';
import type { Row } from '../../dataframe/data-frame.js';
import type { StreamingQuery } from '../../dataframe/streaming-query.js';
import type { Sluice } from '../../engine/session/sluice.js';
import type { JobDefinition } from '../../jobs/job-definition.js';
import { runJob } from '../../jobs/run-job.js';
import { normalizeRows } from './normalize-rows.js';

/**
 * The rows a job wrote to `out`: for a stream in append mode the files its sink's log
 * committed (never a half-written batch), otherwise the folder.
 */
export async function readJobOutput(sluice: Sluice, job: JobDefinition, out: string, streamed: boolean): Promise<Row[]> {
  if (streamed && job.outputMode === 'append') {
    const files = await committedFiles(out);
    if (files === null || files.length === 0) return [];
    return (await sluice.read.parquet(...files)).toArray();
  }
  return (await sluice.read.parquet(out)).toArray();
}

/** Runs a Parquet-writing job in batch mode into `base/batch` and returns its rows. */
export async function batchRun(sluice: Sluice, job: JobDefinition, inputPaths: Record<string, string>, base: string): Promise<Row[]> {
  await runJob(sluice, job, { mode: 'batch', inputPaths, output: join(base, 'batch') });
  return readJobOutput(sluice, job, join(base, 'batch'), false);
}

/** Runs the job as a stream (available-now, `maxFiles` files per micro-batch) into `base/stream`; returns its rows and query. */
export async function streamRun(
  sluice: Sluice,
  job: JobDefinition,
  inputPaths: Record<string, string>,
  base: string,
  maxFiles = 1,
): Promise<{ rows: Row[]; query: StreamingQuery }> {
  const run = await runJob(sluice, job, {
    mode: 'available-now',
    inputPaths,
    output: join(base, 'stream'),
    checkpoint: join(base, 'ckpt'),
    maxFilesPerTrigger: maxFiles,
  });
  if (run.query === null) throw new Error('available-now run returned no query');
  if (run.query.exception !== null) throw run.query.exception;
  return { rows: await readJobOutput(sluice, job, join(base, 'stream'), true), query: run.query };
}

/** Rows normalised for comparison (see normalizeRows), in the columns of `like`'s first row. */
export function canonical(rows: readonly Row[], columns: readonly string[]): unknown[][] {
  return normalizeRows(rows, columns);
}

/**
 * Replays the job's Parquet input in event-time order on simulated processing time (replay
 * mode of runJob, speed max, a trigger every `triggerMs` of event time, default 1 minute)
 * into `base/replay`; returns its rows and query.
 */
export async function replayRun(
  sluice: Sluice,
  job: JobDefinition,
  inputPaths: Record<string, string>,
  base: string,
  triggerMs = 60_000,
): Promise<{ rows: Row[]; query: StreamingQuery }> {
  const out = join(base, 'replay');
  const run = await runJob(sluice, job, {
    mode: 'replay',
    inputPaths,
    output: out,
    checkpoint: join(base, 'ckpt-replay'),
    speed: 'max',
    trigger: { kind: 'processingTime', intervalMs: triggerMs },
  });
  if (run.query === null) throw new Error('replay run returned no query');
  return { rows: await readJobOutput(sluice, job, out, true), query: run.query };
}
