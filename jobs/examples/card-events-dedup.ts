import { col } from '../../dataframe/expr/functions.js';
import { defineJob } from '../job-definition.js';

/**
 * Example job (stateful, event time): card events are sometimes delivered twice; keep the
 * first copy of each `event_id` (dropDuplicatesWithinWatermark). A key is remembered until
 * the watermark (newest event minus 30 seconds) passes its first event time plus 30
 * seconds, so copies arriving within that delay are dropped and the state stays bounded.
 * In batch mode the same code keeps one row per `event_id`.
 */
export default defineJob({
  name: 'card-events-dedup',
  description: 'Drops redelivered card events (same event_id) within a 30 s watermark.',
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
      .dropDuplicatesWithinWatermark(['event_id'])
      .select('event_id', 't', 'card_id', 'merchant', 'amount'),
  outputMode: 'append',
  sink: { format: 'parquet' },
});
