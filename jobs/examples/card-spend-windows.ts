import { col, count, sum, window } from '../../dataframe/expr/functions.js';
import { defineJob } from '../job-definition.js';

/**
 * Example job (stateful, event time): card events arrive as CSV files; count and sum the
 * spend per card in tumbling 1-minute event-time windows. The watermark trails the newest
 * event by 30 seconds; in stream mode (append) a window is written once the watermark
 * passes its end, then its state is dropped. Heartbeat rows (`kind` = 'heartbeat') only
 * move event time forward (so the last windows close) and are not counted.
 */
export default defineJob({
  name: 'card-spend-windows',
  description: 'Spend per card in tumbling 1-minute event-time windows (append mode, 30 s watermark).',
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
      .agg(count().alias('n'), sum('amount').alias('total'))
      .select(col('window').getField('start').alias('window_start'), col('window').getField('end').alias('window_end'), 'card_id', 'n', 'total'),
  outputMode: 'append',
  sink: { format: 'parquet' },
});
