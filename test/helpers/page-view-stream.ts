import { types } from '../../common/data-type.js';
import { field, schemaOf } from '../../common/schema.js';
import type { DataFrame } from '../../dataframe/data-frame.js';
import { col, count, window } from '../../dataframe/expr/functions.js';
import type { StreamingQuery } from '../../dataframe/streaming-query.js';
import type { Sluice } from '../../engine/session/sluice.js';
import { MemoryStream } from '../../sources/memory/memory-stream.js';

const schema = schemaOf([field('t', types.timestamp('ms')), field('page', types.utf8)]);

/**
 * A running windowed page-view count for dashboard tests: a MemoryStream fed every
 * `feedMs` with 20 rows one simulated second apart in event time, plus every fourth feed
 * three rows a minute late (dropped by the 3-second watermark), counted per 2-second window
 * and page into a memory sink. So its progress has input, state rows, a watermark and late rows.
 */
export class PageViewStream {
  readonly input = new MemoryStream(schema, 'page views');
  query: StreamingQuery | null = null;
  private timer: NodeJS.Timeout | null = null;
  private feeds = 0;

  constructor(private readonly sluice: Sluice) {}

  /** The windowed count over the input. */
  frame(): DataFrame {
    return this.sluice.readStream
      .fromSource(this.input)
      .withWatermark('t', '3 seconds')
      .groupBy(window(col('t'), '2 seconds'), col('page'))
      .agg(count().alias('views'));
  }

  /** Starts feeding and the query `name` with a `triggerMs` processing-time trigger. */
  async start(name: string, triggerMs = 250, feedMs = 150): Promise<StreamingQuery> {
    this.feed();
    this.timer = setInterval(() => this.feed(), feedMs);
    this.query = await this.frame()
      .writeStream.format('memory')
      .queryName(name)
      .outputMode('append')
      .trigger({ kind: 'processingTime', intervalMs: triggerMs })
      .start();
    return this.query;
  }

  /** Stops feeding and the query. */
  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    await this.query?.stop();
  }

  private feed(): void {
    const base = 1_700_000_000_000 + this.feeds * 1000;
    const rows = Array.from({ length: 20 }, (_, i) => ({ t: new Date(base + i * 50), page: `/p${i % 4}` }));
    if (this.feeds % 4 === 3) for (let i = 0; i < 3; i++) rows.push({ t: new Date(base - 60_000), page: '/late' });
    this.feeds++;
    this.input.addData(rows);
  }
}
