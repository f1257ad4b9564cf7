import { col, count, max, sum } from '../../dataframe/expr/functions.js';
import { defineJob } from '../job-definition.js';

/**
 * Example job (stateful): total spend, number of transactions and largest amount per user
 * over settled transactions. In stream mode the running totals are kept in the state
 * store and the full result is rewritten after each batch (complete mode).
 */
export default defineJob({
  name: 'spend-by-user',
  description: 'Running spend per user.',
  inputs: {
    transactions: { format: 'csv', schema: 'tx_id BIGINT, user_id BIGINT, merchant STRING, amount DOUBLE, status STRING', options: { header: true } },
  },
  transform: ({ transactions }) =>
    (transactions as NonNullable<typeof transactions>)
      .filter(col('status').eq('settled'))
      .groupBy('user_id')
      .agg(count().alias('n'), sum('amount').alias('total'), max('amount').alias('largest')),
  outputMode: 'complete',
  sink: { format: 'parquet' },
});
