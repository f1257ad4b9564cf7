import type { FileManager } from '../../common/log/file-manager.js';
import { FileMetadataLog } from '../../common/log/file-metadata-log.js';
import { asInteger, asObject, asStringRecord } from '../../common/log/json-fields.js';
import type { LogSerializer } from '../../common/log/metadata-log.js';

/**
 * The write-ahead entry of one batch, written to `offsets/N` before the batch runs. A
 * re-run of batch N after a crash uses exactly these values.
 */
export interface OffsetLogEntry {
  /** The event-time watermark the batch runs with (ms since the epoch). */
  readonly batchWatermarkMs: number;
  /** The processing time of the batch: `current_timestamp()` for every row of it. */
  readonly batchTimestampMs: number;
  /** Settings pinned for the life of the checkpoint (state partition count, ...). */
  readonly conf: Readonly<Record<string, string>>;
  /** The end offset of each source, in plan order, serialized by the source; null when a source has none yet. */
  readonly offsets: readonly (string | null)[];
}

/** Serializer of {@link OffsetLogEntry}: the entry is stored as one JSON object. */
export const offsetLogSerializer: LogSerializer<OffsetLogEntry> = {
  toJson(e) {
    return { batchWatermarkMs: e.batchWatermarkMs, batchTimestampMs: e.batchTimestampMs, conf: e.conf, offsets: e.offsets };
  },
  fromJson(json) {
    const o = asObject(json);
    if (o === undefined) return 'its body is not a JSON object';
    const batchWatermarkMs = asInteger(o.batchWatermarkMs);
    const batchTimestampMs = asInteger(o.batchTimestampMs);
    const conf = asStringRecord(o.conf);
    const offsets = o.offsets;
    if (batchWatermarkMs === undefined) return 'batchWatermarkMs is missing or not an integer';
    if (batchTimestampMs === undefined) return 'batchTimestampMs is missing or not an integer';
    if (conf === undefined) return 'conf is missing or not an object of strings';
    if (!Array.isArray(offsets) || !offsets.every((x) => x === null || typeof x === 'string')) return 'offsets is missing or not an array of strings and nulls';
    return { batchWatermarkMs, batchTimestampMs, conf, offsets: offsets as (string | null)[] };
  },
};

/** The offset log of a checkpoint (`offsets/N`): what each batch reads, written before it runs. */
export class OffsetLog extends FileMetadataLog<OffsetLogEntry> {
  constructor(fileManager: FileManager, dir: string) {
    super(fileManager, dir, offsetLogSerializer);
  }
}
