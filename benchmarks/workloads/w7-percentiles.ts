import type { BenchQuery } from './bench-query.js';

/** W7: exact percentiles per group: group by country -> count, median(amount), percentile(amount, 0.9). */
export const W7_PERCENTILES: BenchQuery = Object.freeze<BenchQuery>({
  id: 'W7',
  description: 'group by country -> count, median(amount), percentile(amount, 0.9)',
  columns: Object.freeze([
    { name: 'country', kind: 'str' },
    { name: 'n', kind: 'int' },
    { name: 'median_amount', kind: 'float' },
    { name: 'p90_amount', kind: 'float' },
  ] as const),
  needsMerchants: false,
  sluice: ({ tx }, { count, median, percentile }) =>
    tx.groupBy('country').agg(count().alias('n'), median('amount').alias('median_amount'), percentile('amount', 0.9).alias('p90_amount')),
  sql: (tx) => `
SELECT country, count(*) AS n, median(amount) AS median_amount, quantile_cont(amount, 0.9) AS p90_amount
FROM ${tx}
GROUP BY country`,
});
