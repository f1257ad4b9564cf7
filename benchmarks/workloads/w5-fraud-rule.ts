import type { DataFrame } from '../../index.js';
import type { BenchQuery, SluiceFunctions } from './bench-query.js';
import { ApiNotAvailableError } from './event-time-api.js';

/** W5 look-back range, minimum count and minimum distinct merchants (the peer suite's `W5_*`). */
export const W5_PARAMS = Object.freeze({ rangeMs: 120_000, minCount: 5, minMerchants: 3 });

/**
 * W5: the fraud rule as a range window. Per card, for each transaction at t, the card's
 * transactions in [t - 2 min, t] (inclusive, ties included); output the transaction when
 * there are >= 5 of them at >= 3 distinct merchants. DuckDB: a RANGE window frame (the peer
 * suite's SQL). Sluice: see {@link w5Sluice}.
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
  sluice: ({ tx }, api) => w5Sluice(tx, api),
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

/**
 * NOT AVAILABLE YET. The Sluice side of W5 over a transactions DataFrame: one output row
 * per flagged transaction (card_id, event_time_ms, n, n_merchants), the same rows as
 * DuckDB, including one row per transaction when several share a timestamp. It needs the
 * transformWithState-style API (per card: a list state of (t, merchant) pruned to the last
 * 2 minutes, emit when a new row makes count >= 5 and distinct merchants >= 3) or a
 * range-frame window function; neither exists yet. Replace the body when one lands.
 */
export function w5Sluice(_tx: DataFrame, _api: SluiceFunctions): DataFrame {
  throw new ApiNotAvailableError('W5', 'transformWithState (or a range-frame window function)');
}
