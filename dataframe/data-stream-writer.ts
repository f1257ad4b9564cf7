import { invalidArgument } from '../common/errors.js';
import type { StreamingQuery } from './streaming-query.js';
import type { DataFrame, Row } from './data-frame.js';
import type { OptionKeyOf, OptionsOf, OptionValue, StreamWriteFormat, StreamWriteOptionsByFormat } from './typed-options.js';

/** Which rows of a streaming result the sink receives each batch (Spark's output modes). */
export type StreamOutputMode = 'append' | 'update' | 'complete';

/** When batches run: plain data, as made by `Trigger.processingTime(...)`, `Trigger.once()`, `Trigger.availableNow()`. */
export type StreamTrigger = { readonly kind: 'processingTime'; readonly intervalMs: number } | { readonly kind: 'once' } | { readonly kind: 'availableNow' };

/** A time source for triggers and batch timestamps (a ManualClock in tests). */
export interface StreamClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<boolean>;
}

/** The function of `foreachBatch`: called with each batch's result and its id. */
export type ForeachBatchFn = (df: DataFrame, batchId: number) => Promise<void> | void;

/**
 * The row writer of `writeStream.foreach(writer)` (Spark's ForeachWriter). For each
 * partition of each micro-batch (epoch) the engine calls `open(partitionId, epochId)`;
 * when it returns true, `process(row)` for each of the partition's rows, in order; then
 * `close(error)` always (error null, or what `open`/`process` threw, after which the query
 * fails with it). Returning false from `open` skips the partition, e.g. because this writer
 * already stored that (partitionId, epochId) before a restart. Delivery is at-least-once: a
 * batch re-run after a crash calls the writer again with the same epoch id.
 */
export interface ForeachWriter<T = Row> {
  open(partitionId: number, epochId: number): boolean | Promise<boolean>;
  process(row: T): void | Promise<void>;
  close(error: Error | null): void | Promise<void>;
}

/** Everything `start()` hands the engine; plain data plus the optional foreachBatch function and clock. */
export interface StreamStartRequest {
  readonly format: string;
  readonly outputMode: StreamOutputMode;
  readonly trigger: StreamTrigger;
  readonly options: Readonly<Record<string, string | number | boolean>>;
  readonly queryName: string | null;
  readonly path: string | null;
  readonly foreachBatch: ForeachBatchFn | null;
  readonly clock: StreamClock | null;
  /** The writer of `foreach(...)`, or absent. */
  readonly foreachWriter?: ForeachWriter | null;
  /** The table of `toTable(name)`: the engine writes it under the warehouse folder and registers it; absent otherwise. */
  readonly table?: string | null;
}

const MODES: readonly StreamOutputMode[] = ['append', 'update', 'complete'];

/**
 * Starts a streaming query (Spark's DataStreamWriter):
 * `df.writeStream.format('parquet').outputMode('append').trigger(Trigger.processingTime('1 second'))
 * .option('checkpointLocation', 'ckpt/').queryName('q').start('out/')`.
 * Formats: console, memory, parquet, csv, json, kafka, redis, foreachBatch (via
 * {@link foreachBatch}) and foreach (via {@link foreach}); {@link toTable} writes a
 * catalog table. Output modes are checked against the query when it starts.
 *
 * `F` is the format chosen with `format()`: option keys are typed by it (any format's keys
 * before a format is chosen), and `start()` refuses a key its sink does not know.
 */
export class DataStreamWriter<F extends StreamWriteFormat = StreamWriteFormat> {
  private fmt = 'console';
  private mode: StreamOutputMode = 'append';
  private trig: StreamTrigger = Object.freeze({ kind: 'processingTime', intervalMs: 0 });
  private readonly opts: Record<string, string | number | boolean> = {};
  private name: string | null = null;
  private fn: ForeachBatchFn | null = null;
  private writer: ForeachWriter | null = null;
  private clk: StreamClock | null = null;
  private formatSet = false;

  constructor(private readonly df: DataFrame) {}

  /** The sink format: 'console', 'memory', 'parquet', 'csv', 'json', 'kafka', 'redis', 'foreachBatch' or 'foreach'. */
  format<G extends StreamWriteFormat>(format: G): DataStreamWriter<G> {
    this.fmt = format;
    this.formatSet = true;
    return this as unknown as DataStreamWriter<G>;
  }

  /**
   * Writes Hive-style `col=value/` folders for these columns (the file sinks: parquet, csv,
   * json), as `write.partitionBy` does; each file is committed through the sink log.
   * Checked against the query's columns at `start()`.
   */
  partitionBy(...cols: string[]): this {
    for (const c of cols) {
      if (typeof c !== 'string' || c === '' || c.includes(','))
        throw invalidArgument(`writeStream.partitionBy() takes column names without commas, got '${String(c)}'.`);
    }
    if (cols.length === 0) delete this.opts.partitionBy;
    else this.opts.partitionBy = cols.join(',');
    return this;
  }

  /** 'append' (default), 'update' or 'complete'. */
  outputMode(mode: StreamOutputMode): this {
    const m = mode.toLowerCase() as StreamOutputMode;
    if (!MODES.includes(m)) throw invalidArgument(`Unknown output mode '${mode}'. Use append, update or complete.`);
    this.mode = m;
    return this;
  }

  /** When batches run (default: back to back as data arrives). Checked by `start()`, which rejects a bad interval or kind. */
  trigger(trigger: StreamTrigger): this {
    this.trig = trigger;
    return this;
  }

  /** A sink option; `checkpointLocation` sets where the query keeps its progress. */
  option(key: OptionKeyOf<StreamWriteOptionsByFormat, F>, value: OptionValue): this {
    this.opts[key] = value;
    return this;
  }

  /** Several options. */
  options(options: OptionsOf<StreamWriteOptionsByFormat, F>): this {
    Object.assign(this.opts, options);
    return this;
  }

  /** Names the query (the memory sink's table name). */
  queryName(name: string): this {
    this.name = name;
    return this;
  }

  /** Calls `fn` with each batch's result DataFrame and batch id (at-least-once unless `fn` dedupes by batch id). */
  foreachBatch(fn: ForeachBatchFn): DataStreamWriter<'foreachBatch'> {
    this.fn = fn;
    this.fmt = 'foreachBatch';
    this.formatSet = true;
    return this as unknown as DataStreamWriter<'foreachBatch'>;
  }

  /**
   * Hands every row to `writer` (Spark's `foreach`): see {@link ForeachWriter} for the
   * open/process/close contract. At-least-once: a batch re-run after a restart is written
   * again with the same epoch id, which `open` can use to skip it.
   */
  foreach<T = Row>(writer: ForeachWriter<T>): DataStreamWriter<'foreach'> {
    if (typeof writer?.open !== 'function' || typeof writer.process !== 'function' || typeof writer.close !== 'function')
      throw invalidArgument('writeStream.foreach() needs an object with open(partitionId, epochId), process(row) and close(error) methods.');
    this.writer = writer as unknown as ForeachWriter;
    this.fmt = 'foreach';
    this.formatSet = true;
    return this as unknown as DataStreamWriter<'foreach'>;
  }

  /** Runs the query's triggers on this clock (tests pass a ManualClock). */
  clock(clock: StreamClock): this {
    this.clk = clock;
    return this;
  }

  /** Starts the query; `path` is the output folder of file sinks. Rejects when the query cannot run (mode, lock, options). */
  async start(path?: string): Promise<StreamingQuery> {
    return this.startWith(this.fmt, path ?? null, null);
  }

  /**
   * Starts the query writing the table `name` (Spark's `toTable`): files in the format set
   * by {@link format} (parquet, csv or json; parquet by default) under the session's
   * warehouse folder (`sluice.sql.warehouse.dir`, default `spark-warehouse`), committed
   * exactly-once through the sink log, the table registered in the session's table catalog
   * so `sluice.table(name)` and `sluice.read.table(name)` read it in batch. Needs a
   * checkpoint location.
   */
  async toTable(name: string): Promise<StreamingQuery> {
    const fmt = this.formatSet ? this.fmt.toLowerCase() : 'parquet';
    if (fmt !== 'parquet' && fmt !== 'csv' && fmt !== 'json')
      throw invalidArgument(`toTable() writes files (parquet, csv or json), not the '${this.fmt}' format. Use format('parquet') or leave the format unset.`);
    if (typeof this.opts.path === 'string') throw invalidArgument("toTable() writes under the warehouse folder; remove option 'path'.");
    return this.startWith(fmt, null, name);
  }

  private async startWith(format: string, path: string | null, table: string | null): Promise<StreamingQuery> {
    const executor = this.df.executor;
    if (executor.startStream === undefined) throw invalidArgument('This DataFrame was not created by a Sluice session that can run streaming queries.');
    return executor.startStream(this.df.plan, {
      format,
      outputMode: this.mode,
      trigger: this.trig,
      options: { ...this.opts },
      queryName: this.name,
      path,
      foreachBatch: this.fn,
      clock: this.clk,
      foreachWriter: this.writer,
      table,
    });
  }
}
