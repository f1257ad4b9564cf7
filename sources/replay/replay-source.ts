import type { ColumnarBatch, ColumnVector } from '../../common/column-vector.js';
import { concatBatches, gatherBatch, makeBatch, sliceBatch } from '../../common/columnar-batch.js';
import { invalidArgument, SluiceError } from '../../common/errors.js';
import type { Schema } from '../../common/schema.js';
import { schemaOf } from '../../common/schema.js';
import { nullVector } from '../../common/vector-null.js';
import { buildLocalRelation } from '../../dataframe/plan/builders/build-misc.js';
import type { LogicalPlan, ScanOptions } from '../../dataframe/plan/logical-plan.js';
import type { Clock } from '../../scheduler/clock.js';
import { inferFileSchema } from '../file/infer-schema.js';
import { listFiles } from '../file/list-files.js';
import type { Offset, ReadLimit, Source } from '../source.js';
import type { ReplayFile } from './replay-files.js';
import { indexReplayFiles } from './replay-files.js';
import type { ReplayOptions } from './replay-options.js';
import { replayOptions } from './replay-options.js';
import type { SortedReplayFile } from './sorted-replay-file.js';
import { loadSortedReplayFile, releaseOrder, releaseSlice } from './sorted-replay-file.js';

/** Rows per batch of the in-memory plan a replay batch becomes. */
const CHUNK_ROWS = 65_536;

/** What {@link ReplaySource.create} needs. */
export interface ReplaySourceArgs {
  /** A Parquet file, a folder of them, or a glob. */
  readonly path: string;
  /** The data schema; null infers it from the files' footers. */
  readonly schema: Schema | null;
  readonly options: ScanOptions;
  /** The query's clock: a batch releases the rows whose release time is at or before `now()`. */
  readonly clock: Clock;
}

/** A clock that learns the replay's span from its sources (a ReplayClock). */
interface ReplayAware {
  includeRange(startMs: number, endMs: number): void;
}

function isReplayAware(clock: Clock): clock is Clock & ReplayAware {
  return typeof (clock as Partial<ReplayAware>).includeRange === 'function';
}

/** The time span of a replay: its first and last release time (ms). */
export interface ReplayTimeRange {
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * Replays Parquet files as a stream in event-time order, paced by the query's clock
 * (a {@link ReplayClock} makes that clock simulated processing time).
 *
 * Files are taken in path order, which is their arrival order. Each row has a release
 * time: its event time, but no earlier than its file's `releaseFromMs` (the newest event
 * time of the earlier files minus the reorder bound, option `reorderBound`, default 1 hour).
 * Rows are released when the clock reaches their release time, in release-time then
 * event-time order; so input that is out of event-time order by less than the bound is
 * released exactly in event-time order, and the rows further out of order are released
 * with the first batch at their file's `releaseFromMs` (still sorted, then late to the
 * watermark as they would have been live) and counted in the metric
 * `rowsBeyondReorderBound` of the source's progress.
 *
 * Offsets are release times in ms (the batch `(a, b]` holds the rows released in that
 * span), so `getBatch` is a pure function of its range and a restarted query replays a
 * logged batch exactly. Memory: the files whose release window `[releaseFromMs,
 * releaseToMs]` holds the clock are kept decoded and sorted (the reorder buffer); a file is
 * dropped once its rows are committed. Sorting is one index permutation per file gathered
 * over the column vectors, and a batch is slices of the sorted files.
 *
 * Read limits do not apply: a replay releases by time. Without a clock that moves (an
 * interval trigger on a {@link ReplayClock}), nothing past the first instant is released.
 */
export class ReplaySource implements Source {
  readonly description: string;
  private readonly cache = new Map<number, Promise<SortedReplayFile>>();
  private readonly beyondBound = new Map<string, number>();
  /** The columns read from the files (all of `schema` until {@link pruneColumns}), event time included. */
  private readSchema: Schema;
  private readEventIndex: number;
  /** One chunk of nulls per column not read, shared by every batch (vectors are immutable). */
  private nullChunk: ColumnarBatch | null = null;

  private constructor(
    readonly schema: Schema,
    readonly files: readonly ReplayFile[],
    private readonly opts: ReplayOptions,
    private readonly clock: Clock,
    path: string,
  ) {
    this.description = `ReplaySource[parquet, ${path}, eventTime=${opts.eventTime.name}]`;
    this.readSchema = schema;
    this.readEventIndex = opts.eventIndex;
  }

  /**
   * Reads only the named columns from the files, plus the event-time column the release
   * order needs (see `Source.pruneColumns`); batches keep `schema`, other columns are null.
   * Must come before the first file is loaded; names not in the schema are ignored.
   */
  pruneColumns(names: ReadonlySet<string>): void {
    if (this.cache.size > 0) throw new SluiceError('INTERNAL', `${this.description}: pruneColumns was called after files were read.`, { domain: 'internal' });
    const fields = this.schema.fields.filter((f) => names.has(f.name) || f === this.opts.eventTime);
    if (fields.length === this.schema.fields.length) return;
    this.readSchema = schemaOf(fields);
    this.readEventIndex = fields.indexOf(this.opts.eventTime);
    const skipped = this.schema.fields.filter((f) => !fields.includes(f));
    const nulls = schemaOf(skipped);
    this.nullChunk = makeBatch(
      nulls,
      skipped.map((f) => nullVector(f.type, CHUNK_ROWS)),
      CHUNK_ROWS,
    );
  }

  /** The names of the columns read from the files. */
  get readColumns(): readonly string[] {
    return this.readSchema.fields.map((f) => f.name);
  }

  /** A chunk of read columns widened to `schema`, the other columns null. */
  private widen(chunk: ColumnarBatch): ColumnarBatch {
    const nulls = this.nullChunk;
    if (nulls === null) return chunk;
    const fill = chunk.numRows === CHUNK_ROWS ? nulls : sliceBatch(nulls, 0, chunk.numRows);
    let r = 0;
    let n = 0;
    const columns = this.schema.fields.map((f) =>
      this.readSchema.fields[r] === f ? (chunk.columns[r++] as ColumnVector) : (fill.columns[n++] as ColumnVector),
    );
    return makeBatch(this.schema, columns, chunk.numRows);
  }

  /** Lists and indexes the files (footers only), validates the options and returns the source. */
  static async create(args: ReplaySourceArgs): Promise<ReplaySource> {
    const listed = (await listFiles(args.path)).filter((f) => f.path.endsWith('.parquet'));
    if (listed.length === 0)
      throw new SluiceError(
        'FILE_NOT_FOUND',
        `The replay source found no .parquet files at '${args.path}'. Give a folder of Parquet files, one file, or a glob.`,
      );
    const schema = args.schema ?? (await inferFileSchema('parquet', listed, {}));
    const opts = replayOptions(args.options, schema);
    const files = await indexReplayFiles(listed, opts.eventTime, opts.reorderBoundMs);
    const source = new ReplaySource(schema, files, opts, args.clock, args.path);
    const { startMs, endMs } = source.timeRange;
    if (isReplayAware(args.clock) && !Number.isNaN(startMs)) args.clock.includeRange(Math.floor(startMs), Math.ceil(endMs));
    return source;
  }

  /** First and last release time of the input (both NaN when it has no rows). */
  get timeRange(): ReplayTimeRange {
    let startMs = Number.NaN;
    let endMs = Number.NaN;
    for (const f of this.files) {
      if (!(f.releaseFromMs >= startMs)) startMs = f.releaseFromMs;
      if (!(f.releaseToMs <= endMs)) endMs = f.releaseToMs;
    }
    return { startMs, endMs };
  }

  async initialOffset(): Promise<Offset> {
    const start = this.timeRange.startMs;
    return Number.isNaN(start) ? 0 : Math.floor(start) - 1;
  }

  private offsetMs(o: Offset | null): number {
    if (o === null) return Number.NEGATIVE_INFINITY;
    if (typeof o !== 'number' || !Number.isFinite(o))
      throw new SluiceError(
        'CHECKPOINT_CORRUPT',
        `${this.description}: offset ${JSON.stringify(o)} is not a release time in ms; the checkpoint belongs to another source.`,
        {
          domain: 'external',
        },
      );
    return o;
  }

  private overlapping(from: number, to: number): ReplayFile[] {
    return this.files.filter((f) => f.releaseFromMs <= to && f.releaseToMs > from);
  }

  private load(f: ReplayFile): Promise<SortedReplayFile> {
    let p = this.cache.get(f.index);
    if (p === undefined) {
      p = loadSortedReplayFile(f, this.readSchema, this.readEventIndex);
      this.cache.set(f.index, p);
    }
    return p;
  }

  async latestOffset(start: Offset, _limit: ReadLimit): Promise<Offset> {
    const from = this.offsetMs(start);
    const end = Math.min(Math.floor(this.clock.now()), Math.ceil(this.timeRange.endMs));
    if (!(end > from)) return start;
    for (const f of this.overlapping(from, end)) if (releaseSlice(await this.load(f), from, end).keys.length > 0) return end;
    return start;
  }

  async getBatch(start: Offset | null, end: Offset): Promise<LogicalPlan> {
    const from = start === null ? Number(await this.initialOffset()) : this.offsetMs(start);
    const to = this.offsetMs(end);
    const slices = [];
    for (const f of this.overlapping(from, to)) slices.push({ file: f, ...releaseSlice(await this.load(f), from, to) });
    const parts = slices.filter((s) => s.keys.length > 0);
    let beyond = 0;
    for (const s of parts) for (const e of s.events) if (!(e >= s.file.releaseFromMs)) beyond++;
    this.beyondBound.set(JSON.stringify(end), beyond);
    if (parts.length === 0) return buildLocalRelation(this.schema, []);
    let batch: ColumnarBatch;
    if (parts.length === 1) batch = (parts[0] as (typeof parts)[0]).batch;
    else {
      // Several files release rows in this span: merge them into release order.
      const n = parts.reduce((a, s) => a + s.keys.length, 0);
      const keys = new Float64Array(n);
      const events = new Float64Array(n);
      let at = 0;
      for (const s of parts) {
        keys.set(s.keys, at);
        events.set(s.events, at);
        at += s.keys.length;
      }
      batch = gatherBatch(
        concatBatches(
          this.readSchema,
          parts.map((s) => s.batch),
        ),
        releaseOrder(keys, events),
      );
    }
    const chunks: ColumnarBatch[] = [];
    for (let i = 0; i < batch.numRows; i += CHUNK_ROWS) chunks.push(this.widen(sliceBatch(batch, i, Math.min(batch.numRows, i + CHUNK_ROWS))));
    return buildLocalRelation(this.schema, chunks);
  }

  /** Drops the sorted files whose rows are all released up to `end`. */
  async commit(end: Offset): Promise<void> {
    const to = this.offsetMs(end);
    for (const f of this.files) if (f.releaseToMs <= to) this.cache.delete(f.index);
    for (const k of [...this.beyondBound.keys()]) if (Number(k) < to) this.beyondBound.delete(k);
  }

  /**
   * Progress metrics of the batch ending at `end`: `rowsBeyondReorderBound` (rows released
   * later than their event time because they were further out of order than the bound),
   * `filesBuffered` (sorted files held in memory), `releasedThrough` (ISO time) and
   * `columnsRead` (the columns decoded from the files, comma-separated).
   */
  metrics(end: Offset | null): Readonly<Record<string, string>> {
    const key = JSON.stringify(end);
    return {
      rowsBeyondReorderBound: String(this.beyondBound.get(key) ?? 0),
      filesBuffered: String(this.cache.size),
      releasedThrough: typeof end === 'number' ? new Date(end).toISOString() : '',
      columnsRead: this.readColumns.join(','),
    };
  }

  async stop(): Promise<void> {
    this.cache.clear();
  }
}

/** Validates that a replay input path was given. */
export function replayPath(path: string | null): string {
  if (path === null) throw invalidArgument(`The replay source needs Parquet input: readStream.format('replay').load('data/').`);
  return path;
}
