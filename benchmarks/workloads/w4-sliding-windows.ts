import type { DataFrame } from '../../index.js';
import type { BenchQuery, SluiceFunctions } from './bench-query.js';
import { windowFunction } from './event-time-api.js';

/** W4 window length, slide and minimum count (the peer suite's `W4_WINDOW_MS`, `W4_SLIDE_MS`, `W4_MIN_COUNT`). */
export const W4_PARAMS = Object.freeze({ windowMs: 600_000, slideMs: 60_000, minCount: 5 });

/**
 * W4: 10-minute windows sliding by 1 minute (epoch-aligned, [start, end)) per card_id ->
 * count; keep windows with count >= 5. Sluice: `window(event_time, '10 minutes',
 * '1 minute')`; DuckDB: each row's 1-minute bucket fanned out to the 10 windows containing
 * it (the peer suite's SQL).
 */
export const W4_SLIDING_WINDOWS: BenchQuery = Object.freeze<BenchQuery>({
  id: 'W4',
  description: '10-minute windows sliding 1 minute by card_id -> count, keep count >= 5',
  columns: Object.freeze([
    { name: 'card_id', kind: 'int' },
    { name: 'window_start_ms', kind: 'int' },
    { name: 'n', kind: 'int' },
  ] as const),
  needsMerchants: false,
  sluice: ({ tx }, api) => w4Sluice(tx, api),
  sql: (tx) => `
SELECT card_id, b - k * ${W4_PARAMS.slideMs} AS window_start_ms, count(*) AS n
FROM (SELECT card_id, epoch_ms(event_time) // ${W4_PARAMS.slideMs} * ${W4_PARAMS.slideMs} AS b FROM ${tx}) t,
     range(${W4_PARAMS.windowMs / W4_PARAMS.slideMs}) r(k)
GROUP BY ALL
HAVING count(*) >= ${W4_PARAMS.minCount}`,
});

/**
 * The Sluice side of W4 over a transactions DataFrame (batch or stream). In a stream, put
 * `withWatermark('event_time', ...)` on `tx` first for append mode.
 */
export function w4Sluice(tx: DataFrame, api: SluiceFunctions): DataFrame {
  const window = windowFunction(api, 'W4');
  const { col, count, unixMillis } = api;
  return tx
    .groupBy(col('card_id'), window(col('event_time'), '10 minutes', '1 minute').alias('window'))
    .agg(count().alias('n'))
    .filter(col('n').geq(W4_PARAMS.minCount))
    .select(col('card_id'), unixMillis(col('window').getField('start')).alias('window_start_ms'), col('n'));
}
