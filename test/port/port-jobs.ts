import type * as SluiceApi from '../../index.js';
import type { DataFrame } from '../../index.js';

/**
 * Five PySpark jobs ported to Sluice twice: as Spark SQL text (run unchanged by Spark in
 * scripts/spark-check/port_jobs.py) and as DataFrame code written line by line from the
 * PySpark version. `tx` is the seeded transactions set (benchmarks/data), `views` the
 * seeded clickstream. Jobs with `stream` also run as streams over the same files.
 */
export interface PortJob {
  readonly name: string;
  /** The view the job reads. */
  readonly input: 'tx' | 'views';
  /** Spark SQL over the view (Spark runs this exact text). */
  readonly sql: string;
  /** The same job in the DataFrame API. */
  dataframe(input: DataFrame, api: typeof SluiceApi): DataFrame;
  /** When set, the SQL also runs over a streaming view with this watermark (append mode). */
  readonly stream?: { readonly column: string; readonly delay: string };
}

const FRAUD_FRAME = 'PARTITION BY card_id ORDER BY unix_millis(event_time) RANGE BETWEEN 120000 PRECEDING AND CURRENT ROW';

/** The jobs, in the order the test runs them. */
export const PORT_JOBS: readonly PortJob[] = [
  {
    // jobs/examples/hourly-country-spend.ts
    name: 'hourly_country_spend',
    input: 'tx',
    sql: `
      SELECT window.start AS hour_start, window.end AS hour_end, country, n, total, max_amount
      FROM (
        SELECT window(event_time, '1 hour'), country, count(*) AS n, sum(amount) AS total, max(amount) AS max_amount
        FROM tx
        GROUP BY window(event_time, '1 hour'), country
      )`,
    dataframe: (tx, { col, count, max, sum, window }) =>
      tx
        .groupBy(window(col('event_time'), '1 hour'), col('country'))
        .agg(count().alias('n'), sum('amount').alias('total'), max('amount').alias('max_amount'))
        .select(col('window').getField('start').alias('hour_start'), col('window').getField('end').alias('hour_end'), 'country', 'n', 'total', 'max_amount'),
    stream: { column: 'event_time', delay: '15 minutes' },
  },
  {
    // jobs/examples/user-sessions.ts
    name: 'user_sessions',
    input: 'views',
    sql: `
      SELECT user_id, session_window.start AS session_start, session_window.end AS session_end, pages,
             (unix_millis(last_view) - unix_millis(first_view)) / 1000 AS length_s
      FROM (
        SELECT user_id, session_window(event_time, '5 minutes'), count(*) AS pages,
               min(event_time) AS first_view, max(event_time) AS last_view
        FROM views
        GROUP BY user_id, session_window(event_time, '5 minutes')
      )`,
    dataframe: (views, { col, count, max, min, sessionWindow, unixMillis }) =>
      views
        .groupBy(col('user_id'), sessionWindow(col('event_time'), '5 minutes'))
        .agg(count().alias('pages'), min('event_time').alias('first_view'), max('event_time').alias('last_view'))
        .select(
          'user_id',
          col('session_window').getField('start').alias('session_start'),
          col('session_window').getField('end').alias('session_end'),
          'pages',
          unixMillis('last_view').minus(unixMillis('first_view')).divide(1000).alias('length_s'),
        ),
    stream: { column: 'event_time', delay: '1 minute' },
  },
  {
    // jobs/examples/fraud-alerts.ts as a range window (Spark has no DISTINCT window aggregates: size(collect_set))
    name: 'fraud_rule',
    input: 'tx',
    sql: `
      SELECT card_id, event_time_ms, n, n_merchants
      FROM (
        SELECT card_id, unix_millis(event_time) AS event_time_ms,
               count(*) OVER (${FRAUD_FRAME}) AS n,
               size(collect_set(merchant_id) OVER (${FRAUD_FRAME})) AS n_merchants
        FROM tx
      )
      WHERE n >= 5 AND n_merchants >= 3`,
    dataframe: (tx, { Window, col, collectSet, count, size, unixMillis }) => {
      const w = Window.partitionBy('card_id').orderBy(unixMillis('event_time')).rangeBetween(-120_000, 0);
      return tx
        .select(
          'card_id',
          unixMillis('event_time').alias('event_time_ms'),
          count().over(w).alias('n'),
          size(collectSet('merchant_id').over(w)).alias('n_merchants'),
        )
        .filter(col('n').geq(5).and(col('n_merchants').geq(3)));
    },
  },
  {
    // Top merchants per country by number of purchases (ranking window over an aggregation).
    name: 'top_merchants',
    input: 'tx',
    sql: `
      SELECT country, merchant_id, n, total, r
      FROM (
        SELECT country, merchant_id, count(*) AS n, round(sum(amount), 2) AS total,
               dense_rank() OVER (PARTITION BY country ORDER BY count(*) DESC, merchant_id) AS r
        FROM tx
        WHERE country IS NOT NULL
        GROUP BY country, merchant_id
      )
      WHERE r <= 3`,
    dataframe: (tx, { Window, col, count, denseRank, round, sum }) => {
      const w = Window.partitionBy('country').orderBy(col('n').desc(), col('merchant_id'));
      return tx
        .filter(col('country').isNotNull())
        .groupBy('country', 'merchant_id')
        .agg(count().alias('n'), round(sum('amount'), 2).alias('total'))
        .withColumn('r', denseRank().over(w))
        .filter(col('r').leq(3))
        .select('country', 'merchant_id', 'n', 'total', 'r');
    },
  },
  {
    // Clickstream page kinds per hour: CASE, RLIKE, regexp_extract, date_format, count(DISTINCT), HAVING.
    name: 'page_kinds_per_hour',
    input: 'views',
    sql: `
      SELECT CASE WHEN page = '/' THEN 'home'
                  WHEN page RLIKE '^/p/[0-9]+$' THEN 'product'
                  ELSE regexp_extract(page, '^/([a-z]+)', 1) END AS kind,
             date_format(event_time, 'yyyy-MM-dd HH') AS hour,
             count(*) AS views, count(DISTINCT user_id) AS users
      FROM views
      GROUP BY 1, 2
      HAVING count(*) > 10`,
    dataframe: (views, { col, count, countDistinct, dateFormat, regexpExtract, when }) =>
      views
        .select(
          when(col('page').eq('/'), 'home')
            .when(col('page').rlike('^/p/[0-9]+$'), 'product')
            .otherwise(regexpExtract('page', '^/([a-z]+)', 1))
            .alias('kind'),
          dateFormat('event_time', 'yyyy-MM-dd HH').alias('hour'),
          'user_id',
        )
        .groupBy('kind', 'hour')
        .agg(count().alias('views'), countDistinct('user_id').alias('users'))
        .filter(col('views').gt(10)),
  },
];
