import { invalidArgument } from '../common/errors.js';
import type { DataFrame } from './data-frame.js';
import type { WriteRequest } from './query-executor.js';

const MODES = ['error', 'errorifexists', 'overwrite', 'append', 'ignore'] as const;

/** Saves a DataFrame (Spark's DataFrameWriter): `df.write.mode('overwrite').partitionBy('d').parquet(dir)`. */
export class DataFrameWriter {
  private readonly df: DataFrame;
  private saveMode: WriteRequest['mode'] = 'error';
  private fmt = 'parquet';
  private partitionCols: string[] = [];
  private readonly opts: Record<string, string | number | boolean> = {};

  constructor(df: DataFrame) {
    this.df = df;
  }

  /** What to do when the target exists: 'error' (default), 'overwrite', 'append' or 'ignore'. */
  mode(mode: string): this {
    const m = mode.toLowerCase() as WriteRequest['mode'];
    if (!MODES.includes(m)) throw invalidArgument(`Unknown save mode '${mode}'. Use one of: error, overwrite, append, ignore.`);
    this.saveMode = m;
    return this;
  }

  /** Writes Hive-style `col=value/` folders for these columns. */
  partitionBy(...cols: string[]): this {
    this.df.assertColumns(cols, 'partitionBy()');
    this.partitionCols = cols;
    return this;
  }

  /** Sets a writer option: `compression` ('zstd', 'snappy', 'none'), `rowGroupSize`. */
  option(key: string, value: string | number | boolean): this {
    this.opts[key] = value;
    return this;
  }

  /** Sets the format for `save()`: 'parquet' (default) or 'redis'. */
  format(format: string): this {
    this.fmt = format.toLowerCase();
    return this;
  }

  /** Writes with the format set by `format()`: Parquet into the folder `path`, or to the connector (`redis` takes no path). */
  async save(path?: string): Promise<void> {
    if (this.fmt === 'parquet') {
      if (path === undefined) throw invalidArgument("save() of the parquet format needs an output folder: df.write.format('parquet').save('out/').");
      return this.parquet(path);
    }
    if (path !== undefined) throw invalidArgument(`The ${this.fmt} format takes no path; call save() without one and set its options.`);
    await this.df.executor.write(this.df.plan, { path: '', format: this.fmt, mode: this.saveMode, partitionBy: this.partitionCols, options: { ...this.opts } });
  }

  /** Writes Parquet files into the folder `path`. */
  async parquet(path: string): Promise<void> {
    await this.df.executor.write(this.df.plan, { path, format: 'parquet', mode: this.saveMode, partitionBy: this.partitionCols, options: { ...this.opts } });
  }
}
