import { join } from 'node:path';
import { invalidArgument } from '../errors.js';
import { checkpointCorrupt, logWayOut } from './checkpoint-errors.js';
import type { FileManager } from './file-manager.js';
import type { LogEntry, LogSerializer, MetadataLog } from './metadata-log.js';

/** The version line every entry file of a {@link FileMetadataLog} starts with. */
export const LOG_VERSION = 'v1';

const BATCH_FILE = /^(0|[1-9][0-9]*)$/;

/** Most ids a purge deletes one by one (without listing the directory) when it knows what lies below. */
const PURGE_BY_ID_LIMIT = 64;

function checkBatchId(batchId: number): void {
  if (!Number.isSafeInteger(batchId) || batchId < 0) throw invalidArgument(`Batch id must be a non-negative integer, got ${batchId}.`);
}

/**
 * {@link MetadataLog} keeping one file per batch in a directory, named by the batch id in
 * decimal (`offsets/0`, `offsets/1`, ...), as Spark's HDFSMetadataLog does. A file holds
 * the version line `v1`, a newline, and the entry as one line of JSON. Because the body is
 * a single JSON value, any truncation short of its last character fails to parse, so torn
 * files are always detected. Writes go through {@link FileManager.writeAtomic} without
 * overwrite.
 */
export class FileMetadataLog<T> implements MetadataLog<T> {
  /**
   * After a purge, the threshold below which this log deleted every entry; null when not
   * known (no purge yet, or an entry was added below it since). Lets the purge of a running
   * query delete the one or two entries that fell out of the window without listing and
   * sorting the directory on every batch.
   */
  private purgedBelow: number | null = null;

  /**
   * @param fileManager - file operations (atomic writes)
   * @param dir - the log's directory, created on first add
   * @param serializer - entry <-> JSON conversion and validation
   */
  constructor(
    readonly fileManager: FileManager,
    readonly dir: string,
    private readonly serializer: LogSerializer<T>,
  ) {}

  /** Path of the file of `batchId`. */
  pathOf(batchId: number): string {
    return join(this.dir, String(batchId));
  }

  async add(batchId: number, entry: T): Promise<boolean> {
    checkBatchId(batchId);
    const text = `${LOG_VERSION}\n${JSON.stringify(this.serializer.toJson(entry))}\n`;
    if (this.purgedBelow !== null && batchId < this.purgedBelow) this.purgedBelow = null;
    await this.fileManager.mkdirs(this.dir);
    return this.fileManager.writeAtomic(this.pathOf(batchId), text, { overwrite: false });
  }

  async get(batchId: number): Promise<T | undefined> {
    checkBatchId(batchId);
    const path = this.pathOf(batchId);
    if (!(await this.fileManager.exists(path))) return undefined;
    return this.parse(path, batchId, await this.fileManager.readFile(path));
  }

  async getLatest(): Promise<LogEntry<T> | undefined> {
    const ids = await this.list();
    const batchId = ids[ids.length - 1];
    if (batchId === undefined) return undefined;
    const entry = await this.get(batchId);
    return entry === undefined ? undefined : { batchId, entry };
  }

  async list(): Promise<number[]> {
    const names = await this.fileManager.list(this.dir);
    const ids: number[] = [];
    for (const n of names) if (BATCH_FILE.test(n)) ids.push(Number(n));
    return ids.sort((a, b) => a - b);
  }

  async purge(thresholdBatchId: number): Promise<void> {
    const below = this.purgedBelow;
    if (below !== null && thresholdBatchId <= below) return;
    if (below !== null && thresholdBatchId - below <= PURGE_BY_ID_LIMIT) {
      for (let id = below; id < thresholdBatchId; id++) await this.fileManager.delete(this.pathOf(id));
    } else {
      for (const id of await this.list()) {
        if (id >= thresholdBatchId) break;
        await this.fileManager.delete(this.pathOf(id));
      }
    }
    this.purgedBelow = thresholdBatchId;
  }

  private parse(path: string, batchId: number, bytes: Uint8Array): T {
    const wayOut = logWayOut(batchId);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch (e) {
      throw checkpointCorrupt(path, 'it is not valid UTF-8 text', wayOut, e);
    }
    const nl = text.indexOf('\n');
    const header = nl < 0 ? text : text.slice(0, nl);
    if (header !== LOG_VERSION) {
      const problem = /^v[0-9]+$/.test(header)
        ? `it has log version ${header} but this Sluice reads only ${LOG_VERSION}, so a newer Sluice wrote it (upgrade Sluice to read it)`
        : text.length === 0
          ? 'it is empty'
          : `its first line is '${header.slice(0, 20)}', not the version line '${LOG_VERSION}'`;
      throw checkpointCorrupt(path, problem, wayOut);
    }
    const body = nl < 0 ? '' : text.slice(nl + 1).trim();
    if (body.length === 0) throw checkpointCorrupt(path, 'it is truncated: nothing follows the version line', wayOut);
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (e) {
      throw checkpointCorrupt(path, 'it is truncated or garbled: its JSON body does not parse', wayOut, e);
    }
    const entry = this.serializer.fromJson(json);
    if (typeof entry === 'string') throw checkpointCorrupt(path, entry, wayOut);
    return entry;
  }
}
