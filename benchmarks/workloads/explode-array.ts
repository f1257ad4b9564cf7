import type { BenchQuery } from './bench-query.js';

/**
 * Explode: a three-element array per transaction (amount, 2 * amount, 1.0) exploded to
 * three rows each, then count and sum by country: array building, the explode's offsets
 * and gathers, and an aggregation over three times the rows.
 */
export const EXPLODE_ARRAY: BenchQuery = Object.freeze<BenchQuery>({
  id: 'explode',
  description: 'explode(array(amount, 2 * amount, 1.0)) -> by country: count, sum',
  columns: Object.freeze([
    { name: 'country', kind: 'str' },
    { name: 'n', kind: 'int' },
    { name: 's', kind: 'float' },
  ] as const),
  needsMerchants: false,
  sluice: ({ tx }, { array, col, count, explode, lit, sum }) =>
    tx
      .select(col('country'), explode(array(col('amount'), col('amount').multiply(2), lit(1.5))).alias('x'))
      .groupBy('country')
      .agg(count().alias('n'), sum('x').alias('s')),
  sql: (tx) => `
SELECT country, count(*) AS n, sum(x) AS s
FROM (SELECT country, unnest([amount, amount * 2, 1.5]) AS x FROM ${tx})
GROUP BY country`,
});
