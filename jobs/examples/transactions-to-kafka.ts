import { col, concat, lit } from '../../dataframe/expr/functions.js';
import { defineJob } from '../job-definition.js';
import cleaning from './transactions-cleaning.js';

/**
 * Example job (stateless, Kafka sink): the rows of transactions-cleaning, written to Kafka
 * as records keyed by the transaction id with a CSV line as the value, exactly once (each
 * batch in one Kafka transaction). Pass the broker and topic on the command line:
 * `sluice run dist/jobs/examples/transactions-to-kafka.js --mode stream --input transactions=in/
 * --checkpoint ckpt/ --sink-option kafka.bootstrap.servers=localhost:9092 --sink-option topic=clean-tx`.
 */
export default defineJob({
  name: 'transactions-to-kafka',
  description: 'Cleans transactions and writes them to a Kafka topic, exactly once.',
  inputs: cleaning.inputs,
  transform: (inputs) =>
    cleaning
      .transform(inputs)
      .select(
        col('tx_id').cast('string').alias('key'),
        concat(col('tx_id'), lit(','), col('user_id'), lit(','), col('merchant'), lit(','), col('amount'), lit(','), col('large')).alias('value'),
      ),
  outputMode: 'append',
  sink: { format: 'kafka', options: { exactlyOnce: true } },
});
