import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SluiceError } from '../../common/errors.js';
import type { Schema } from '../../common/schema.js';
import { schemaOf } from '../../common/schema.js';
import { buildFileScan, buildLocalRelation } from '../../dataframe/plan/builders/build-misc.js';
import type { FileEntry, FileFormat, LogicalPlan, ScanOptions } from '../../dataframe/plan/logical-plan.js';
import type { FileManager } from '../../common/log/file-manager.js';
import { hasGlob } from '../file/glob-pattern.js';
import { inferFileSchema, inferPartitionFields } from '../file/infer-schema.js';
import { countOffset } from '../rate/count-offset.js';
import type { Offset, ReadLimit, Source } from '../source.js';
import type { FileStreamOptions } from './file-stream-options.js';
import { fileStreamOptions } from './file-stream-options.js';
import { FileStreamSourceLog } from './file-stream-source-log.js';
import { listStreamFiles } from './list-stream-files.js';
import { SeenFilesMap } from './seen-files-map.js';
import { admitFiles, orderFiles, tighterLimit } from './select-batch-files.js';

/** What {@link FileStreamSource.create} needs. */
export interface FileStreamSourceArgs {
  readonly format: FileFormat;
  /** A folder (read recursively) or a glob. */
  readonly path: string;
  /** The data schema; null infers it (see `schemaInference`). */
  readonly schema: Schema | null;
  /** The schema an earlier creation settled (readStream.load); given, the files are not listed to learn it. */
  readonly settledSchema?: Schema;
  /** Streaming options (maxFilesPerTrigger, ...) and reader options (header, sep, ...). */
  readonly options: ScanOptions;
  /** The source's checkpoint folder, `<checkpoint>/sources/<index>`. */
  readonly metadataPath: string;
  readonly fileManager: FileManager;
}

/**
 * The streaming file source (Spark's FileStreamSource) for parquet, csv and json.
 *
 * Offsets are indexes into the source's own log (initially -1). `latestOffset(start)` lists
 * the path, drops files already taken (a {@link SeenFilesMap} rebuilt from the log on
 * start, aged by `maxFileAge`), orders the rest by modification time then path
 * (`latestFirst` reverses), admits as many as the tighter of its own
 * `maxFilesPerTrigger`/`maxBytesPerTrigger` and the engine's read limit allow (at least
 * one), writes them as the next log entry and only then returns that entry's index. If the
 * log already holds an entry after `start` (logged before a crash, never run), that entry
 * is offered first. `getBatch(a, b)` reads log entries a+1..b and never lists: the plan is
 * a file scan of exactly those files, so a replay reads the same files even when others
 * arrived. Files must appear atomically (write elsewhere, then rename into the folder).
 * With `ignoreMissingFiles` (Spark's option), logged files that were deleted since are
 * skipped with a warning instead of failing the batch: the way to drop a corrupt file
 * from a stream is to delete it and restart with this option.
 *
 * AvailableNow: `prepareForTriggerAvailableNow()` lists the path once and keeps that
 * listing; from then on `latestOffset` chooses only among those files (still under the
 * read limits, so they are spread over several batches) and never lists again, so files
 * arriving during the run wait for the next run. A pending log entry (logged before a
 * crash, never run) is still offered first.
 *
 * Schema: the given one (plus `key=value` partition columns found at start), or with
 * `schemaInference` (default for parquet only, as its footer states the schema) inferred
 * from the files present when the source is created. `readStream.load()` settles it once
 * and every query started from that DataFrame passes it back as `settledSchema`, so a start
 * neither lists the path nor reads footers (Spark settles a streaming source's schema at
 * load too). Pass a schema for csv and json, or the schema may change when a restarted
 * process sees different files.
 */
export class FileStreamSource implements Source {
  readonly schema: Schema;
  readonly description: string;
  /** The read limit of the source's own options (maxFilesPerTrigger, maxBytesPerTrigger). */
  readonly defaultReadLimit: ReadLimit;
  private readonly log: FileStreamSourceLog;
  private seen: SeenFilesMap | null = null;
  /** The listing taken by prepareForTriggerAvailableNow; null lists on every latestOffset. */
  private availableNowFiles: readonly FileEntry[] | null = null;

  private constructor(
    readonly format: FileFormat,
    readonly path: string,
    schema: Schema,
    private readonly opts: FileStreamOptions,
    metadataPath: string,
    fileManager: FileManager,
  ) {
    this.schema = schema;
    this.defaultReadLimit = opts.readLimit;
    this.description = `FileStreamSource[${format}, ${path}]`;
    this.log = new FileStreamSourceLog(fileManager, metadataPath);
  }

  /** Validates the options, settles the schema (listing the files present) and returns the source. */
  static async create(args: FileStreamSourceArgs): Promise<FileStreamSource> {
    const opts = fileStreamOptions(args.options, args.format);
    const path = resolve(args.path);
    if (!hasGlob(args.path) && !(await stat(path).catch(() => null))?.isDirectory())
      throw new SluiceError(
        'FILE_NOT_FOUND',
        `Streaming ${args.format} source path '${args.path}' is not an existing folder (resolved to '${path}'). Create the folder, or give a glob such as 'in/*.${args.format}'.`,
      );
    if (args.settledSchema !== undefined) return new FileStreamSource(args.format, path, args.settledSchema, opts, args.metadataPath, args.fileManager);
    const present = await listStreamFiles(path);
    let schema: Schema;
    if (args.schema !== null) {
      const names = new Set(args.schema.fields.map((f) => f.name));
      const parts = inferPartitionFields(present, opts.readerOptions).filter((f) => !names.has(f.name));
      schema = parts.length === 0 ? args.schema : schemaOf([...args.schema.fields, ...parts]);
    } else if (!opts.schemaInference) {
      throw new SluiceError(
        'INVALID_ARGUMENT',
        `A streaming ${args.format} source needs a schema: pass one with readStream.schema('id BIGINT, name STRING'), or set option schemaInference to true to infer it from the files present at start.`,
      );
    } else if (present.length === 0) {
      throw new SluiceError(
        'INVALID_ARGUMENT',
        `Cannot infer the schema of streaming ${args.format} source '${args.path}': it has no files yet. Pass a schema with readStream.schema(...).`,
      );
    } else {
      schema = await inferFileSchema(args.format, present, opts.readerOptions);
    }
    return new FileStreamSource(args.format, path, schema, opts, args.metadataPath, args.fileManager);
  }

  private async seenFiles(): Promise<SeenFilesMap> {
    if (this.seen === null) {
      const limited = this.opts.readLimit.maxFiles !== undefined || this.opts.readLimit.maxBytes !== undefined;
      const seen = new SeenFilesMap(this.opts.maxFileAgeMs, this.opts.latestFirst && limited);
      for (const id of await this.log.list()) for (const f of (await this.log.get(id))?.files ?? []) seen.add(f.path, f.mtimeMs);
      seen.purge();
      this.seen = seen;
    }
    return this.seen;
  }

  async initialOffset(): Promise<Offset> {
    return -1;
  }

  async latestOffset(start: Offset, limit: ReadLimit): Promise<Offset> {
    const from = countOffset(start, -1, this.description);
    const seen = await this.seenFiles();
    // Only the id of the latest entry matters here; parsing it (thousands of files) would be wasted.
    const latest = (await this.log.list()).at(-1) ?? -1;
    if (latest > from) return from + 1;
    const listed = this.availableNowFiles ?? (await listStreamFiles(this.path));
    const fresh = listed.filter((f) => seen.isNew(f.path, f.mtimeMs));
    if (fresh.length === 0) return from;
    const files = admitFiles(orderFiles(fresh, this.opts.latestFirst), tighterLimit(this.opts.readLimit, limit));
    const next = latest + 1;
    if (!(await this.log.add(next, { files })))
      throw new SluiceError(
        'CHECKPOINT_LOCKED',
        `${this.description}: log entry '${this.log.pathOf(next)}' appeared while this query was writing it, so another query runs on the same checkpoint. Stop the other query.`,
      );
    for (const f of files) seen.add(f.path, f.mtimeMs);
    seen.purge();
    return next;
  }

  async prepareForTriggerAvailableNow(): Promise<void> {
    this.availableNowFiles = await listStreamFiles(this.path);
  }

  async getBatch(start: Offset | null, end: Offset): Promise<LogicalPlan> {
    const from = countOffset(start, -1, this.description);
    const to = countOffset(end, -1, this.description);
    const files: FileEntry[] = [];
    for (let id = from + 1; id <= to; id++) {
      const entry = await this.log.get(id);
      if (entry === undefined)
        throw new SluiceError(
          'CHECKPOINT_CORRUPT',
          `${this.description} cannot replay offsets (${from}, ${to}]: its log entry '${this.log.pathOf(id)}' is missing. The checkpoint was damaged; start the query with a new checkpoint location.`,
          { domain: 'external' },
        );
      files.push(...entry.files);
    }
    const present = this.opts.ignoreMissingFiles ? await this.withoutMissing(files, from + 1, to) : files;
    if (present.length === 0) return buildLocalRelation(this.schema, []);
    return buildFileScan(this.format, present, this.schema, this.opts.readerOptions);
  }

  /** `files` without those that no longer exist (option ignoreMissingFiles), each skipped one reported on stderr. */
  private async withoutMissing(files: readonly FileEntry[], firstBatch: number, lastBatch: number): Promise<FileEntry[]> {
    const kept: FileEntry[] = [];
    for (const f of files) {
      if ((await stat(f.path).catch(() => null)) !== null) kept.push(f);
      else
        process.stderr.write(
          `Sluice: ${this.description} skips '${f.path}', logged for source log entries ${firstBatch}..${lastBatch}: it does not exist any more (ignoreMissingFiles).\n`,
        );
    }
    return kept;
  }

  async commit(_end: Offset): Promise<void> {}

  async stop(): Promise<void> {}
}
