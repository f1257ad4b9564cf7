import { col, unixMillis } from '../../dataframe/expr/functions.js';
import type { DataFrame } from '../../dataframe/data-frame.js';
import { defineJob } from '../job-definition.js';

/**
 * Example job (stream-stream left outer join, event time): card authorisations and their
 * settlements arrive as two streams of CSV files; each authorisation is joined with its
 * settlement when that comes within one minute after it, and an authorisation that is not
 * settled within the minute is written with null settlement columns once the watermark
 * (30 seconds behind the newest event of the slower input) passes the minute, which is when
 * its join state is dropped. Heartbeat rows (`kind` = 'heartbeat') only move event time.
 */
export default defineJob({
  name: 'auth-settlements',
  description: 'Authorisations left-outer-joined with their settlements within 1 minute (stream-stream join, 30 s watermarks).',
  inputs: {
    auths: { format: 'csv', schema: 'auth_id BIGINT, auth_time TIMESTAMP, card_id BIGINT, amount DOUBLE, kind STRING', options: { header: true } },
    settlements: { format: 'csv', schema: 'settled_auth_id BIGINT, settle_time TIMESTAMP, settled_amount DOUBLE, kind STRING', options: { header: true } },
  },
  transform: ({ auths, settlements }) => {
    // Heartbeats only move event time. Each filter reads its side's event-time column, so it stays
    // after withWatermark and heartbeats still move the watermark (a filter that does not read it
    // runs before withWatermark, as in Spark).
    const a = (auths as DataFrame)
      .withWatermark('auth_time', '30 seconds')
      .filter(col('kind').eq('auth').or(col('auth_time').isNull()))
      .select('auth_id', 'auth_time', 'card_id', 'amount');
    const s = (settlements as DataFrame)
      .withWatermark('settle_time', '30 seconds')
      .filter(col('kind').eq('settlement').or(col('settle_time').isNull()))
      .select('settled_auth_id', 'settle_time', 'settled_amount');
    const within = col('settled_auth_id')
      .eq(col('auth_id'))
      .and(unixMillis(col('settle_time')).geq(unixMillis(col('auth_time'))))
      .and(unixMillis(col('settle_time')).leq(unixMillis(col('auth_time')).plus(60_000)));
    return a.join(s, within, 'left');
  },
  outputMode: 'append',
  sink: { format: 'parquet' },
});
