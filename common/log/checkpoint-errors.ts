import { SluiceError } from '../errors.js';

/**
 * CHECKPOINT_CORRUPT for a file that cannot be read back. The message names the file,
 * what is wrong with it and `wayOut`: what the user can do about it.
 */
export function checkpointCorrupt(path: string, problem: string, wayOut: string, cause?: unknown): SluiceError {
  return new SluiceError('CHECKPOINT_CORRUPT', `Checkpoint file '${path}' is corrupt: ${problem}. ${wayOut}`, { domain: 'external', cause });
}

/** The way out of a corrupt metadata-log file for batch `batchId`. */
export function logWayOut(batchId: number): string {
  return `Delete this file and the files after it (in offsets/ and commits/) to re-run batch ${batchId}, or start the query with a new checkpoint location.`;
}
