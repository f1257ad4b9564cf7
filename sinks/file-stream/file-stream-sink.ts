import { stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import type { ColumnarBatch } from '../../common/column-vector.js';
import { sliceBatch } from '../../common/columnar-batch.js';
import { invalidArgument } from '../../common/errors.js';
import { checkPartitionColumns } from '../../common/partition-column-check.js';
import type { Schema } from '../../common/schema.js';
import type { DataFrame } from '../../dataframe/data-frame.js';
import type { FileEntry, ScanOptions } from '../../dataframe/plan/logical-plan.js';
import type { FileManager } from '../../common/log/file-manager.js';
import { LocalFileManager } from '../../common/log/local-file-manager.js';
import { writePartitioned } from '../file/write-dataset.js';
import type { OutputMode, Sink, SinkRunInfo } from '../sink.js';
import { claimOutputFolder } from './sink-owner.js';
import { FileSinkLog } from '../../common/log/file-sink-log.js';
import type { FileSinkFormat, FileStreamSinkOptions } from './file-stream-sink-options.js';
import { checkTextWrite } from '../file/text-write-options.js';
import { fileStreamSinkOptions } from './file-stream-sink-options.js';

/**
 * The exactly-once file sink (Spark's FileStreamSink) for Parquet, CSV and JSON lines,
 * append mode only.
 *
 * `addBatch(N, data)` is a no-op when the sink log already holds batch N or a later one.
 * Otherwise it streams the batch's rows into part files named
 * `part-<N>-<uuid>.<codec>.parquet` (`.csv`, `.json`; in `col=value/` folders with `partitionBy`; a new file
 * every `maxRecordsPerFile` rows; no file for an empty batch), then atomically writes the
 * log entry `_sluice_metadata/N` listing them (every 10th batch as `N.compact`, listing all
 * files so far, after which log files two compactions old are deleted). The entry is the
 * commit: part files without one (a crash between write and log) are never read through
 * `committedFiles` and are removed by nothing but the user. If another writer logged
 * batch N first, this call deletes its own part files and returns.
 *
 * One output folder belongs to one query: `open` (called when a run of the query starts)
 * refuses a folder another query writes, or whose log is ahead of the checkpoint, and
 * removes temp files of killed writers (see `open`).
 *
 * The first `addBatch` of an instance (one instance per run of a query) first reads back
 * the newest log entry and the compact file it depends on: a damaged entry fails the
 * restarted query with CHECKPOINT_CORRUPT naming the file and how to repair it, instead of
 * committing more batches on top of it and failing only readers of the output.
 */
export class FileStreamSink implements Sink {
  readonly description: string;
  /** Output modes this sink accepts. */
  readonly supportedOutputModes: readonly OutputMode[] = ['append'];
  /** The output folder (absolute). */
  readonly dir: string;
  private readonly opts: FileStreamSinkOptions;
  private readonly log: FileSinkLog;
  private readonly fileManager: FileManager;
  private logVerified = false;

  /**
   * @param dir - the output folder; `read.parquet(dir)` reads what was committed
   * @param options - compression, partitionBy, maxRecordsPerFile
   * @param fileManager - used for the commit log (atomic writes)
   */
  constructor(
    dir: string,
    options: ScanOptions = {},
    fileManager: FileManager = new LocalFileManager(),
    readonly fileFormat: FileSinkFormat = 'parquet',
  ) {
    this.dir = resolve(dir);
    this.opts = fileStreamSinkOptions(options, fileFormat);
    this.fileManager = fileManager;
    this.log = new FileSinkLog(fileManager, this.dir);
    this.description = fileFormat === 'parquet' ? `FileStreamSink[${this.dir}]` : `FileStreamSink[${fileFormat}, ${this.dir}]`;
  }

  /** Refuses (at `start()`) partition columns that are missing from `schema` or not atomic, and columns CSV cannot hold. */
  checkSchema(schema: Schema): void {
    checkPartitionColumns(schema, this.opts.partitionBy, `${this.fileFormat} sink partitionBy`);
    if (this.fileFormat === 'csv') checkTextWrite('csv', {}, schema, 'csv stream sink', []);
  }

  /**
   * Starts a run of the query: checks that the output folder is this query's and its commit
   * log is not ahead of the checkpoint (SINK_CONFLICT otherwise, see {@link claimOutputFolder}),
   * then deletes the temp files killed writers left in the folder. That is safe here: the
   * folder has one owner query, and this run holds that query's checkpoint lock, so no live
   * writer of the folder exists.
   */
  async open(run: SinkRunInfo): Promise<void> {
    await claimOutputFolder(this.fileManager, this.dir, run, await this.log.latestBatchId());
    await this.fileManager.removeTempFiles?.(this.dir, { recursive: true });
  }

  async addBatch(batchId: number, data: DataFrame, mode: OutputMode): Promise<void> {
    if (mode !== 'append')
      throw invalidArgument(`The ${this.fileFormat} sink supports only output mode 'append', got '${mode}'. Use append, or the memory or foreachBatch sink.`);
    if (!this.logVerified) {
      await this.log.verifyLatest();
      this.logVerified = true;
    }
    if (batchId <= (await this.log.latestBatchId())) return;
    checkPartitionColumns(data.schema, this.opts.partitionBy, `${this.fileFormat} sink partitionBy`);
    const written = await this.writeParts(batchId, data);
    const entries: FileEntry[] = [];
    for (const path of written) {
      const s = await stat(path);
      entries.push({ path: relative(this.dir, path), size: s.size, mtimeMs: s.mtimeMs });
    }
    const previous = this.log.isCompactBatch(batchId) ? ((await this.log.allFiles()) ?? []) : [];
    if (!(await this.log.add(batchId, entries, previous))) {
      for (const path of written) await this.fileManager.delete(path);
      return;
    }
    if (this.log.isCompactBatch(batchId)) await this.log.purge();
  }

  private async writeParts(batchId: number, data: DataFrame): Promise<string[]> {
    const schema: Schema = data.schema;
    const written: string[] = [];
    let buffered: ColumnarBatch[] = [];
    let rows = 0;
    const flush = async (): Promise<void> => {
      if (rows === 0) return;
      written.push(...(await writePartitioned(this.dir, schema, buffered, this.opts.partitionBy, batchId, this.opts.parquet, this.opts.format)));
      buffered = [];
      rows = 0;
    };
    const max = this.opts.maxRecordsPerFile;
    for await (const b of data.batches()) {
      for (let at = 0; at < b.numRows; ) {
        const take = Math.min(b.numRows - at, max - rows);
        buffered.push(at === 0 && take === b.numRows ? b : sliceBatch(b, at, at + take));
        rows += take;
        at += take;
        if (rows >= max) await flush();
      }
    }
    await flush();
    return written;
  }

  async stop(): Promise<void> {}
}
