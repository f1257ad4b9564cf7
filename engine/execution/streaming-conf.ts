import { invalidArgument } from '../../common/errors.js';
import type { RuntimeConf } from '../session/session-conf.js';

/** Streaming settings and their defaults (Spark's names, under `sluice.`). */
export const STREAMING_CONF_DEFAULTS: Readonly<Record<string, string>> = Object.freeze({
  /** State partitions of stateful operators; pinned in a checkpoint's offset log at its first batch. */
  'sluice.sql.shuffle.partitions': '4',
  /** Offset and commit log entries (and state versions) kept behind the newest batch. */
  'sluice.sql.streaming.minBatchesToRetain': '100',
  /** State store versions between two snapshots. */
  'sluice.sql.streaming.stateStore.snapshotInterval': '10',
  /** Sleep between polls of idle sources with a back-to-back trigger (ms). */
  'sluice.sql.streaming.pollingDelay': '10',
  /** Minimum time between two onQueryIdle events of a query (ms). */
  'sluice.sql.streaming.noDataProgressEventInterval': '10000',
  /** How the watermark of a query with several watermarked inputs is chosen: 'min' (safe, default) or 'max'. Pinned per checkpoint. */
  'sluice.sql.streaming.multipleWatermarkPolicy': 'min',
  /**
   * After this long (an interval such as '30 seconds'; '0' = never, Spark's behaviour) without new
   * rows on a watermarked input, its watermark advances with processing time, so the last windows
   * are emitted and state is evicted even when data stops.
   */
  'sluice.streaming.watermark.idleTimeout': '0',
  /**
   * Where the state of streaming aggregations lives: 'workers' (state executor threads, each
   * keeping its state partitions across batches) or 'driver' (the query's own thread).
   */
  'sluice.streaming.stateStore.location': 'workers',
  /**
   * Under the AvailableNow trigger, end with one more batch whose watermark is the end of time,
   * so the last windows, sessions and outer-join rows are emitted (a bounded replay or backfill
   * gives the batch result). Afterwards the checkpoint's watermark stays there.
   */
  'sluice.streaming.availableNow.flushAtEnd': 'false',
  /**
   * Run micro-batches without new rows (Spark's setting): after a batch, when the watermark moved
   * and a stateful operator with a watermark asks for one. 'false': never.
   */
  'sluice.sql.streaming.noDataMicroBatches.enabled': 'true',
  /**
   * With 'true', a batch without new rows runs only when the watermark reaches a point at which an
   * operator emits or evicts something (fewer, never empty-handed batches; not Spark's rule).
   */
  'sluice.streaming.noDataMicroBatches.onlyWhenDue': 'false',
  /** Stop active queries gracefully on SIGINT/SIGTERM. */
  'sluice.streaming.stopOnSignal': 'true',
});

/** A streaming setting: the session's value or the streaming default. */
export function streamingConf(conf: RuntimeConf, key: string): string {
  return conf.get(key) ?? STREAMING_CONF_DEFAULTS[key] ?? '';
}

/** A positive-integer streaming setting; a bad value is INVALID_ARGUMENT naming the key. */
export function streamingConfInt(conf: RuntimeConf, key: string): number {
  const raw = streamingConf(conf, key);
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw invalidArgument(`Config '${key}' must be a positive integer, got '${raw}'.`);
  return n;
}

/** Where stateful aggregations, session windows, pane-kept sliding windows and deduplication keep their state stores (see `sluice.streaming.stateStore.location`). */
export type StateStoreLocation = 'workers' | 'driver';

/** The `sluice.streaming.stateStore.location` setting; a bad value is INVALID_ARGUMENT naming the key. */
export function stateStoreLocation(conf: RuntimeConf): StateStoreLocation {
  const key = 'sluice.streaming.stateStore.location';
  const raw = streamingConf(conf, key).trim().toLowerCase();
  if (raw === 'workers' || raw === 'driver') return raw;
  throw invalidArgument(`Config '${key}' must be 'workers' or 'driver', got '${streamingConf(conf, key)}'.`);
}
