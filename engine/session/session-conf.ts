import { invalidArgument } from '../../common/errors.js';

/** Configuration keys Sluice reads, with their defaults. */
export const CONF_DEFAULTS: Readonly<Record<string, string>> = Object.freeze({
  /** Rows per batch between operators. */
  'sluice.sql.batchSize': '131072',
  /** Join sides estimated at or below this many bytes are broadcast to every task (Spark's autoBroadcastJoinThreshold). */
  'sluice.sql.autoBroadcastJoinThreshold': String(10 * 1024 * 1024),
  /** Splits per worker stage, as a multiple of the number of workers. */
  'sluice.sql.splitsPerWorker': '4',
  /** Parquet compression for writes: zstd, snappy or none. */
  'sluice.sql.parquet.compression': 'zstd',
  /** Folder of the tables `writeStream.toTable(name)` writes, one subfolder per table (Spark's spark.sql.warehouse.dir). */
  'sluice.sql.warehouse.dir': 'spark-warehouse',
  /** Draw the progress line of batch actions that run over 2 s on stderr when it is a terminal (Spark's spark.ui.showConsoleProgress). */
  'sluice.ui.showConsoleProgress': 'true',
});

/** The session's runtime configuration (Spark's `spark.conf`): string values by key. */
export class RuntimeConf {
  private readonly values = new Map<string, string>();

  constructor(initial: Readonly<Record<string, string>> = {}) {
    for (const [k, v] of Object.entries(initial)) this.values.set(k, v);
  }

  /** The value of `key`, or its default, or `fallback`. */
  get(key: string, fallback?: string): string | undefined {
    return this.values.get(key) ?? CONF_DEFAULTS[key] ?? fallback;
  }

  /** Sets a value. */
  set(key: string, value: string | number | boolean): void {
    this.values.set(key, String(value));
  }

  /** Every explicitly set value. */
  getAll(): Record<string, string> {
    return Object.fromEntries(this.values);
  }

  /** A positive integer setting; a bad value is a clear error naming the key. */
  getPositiveInt(key: string): number {
    const raw = this.get(key);
    const n = Number(raw);
    if (!Number.isInteger(n) || n <= 0) throw invalidArgument(`Config '${key}' must be a positive integer, got '${raw}'.`);
    return n;
  }
}
