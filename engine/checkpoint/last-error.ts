import type { SluiceError } from '../../common/errors.js';
import type { FileManager } from '../../common/log/file-manager.js';
import { asObject } from '../../common/log/json-fields.js';
import type { CheckpointLayout } from './checkpoint-layout.js';

/**
 * The error that last stopped a query, kept in `<checkpoint>/last-error.json` so that
 * `sluice checkpoint inspect` can show why a query died after its process is gone. Written
 * (atomically, replacing an older one) when a query fails; a later clean run leaves it in
 * place, and {@link LastError.time} tells which run it belongs to.
 */
export interface LastError {
  /** ISO-8601 UTC time the query stopped. */
  readonly time: string;
  readonly queryId: string;
  readonly runId: string;
  /** The batch that failed, or null when it failed outside a batch (start-up, shutdown). */
  readonly batchId: number | null;
  readonly code: string;
  readonly message: string;
}

/** Writes `error` as the checkpoint's last error. */
export async function recordLastError(fileManager: FileManager, layout: CheckpointLayout, error: LastError): Promise<void> {
  await fileManager.writeAtomic(layout.lastErrorPath, `${JSON.stringify(error, null, 2)}\n`, { overwrite: true });
}

/** The {@link LastError} of a failed query's error. */
export function lastErrorOf(e: SluiceError, ids: { queryId: string; runId: string; batchId: number | null; timeMs: number }): LastError {
  return { time: new Date(ids.timeMs).toISOString(), queryId: ids.queryId, runId: ids.runId, batchId: ids.batchId, code: e.code, message: e.message };
}

/** Parses a `last-error.json` body; undefined when it is not one. */
export function parseLastError(text: string): LastError | undefined {
  let o: Record<string, unknown> | undefined;
  try {
    o = asObject(JSON.parse(text));
  } catch {
    return undefined;
  }
  if (o === undefined || typeof o.code !== 'string' || typeof o.message !== 'string' || typeof o.time !== 'string') return undefined;
  return {
    time: o.time,
    queryId: typeof o.queryId === 'string' ? o.queryId : '',
    runId: typeof o.runId === 'string' ? o.runId : '',
    batchId: typeof o.batchId === 'number' ? o.batchId : null,
    code: o.code,
    message: o.message,
  };
}
