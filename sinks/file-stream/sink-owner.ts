import { join, resolve } from 'node:path';
import { SluiceError } from '../../common/errors.js';
import { checkpointCorrupt } from '../../common/log/checkpoint-errors.js';
import type { FileManager } from '../../common/log/file-manager.js';
import { SINK_LOG_DIR } from '../../common/log/file-sink-log.js';
import { asObject } from '../../common/log/json-fields.js';
import type { SinkRunInfo } from '../sink.js';

/** Name of the file in `_sluice_metadata/` that records which query owns the output folder. */
export const SINK_OWNER_FILE = 'owner';

/** The query that owns a Parquet sink's output folder. */
export interface SinkOwner {
  readonly queryId: string;
  readonly checkpointLocation: string;
}

const VERSION = 'v1';

async function readOwner(fileManager: FileManager, path: string): Promise<SinkOwner> {
  const wayOut = `Delete it only if no other query writes to this folder; the next query to start there then owns the folder.`;
  const text = new TextDecoder().decode(await fileManager.readFile(path));
  const nl = text.indexOf('\n');
  if (text.slice(0, nl) !== VERSION) throw checkpointCorrupt(path, `its first line is not '${VERSION}'`, wayOut);
  let json: unknown;
  try {
    json = JSON.parse(text.slice(nl + 1));
  } catch (e) {
    throw checkpointCorrupt(path, 'its JSON does not parse', wayOut, e);
  }
  const o = asObject(json);
  if (typeof o?.queryId !== 'string' || typeof o.checkpointLocation !== 'string')
    throw checkpointCorrupt(path, 'it has no queryId and checkpointLocation', wayOut);
  return { queryId: o.queryId, checkpointLocation: o.checkpointLocation };
}

/**
 * Makes sure the Parquet sink's output folder `dir` is this query's to write, recording the
 * owner when the folder has none yet (`_sluice_metadata/owner`, written atomically and never
 * overwritten, so of two queries starting at once exactly one wins). Two rules keep rows
 * from being skipped as "already written":
 * - the folder belongs to one query (its id, kept in the checkpoint): another query is
 *   refused with SINK_CONFLICT, because both would use the same batch ids;
 * - the folder's commit log may not be ahead of the checkpoint: a log holding batch ids the
 *   run has still to write (newer than `firstBatchId`, or equal to it unless that batch is a
 *   replay) means the checkpoint was reset or replaced, and is refused too.
 * A folder written before owners were recorded is claimed by the first query that passes
 * the second rule.
 *
 * @param latestBatchId - the newest batch id in the folder's commit log (-1: none)
 */
export async function claimOutputFolder(fileManager: FileManager, dir: string, run: SinkRunInfo, latestBatchId: number): Promise<void> {
  const me: SinkOwner = { queryId: run.queryId, checkpointLocation: resolve(run.checkpointLocation) };
  const logDir = join(dir, SINK_LOG_DIR);
  const path = join(logDir, SINK_OWNER_FILE);
  let owner: SinkOwner | null = (await fileManager.exists(path)) ? await readOwner(fileManager, path) : null;
  if (owner === null) {
    checkNotAhead(dir, run, latestBatchId);
    await fileManager.mkdirs(logDir);
    const text = `${VERSION}\n${JSON.stringify(me)}\n`;
    if (await fileManager.writeAtomic(path, text, { overwrite: false })) return;
    owner = await readOwner(fileManager, path);
  }
  if (owner.queryId !== me.queryId) {
    throw new SluiceError(
      'SINK_CONFLICT',
      `Output folder '${dir}' belongs to another streaming query: query ${owner.queryId} (checkpoint '${owner.checkpointLocation}') writes it, ` +
        `and this is query ${me.queryId} (checkpoint '${me.checkpointLocation}'). Two queries writing one Parquet sink folder would skip each other's batch ids and lose rows. ` +
        `Give this query its own output folder. If it is the same query started again with a new checkpoint (the old one was deleted), its batch ids start again from 0: ` +
        `move or delete the output folder to start over, or restart with the old checkpoint.`,
    );
  }
  checkNotAhead(dir, run, latestBatchId);
}

function checkNotAhead(dir: string, run: SinkRunInfo, latestBatchId: number): void {
  const allowed = run.firstBatchIsReplay ? run.firstBatchId : run.firstBatchId - 1;
  if (latestBatchId <= allowed) return;
  throw new SluiceError(
    'SINK_CONFLICT',
    `Output folder '${dir}' has batches up to ${latestBatchId} in its commit log '${join(dir, SINK_LOG_DIR)}', but this query's checkpoint '${resolve(run.checkpointLocation)}' ` +
      `continues with batch ${run.firstBatchId}: batches ${run.firstBatchId} to ${latestBatchId} would be skipped as already written and their rows lost. ` +
      `The checkpoint was reset, deleted or belongs to another query. Restart with the checkpoint that wrote this folder, write to a new output folder, or move or delete the output folder to start over.`,
  );
}
