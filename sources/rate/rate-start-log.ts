import { FileMetadataLog } from '../../common/log/file-metadata-log.js';
import type { FileManager } from '../../common/log/file-manager.js';
import { asInteger, asObject } from '../../common/log/json-fields.js';
import type { LogSerializer } from '../../common/log/metadata-log.js';

/** The rate source's one metadata entry: when its clock started. */
export interface RateStartEntry {
  /** Time of offset 0, ms since the epoch. */
  readonly startTimeMs: number;
}

const serializer: LogSerializer<RateStartEntry> = {
  toJson(e) {
    return { startTimeMs: e.startTimeMs };
  },
  fromJson(json) {
    const startTimeMs = asInteger(asObject(json)?.startTimeMs);
    return startTimeMs === undefined ? 'startTimeMs is missing or not an integer' : { startTimeMs };
  },
};

/**
 * The rate source's metadata log (`sources/<i>/0` = `{"startTimeMs": ...}`), so a restarted
 * query keeps the start time of its first run and regenerates the same rows for a range.
 */
export class RateStartLog extends FileMetadataLog<RateStartEntry> {
  constructor(fileManager: FileManager, dir: string) {
    super(fileManager, dir, serializer);
  }

  /** The logged start time, or `now` after logging it when none is logged yet. */
  async startTime(now: number): Promise<number> {
    const logged = await this.get(0);
    if (logged !== undefined) return logged.startTimeMs;
    if (await this.add(0, { startTimeMs: now })) return now;
    return ((await this.get(0)) as RateStartEntry).startTimeMs;
  }
}
