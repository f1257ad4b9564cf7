import { join } from 'node:path';
import { invalidArgument } from '../errors.js';
import { checkpointCorrupt } from './checkpoint-errors.js';
import type { FileManager } from './file-manager.js';
import { asObject } from './json-fields.js';
import { fileEntryFromJson, fileEntryToJson } from './file-entry-json.js';
import type { FileEntry } from '../file-entry.js';

/** Name of the commit-log folder inside a Parquet stream sink's output folder. */
export const SINK_LOG_DIR = '_sluice_metadata';

/** The version line of every sink log file. */
export const SINK_LOG_VERSION = 'v1';

/** Every this many batches the sink log writes a compact file holding all files so far. */
export const DEFAULT_COMPACT_INTERVAL = 10;

const ENTRY_NAME = /^(0|[1-9][0-9]*)(\.compact)?$/;

/** One sink log file name, parsed. */
interface LogName {
  readonly batchId: number;
  readonly compact: boolean;
}

/**
 * The Parquet stream sink's commit log (`<out>/_sluice_metadata/`, Spark's `_spark_metadata`).
 * File `N` lists the part files batch N committed; every `interval`-th batch (ids
 * interval-1, 2*interval-1, ...) is written as `N.compact` instead, listing every file
 * committed up to N, so a reader needs the newest compact file plus the entries after it.
 * Files hold the version line `v1` and one JSON line `{"files": [{path, size, mtimeMs}]}`
 * with paths relative to the output folder. Entries are written atomically and never
 * overwritten. A file that cannot be read throws CHECKPOINT_CORRUPT naming it.
 */
export class FileSinkLog {
  /** The log folder. */
  readonly dir: string;

  /**
   * @param fileManager - atomic writes and listing
   * @param outputDir - the sink's output folder
   * @param interval - compaction interval in batches
   */
  constructor(
    private readonly fileManager: FileManager,
    readonly outputDir: string,
    readonly interval = DEFAULT_COMPACT_INTERVAL,
  ) {
    if (!Number.isSafeInteger(interval) || interval < 1)
      throw invalidArgument(`The sink log's compaction interval must be a positive integer, got ${interval}.`);
    this.dir = join(outputDir, SINK_LOG_DIR);
  }

  /** True when batch `batchId` is written as a compact file. */
  isCompactBatch(batchId: number): boolean {
    return (batchId + 1) % this.interval === 0;
  }

  /** Path of the log file of `batchId`. */
  pathOf(batchId: number): string {
    return join(this.dir, this.isCompactBatch(batchId) ? `${batchId}.compact` : String(batchId));
  }

  private async names(): Promise<LogName[]> {
    const out: LogName[] = [];
    for (const n of await this.fileManager.list(this.dir)) {
      const m = ENTRY_NAME.exec(n);
      if (m) out.push({ batchId: Number(m[1]), compact: m[2] !== undefined });
    }
    return out.sort((a, b) => a.batchId - b.batchId);
  }

  /** The highest committed batch id, or -1 when nothing is committed. */
  async latestBatchId(): Promise<number> {
    const names = await this.names();
    return names[names.length - 1]?.batchId ?? -1;
  }

  /**
   * Every committed file (relative paths) as of the newest entry: the newest compact file
   * plus the plain entries after it. Null when the log folder does not exist.
   */
  async allFiles(): Promise<FileEntry[] | null> {
    if (!(await this.fileManager.exists(this.dir))) return null;
    const names = await this.names();
    let from = 0;
    for (let i = names.length - 1; i >= 0; i--) {
      if ((names[i] as LogName).compact) {
        from = i;
        break;
      }
    }
    const files: FileEntry[] = [];
    for (const n of names.slice(from)) files.push(...(await this.read(n)));
    return files;
  }

  /**
   * Reads back the newest entry and the newest compact file at or before it (what a
   * reader of the latest state depends on), so damage fails a restarted writer before it
   * commits on top of it. Throws CHECKPOINT_CORRUPT naming the file; nothing to check when
   * the log is empty or missing.
   */
  async verifyLatest(): Promise<void> {
    if (!(await this.fileManager.exists(this.dir))) return;
    const names = await this.names();
    const newest = names[names.length - 1];
    if (newest === undefined) return;
    const compact = [...names].reverse().find((n) => n.compact);
    if (compact !== undefined && compact !== newest) await this.read(compact);
    await this.read(newest);
  }

  /**
   * Writes batch `batchId`'s entry (a compact file when due, holding `previous` plus
   * `files`). Returns false when the entry exists already (another writer committed it).
   */
  async add(batchId: number, files: readonly FileEntry[], previous: readonly FileEntry[]): Promise<boolean> {
    const all = this.isCompactBatch(batchId) ? [...previous, ...files] : files;
    const text = `${SINK_LOG_VERSION}\n${JSON.stringify({ files: all.map(fileEntryToJson) })}\n`;
    await this.fileManager.mkdirs(this.dir);
    return this.fileManager.writeAtomic(this.pathOf(batchId), text, { overwrite: false });
  }

  /**
   * Deletes log files no reader needs any more: everything before the compact file that
   * precedes the newest one, so a reader that started before the newest compaction can
   * still finish (Spark delays the deletion for the same reason).
   */
  async purge(): Promise<void> {
    const names = await this.names();
    const compacts = names.filter((n) => n.compact);
    const keepFrom = compacts[compacts.length - 2]?.batchId;
    if (keepFrom === undefined) return;
    for (const n of names) if (n.batchId < keepFrom) await this.fileManager.delete(join(this.dir, n.compact ? `${n.batchId}.compact` : String(n.batchId)));
  }

  private async read(name: LogName): Promise<FileEntry[]> {
    const path = join(this.dir, name.compact ? `${name.batchId}.compact` : String(name.batchId));
    return parseSinkLogFile(path, await this.fileManager.readFile(path), name.batchId, this.dir);
  }
}

/**
 * Parses one sink log file (`v1` line, then `{"files": [...]}`): its file entries, paths
 * relative to the output folder. Throws CHECKPOINT_CORRUPT naming the file and how to repair it.
 */
export function parseSinkLogFile(path: string, bytes: Uint8Array, batchId: number, logDir: string): FileEntry[] {
  const wayOut =
    `The output folder's commit log is damaged: restore '${path}' from a backup, or delete it, the later files of '${logDir}' and the part files of batch ${batchId} and later batches, ` +
    `then delete commits/${batchId} and the offsets/ and commits/ files of later batches from the query's checkpoint, so the restarted query re-runs those batches.`;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    throw checkpointCorrupt(path, 'it is not valid UTF-8 text', wayOut, e);
  }
  const nl = text.indexOf('\n');
  const header = nl < 0 ? text : text.slice(0, nl);
  if (header !== SINK_LOG_VERSION)
    throw checkpointCorrupt(path, text.length === 0 ? 'it is empty' : `its first line is '${header.slice(0, 20)}', not '${SINK_LOG_VERSION}'`, wayOut);
  let json: unknown;
  try {
    json = JSON.parse(text.slice(nl + 1));
  } catch (e) {
    throw checkpointCorrupt(path, 'it is truncated or garbled: its JSON body does not parse', wayOut, e);
  }
  const list = asObject(json)?.files;
  if (!Array.isArray(list)) throw checkpointCorrupt(path, 'its body has no files list', wayOut);
  return list.map((f, i) => {
    const entry = fileEntryFromJson(f, `file ${i}`);
    if (typeof entry === 'string') throw checkpointCorrupt(path, entry, wayOut);
    return entry;
  });
}

/** The batch id and kind of a sink log file name (`12`, `19.compact`), or null for other names. */
export function parseSinkLogName(name: string): { readonly batchId: number; readonly compact: boolean } | null {
  const m = ENTRY_NAME.exec(name);
  return m ? { batchId: Number(m[1]), compact: m[2] !== undefined } : null;
}
