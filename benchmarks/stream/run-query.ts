import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { StreamingQuery } from '../../dataframe/streaming-query.js';
import type { Sluice } from '../../engine/session/sluice.js';
import type { ProgressRecorder } from './progress-recorder.js';

/** A fresh checkpoint folder under `root` (prefix names the benchmark); delete it with {@link removeCheckpoint}. */
export function newCheckpoint(root: string, prefix: string): Promise<string> {
  return mkdtemp(join(root, `sluice-${prefix}-`));
}

/** Deletes a checkpoint folder made by {@link newCheckpoint}. */
export function removeCheckpoint(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

/**
 * Starts a query with `recorder` registered on the session, waits until the recorder has its
 * batches, stops the query and unregisters the recorder. Rejects with the query's error
 * when it fails, or when it stops before recording enough batches.
 */
export async function runForBatches(sluice: Sluice, recorder: ProgressRecorder, start: () => Promise<StreamingQuery>): Promise<void> {
  sluice.streams.addListener(recorder);
  let query: StreamingQuery | null = null;
  try {
    query = await start();
    const q = query;
    const ended = q.awaitTermination().then(() => {
      throw new Error(`Streaming query '${q.name ?? q.id}' stopped after ${recorder.count} of ${recorder.limit} batches.`);
    });
    await Promise.race([recorder.done, ended]);
    ended.catch(() => undefined);
  } finally {
    await query?.stop();
    sluice.streams.removeListener(recorder);
  }
  if (query.exception !== null) throw query.exception;
}
