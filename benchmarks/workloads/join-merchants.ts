import type { BenchQuery } from './bench-query.js';

/** join: transactions joined with the merchants dimension on merchant_id, group by category -> count, sum(amount). */
export const JOIN_MERCHANTS: BenchQuery = Object.freeze<BenchQuery>({
  id: 'join',
  description: 'transactions JOIN merchants USING (merchant_id), group by category -> count, sum(amount)',
  columns: Object.freeze([
    { name: 'category', kind: 'str' },
    { name: 'n', kind: 'int' },
    { name: 'sum_amount', kind: 'float' },
  ] as const),
  needsMerchants: true,
  sluice: ({ tx, merchants }, { count, sum }) => {
    if (merchants === null) throw new Error('The join workload needs the merchants table.');
    return tx.join(merchants, 'merchant_id').groupBy('category').agg(count().alias('n'), sum('amount').alias('sum_amount'));
  },
  sql: (tx, merchants) => `
SELECT m.category, count(*) AS n, sum(t.amount) AS sum_amount
FROM ${tx} t JOIN ${merchants} m USING (merchant_id)
GROUP BY m.category`,
});
