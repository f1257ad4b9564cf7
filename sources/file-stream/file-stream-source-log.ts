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

/**
 * The streaming file source's log (`sources/<i>/N`): entry N lists the files (path, size,
 * mtime) of the source's N-th batch. Entries are written before the batch's offset is
 * returned (write-ahead), so a replayed batch reads exactly the logged files.
 */
export class FileStreamSourceLog extends FileMetadataLog<FileStreamSourceEntry> {
  constructor(fileManager: FileManager, dir: string) {
    super(fileManager, dir, serializer);
  }
}
