import { readdir, readFile, stat } from 'node:fs/promises';
import { SluiceError } from '../../common/errors.js';
import { FileSinkLog } from '../../common/log/file-sink-log.js';
import { LocalFileManager } from '../../common/log/local-file-manager.js';
import { CheckpointLayout } from './checkpoint-layout.js';
import { CommitLog } from './commit-log.js';
import type { LastError } from './last-error.js';
import { parseLastError } from './last-error.js';
import { OffsetLog } from './offset-log.js';
import { stateOperatorsOf } from './inspect-state.js';
import type { StateOperatorReport } from './inspect-state.js';

/** One source's offsets: in the newest logged batch and in the newest committed batch. */
export interface SourceOffsetsReport {
  /** Plan position of the source (its folder under `sources/`). */
  readonly index: number;
  /** End offset of the newest batch in the offset log (it may still be running or have failed). */
  readonly latestOffset: string | null;
  /** End offset of the newest committed batch; null before the first commit. */
  readonly committedOffset: string | null;
}

/** The Parquet sink's commit log in the output folder (`_sluice_metadata/`). */
export interface SinkLogReport {
  readonly dir: string;
  /** Newest batch the sink committed, -1 when none. */
  readonly latestBatchId: number;
  readonly files: number;
  readonly bytes: number;
}

/** What `sluice checkpoint inspect` shows: everything a checkpoint folder says about its query. */
export interface CheckpointReport {
  readonly checkpoint: string;
  readonly queryId: string | null;
  /** Batch ids still in the offset log and in the commit log (older entries are purged). */
  readonly offsetBatches: readonly number[];
  readonly committedBatches: readonly number[];
  /** Newest committed batch, or null. */
  readonly lastCommittedBatch: number | null;
  /** A batch whose offsets are logged but which did not commit: a restart re-runs it. */
  readonly pendingBatch: number | null;
  /** The watermark the next batch runs with (ms since the epoch), from the newest commit. */
  readonly watermarkMs: number | null;
  readonly watermark: string | null;
  /** The processing time of the newest logged batch. */
  readonly batchTimestamp: string | null;
  /** Settings pinned in the checkpoint (state partitions, ...). */
  readonly conf: Readonly<Record<string, string>>;
  readonly sources: readonly SourceOffsetsReport[];
  readonly stateOperators: readonly StateOperatorReport[];
  /** Null unless the sink's output folder was given. */
  readonly sinkLog: SinkLogReport | null;
  readonly lastError: LastError | null;
  /** The process holding the checkpoint (a running query), or null. */
  readonly lock: Readonly<Record<string, unknown>> | null;
}

async function readText(path: string): Promise<string | null> {
  return readFile(path, 'utf8').catch(() => null);
}

async function sinkLogReport(output: string): Promise<SinkLogReport> {
  const log = new FileSinkLog(new LocalFileManager(), output);
  const files = await log.allFiles();
  if (files === null)
    throw new SluiceError('FILE_NOT_FOUND', `'${output}' has no sink log (${log.dir} does not exist): give the output folder of a streaming Parquet sink.`);
  let bytes = 0;
  for (const f of files) bytes += f.size;
  return { dir: log.dir, latestBatchId: await log.latestBatchId(), files: files.length, bytes };
}

/**
 * Reads a checkpoint folder without changing it (no lock taken, nothing written): batches
 * in the offset and commit logs, offsets per source, the watermark, every state operator
 * with its row count and sizes at the newest committed version, the last error recorded,
 * and, with `output`, the Parquet sink's commit log. Throws FILE_NOT_FOUND when `dir` is
 * not a checkpoint folder and CHECKPOINT_CORRUPT naming a log file that cannot be read.
 */
export async function inspectCheckpoint(dir: string, output?: string): Promise<CheckpointReport> {
  const layout = new CheckpointLayout(dir);
  const st = await stat(dir).catch(() => null);
  if (st === null || !st.isDirectory())
    throw new SluiceError(
      'FILE_NOT_FOUND',
      `Checkpoint folder '${dir}' does not exist. Give the folder passed as checkpointLocation (sluice run --checkpoint).`,
    );
  const names = await readdir(dir);
  if (!names.includes('metadata') && !names.includes('offsets'))
    throw new SluiceError(
      'FILE_NOT_FOUND',
      `'${dir}' is not a checkpoint folder (no metadata file or offsets/ folder). Give the folder passed as checkpointLocation.`,
    );
  const fm = new LocalFileManager();
  const offsets = new OffsetLog(fm, layout.offsetsDir);
  const commits = new CommitLog(fm, layout.commitsDir);
  const offsetBatches = await offsets.list();
  const committedBatches = await commits.list();
  const lastCommit = await commits.getLatest();
  const lastOffsets = await offsets.getLatest();
  const committedOffsets = lastCommit === undefined ? undefined : await offsets.get(lastCommit.batchId);
  const lastCommitted = lastCommit?.batchId ?? null;
  const pending = lastOffsets !== undefined && (lastCommitted === null || lastOffsets.batchId > lastCommitted) ? lastOffsets.batchId : null;
  const latest = lastOffsets?.entry.offsets ?? [];
  const sources = latest.map((o, index) => ({ index, latestOffset: o, committedOffset: committedOffsets?.offsets[index] ?? null }));
  const metadata = await readText(layout.metadataPath);
  let queryId: string | null = null;
  try {
    queryId = metadata === null ? null : ((JSON.parse(metadata) as { id?: string }).id ?? null);
  } catch {
    queryId = null;
  }
  const lockText = await readText(layout.lockPath);
  let lock: Record<string, unknown> | null = null;
  try {
    lock = lockText === null ? null : (JSON.parse(lockText) as Record<string, unknown>);
  } catch {
    lock = { unreadable: lockText };
  }
  const errText = await readText(layout.lastErrorPath);
  const watermarkMs = lastCommit?.entry.nextBatchWatermarkMs ?? null;
  return {
    checkpoint: dir,
    queryId,
    offsetBatches,
    committedBatches,
    lastCommittedBatch: lastCommitted,
    pendingBatch: pending,
    watermarkMs,
    watermark: watermarkMs === null ? null : new Date(watermarkMs).toISOString(),
    batchTimestamp: lastOffsets === undefined ? null : new Date(lastOffsets.entry.batchTimestampMs).toISOString(),
    conf: lastOffsets?.entry.conf ?? {},
    sources,
    stateOperators: await stateOperatorsOf(layout.stateDir, lastCommitted === null ? 0 : lastCommitted + 1),
    sinkLog: output === undefined ? null : await sinkLogReport(output),
    lastError: errText === null ? null : (parseLastError(errText) ?? null),
    lock,
  };
}
