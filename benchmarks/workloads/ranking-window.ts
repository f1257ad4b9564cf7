import type { BenchQuery } from './bench-query.js';

/**
 * Ranking and offset window functions per card: row_number, rank, dense_rank and the gap
 * to the previous transaction (lag) over `PARTITION BY card_id ORDER BY event_time`,
 * summed to one row (the sums do not depend on how ties are ordered: a gap sum telescopes
 * to last minus first time per card).
 */
export const RANKING_WINDOW: BenchQuery = Object.freeze<BenchQuery>({
  id: 'ranking',
  description: 'row_number, rank, dense_rank, lag(event_time) per card by event_time -> sums',
  columns: Object.freeze([
    { name: 's_rn', kind: 'int' },
    { name: 's_rk', kind: 'int' },
    { name: 's_dr', kind: 'int' },
    { name: 's_gap', kind: 'int' },
    { name: 'n_gap', kind: 'int' },
  ] as const),
  needsMerchants: false,
  sluice: ({ tx }, { Window, col, count, denseRank, lag, rank, rowNumber, sum, unixMillis }) => {
    const w = Window.partitionBy('card_id').orderBy('event_time');
    const t = unixMillis(col('event_time'));
    return tx
      .select(rowNumber().over(w).alias('rn'), rank().over(w).alias('rk'), denseRank().over(w).alias('dr'), t.minus(lag(t).over(w)).alias('gap'))
      .agg(sum('rn').alias('s_rn'), sum('rk').alias('s_rk'), sum('dr').alias('s_dr'), sum('gap').alias('s_gap'), count('gap').alias('n_gap'));
  },
  sql: (tx) => `
SELECT sum(rn) AS s_rn, sum(rk) AS s_rk, sum(dr) AS s_dr, sum(gap) AS s_gap, count(gap) AS n_gap FROM (
  SELECT row_number() OVER w AS rn, rank() OVER w AS rk, dense_rank() OVER w AS dr,
         epoch_ms(event_time) - lag(epoch_ms(event_time)) OVER w AS gap
  FROM ${tx}
  WINDOW w AS (PARTITION BY card_id ORDER BY event_time))`,
});
