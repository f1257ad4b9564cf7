import type { DataFrame } from '../../dataframe/data-frame.js';
import { col, count, max, min, sessionWindow, unixMillis } from '../../dataframe/expr/functions.js';
import { defineJob } from '../job-definition.js';
import { PAGE_VIEWS_SCHEMA } from './clickstream-counts.js';

/** A session ends after this long without a page view of the user. */
export const SESSION_GAP = '30 minutes';

/**
 * Example job (session windows, event time): the page views of each user grouped into
 * sessions that end 30 minutes after the user's last view, with the session's page count
 * and its length (last view - first view, in seconds). In stream mode (append) a session is
 * written once, when the watermark (1 minute behind the newest view) passes its end
 * (last view + 30 minutes); sessions still open when the input ends are not written until
 * later views move the watermark past them. A view that bridges two sessions merges them.
 */
export default defineJob({
  name: 'user-sessions',
  description: 'User sessions (30-minute gap) with page count and length (append mode, 1-minute watermark).',
  inputs: { views: { format: 'parquet', schema: PAGE_VIEWS_SCHEMA } },
  transform: ({ views }) =>
    (views as DataFrame)
      .withWatermark('event_time', '1 minute')
      .groupBy(col('user_id'), sessionWindow(col('event_time'), SESSION_GAP))
      .agg(count().alias('pages'), min('event_time').alias('first_view'), max('event_time').alias('last_view'))
      .select(
        'user_id',
        col('session_window').getField('start').alias('session_start'),
        col('session_window').getField('end').alias('session_end'),
        'pages',
        unixMillis('last_view').minus(unixMillis('first_view')).divide(1000).alias('length_s'),
      ),
  outputMode: 'append',
  sink: { format: 'parquet' },
});
