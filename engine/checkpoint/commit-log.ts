import type { FileManager } from './file-manager.js';
import { FileMetadataLog } from './file-metadata-log.js';
import { asInteger, asObject } from './json-fields.js';
import type { LogSerializer } from './metadata-log.js';

/** The entry written to `commits/N` once batch N's output and state are durable. */
export interface CommitLogEntry {
  /** The watermark computed from batch N's data, which batch N+1 runs with (ms). */
  readonly nextBatchWatermarkMs: number;
}

/** Serializer of {@link CommitLogEntry}. */
export const commitLogSerializer: LogSerializer<CommitLogEntry> = {
  toJson(e) {
    return { nextBatchWatermarkMs: e.nextBatchWatermarkMs };
  },
  fromJson(json) {
    const o = asObject(json);
    if (o === undefined) return 'its body is not a JSON object';
    const nextBatchWatermarkMs = asInteger(o.nextBatchWatermarkMs);
    if (nextBatchWatermarkMs === undefined) return 'nextBatchWatermarkMs is missing or not an integer';
    return { nextBatchWatermarkMs };
  },
};

/** The commit log of a checkpoint (`commits/N`): which batches finished. */
export class CommitLog extends FileMetadataLog<CommitLogEntry> {
  constructor(fileManager: FileManager, dir: string) {
    super(fileManager, dir, commitLogSerializer);
  }
}
