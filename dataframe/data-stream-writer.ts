import { invalidArgument } from '../common/errors.js';
import type { StreamingQuery } from './streaming-query.js';
import type { DataFrame } from './data-frame.js';
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
}

const MODES: readonly StreamOutputMode[] = ['append', 'update', 'complete'];

/**
 * Starts a streaming query (Spark's DataStreamWriter):
 * `df.writeStream.format('parquet').outputMode('append').trigger(Trigger.processingTime('1 second'))
 * .option('checkpointLocation', 'ckpt/').queryName('q').start('out/')`.
 * Formats: console, memory, parquet, foreachBatch (via {@link foreachBatch}). Output
 * modes are checked against the query when it starts.
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
  private clk: StreamClock | null = null;

  constructor(private readonly df: DataFrame) {}

  /** The sink format: 'console', 'memory', 'parquet', 'redis' or 'foreachBatch'. */
  format<G extends StreamWriteFormat>(format: G): DataStreamWriter<G> {
    this.fmt = format;
    return this as unknown as DataStreamWriter<G>;
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
    return this as unknown as DataStreamWriter<'foreachBatch'>;
  }

  /** Runs the query's triggers on this clock (tests pass a ManualClock). */
  clock(clock: StreamClock): this {
    this.clk = clock;
    return this;
  }

  /** Starts the query; `path` is the output folder of file sinks. Rejects when the query cannot run (mode, lock, options). */
  async start(path?: string): Promise<StreamingQuery> {
    const executor = this.df.executor;
    if (executor.startStream === undefined) throw invalidArgument('This DataFrame was not created by a Sluice session that can run streaming queries.');
    return executor.startStream(this.df.plan, {
      format: this.fmt,
      outputMode: this.mode,
      trigger: this.trig,
      options: { ...this.opts },
      queryName: this.name,
      path: path ?? null,
      foreachBatch: this.fn,
      clock: this.clk,
    });
  }
}
