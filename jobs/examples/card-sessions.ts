import { col, count, max, min, sessionWindow, sum } from '../../dataframe/expr/functions.js';
import { defineJob } from '../job-definition.js';

/**
 * Example job (session windows, event time): per card, group the events into sessions that
 * end after 10 seconds without an event, with the count, the spend and the first and last
 * event time of each. Sessions merge when a later (or out-of-order) event bridges them; in
 * stream mode (append) a session is written once the watermark (30 seconds behind the
 * newest event) passes its end. Heartbeat rows only move event time.
 */
export default defineJob({
  name: 'card-sessions',
  description: 'Card activity sessions (10 s gap) with count and spend (append mode, 30 s watermark).',
  inputs: {
    events: {
      format: 'csv',
      schema: 'event_id BIGINT, t TIMESTAMP, card_id BIGINT, merchant STRING, amount DOUBLE, kind STRING',
      options: { header: true },
    },
  },
  transform: ({ events }) =>
    (events as NonNullable<typeof events>)
      .withWatermark('t', '30 seconds')
      // Heartbeats only move event time. The filter reads the event-time column, so it stays after
      // withWatermark and heartbeats still move the watermark (a filter that does not read it runs
      // before withWatermark, as in Spark).
      .filter(col('kind').eq('event').or(col('t').isNull()))
      .groupBy(col('card_id'), sessionWindow(col('t'), '10 seconds'))
      .agg(count().alias('n'), sum('amount').alias('total'), min('t').alias('first_t'), max('t').alias('last_t'))
      .select(
        col('session_window').getField('start').alias('session_start'),
        col('session_window').getField('end').alias('session_end'),
        'card_id',
        'n',
        'total',
        'first_t',
        'last_t',
      ),
  outputMode: 'append',
  sink: { format: 'parquet' },
});
