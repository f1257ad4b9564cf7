import { types } from '../../common/data-type.js';
import { field, schemaOf } from '../../common/schema.js';
import type { DataFrame } from '../../dataframe/data-frame.js';
import type { ExpiredTimerInfo, ListState, StatefulProcessor, StatefulProcessorHandle, TimerValues } from '../../dataframe/transform-with-state.js';
import { defineJob } from '../job-definition.js';

/** The rule: this many transactions... */
export const FRAUD_MIN_COUNT = 5;
/** ...at this many distinct merchants... */
export const FRAUD_MIN_MERCHANTS = 3;
/** ...within this range, [t - range, t], both ends included (ms). */
export const FRAUD_RANGE_MS = 120_000;

/** One input transaction as the processor sees it (other columns may be present). */
interface Transaction {
  readonly event_time: Date | null;
  readonly merchant_id: string | null;
}

/** One alert row. */
interface Alert {
  readonly card_id: bigint;
  readonly event_time_ms: bigint;
  readonly n: bigint;
  readonly n_merchants: bigint;
}

/** Output schema of {@link FraudRuleProcessor}. */
export const FRAUD_ALERT_SCHEMA = schemaOf([
  field('card_id', types.int64),
  field('event_time_ms', types.int64),
  field('n', types.int64),
  field('n_merchants', types.int64),
]);

/**
 * The fraud rule as a stateful processor, per card: keeps the card's transactions of the
 * last two minutes as a list state of `[event time ms, merchant]`; for every new
 * transaction at t, drops entries before t - 2 min, counts the transactions and distinct
 * merchants in [t - 2 min, t] (transactions at the same t included, whichever came first)
 * and emits an alert row when there are at least 5 transactions at 3 or more merchants.
 * Like the W5 reference query, it flags EVERY transaction that satisfies the rule, so the
 * first alert comes in the batch where the fifth transaction arrives. An event-time timer
 * 2 min after the card's last transaction clears its state.
 *
 * Rows of one call are taken in event-time order (a stable sort). Exactness against W5 assumes a card's
 * transactions arrive in event-time order across batches, with all rows of one timestamp
 * in the same batch (out-of-order rows within one batch are fine).
 */
export class FraudRuleProcessor implements StatefulProcessor<{ card_id: bigint }, Transaction, Alert> {
  private recent!: ListState<[number, string | null]>;
  private handle!: StatefulProcessorHandle;

  init(handle: StatefulProcessorHandle): void {
    this.handle = handle;
    this.recent = handle.getListState('recent');
  }

  *handleInputRows(key: { card_id: bigint }, rows: readonly Transaction[], _tv: TimerValues): Iterable<Alert> {
    const window = this.recent.get();
    // Event-time order; rows without an event time are ignored.
    const sorted = rows.filter((r) => r.event_time !== null).map((r) => ({ t: (r.event_time as Date).getTime(), m: r.merchant_id }));
    sorted.sort((a, b) => a.t - b.t);
    let i = 0;
    while (i < sorted.length) {
      const t = (sorted[i] as { t: number }).t;
      let j = i;
      while (j < sorted.length && (sorted[j] as { t: number }).t === t) {
        window.push([t, (sorted[j] as { m: string | null }).m]);
        j++;
      }
      let start = 0;
      while (start < window.length && (window[start] as [number, string | null])[0] < t - FRAUD_RANGE_MS) start++;
      if (start > 0) window.splice(0, start);
      const merchants = new Set<string | null>();
      for (const [, m] of window) if (m !== null) merchants.add(m);
      if (window.length >= FRAUD_MIN_COUNT && merchants.size >= FRAUD_MIN_MERCHANTS) {
        const alert: Alert = { card_id: key.card_id, event_time_ms: BigInt(t), n: BigInt(window.length), n_merchants: BigInt(merchants.size) };
        for (let k = i; k < j; k++) yield alert;
      }
      i = j;
    }
    this.recent.put(window);
    for (const old of this.handle.listTimers()) this.handle.deleteTimer(old);
    const last = window[window.length - 1];
    if (last !== undefined) this.handle.registerTimer(last[0] + FRAUD_RANGE_MS);
  }

  handleExpiredTimer(_key: { card_id: bigint }, _tv: TimerValues, _info: ExpiredTimerInfo): Iterable<Alert> {
    // Every later transaction is more than 2 minutes after the last one: nothing to remember.
    this.recent.clear();
    return [];
  }
}

/** The schema of the generated transactions (benchmarks/data): the input of the transaction examples. */
export const TRANSACTIONS_SCHEMA = 'event_time timestamp[ms, UTC], card_id BIGINT, merchant_id STRING, amount DOUBLE, country STRING, is_online BOOLEAN';

/** The alerts over a transactions DataFrame (batch or stream; a stream needs a watermark on event_time first). */
export function fraudAlerts(transactions: DataFrame): DataFrame {
  return transactions.groupBy('card_id').transformWithState(new FraudRuleProcessor(), {
    outputSchema: FRAUD_ALERT_SCHEMA,
    timeMode: 'eventTime',
    outputMode: 'append',
  });
}

/**
 * Example job (arbitrary stateful processing): per card, alert when 5 or more
 * transactions fall within 2 minutes at 3 or more distinct merchants (the W5 rule; one
 * alert row per flagged transaction). In stream mode the card's recent transactions are
 * kept in state and an event-time timer clears them; the 1-minute watermark delay lets
 * transactions arrive that much out of order across files. In batch mode the processor
 * runs once per card over all its transactions.
 */
export default defineJob({
  name: 'fraud-alerts',
  description: 'Per card: 5+ transactions within 2 minutes at 3+ merchants.',
  inputs: {
    transactions: { format: 'parquet', schema: TRANSACTIONS_SCHEMA },
  },
  transform: ({ transactions }) => fraudAlerts((transactions as DataFrame).withWatermark('event_time', '1 minute')),
  outputMode: 'append',
  sink: { format: 'parquet' },
});
