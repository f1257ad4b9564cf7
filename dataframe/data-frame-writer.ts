import { invalidArgument } from '../common/errors.js';
import { valueText } from '../common/describe-value.js';
import { checkPartitionColumns } from '../common/partition-column-check.js';
import type { DataFrame } from './data-frame.js';
import type { WriteRequest } from './query-executor.js';

const MODES = ['error', 'errorifexists', 'overwrite', 'append', 'ignore'] as const;

/** Saves a DataFrame (Spark's DataFrameWriter): `df.write.mode('overwrite').partitionBy('d').parquet(dir)`. */
export class DataFrameWriter {
  private readonly df: DataFrame;
  private saveMode: WriteRequest['mode'] = 'error';
  private partitionCols: string[] = [];
  private readonly opts: Record<string, string | number | boolean> = {};

  constructor(df: DataFrame) {
    this.df = df;
  }

  /** What to do when the target exists: 'error' (default), 'overwrite', 'append' or 'ignore'. */
  mode(mode: string): this {
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
  option(key: string, value: string | number | boolean): this {
    this.opts[key] = value;
    return this;
  }

  /** Writes Parquet files into the folder `path`. */
  async parquet(path: string): Promise<void> {
    await this.df.executor.write(this.df.plan, { path, format: 'parquet', mode: this.saveMode, partitionBy: this.partitionCols, options: { ...this.opts } });
  }
}
