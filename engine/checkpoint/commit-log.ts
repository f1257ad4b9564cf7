import type { FileManager } from '../../common/log/file-manager.js';
import { FileMetadataLog } from '../../common/log/file-metadata-log.js';
import { asInteger, asObject } from '../../common/log/json-fields.js';
import type { LogSerializer } from '../../common/log/metadata-log.js';

/** The entry written to `commits/N` once batch N's output and state are durable. */
export interface CommitLogEntry {
  /** The watermark computed from batch N's data, which batch N+1 runs with (ms). */
  readonly nextBatchWatermarkMs: number;
  /**
   * Per `withWatermark` node, in plan order: its own watermark (null before it saw a row)
   * and the processing time it last saw a row, so a restarted query keeps tracking them.
   * Absent in entries of queries without watermarks.
   */
  readonly watermarks?: readonly { readonly watermarkMs: number | null; readonly lastRowAtMs: number | null }[];
}

function asNullableInteger(v: unknown): number | null | undefined {
  return v === null ? null : asInteger(v);
}

/** Serializer of {@link CommitLogEntry}. */
export const commitLogSerializer: LogSerializer<CommitLogEntry> = {
  toJson(e) {
    return e.watermarks === undefined
      ? { nextBatchWatermarkMs: e.nextBatchWatermarkMs }
      : { nextBatchWatermarkMs: e.nextBatchWatermarkMs, watermarks: e.watermarks };
  },
  fromJson(json) {
    const o = asObject(json);
    if (o === undefined) return 'its body is not a JSON object';
    const nextBatchWatermarkMs = asInteger(o.nextBatchWatermarkMs);
    if (nextBatchWatermarkMs === undefined) return 'nextBatchWatermarkMs is missing or not an integer';
    if (o.watermarks === undefined) return { nextBatchWatermarkMs };
    if (!Array.isArray(o.watermarks)) return 'watermarks is not an array';
    const watermarks: { watermarkMs: number | null; lastRowAtMs: number | null }[] = [];
    for (const w of o.watermarks) {
      const wo = asObject(w);
      const watermarkMs = asNullableInteger(wo?.watermarkMs);
      const lastRowAtMs = asNullableInteger(wo?.lastRowAtMs);
      if (watermarkMs === undefined || lastRowAtMs === undefined) return 'an entry of watermarks lacks an integer or null watermarkMs/lastRowAtMs';
      watermarks.push({ watermarkMs, lastRowAtMs });
    }
    return { nextBatchWatermarkMs, watermarks };
  },
};

/** The commit log of a checkpoint (`commits/N`): which batches finished. */
export class CommitLog extends FileMetadataLog<CommitLogEntry> {
  constructor(fileManager: FileManager, dir: string) {
    super(fileManager, dir, commitLogSerializer);
  }
}
