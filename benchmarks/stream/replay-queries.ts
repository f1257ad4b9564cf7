import { invalidArgument } from '../../common/errors.js';
import type { DataFrame } from '../../index.js';
import type { ResultColumn, SluiceFunctions } from '../workloads/bench-query.js';
import { W3_TUMBLING_WINDOWS } from '../workloads/w3-tumbling-windows.js';
import { W4_SLIDING_WINDOWS, w4Sluice } from '../workloads/w4-sliding-windows.js';
import { W5_FRAUD_RULE, w5Sluice } from '../workloads/w5-fraud-rule.js';
import { W6_SESSIONS, w6Sluice } from '../workloads/w6-sessions.js';

/** Card id of the flush row {@link streamReplay} appends as the last file of an append-mode replay. */
export const FLUSH_CARD_ID = -1;

/**
 * A query that `stream-replay` runs over the transactions, once as a batch query and once as
 * a stream, then compares. The stream's final table is built from its sink batches:
 * `update` mode applies each batch's rows as upserts by `upsertKeys`; `append` mode
 * concatenates them (each row emitted once, when the watermark passes it).
 */
export interface ReplayQuery {
  /** The workload id (W3...W6). */
  readonly id: string;
  readonly columns: readonly ResultColumn[];
  readonly outputMode: 'update' | 'append';
  /** update mode: the columns identifying a result row; null in append mode. */
  readonly upsertKeys: readonly string[] | null;
  /**
   * append mode: the stream needs a final row whose event time is far past the data so the
   * watermark passes every window (a flush row with card_id {@link FLUSH_CARD_ID}, filtered
   * out after `withWatermark` by {@link stream}).
   */
  readonly needsFlush: boolean;
  /** The batch query over `read.parquet(dir)`. */
  batch(tx: DataFrame, api: SluiceFunctions): DataFrame;
  /** The streaming query over `readStream...load(dir)`. */
  stream(tx: DataFrame, api: SluiceFunctions): DataFrame;
}

/**
 * Watermark delay of the append-mode replays. The data's rows arrive at most 10 minutes
 * after their event time (0.5 % late rows, U(30 s, 10 min)), and the files are in arrival
 * order, so no row is behind the watermark with a delay over 10 minutes: the stream keeps
 * every row, and its result equals the batch result.
 */
export const REPLAY_WATERMARK_DELAY = '11 minutes';

/**
 * The streaming input of an append-mode replay: the watermark on event_time, then the
 * flush row dropped. The filter reads event_time, so it stays after the watermark operator
 * and the flush row still moves the watermark (a filter that does not read the event-time
 * column runs before withWatermark, as in Spark).
 */
export function watermarked(tx: DataFrame, api: SluiceFunctions): DataFrame {
  return tx.withWatermark('event_time', REPLAY_WATERMARK_DELAY).filter(api.col('card_id').notEqual(FLUSH_CARD_ID).or(api.col('event_time').isNull()));
}

/** The replay queries by workload id. */
export const REPLAY_QUERIES: Readonly<Record<string, ReplayQuery>> = Object.freeze({
  W3: {
    id: 'W3',
    columns: W3_TUMBLING_WINDOWS.columns,
    outputMode: 'update',
    upsertKeys: ['window_start_ms', 'country'],
    needsFlush: false,
    batch: (tx, api) => W3_TUMBLING_WINDOWS.sluice({ tx, merchants: null }, api),
    stream: (tx, api) => W3_TUMBLING_WINDOWS.sluice({ tx, merchants: null }, api),
  },
  W4: {
    id: 'W4',
    columns: W4_SLIDING_WINDOWS.columns,
    outputMode: 'append',
    upsertKeys: null,
    needsFlush: true,
    batch: (tx, api) => w4Sluice(tx, api),
    stream: (tx, api) => w4Sluice(watermarked(tx, api), api),
  },
  W5: {
    id: 'W5',
    columns: W5_FRAUD_RULE.columns,
    outputMode: 'append',
    upsertKeys: null,
    needsFlush: true,
    batch: (tx, api) => w5Sluice(tx, api),
    stream: (tx, api) => w5Sluice(watermarked(tx, api), api),
  },
  W6: {
    id: 'W6',
    columns: W6_SESSIONS.columns,
    outputMode: 'append',
    upsertKeys: null,
    needsFlush: true,
    batch: (tx, api) => w6Sluice(tx, api),
    stream: (tx, api) => w6Sluice(watermarked(tx, api), api),
  },
} satisfies Record<string, ReplayQuery>);

/** The replay query of workload `id`; INVALID_ARGUMENT lists the ids otherwise. */
export function replayQuery(id: string): ReplayQuery {
  const q = REPLAY_QUERIES[id];
  if (q === undefined) throw invalidArgument(`stream-replay has no query '${id}'. Queries are: ${Object.keys(REPLAY_QUERIES).join(', ')}.`);
  return q;
}
