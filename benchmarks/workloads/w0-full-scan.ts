import type { BenchQuery } from './bench-query.js';

/** W0: decode every column and aggregate each (count, min/max/sum): the Parquet decode floor. */
export const W0_FULL_SCAN: BenchQuery = Object.freeze<BenchQuery>({
  id: 'W0',
  description: 'full scan: decode all 6 columns, count/min/max/sum of each',
  columns: Object.freeze([
    { name: 'n', kind: 'int' },
    { name: 'min_event_ms', kind: 'int' },
    { name: 'max_event_ms', kind: 'int' },
    { name: 'sum_card_id', kind: 'int' },
    { name: 'min_merchant', kind: 'str' },
    { name: 'max_merchant', kind: 'str' },
    { name: 'sum_amount', kind: 'float' },
    { name: 'min_country', kind: 'str' },
    { name: 'max_country', kind: 'str' },
    { name: 'n_online', kind: 'int' },
  ] as const),
  needsMerchants: false,
  sluice: ({ tx }, { col, count, max, min, sum }) =>
    tx.agg(
      count().alias('n'),
      min('event_time').alias('min_event_ms'),
      max('event_time').alias('max_event_ms'),
      sum('card_id').alias('sum_card_id'),
      min('merchant_id').alias('min_merchant'),
      max('merchant_id').alias('max_merchant'),
      sum('amount').alias('sum_amount'),
      min('country').alias('min_country'),
      max('country').alias('max_country'),
      sum(col('is_online').cast('int')).alias('n_online'),
    ),
  sql: (tx) => `
SELECT count(*) AS n,
       epoch_ms(min(event_time)) AS min_event_ms, epoch_ms(max(event_time)) AS max_event_ms,
       sum(card_id)::BIGINT AS sum_card_id,
       min(merchant_id) AS min_merchant, max(merchant_id) AS max_merchant,
       sum(amount) AS sum_amount,
       min(country) AS min_country, max(country) AS max_country,
       sum(is_online::INTEGER)::BIGINT AS n_online
FROM ${tx}`,
});
