import { invalidArgument } from '../common/errors.js';
import { valueText } from '../common/describe-value.js';
import { checkPartitionColumns } from '../common/partition-column-check.js';
import type { DataFrame } from './data-frame.js';
import type { WriteRequest } from './query-executor.js';
import type { OptionKeyOf, OptionsOf, OptionValue, SaveMode, WriteFormat, WriteOptionsByFormat } from './typed-options.js';

const MODES = ['error', 'errorifexists', 'overwrite', 'append', 'ignore'] as const;

/**
 * Saves a DataFrame (Spark's DataFrameWriter): `df.write.mode('overwrite').partitionBy('d').parquet(dir)`.
 * `F` is the format chosen with `format()`: option keys are typed by it (any format's keys
 * before a format is chosen), and the write refuses a key its format does not know.
 */
export class DataFrameWriter<F extends WriteFormat = WriteFormat> {
  private readonly df: DataFrame;
  private saveMode: WriteRequest['mode'] = 'error';
  private partitionCols: string[] = [];
  private readonly opts: Record<string, string | number | boolean> = {};
  private fmt: WriteRequest['format'] = 'parquet';

  constructor(df: DataFrame) {
    this.df = df;
  }

  /** What to do when the target exists: 'error' (default), 'overwrite', 'append' or 'ignore'. */
  mode(mode: SaveMode): this {
    const m = (typeof mode === 'string' ? mode.toLowerCase() : '') as WriteRequest['mode'];
    if (!MODES.includes(m)) throw invalidArgument(`Unknown save mode '${valueText(mode)}'. Use one of: error, overwrite, append, ignore.`);
    this.saveMode = m;
    return this;
  }

  /**
   * Writes Hive-style `col=value/` folders for these columns. Each must be a column of an
   * atomic type (not a struct such as `window`, nor an array): refused here otherwise.
   */
  partitionBy(...cols: string[]): this {
    checkPartitionColumns(this.df.schema, cols, 'partitionBy()');
    this.partitionCols = cols;
    return this;
  }

  /** Sets a writer option: `compression` ('zstd', 'snappy', 'none'), `rowGroupSize`. */
  option(key: OptionKeyOf<WriteOptionsByFormat, F>, value: OptionValue): this {
    this.opts[key] = value;
    return this;
  }

  /** Several options. */
  options(options: OptionsOf<WriteOptionsByFormat, F>): this {
    Object.assign(this.opts, options);
    return this;
  }

  /**
   * The output format of {@link save}: 'parquet' (default), 'csv', 'json', 'kafka' (options
   * `kafka.bootstrap.servers`, `topic`, ...) or 'redis' (options `url`, `type`, `key`, ...);
   * see docs/STREAMING.md.
   */
  format<G extends WriteFormat>(format: G): DataFrameWriter<G> {
    const f = String(format).toLowerCase();
    if (f !== 'parquet' && f !== 'csv' && f !== 'json' && f !== 'kafka' && f !== 'redis')
      throw invalidArgument(`Unknown write format '${format}'. Use parquet, csv, json, kafka or redis.`);
    this.fmt = f;
    return this as unknown as DataFrameWriter<G>;
  }

  /**
   * Writes CSV files into the folder `path` (Spark's defaults: no header unless option
   * `header` is true, `,` separator, nulls as nothing, empty strings as `""`, timestamps as
   * `2024-01-31T10:00:00.000Z`, doubles as Java prints them; options sep, quote, escape,
   * nullValue, emptyValue, quoteAll, escapeQuotes, ignoreLeadingWhiteSpace, ignoreTrailingWhiteSpace).
   * Array and struct columns are refused, as in Spark.
   */
  async csv(path: string): Promise<void> {
    await this.df.executor.write(this.df.plan, { path, format: 'csv', mode: this.saveMode, partitionBy: this.partitionCols, options: { ...this.opts } });
  }

  /**
   * Writes JSON-lines files into the folder `path` (one object per row, null fields left out
   * unless option `ignoreNullFields` is false; timestamps and dates as strings, as in Spark).
   */
  async json(path: string): Promise<void> {
    await this.df.executor.write(this.df.plan, { path, format: 'json', mode: this.saveMode, partitionBy: this.partitionCols, options: { ...this.opts } });
  }

  /** Writes Parquet files into the folder `path`. */
  async parquet(path: string): Promise<void> {
    await this.df.executor.write(this.df.plan, { path, format: 'parquet', mode: this.saveMode, partitionBy: this.partitionCols, options: { ...this.opts } });
  }

  /** Writes in the chosen {@link format}: Parquet, CSV or JSON into `path` (or option `path`); Kafka to the topics, Redis to its keys (no path). */
  async save(path?: string): Promise<void> {
    if (this.fmt === 'kafka' || this.fmt === 'redis') {
      if (path !== undefined)
        throw invalidArgument(
          this.fmt === 'kafka'
            ? "The kafka format takes no path: set .option('topic', ...) and call save()."
            : "The redis format takes no path: set .option('url', ...) and .option('key', ...) and call save().",
        );
      await this.df.executor.write(this.df.plan, {
        path: '',
        format: this.fmt,
        mode: this.saveMode,
        partitionBy: this.partitionCols,
        options: { ...this.opts },
      });
      return;
    }
    const { path: optionPath, ...rest } = this.opts;
    const target = path ?? (typeof optionPath === 'string' ? optionPath : undefined);
    if (target === undefined) throw invalidArgument(`save() of ${this.fmt} needs a folder: save('out/') or .option('path', 'out/').`);
    await this.df.executor.write(this.df.plan, { path: target, format: this.fmt, mode: this.saveMode, partitionBy: this.partitionCols, options: rest });
  }
}
