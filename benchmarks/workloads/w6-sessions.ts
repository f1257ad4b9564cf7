import type { DataFrame } from '../../index.js';
import type { BenchQuery, SluiceFunctions } from './bench-query.js';
import { sessionWindowFunction } from './event-time-api.js';

/** W6 session gap (the peer suite's `W6_GAP_MS`). */
export const W6_GAP_MS = 300_000;

/**
 * W6: session windows per card_id with a 5-minute gap (a new session when the gap to the
 * card's previous transaction is > 5 min, Spark's session_window rule) -> start (first
 * event), end (last event + gap), count, sum(amount), length (last - first). DuckDB: lag
 * and a running sum of "new session" flags (the peer suite's SQL).
 */
export const W6_SESSIONS: BenchQuery = Object.freeze<BenchQuery>({
  id: 'W6',
  description: 'session windows per card_id, gap 5 min -> start, end, count, sum(amount), length',
  columns: Object.freeze([
    { name: 'card_id', kind: 'int' },
    { name: 'session_start_ms', kind: 'int' },
    { name: 'session_end_ms', kind: 'int' },
    { name: 'n', kind: 'int' },
    { name: 'sum_amount', kind: 'float' },
    { name: 'length_ms', kind: 'int' },
  ] as const),
  needsMerchants: false,
  sluice: ({ tx }, api) => w6Sluice(tx, api),
  sql: (tx) => `
WITH s AS (SELECT card_id, epoch_ms(event_time) AS t, amount FROM ${tx}),
m AS (SELECT *, CASE WHEN t - lag(t) OVER (PARTITION BY card_id ORDER BY t) <= ${W6_GAP_MS}
                     THEN 0 ELSE 1 END AS new_session FROM s),
g AS (SELECT *, sum(new_session) OVER (PARTITION BY card_id ORDER BY t) AS sid FROM m)
SELECT card_id, min(t) AS session_start_ms, max(t) + ${W6_GAP_MS} AS session_end_ms,
       count(*) AS n, sum(amount) AS sum_amount, max(t) - min(t) AS length_ms
FROM g
GROUP BY card_id, sid`,
});

/**
 * The Sluice side of W6 over a transactions DataFrame (batch or stream), written against
 * `sessionWindow(event_time, '5 minutes')` (a struct column with start = first event and
 * end = last event + gap). Throws 'not available yet' until the package exports
 * `sessionWindow`. In a stream, put `withWatermark('event_time', ...)` on `tx` first.
 */
export function w6Sluice(tx: DataFrame, api: SluiceFunctions): DataFrame {
  const sessionWindow = sessionWindowFunction(api, 'W6');
  const { col, count, max, min, sum, unixMillis } = api;
  return tx
    .groupBy(col('card_id'), sessionWindow(col('event_time'), '5 minutes').alias('session'))
    .agg(count().alias('n'), sum('amount').alias('sum_amount'), min('event_time').alias('first_t'), max('event_time').alias('last_t'))
    .select(
      col('card_id'),
      unixMillis(col('session').getField('start')).alias('session_start_ms'),
      unixMillis(col('session').getField('end')).alias('session_end_ms'),
      col('n'),
      col('sum_amount'),
      unixMillis(col('last_t'))
        .minus(unixMillis(col('first_t')))
        .alias('length_ms'),
    );
}
