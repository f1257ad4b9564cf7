import type { DataFrame } from '../../dataframe/data-frame.js';
import { col, concat, lit } from '../../dataframe/expr/functions.js';
import { defineJob } from '../job-definition.js';
import fraud from './fraud-alerts.js';

/** The alerts of fraud-alerts as Kafka records: key = card id, value = a JSON object. */
export function alertRecords(alerts: DataFrame): DataFrame {
  return alerts.select(
    col('card_id').cast('string').alias('key'),
    concat(
      lit('{"card_id":'),
      col('card_id'),
      lit(',"event_time_ms":'),
      col('event_time_ms'),
      lit(',"n":'),
      col('n'),
      lit(',"n_merchants":'),
      col('n_merchants'),
      lit('}'),
    ).alias('value'),
  );
}

/**
 * Example job: the fraud-alerts rule (see fraud-alerts.ts) with its alerts written to a
 * Kafka topic, keyed by card id (so one card's alerts stay in order on one partition), the
 * value a JSON object `{"card_id":..,"event_time_ms":..,"n":..,"n_merchants":..}`, exactly
 * once (each micro-batch in one Kafka transaction). Pass the broker and topic:
 * `sluice run dist/jobs/examples/fraud-alerts-to-kafka.js --mode stream --input transactions=in/
 * --checkpoint ckpt/ --sink-option kafka.bootstrap.servers=localhost:9092 --sink-option topic=fraud-alerts`.
 */
export default defineJob({
  ...fraud,
  name: 'fraud-alerts-to-kafka',
  description: 'Fraud alerts (5+ transactions in 2 minutes at 3+ merchants) to a Kafka topic, exactly once.',
  transform: (inputs) => alertRecords(fraud.transform(inputs)),
  sink: { format: 'kafka', options: { exactlyOnce: true } },
});
