import type { ExpiredTimerInfo, StatefulProcessor, StatefulProcessorHandle, TimerValues, ValueState } from '../../dataframe/transform-with-state.js';
import type { DataFrame } from '../../index.js';
import type { BenchQuery, SluiceFunctions } from './bench-query.js';

/** W5 look-back range, minimum count and minimum distinct merchants (the peer suite's `W5_*`). */
export const W5_PARAMS = Object.freeze({ rangeMs: 120_000, minCount: 5, minMerchants: 3 });

/**
 * W5: the fraud rule as a range window. Per card, for each transaction at t, the card's
 * transactions in [t - 2 min, t] (inclusive, ties included); output the transaction when
 * there are >= 5 of them at >= 3 distinct merchants. DuckDB: a RANGE window frame (the peer
 * suite's SQL). Sluice (batch): {@link w5SluiceWindow}, the same RANGE frame as a window
 * function; the streaming form is {@link w5Sluice} (a transformWithState processor per card),
 * since window functions do not run on streams.
 */
export const W5_FRAUD_RULE: BenchQuery = Object.freeze<BenchQuery>({
  id: 'W5',
  description: 'fraud rule: per txn, card txns in [t-2min, t]; keep when count >= 5 and distinct merchants >= 3',
  columns: Object.freeze([
    { name: 'card_id', kind: 'int' },
    { name: 'event_time_ms', kind: 'int' },
    { name: 'n', kind: 'int' },
    { name: 'n_merchants', kind: 'int' },
  ] as const),
  needsMerchants: false,
  sluice: ({ tx }, api) => w5SluiceWindow(tx, api),
  sql: (tx) => `
SELECT card_id, event_time_ms, n, n_merchants FROM (
  SELECT card_id, epoch_ms(event_time) AS event_time_ms,
         count(*) OVER w AS n,
         count(DISTINCT merchant_id) OVER w AS n_merchants
  FROM ${tx}
  WINDOW w AS (PARTITION BY card_id ORDER BY event_time
               RANGE BETWEEN INTERVAL ${W5_PARAMS.rangeMs} MILLISECONDS PRECEDING AND CURRENT ROW)
) WHERE n >= ${W5_PARAMS.minCount} AND n_merchants >= ${W5_PARAMS.minMerchants}`,
});

/** One input row as {@link W5FraudRuleProcessor} reads it (other columns may be present). */
export interface W5Transaction {
  readonly event_time: Date | null;
  readonly merchant_id: string | null;
}

/** One output row of W5: a flagged transaction with the count and distinct merchants of its frame. */
export interface W5Alert {
  readonly card_id: bigint;
  readonly event_time_ms: bigint;
  readonly n: bigint;
  readonly n_merchants: bigint;
}

/** A transaction kept in state: event time (ms) and merchant. */
type Kept = [number, string | null];

/**
 * A list of {@link Kept} in a value state, as ONE string (the JSON of a flat array
 * `[t, merchant, t, merchant, ...]`). transformWithState stores each key's state as JSON
 * decoded with a reviver, whose cost grows with the number of JSON nodes; a list state
 * costs five nodes per element, this one string per list (a 1M-row stream spends about
 * a third of its time in that codec otherwise).
 */
class KeptList {
  constructor(private readonly state: ValueState<string>) {}

  exists(): boolean {
    return this.state.exists();
  }

  get(): Kept[] {
    const text = this.state.get();
    if (text === undefined) return [];
    const flat = JSON.parse(text) as (number | string | null)[];
    const out: Kept[] = new Array(flat.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = [flat[2 * i] as number, flat[2 * i + 1] as string | null];
    return out;
  }

  put(list: readonly Kept[]): void {
    if (list.length === 0) {
      this.state.clear();
      return;
    }
    const flat: (number | string | null)[] = [];
    for (const [t, m] of list) flat.push(t, m);
    this.state.update(JSON.stringify(flat));
  }

  appendList(list: readonly Kept[]): void {
    this.put(this.exists() ? [...this.get(), ...list] : list);
  }

  clear(): void {
    this.state.clear();
  }
}

/**
 * W5 as a transformWithState processor (event-time timers) that gives the range-window
 * rows whatever the arrival order. Per card it keeps `pending` (transactions not yet
 * evaluated) and `recent` (evaluated ones of the last 2 minutes, ascending). A transaction
 * at t is evaluated only once the watermark has passed t (an event-time timer at the
 * earliest pending t), since then no other transaction at or before t can still arrive
 * (rows at or before the watermark are dropped as late); all due transactions of the card
 * are evaluated in event-time order, ties together, against `recent`, so each frame
 * [t - 2 min, t] holds exactly the card's transactions in it, as in DuckDB's RANGE frame.
 * A second timer at the latest pending t makes a batch run (whose final watermark is the
 * largest timer of all keys) evaluate every transaction. When nothing is pending, a timer
 * 2 minutes after the newest evaluated transaction clears the card's state.
 *
 * Unlike jobs/examples/fraud-alerts.ts (which alerts in the micro-batch that brings the
 * transaction and assumes per-card event-time order across batches), alerts come when the
 * watermark passes the transaction, so the stream equals the batch run on data whose rows
 * arrive out of order across files, as long as no row is later than the watermark delay.
 */
export class W5FraudRuleProcessor implements StatefulProcessor<{ card_id: bigint }, W5Transaction, W5Alert> {
  private pending!: KeptList;
  private recent!: KeptList;
  private handle!: StatefulProcessorHandle;

  init(handle: StatefulProcessorHandle): void {
    this.handle = handle;
    this.pending = new KeptList(handle.getValueState('pending'));
    this.recent = new KeptList(handle.getValueState('recent'));
  }

  handleInputRows(_key: { card_id: bigint }, rows: readonly W5Transaction[], _tv: TimerValues): Iterable<W5Alert> {
    const add: Kept[] = [];
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const r of rows) {
      if (r.event_time === null) continue;
      const t = r.event_time.getTime();
      add.push([t, r.merchant_id]);
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
    if (add.length === 0) return [];
    // With transactions pending, the key's timers are their earliest and latest times.
    const timers = this.handle.listTimers();
    if (this.pending.exists()) {
      for (const t of timers) {
        if (t < lo) lo = t;
        if (t > hi) hi = t;
      }
    }
    this.pending.appendList(add);
    for (const t of timers) this.handle.deleteTimer(t);
    this.handle.registerTimer(lo);
    this.handle.registerTimer(hi);
    return [];
  }

  handleExpiredTimer(key: { card_id: bigint }, tv: TimerValues, _info: ExpiredTimerInfo): Iterable<W5Alert> {
    if (!this.pending.exists()) {
      // Nothing pending: either the clean-up timer fired (no timer left) or a timer of an
      // earlier pending set whose transactions a previous call of this batch evaluated.
      if (this.handle.listTimers().length === 0) this.recent.clear();
      return [];
    }
    const watermark = tv.getCurrentWatermarkInMs();
    const pending = this.pending.get();
    const due = pending.filter((x) => x[0] <= watermark).sort((a, b) => a[0] - b[0]);
    const rest = pending.filter((x) => x[0] > watermark);
    const recent = this.recent.get();
    const out: W5Alert[] = [];
    let i = 0;
    while (i < due.length) {
      const t = (due[i] as Kept)[0];
      let j = i;
      while (j < due.length && (due[j] as Kept)[0] === t) recent.push(due[j++] as Kept);
      let start = 0;
      while (start < recent.length && (recent[start] as Kept)[0] < t - W5_PARAMS.rangeMs) start++;
      if (start > 0) recent.splice(0, start);
      const merchants = new Set<string>();
      if (recent.length >= W5_PARAMS.minCount) for (const [, m] of recent) if (m !== null) merchants.add(m);
      if (merchants.size >= W5_PARAMS.minMerchants) {
        const alert: W5Alert = { card_id: key.card_id, event_time_ms: BigInt(t), n: BigInt(recent.length), n_merchants: BigInt(merchants.size) };
        for (let k = i; k < j; k++) out.push(alert);
      }
      i = j;
    }
    // Later transactions are after the watermark: their frames start after watermark - range.
    let start = 0;
    while (start < recent.length && (recent[start] as Kept)[0] <= watermark - W5_PARAMS.rangeMs) start++;
    const kept = recent.slice(start);
    this.pending.put(rest);
    this.recent.put(kept);
    this.resetTimers(rest, kept);
    return out;
  }

  /** One timer at the earliest and one at the latest pending time; with nothing pending, the clean-up timer. */
  private resetTimers(pending: readonly Kept[], recent: readonly Kept[]): void {
    for (const t of this.handle.listTimers()) this.handle.deleteTimer(t);
    if (pending.length > 0) {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (const [t] of pending) {
        if (t < lo) lo = t;
        if (t > hi) hi = t;
      }
      this.handle.registerTimer(lo);
      this.handle.registerTimer(hi);
    } else if (recent.length > 0) {
      this.handle.registerTimer((recent[recent.length - 1] as Kept)[0] + W5_PARAMS.rangeMs);
    }
  }
}

/**
 * The Sluice side of W5 over a transactions DataFrame (batch or stream): card_id,
 * event_time and merchant_id grouped by card into {@link W5FraudRuleProcessor}, one output
 * row per flagged transaction (card_id, event_time_ms, n, n_merchants), the same rows as
 * DuckDB's RANGE-frame query. In a stream, put `withWatermark('event_time', ...)` on `tx`
 * first (append mode): a transaction's alert comes once the watermark has passed it.
 */
export function w5Sluice(tx: DataFrame, api: SluiceFunctions): DataFrame {
  const { field, schemaOf, types } = api;
  const outputSchema = schemaOf([
    field('card_id', types.int64),
    field('event_time_ms', types.int64),
    field('n', types.int64),
    field('n_merchants', types.int64),
  ]);
  return tx
    .select('card_id', 'event_time', 'merchant_id')
    .groupBy('card_id')
    .transformWithState(new W5FraudRuleProcessor(), { outputSchema, timeMode: 'eventTime', outputMode: 'append' });
}

/**
 * The batch side of W5 as Spark users write it: per card, a RANGE window of the last 2
 * minutes (ms offsets on the timestamp order key, ties included) with count() and
 * countDistinct(merchant_id) over it, then the rule as a filter. Same rows as DuckDB's
 * RANGE-frame query; batch only (window functions are refused on streams).
 */
export function w5SluiceWindow(tx: DataFrame, api: SluiceFunctions): DataFrame {
  const { Window, col, count, countDistinct, unixMillis } = api;
  const w = Window.partitionBy('card_id').orderBy('event_time').rangeBetween(-W5_PARAMS.rangeMs, Window.currentRow);
  return tx
    .select(
      col('card_id'),
      unixMillis(col('event_time')).alias('event_time_ms'),
      count().over(w).alias('n'),
      countDistinct('merchant_id').over(w).alias('n_merchants'),
    )
    .where(col('n').geq(W5_PARAMS.minCount).and(col('n_merchants').geq(W5_PARAMS.minMerchants)));
}
