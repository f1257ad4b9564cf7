import type { FileEntry } from '../../dataframe/plan/logical-plan.js';
import type { FileManager } from '../../common/log/file-manager.js';
import { FileMetadataLog } from '../../common/log/file-metadata-log.js';
import { asObject } from '../../common/log/json-fields.js';
import type { LogSerializer } from '../../common/log/metadata-log.js';
import { fileEntryFromJson, fileEntryToJson } from '../../common/log/file-entry-json.js';

/** The files a streaming file source chose for one of its batches. */
export interface FileStreamSourceEntry {
  readonly files: readonly FileEntry[];
}

const serializer: LogSerializer<FileStreamSourceEntry> = {
  toJson(e) {
    return { files: e.files.map(fileEntryToJson) };
  },
  fromJson(json) {
    const list = asObject(json)?.files;
    if (!Array.isArray(list)) return 'its body has no files list';
    const files: FileEntry[] = [];
    for (let i = 0; i < list.length; i++) {
      const f = fileEntryFromJson(list[i], `file ${i}`);
      if (typeof f === 'string') return f;
      files.push(f);
    }
    return { files };
  },
};

/** How many entries this instance wrote it keeps in memory (the batch being planned reads them back at once). */
const RECENT_ENTRIES = 8;

/**
 * The streaming file source's log (`sources/<i>/N`): entry N lists the files (path, size,
 * mtime) of the source's N-th batch. Entries are written before the batch's offset is
 * returned (write-ahead), so a replayed batch reads exactly the logged files.
 *
 * Entries are write-once, so the last few this instance wrote are also kept in memory (as
 * Spark's file source log caches its recent batches): `get` of a batch just logged returns
 * them without reading and parsing the file again (thousands of files per entry). Entries
 * written by an earlier run are read from disk.
 */
export class FileStreamSourceLog extends FileMetadataLog<FileStreamSourceEntry> {
  private readonly recent = new Map<number, FileStreamSourceEntry>();

  constructor(fileManager: FileManager, dir: string) {
    super(fileManager, dir, serializer);
  }

  override async add(batchId: number, entry: FileStreamSourceEntry): Promise<boolean> {
    const written = await super.add(batchId, entry);
    if (written) {
      this.recent.set(batchId, entry);
      if (this.recent.size > RECENT_ENTRIES) this.recent.delete(this.recent.keys().next().value as number);
    }
    return written;
  }

  override async get(batchId: number): Promise<FileStreamSourceEntry | undefined> {
    return this.recent.get(batchId) ?? super.get(batchId);
  }

  override async purge(thresholdBatchId: number): Promise<void> {
    for (const id of [...this.recent.keys()]) if (id < thresholdBatchId) this.recent.delete(id);
    await super.purge(thresholdBatchId);
  }
}
