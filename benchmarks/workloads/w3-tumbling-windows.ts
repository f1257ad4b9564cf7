import type { BenchQuery } from './bench-query.js';

/** Window size of W3 in milliseconds. */
const WINDOW_MS = 60_000;

/**
 * W3: 1-minute tumbling windows (epoch-aligned, [start, end)) by country -> count,
 * sum(amount), with the window start computed arithmetically on epoch milliseconds.
 */
export const W3_TUMBLING_WINDOWS: BenchQuery = Object.freeze<BenchQuery>({
  id: 'W3',
  description: '1-minute tumbling windows by country -> window_start_ms, country, count, sum(amount)',
  columns: Object.freeze([
    { name: 'window_start_ms', kind: 'int' },
    { name: 'country', kind: 'str' },
    { name: 'n', kind: 'int' },
    { name: 'sum_amount', kind: 'float' },
  ] as const),
  needsMerchants: false,
  sluice: ({ tx }, { col, count, floor, sum, unixMillis }) =>
    tx
      .withColumn('window_start_ms', floor(unixMillis(col('event_time')).divide(WINDOW_MS)).multiply(WINDOW_MS))
      .groupBy('window_start_ms', 'country')
      .agg(count().alias('n'), sum('amount').alias('sum_amount')),
  sql: (tx) => `
SELECT epoch_ms(event_time) // ${WINDOW_MS} * ${WINDOW_MS} AS window_start_ms, country,
       count(*) AS n, sum(amount) AS sum_amount
FROM ${tx}
GROUP BY ALL`,
});
