import type { ColumnarBatch, ColumnVector } from '../../../common/column-vector.js';
import { makeBatch } from '../../../common/columnar-batch.js';
import { SluiceError, invalidArgument } from '../../../common/errors.js';
import type { Schema } from '../../../common/schema.js';
import type { JsValue } from '../../../common/vector-from-values.js';
import { vectorFromValues } from '../../../common/vector-from-values.js';
import { valueAt } from '../../../common/vector-value-at.js';
import type { Row } from '../../../dataframe/data-frame.js';
import type {
  ListState,
  MapState,
  StatefulProcessor,
  StatefulProcessorHandle,
  TimeMode,
  TimerValues,
  TTLConfig,
  ValueState,
} from '../../../dataframe/transform-with-state.js';

/*
 * The per-key machinery of transformWithState shared by the streaming operator and the
 * batch executor: the decoded state of one grouping key, the processor handle that binds
 * the user's state variables to the key being processed, and the JSON codec of state.
 */

const BIGINT_TAG = '$bigint';
const DATE_TAG = '$date';

/** JSON text of a state value; bigint and Date survive (as tagged objects). */
export function encodeStateJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key];
    if (raw instanceof Date) return { [DATE_TAG]: raw.getTime() };
    if (typeof v === 'bigint') return { [BIGINT_TAG]: v.toString() };
    return v;
  });
}

/** Inverse of {@link encodeStateJson}. */
export function decodeStateJson(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      if (keys.length === 1) {
        if (typeof o[BIGINT_TAG] === 'string') return BigInt(o[BIGINT_TAG] as string);
        if (typeof o[DATE_TAG] === 'number') return new Date(o[DATE_TAG] as number);
      }
    }
    return v;
  });
}

/** One stored entry: a value and when it expires (ms, processing time), or null for never. */
interface Entry {
  v: unknown;
  e: number | null;
}

/** One map entry: the user's key, its value and expiry. */
interface MapEntry extends Entry {
  k: unknown;
}

/** The serialized form of a {@link KeyState}. */
interface KeyStateJson {
  v?: Record<string, [unknown, number | null]>;
  l?: Record<string, [unknown, number | null][]>;
  m?: Record<string, [unknown, unknown, number | null][]>;
  t?: number[];
}

/**
 * All state of one grouping key: value, list and map state variables by name, and the
 * key's timers. Entries whose expiry has passed are dropped on load, so they are never
 * visible to the processor.
 */
export class KeyState {
  readonly values = new Map<string, Entry>();
  readonly lists = new Map<string, Entry[]>();
  readonly maps = new Map<string, Map<string, MapEntry>>();
  /** Timers, ascending, no duplicates. */
  timers: number[] = [];

  /** Decodes stored JSON, dropping entries expired at `nowMs`. */
  static decode(text: string | null, nowMs: number): KeyState {
    const s = new KeyState();
    if (text === null) return s;
    const j = decodeStateJson(text) as KeyStateJson;
    const live = (e: number | null): boolean => e === null || e > nowMs;
    for (const [name, [v, e]] of Object.entries(j.v ?? {})) if (live(e)) s.values.set(name, { v, e });
    for (const [name, items] of Object.entries(j.l ?? {})) {
      const kept = items.filter(([, e]) => live(e)).map(([v, e]) => ({ v, e }));
      if (kept.length > 0) s.lists.set(name, kept);
    }
    for (const [name, items] of Object.entries(j.m ?? {})) {
      const m = new Map<string, MapEntry>();
      for (const [k, v, e] of items) if (live(e)) m.set(encodeStateJson(k), { k, v, e });
      if (m.size > 0) s.maps.set(name, m);
    }
    s.timers = j.t ?? [];
    return s;
  }

  /** True when nothing is kept: the key's row can be removed. */
  get isEmpty(): boolean {
    return this.values.size === 0 && this.lists.size === 0 && this.maps.size === 0 && this.timers.length === 0;
  }

  /** The earliest timer, or null. */
  get nextTimerMs(): number | null {
    return this.timers.length === 0 ? null : (this.timers[0] as number);
  }

  /** The earliest entry expiry, or null. */
  get nextExpiryMs(): number | null {
    let min: number | null = null;
    const see = (e: number | null): void => {
      if (e !== null && (min === null || e < min)) min = e;
    };
    for (const x of this.values.values()) see(x.e);
    for (const l of this.lists.values()) for (const x of l) see(x.e);
    for (const m of this.maps.values()) for (const x of m.values()) see(x.e);
    return min;
  }

  /** JSON text for the state store. */
  encode(): string {
    const j: KeyStateJson = {};
    if (this.values.size > 0) j.v = Object.fromEntries([...this.values].map(([n, x]) => [n, [x.v, x.e]]));
    if (this.lists.size > 0) j.l = Object.fromEntries([...this.lists].map(([n, l]) => [n, l.map((x) => [x.v, x.e] as [unknown, number | null])]));
    if (this.maps.size > 0) {
      j.m = Object.fromEntries([...this.maps].map(([n, m]) => [n, [...m.values()].map((x) => [x.k, x.v, x.e] as [unknown, unknown, number | null])]));
    }
    if (this.timers.length > 0) j.t = this.timers;
    return encodeStateJson(j);
  }

  /** Adds a timer (kept once). */
  addTimer(t: number): void {
    if (this.timers.includes(t)) return;
    this.timers.push(t);
    this.timers.sort((a, b) => a - b);
  }

  /** Removes a timer if present. */
  removeTimer(t: number): void {
    const i = this.timers.indexOf(t);
    if (i >= 0) this.timers.splice(i, 1);
  }
}

type VarKind = 'value' | 'list' | 'map';

/**
 * The processor's handle: state variables and timers bound to the key being processed
 * ({@link current}), and the clock used for TTL ({@link nowMs}).
 */
export class ProcessorHandle implements StatefulProcessorHandle {
  /** The state of the key being processed; null outside a processor call. */
  current: KeyState | null = null;
  /** Processing time of the running batch, for TTL. */
  nowMs = 0;
  private readonly vars = new Map<string, { kind: VarKind; ttlMs: number | null }>();

  constructor(readonly timeMode: TimeMode) {}

  private state(): KeyState {
    if (this.current === null) {
      throw new SluiceError(
        'INVALID_PLAN',
        'transformWithState: state and timers can only be used inside handleInputRows or handleExpiredTimer, where a grouping key is set.',
      );
    }
    return this.current;
  }

  private register(name: string, kind: VarKind, ttl: TTLConfig | undefined): { ttlMs: number | null } {
    if (typeof name !== 'string' || name.length === 0) throw invalidArgument('transformWithState: a state variable needs a non-empty name.');
    const ttlMs = ttl === undefined ? null : ttl.ttlDurationMs;
    if (ttlMs !== null && (!Number.isFinite(ttlMs) || ttlMs <= 0)) {
      throw invalidArgument(`transformWithState: state '${name}' needs a positive TTL in ms (ttlDurationMs), got ${ttlMs}.`);
    }
    const old = this.vars.get(name);
    if (old !== undefined && old.kind !== kind) {
      throw invalidArgument(`transformWithState: state '${name}' is already a ${old.kind} state; give the ${kind} state another name.`);
    }
    const v = { kind, ttlMs };
    this.vars.set(name, v);
    return v;
  }

  private expiry(ttlMs: number | null): number | null {
    return ttlMs === null ? null : this.nowMs + ttlMs;
  }

  getValueState<T>(name: string, ttl?: TTLConfig): ValueState<T> {
    const conf = this.register(name, 'value', ttl);
    return {
      exists: () => this.state().values.has(name),
      get: () => this.state().values.get(name)?.v as T | undefined,
      update: (value: T) => {
        if (value === undefined || value === null)
          throw invalidArgument(`transformWithState: ValueState '${name}'.update() needs a value; use clear() to remove it.`);
        this.state().values.set(name, { v: value, e: this.expiry(conf.ttlMs) });
      },
      clear: () => {
        this.state().values.delete(name);
      },
    };
  }

  getListState<T>(name: string, ttl?: TTLConfig): ListState<T> {
    const conf = this.register(name, 'list', ttl);
    const list = (): Entry[] => this.state().lists.get(name) ?? [];
    const set = (l: Entry[]): void => {
      if (l.length === 0) this.state().lists.delete(name);
      else this.state().lists.set(name, l);
    };
    const entries = (values: readonly T[]): Entry[] => {
      const e = this.expiry(conf.ttlMs);
      return values.map((v) => {
        if (v === undefined || v === null) throw invalidArgument(`transformWithState: ListState '${name}' cannot hold null or undefined.`);
        return { v, e };
      });
    };
    return {
      exists: () => list().length > 0,
      get: () => list().map((x) => x.v as T),
      put: (values) => set(entries(values)),
      appendValue: (value) => set([...list(), ...entries([value])]),
      appendList: (values) => set([...list(), ...entries(values)]),
      clear: () => set([]),
    };
  }

  getMapState<K, V>(name: string, ttl?: TTLConfig): MapState<K, V> {
    const conf = this.register(name, 'map', ttl);
    const map = (): Map<string, MapEntry> => this.state().maps.get(name) ?? new Map();
    const entries = (): MapEntry[] => [...map().values()];
    return {
      exists: () => map().size > 0,
      getValue: (key) => map().get(encodeStateJson(key))?.v as V | undefined,
      containsKey: (key) => map().has(encodeStateJson(key)),
      updateValue: (key, value) => {
        if (value === undefined || value === null)
          throw invalidArgument(`transformWithState: MapState '${name}'.updateValue() needs a value; use removeKey() to remove it.`);
        const m = map();
        m.set(encodeStateJson(key), { k: key, v: value, e: this.expiry(conf.ttlMs) });
        this.state().maps.set(name, m);
      },
      iterator: () => entries().map((x) => [x.k as K, x.v as V]),
      keys: () => entries().map((x) => x.k as K),
      values: () => entries().map((x) => x.v as V),
      removeKey: (key) => {
        const m = map();
        m.delete(encodeStateJson(key));
        if (m.size === 0) this.state().maps.delete(name);
      },
      clear: () => {
        this.state().maps.delete(name);
      },
    };
  }

  private checkTimers(): void {
    if (this.timeMode === 'none') {
      throw new SluiceError(
        'UNSUPPORTED',
        "transformWithState: timers need a time mode. Pass timeMode: 'processingTime' or 'eventTime' in the transformWithState options.",
      );
    }
  }

  registerTimer(expiryTimeMs: number): void {
    this.checkTimers();
    if (!Number.isFinite(expiryTimeMs)) throw invalidArgument(`transformWithState: registerTimer() needs a time in ms, got ${expiryTimeMs}.`);
    this.state().addTimer(Math.trunc(expiryTimeMs));
  }

  deleteTimer(expiryTimeMs: number): void {
    this.checkTimers();
    this.state().removeTimer(expiryTimeMs);
  }

  listTimers(): number[] {
    this.checkTimers();
    return [...this.state().timers];
  }

  deleteIfExists(name: string): void {
    const s = this.state();
    s.values.delete(name);
    s.lists.delete(name);
    s.maps.delete(name);
  }
}

/** The {@link TimerValues} of one batch. */
export function timerValues(processingTimeMs: number, watermarkMs: number): TimerValues {
  return Object.freeze({ getCurrentProcessingTimeInMs: () => processingTimeMs, getCurrentWatermarkInMs: () => watermarkMs });
}

/**
 * Runs a processor key by key: sets the handle's current key state around each call and
 * collects the output rows.
 */
export class ProcessorRunner {
  readonly handle: ProcessorHandle;
  private closed = false;

  constructor(
    readonly processor: StatefulProcessor,
    readonly timeMode: TimeMode,
  ) {
    this.handle = new ProcessorHandle(timeMode);
    processor.init(this.handle, timeMode);
  }

  /** Calls handleInputRows for one key and appends its output to `out`. */
  input(key: Row, state: KeyState, rows: readonly Row[], tv: TimerValues, out: Row[]): void {
    this.handle.current = state;
    try {
      for (const r of this.processor.handleInputRows(key, rows, tv)) out.push(r);
    } finally {
      this.handle.current = null;
    }
  }

  /**
   * Fires the timers of `state` at or before `thresholdMs`, ascending: each is deleted, then
   * handleExpiredTimer runs. Timers registered meanwhile wait for a later batch.
   */
  fireTimers(key: Row, state: KeyState, thresholdMs: number, tv: TimerValues, out: Row[]): void {
    const due = state.timers.filter((t) => t <= thresholdMs);
    if (due.length === 0) return;
    const handler = this.processor.handleExpiredTimer;
    this.handle.current = state;
    try {
      for (const t of due) {
        state.removeTimer(t);
        if (handler === undefined) continue;
        const info = Object.freeze({ getExpiryTimeInMs: () => t });
        for (const r of handler.call(this.processor, key, tv, info)) out.push(r);
      }
    } finally {
      this.handle.current = null;
    }
  }

  /** Calls the processor's close() once. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.processor.close?.();
  }
}

/** Row `i` of `columns` (named by `schema`) as a plain object. */
export function rowObject(schema: Schema, columns: readonly ColumnVector[], i: number): Row {
  const r: Row = {};
  schema.fields.forEach((f, c) => {
    r[f.name] = valueAt(columns[c] as ColumnVector, i);
  });
  return r;
}

/** Output rows of a processor as a batch of `schema` (missing fields are null). */
export function rowsToBatch(schema: Schema, rows: readonly Row[]): ColumnarBatch {
  const cols = schema.fields.map((f) =>
    vectorFromValues(
      f.type,
      rows.map((r) => (r[f.name] ?? null) as JsValue),
      `transformWithState output column '${f.name}'`,
    ),
  );
  return makeBatch(schema, cols, rows.length);
}

/** A string identifying a key row (for grouping rows of the same key). */
export function keyString(columns: readonly ColumnVector[], i: number): string {
  return encodeStateJson(columns.map((c) => valueAt(c, i)));
}

/**
 * Groups rows by key in order of first appearance: `first[g]` is the first row of group
 * `g`, `rows[g]` all its rows in input order.
 */
export function groupByKey(keyColumns: readonly ColumnVector[], numRows: number): { first: Int32Array; rows: number[][] } {
  const index = new Map<string, number>();
  const rows: number[][] = [];
  const first: number[] = [];
  for (let i = 0; i < numRows; i++) {
    const k = keyString(keyColumns, i);
    let g = index.get(k);
    if (g === undefined) {
      g = rows.length;
      index.set(k, g);
      rows.push([]);
      first.push(i);
    }
    (rows[g] as number[]).push(i);
  }
  return { first: Int32Array.from(first), rows };
}
