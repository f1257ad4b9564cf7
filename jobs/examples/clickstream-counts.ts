import type { DataFrame } from '../../dataframe/data-frame.js';
import { col, count, window } from '../../dataframe/expr/functions.js';
import { defineJob } from '../job-definition.js';

/** The input schema: the seeded clickstream of benchmarks/data/generate-clickstream.ts. */
export const PAGE_VIEWS_SCHEMA = 'event_time timestamp[ms, UTC], user_id BIGINT, page STRING';

/**
 * Example job (live counts, tumbling event-time windows): page views per page per 1-minute
 * window. In stream mode it runs in complete output mode, so after every micro-batch the
 * output folder holds the counts of every window seen so far, including the windows still
 * filling up (a live view; complete mode keeps every window in state). A row that arrives
 * after its window was first written updates that window's count in the next rewrite, so
 * the final output equals the batch run whatever the disorder of the input.
 */
export default defineJob({
  name: 'clickstream-counts',
  description: 'Page views per page per 1-minute tumbling window (complete mode: a live view of all windows).',
  inputs: { views: { format: 'parquet', schema: PAGE_VIEWS_SCHEMA } },
  transform: ({ views }) =>
    (views as DataFrame)
      .groupBy(window(col('event_time'), '1 minute'), col('page'))
      .agg(count().alias('views'))
      .select(col('window').getField('start').alias('window_start'), col('window').getField('end').alias('window_end'), 'page', 'views'),
  outputMode: 'complete',
  sink: { format: 'parquet' },
});
