import { col, count, sum, window } from '../../dataframe/expr/functions.js';
import { defineJob } from '../job-definition.js';

/**
 * Example job (chained stateful operators, event time): count the events per card in
 * tumbling 1-minute windows, then per window sum those counts and count the active cards.
 * Both aggregations run in append mode under one 30-second watermark: the first emits a
 * (window, card) count once the watermark passes the window's end, and the second takes it
 * in the same batch and emits the window total. Heartbeat rows only move event time.
 */
export default defineJob({
  name: 'active-cards-per-minute',
  description: 'Events and active cards per 1-minute event-time window (two chained append-mode aggregations).',
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
      .groupBy(window(col('t'), '1 minute'), col('card_id'))
      .agg(count().alias('n'))
      .groupBy('window')
      .agg(sum('n').alias('events'), count().alias('cards'))
      .select(col('window').getField('start').alias('window_start'), col('window').getField('end').alias('window_end'), 'events', 'cards'),
  outputMode: 'append',
  sink: { format: 'parquet' },
});
