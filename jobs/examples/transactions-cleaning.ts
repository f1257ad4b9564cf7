import { col, lower, trim, when } from '../../dataframe/expr/functions.js';
import { defineJob } from '../job-definition.js';

/**
 * Example job (stateless): card transactions arrive as CSV files; keep the settled ones
 * with a positive amount, normalise the merchant name and flag large amounts. Streams
 * into the exactly-once Parquet sink; in batch mode writes the same rows once.
 */
export default defineJob({
  name: 'transactions-cleaning',
  description: 'Filters settled transactions, normalises merchants and flags large amounts.',
  inputs: {
    transactions: { format: 'csv', schema: 'tx_id BIGINT, user_id BIGINT, merchant STRING, amount DOUBLE, status STRING', options: { header: true } },
  },
  transform: ({ transactions }) =>
    (transactions as NonNullable<typeof transactions>)
      .filter(col('status').eq('settled').and(col('amount').gt(0)))
      .withColumn('merchant', lower(trim(col('merchant'))))
      .withColumn('large', when(col('amount').geq(500), true).otherwise(false))
      .select('tx_id', 'user_id', 'merchant', 'amount', 'large'),
  outputMode: 'append',
  sink: { format: 'parquet' },
});
