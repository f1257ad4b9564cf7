import { FileMetadataLog } from '../../common/log/file-metadata-log.js';
import type { FileManager } from '../../common/log/file-manager.js';
import { asStringRecord } from '../../common/log/json-fields.js';
import type { LogSerializer } from '../../common/log/metadata-log.js';
import { invalidArgument } from '../../common/errors.js';
import type { Offset } from '../source.js';
import type { StreamId } from './stream-id.js';
import { isStreamId } from './stream-id.js';

/** The source's offset: per stream key, the id of the last entry read (`0-0` before the first). */
export type StreamOffsets = Readonly<Record<string, StreamId>>;

/**
 * Reads a logged offset back, checking that it names every stream with a valid id; a
 * mismatch (the query's `streams` option changed) is INVALID_ARGUMENT naming both sides.
 */
export function parseStreamOffsets(offset: Offset, streams: readonly string[], owner: string): StreamOffsets {
  const rec = asStringRecord(offset);
  if (rec === undefined) throw invalidArgument(`${owner}: offset ${JSON.stringify(offset)} is not an object of stream ids.`);
  for (const s of streams)
    if (rec[s] === undefined || !isStreamId(rec[s] as string))
      throw invalidArgument(
        `${owner}: the checkpoint's offset ${JSON.stringify(offset)} has no entry id for stream '${s}'. Option 'streams' changed since the checkpoint was written; use a new checkpoint.`,
      );
  return rec;
}

const serializer: LogSerializer<StreamOffsets> = {
  toJson(e) {
    return { ...e };
  },
  fromJson(json) {
    const rec = asStringRecord(json);
    return rec === undefined || !Object.values(rec).every(isStreamId) ? 'not an object of stream entry ids' : rec;
  },
};

/**
 * The source's metadata log (`sources/<i>/0`): the starting ids resolved when the query
 * first ran, so `startingOffsets=latest` means the same ids after a restart that happens
 * before the first batch is committed (as Spark's Kafka source keeps its initial offsets).
 */
export class InitialOffsetsLog extends FileMetadataLog<StreamOffsets> {
  constructor(fileManager: FileManager, dir: string) {
    super(fileManager, dir, serializer);
  }

  /** The logged initial offsets, or `resolve()` after logging it when none is logged yet. */
  async initial(resolve: () => Promise<StreamOffsets>): Promise<StreamOffsets> {
    const logged = await this.get(0);
    if (logged !== undefined) return logged;
    const fresh = await resolve();
    if (await this.add(0, fresh)) return fresh;
    return (await this.get(0)) as StreamOffsets;
  }
}
