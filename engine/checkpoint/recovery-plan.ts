import { invalidArgument } from '../../common/errors.js';
import { checkpointCorrupt } from '../../common/log/checkpoint-errors.js';
import type { CommitLogEntry } from './commit-log.js';
import type { MetadataLog } from '../../common/log/metadata-log.js';
import type { OffsetLogEntry } from './offset-log.js';

/** A metadata log that can name the file of a batch (for error messages). */
export type NamedLog<T> = MetadataLog<T> & { pathOf(batchId: number): string };

/** What a (re)started query does first, decided from its logs. */
export interface RecoveryPlan {
  /** The batch id the query runs next (the re-run batch when `rerun` is set). */
  readonly nextBatchId: number;
  /** Set when the last logged batch did not commit: run it again with exactly this entry. */
  readonly rerun?: { readonly batchId: number; readonly entry: OffsetLogEntry };
  /** End offsets of the last finished batch: where the next batch starts reading. Absent for a fresh query. */
  readonly startOffsets?: OffsetLogEntry;
  /** The watermark the next batch runs with (ms). */
  readonly watermarkMs: number;
  /** The commit entry of the batch before the next one, if any (watermark tracking state). */
  readonly lastCommit?: CommitLogEntry;
  /** Things worth logging (a commit log lagging by more than one batch). */
  readonly warnings: readonly string[];
}

/**
 * Decides how a query resumes, by Spark's rules. With N the newest offset-log batch and C
 * the newest commit-log batch:
 * - no offsets: a fresh query starting at batch 0, watermark 0;
 * - C == N: batch N finished; batch N+1 starts from offsets[N] with watermark
 *   max(offsets[N].batchWatermarkMs, commits[N].nextBatchWatermarkMs);
 * - C < N (normally N-1): batch N is re-run with exactly offsets[N] (same offsets, batch
 *   time, watermark and conf), starting from offsets[N-1], which must exist;
 * - C > N: the checkpoint is inconsistent (CHECKPOINT_CORRUPT).
 */
export async function planRecovery(offsetLog: NamedLog<OffsetLogEntry>, commitLog: NamedLog<CommitLogEntry>): Promise<RecoveryPlan> {
  const lastOffsets = await offsetLog.getLatest();
  const lastCommit = await commitLog.getLatest();
  if (lastOffsets === undefined) {
    if (lastCommit !== undefined) {
      throw checkpointCorrupt(
        commitLog.pathOf(lastCommit.batchId),
        `batch ${lastCommit.batchId} is committed but the offset log is empty`,
        'Delete the commits/ folder to start from batch 0, or start the query with a new checkpoint location.',
      );
    }
    return { nextBatchId: 0, watermarkMs: 0, warnings: [] };
  }
  const n = lastOffsets.batchId;
  const c = lastCommit?.batchId ?? -1;
  if (c > n) {
    throw checkpointCorrupt(
      commitLog.pathOf(c),
      `batch ${c} is committed but the newest offset-log entry is batch ${n}`,
      `Delete commit files after ${n}, or start the query with a new checkpoint location.`,
    );
  }
  if (c === n && lastCommit !== undefined) {
    const watermarkMs = Math.max(lastOffsets.entry.batchWatermarkMs, lastCommit.entry.nextBatchWatermarkMs);
    return { nextBatchId: n + 1, startOffsets: lastOffsets.entry, watermarkMs, lastCommit: lastCommit.entry, warnings: [] };
  }
  const warnings = c < n - 1 ? [`The newest commit is batch ${c} but batches up to ${n} were logged; re-running batch ${n} only.`] : [];
  let startOffsets: OffsetLogEntry | undefined;
  if (n > 0) {
    startOffsets = await offsetLog.get(n - 1);
    if (startOffsets === undefined) {
      throw checkpointCorrupt(
        offsetLog.pathOf(n - 1),
        `the file is missing, and re-running batch ${n} needs it as its start`,
        'Keep at least two batches of offsets (minBatchesToRetain >= 1), or start the query with a new checkpoint location.',
      );
    }
  }
  const rerun = { batchId: n, entry: lastOffsets.entry };
  const before = n > 0 ? await commitLog.get(n - 1) : undefined;
  const base = { nextBatchId: n, rerun, watermarkMs: lastOffsets.entry.batchWatermarkMs, warnings };
  const withCommit = before === undefined ? base : { ...base, lastCommit: before };
  return startOffsets === undefined ? withCommit : { ...withCommit, startOffsets };
}

/**
 * Deletes offset and commit entries no longer needed once batch `currentBatchId` is
 * logged: everything below `currentBatchId - minBatchesToRetain`, so the newest
 * `minBatchesToRetain + 1` entries stay (a re-run of the current batch needs the one
 * before it).
 */
export async function purgeOldBatches(
  offsetLog: MetadataLog<OffsetLogEntry>,
  commitLog: MetadataLog<CommitLogEntry>,
  currentBatchId: number,
  minBatchesToRetain: number,
): Promise<void> {
  if (!Number.isSafeInteger(minBatchesToRetain) || minBatchesToRetain < 1) {
    throw invalidArgument(`minBatchesToRetain must be an integer >= 1, got ${minBatchesToRetain}.`);
  }
  const threshold = currentBatchId - minBatchesToRetain;
  if (threshold <= 0) return;
  await offsetLog.purge(threshold);
  await commitLog.purge(threshold);
}
