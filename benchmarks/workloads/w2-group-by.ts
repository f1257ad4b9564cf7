import type { BenchQuery } from './bench-query.js';

/** W2: hash aggregation on a 50,000-value string key: group by merchant_id -> count, sum, avg, max(amount). */
export const W2_GROUP_BY: BenchQuery = Object.freeze<BenchQuery>({
  id: 'W2',
  description: 'group by merchant_id -> count, sum, avg, max(amount)',
  columns: Object.freeze([
    { name: 'merchant_id', kind: 'str' },
    { name: 'n', kind: 'int' },
    { name: 'sum_amount', kind: 'float' },
    { name: 'avg_amount', kind: 'float' },
    { name: 'max_amount', kind: 'float' },
  ] as const),
  needsMerchants: false,
  sluice: ({ tx }, { avg, count, max, sum }) =>
    tx.groupBy('merchant_id').agg(count().alias('n'), sum('amount').alias('sum_amount'), avg('amount').alias('avg_amount'), max('amount').alias('max_amount')),
  sql: (tx) => `
SELECT merchant_id, count(*) AS n, sum(amount) AS sum_amount, avg(amount) AS avg_amount,
       max(amount) AS max_amount
FROM ${tx}
GROUP BY merchant_id`,
});
