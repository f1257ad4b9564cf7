import type { BenchQuery } from './bench-query.js';

/** W1: scan + filter + aggregate: amount > 100 AND country IN ('US','GB','DE') -> count, sum(amount). */
export const W1_FILTER: BenchQuery = Object.freeze<BenchQuery>({
  id: 'W1',
  description: "filter amount > 100 AND country IN ('US','GB','DE') -> count, sum(amount)",
  columns: Object.freeze([
    { name: 'n', kind: 'int' },
    { name: 'sum_amount', kind: 'float' },
  ] as const),
  needsMerchants: false,
  sluice: ({ tx }, { col, count, sum }) =>
    tx
      .filter(
        col('amount')
          .gt(100)
          .and(col('country').isin('US', 'GB', 'DE')),
      )
      .agg(count().alias('n'), sum('amount').alias('sum_amount')),
  sql: (tx) => `
SELECT count(*) AS n, sum(amount) AS sum_amount
FROM ${tx}
WHERE amount > 100.0 AND country IN ('US', 'GB', 'DE')`,
});
