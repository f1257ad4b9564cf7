import { invalidArgument } from '../common/errors.js';
import type { Schema } from '../common/schema.js';
import { field, resolveFieldIndex, schemaOf } from '../common/schema.js';
import type { DataFrame, Row } from './data-frame.js';
import type { Expr } from './expr/expr.js';
import type { LogicalPlan, TransformWithState } from './plan/logical-plan.js';

/**
 * Arbitrary stateful processing per grouping key, in the manner of Spark's
 * `transformWithState`: `df.groupBy(keys).transformWithState(processor, options)`.
 *
 * The processor sees, per key and micro-batch, the key's new input rows as plain objects
 * and keeps whatever it needs in named state variables (value, list and map state, each
 * with an optional time-to-live), registers processing-time or event-time timers, and
 * returns output rows of `options.outputSchema`. State is checkpointed with the query and
 * survives restarts; a re-run batch sees the state as it was before the batch.
 */

/** Which clock timers follow: none (no timers), the batch's processing time, or the event-time watermark. */
export type TimeMode = 'none' | 'processingTime' | 'eventTime';

/** Time-to-live of a state variable: an entry expires `ttlDurationMs` after its last update, in processing time. */
export interface TTLConfig {
  readonly ttlDurationMs: number;
}

/**
 * A value kept in state: anything `JSON.stringify` handles, plus bigint and Date (also
 * nested). Functions, Maps, Sets and class instances are not kept (they come back as
 * what JSON makes of them).
 */
export type StateValue = unknown;

/** One value per key (Spark's ValueState). */
export interface ValueState<T> {
  /** True when a (non-expired) value is set. */
  exists(): boolean;
  /** The value, or undefined when none is set. */
  get(): T | undefined;
  /** Sets the value (and restarts its TTL). */
  update(value: T): void;
  /** Removes the value. */
  clear(): void;
}

/** An ordered list per key (Spark's ListState). With a TTL, each element expires on its own. */
export interface ListState<T> {
  /** True when the list has at least one (non-expired) element. */
  exists(): boolean;
  /** The elements, in order (a copy). */
  get(): T[];
  /** Replaces the list. */
  put(values: readonly T[]): void;
  /** Appends one element. */
  appendValue(value: T): void;
  /** Appends elements. */
  appendList(values: readonly T[]): void;
  /** Removes the list. */
  clear(): void;
}

/** A map per key (Spark's MapState). Map keys compare by their JSON form. With a TTL, each entry expires on its own. */
export interface MapState<K, V> {
  /** True when the map has at least one (non-expired) entry. */
  exists(): boolean;
  /** The value of `key`, or undefined. */
  getValue(key: K): V | undefined;
  /** True when `key` has a value. */
  containsKey(key: K): boolean;
  /** Sets the value of `key` (and restarts its TTL). */
  updateValue(key: K, value: V): void;
  /** The entries, in insertion order. */
  iterator(): [K, V][];
  /** The keys, in insertion order. */
  keys(): K[];
  /** The values, in insertion order. */
  values(): V[];
  /** Removes one entry. */
  removeKey(key: K): void;
  /** Removes every entry. */
  clear(): void;
}

/** The clocks of the running batch (the same on every re-run of the batch). */
export interface TimerValues {
  /** The batch's processing time (ms since the epoch). */
  getCurrentProcessingTimeInMs(): number;
  /** The batch's event-time watermark (ms since the epoch); 0 before the first watermark or without one. */
  getCurrentWatermarkInMs(): number;
}

/** The timer that fired, passed to {@link StatefulProcessor.handleExpiredTimer}. */
export interface ExpiredTimerInfo {
  /** The time (ms) the timer was registered for. */
  getExpiryTimeInMs(): number;
}

/**
 * What a processor uses to reach its state and timers. State variables and timers are
 * scoped to the key being processed (the implicit grouping key), so a state variable
 * obtained once in `init` reads and writes the state of whichever key is being handled.
 */
export interface StatefulProcessorHandle {
  /** A value state named `name` (names are unique across all state variables of the processor). */
  getValueState<T>(name: string, ttl?: TTLConfig): ValueState<T>;
  /** A list state named `name`. */
  getListState<T>(name: string, ttl?: TTLConfig): ListState<T>;
  /** A map state named `name`. */
  getMapState<K, V>(name: string, ttl?: TTLConfig): MapState<K, V>;
  /** Registers a timer of the current key at `expiryTimeMs` (processing or event time per the time mode); registering it twice keeps one. */
  registerTimer(expiryTimeMs: number): void;
  /** Deletes the current key's timer at `expiryTimeMs`, if any. */
  deleteTimer(expiryTimeMs: number): void;
  /** The current key's timers, in ascending order. */
  listTimers(): number[];
  /** Removes the current key's state of variable `name` (whatever its kind). */
  deleteIfExists(name: string): void;
}

/**
 * User logic of {@link transformWithState}, Spark's StatefulProcessor. Methods run on the
 * driver, one key at a time. `handleInputRows` gets the key's input rows of the batch, in
 * input order; `handleExpiredTimer` runs once per timer that is due (processing-time
 * timers when the batch's processing time reaches them, event-time timers when the
 * watermark reaches them), after all input rows of the batch were handled. Both return
 * output rows (plain objects with the fields of `outputSchema`).
 */
export interface StatefulProcessor<K = Row, I = Row, O = Row> {
  /** Called once when the query (or batch job) starts: get the state variables here. */
  init(handle: StatefulProcessorHandle, timeMode: TimeMode): void;
  /** Handles the new rows of one key. */
  handleInputRows(key: K, rows: readonly I[], timerValues: TimerValues): Iterable<O>;
  /** Handles one due timer of one key (the timer is already deleted). */
  handleExpiredTimer?(key: K, timerValues: TimerValues, expiredTimerInfo: ExpiredTimerInfo): Iterable<O>;
  /** Called once when the query stops. */
  close?(): void;
}

/** Options of {@link transformWithState}. */
export interface TransformWithStateOptions {
  /** Schema of the rows the processor returns. */
  readonly outputSchema: Schema;
  /** Clock of the timers (default `'none'`: no timers). */
  readonly timeMode?: TimeMode;
  /**
   * The output mode the processor is written for (default `'append'`), as Spark asks; the
   * streaming query must use the same mode (`writeStream.outputMode(...)`).
   */
  readonly outputMode?: 'append' | 'update';
}

const TIME_MODES: readonly TimeMode[] = ['none', 'processingTime', 'eventTime'];

/**
 * Builds the `transformWithState` node: `keys` must name columns of `child`; the output
 * schema must have at least one field.
 */
export function buildTransformWithState(
  child: LogicalPlan,
  keys: readonly string[],
  processor: StatefulProcessor,
  options: TransformWithStateOptions,
): TransformWithState {
  if (keys.length === 0)
    throw invalidArgument('transformWithState() needs at least one grouping column: call it as df.groupBy(<columns>).transformWithState(...).');
  for (const k of keys) resolveFieldIndex(child.schema, k, null);
  if (typeof processor?.init !== 'function' || typeof processor.handleInputRows !== 'function') {
    throw invalidArgument('transformWithState() needs a processor object with init(handle, timeMode) and handleInputRows(key, rows, timerValues) methods.');
  }
  const timeMode = options.timeMode ?? 'none';
  if (!TIME_MODES.includes(timeMode)) throw invalidArgument(`transformWithState(): unknown timeMode '${timeMode}'. Use one of ${TIME_MODES.join(', ')}.`);
  const outputMode = options.outputMode ?? 'append';
  if (outputMode !== 'append' && outputMode !== 'update') {
    throw invalidArgument(`transformWithState(): outputMode must be 'append' or 'update', got '${String(outputMode)}'.`);
  }
  const fields = options.outputSchema?.fields;
  if (fields === undefined || fields.length === 0) {
    throw invalidArgument("transformWithState() needs an outputSchema with at least one field, e.g. schemaOf([field('key', types.int64)]).");
  }
  const schema = schemaOf(fields.map((f) => field(f.name, f.type, f.nullable)));
  return Object.freeze({ kind: 'transformWithState', child, keys: Object.freeze([...keys]), processor, timeMode, outputMode, schema });
}

/**
 * Runs `processor` per distinct value of `keys` over `source` and returns its output rows
 * (the implementation behind `GroupedData.transformWithState`). Grouping expressions must
 * be plain column references.
 */
export function transformWithState(source: DataFrame, keys: readonly Expr[], processor: StatefulProcessor, options: TransformWithStateOptions): DataFrame {
  const names = keys.map((k) => {
    if (k.kind !== 'col')
      throw invalidArgument('transformWithState() groups by columns only: add the grouping expression as a column with withColumn() first.');
    return k.name;
  });
  const plan = buildTransformWithState(source.plan, names, processor, options);
  const Ctor = source.constructor as new (plan: LogicalPlan, executor: DataFrame['executor']) => DataFrame;
  return new Ctor(plan, source.executor);
}
