import type { DataFrame } from '../../dataframe/data-frame.js';
import { col, count, max, sum, window } from '../../dataframe/expr/functions.js';
import { defineJob } from '../job-definition.js';
import { TRANSACTIONS_SCHEMA } from './fraud-alerts.js';

/**
 * Example job (lambda style: one definition, a streaming view and a nightly batch
 * recompute): transactions, spend and largest purchase per country per 1-hour event-time
 * window. Run as a stream (append), it is the speed layer: each hour is written once the
 * watermark (15 minutes behind the newest transaction, more than the generator's latest
 * arrival delay of 10 minutes) passes the hour's end. Run in batch mode over the same
 * folder, it is the nightly recompute. `lambda-check.ts` compares the two: every hour the
 * stream closed must match the recompute exactly; hours still open in the stream are
 * listed, not counted as disagreement.
 */
export default defineJob({
  name: 'hourly-country-spend',
  description: 'Transactions and spend per country per hour (append mode, 15-minute watermark); pair with the nightly batch run.',
  inputs: { transactions: { format: 'parquet', schema: TRANSACTIONS_SCHEMA } },
  transform: ({ transactions }) =>
    (transactions as DataFrame)
      .withWatermark('event_time', '15 minutes')
      .groupBy(window(col('event_time'), '1 hour'), col('country'))
      .agg(count().alias('n'), sum('amount').alias('total'), max('amount').alias('max_amount'))
      .select(col('window').getField('start').alias('hour_start'), col('window').getField('end').alias('hour_end'), 'country', 'n', 'total', 'max_amount'),
  outputMode: 'append',
  sink: { format: 'parquet' },
});
