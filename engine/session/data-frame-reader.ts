import type { Schema } from '../../common/schema.js';
import { checkSchemaValue } from '../../common/schema-check.js';
import { schemaOf } from '../../common/schema.js';
import { invalidArgument } from '../../common/errors.js';
import { DataFrame } from '../../dataframe/data-frame.js';
import { buildFileScan } from '../../dataframe/plan/builders/build-misc.js';
import type { FileFormat, ScanOptions } from '../../dataframe/plan/logical-plan.js';
import type { QueryExecutor } from '../../dataframe/query-executor.js';
import { listFiles } from '../../sources/file/list-files.js';
import { inferFileSchema, inferPartitionFields } from '../../sources/file/infer-schema.js';
import { parseDdlSchema } from '../../common/parse-ddl-schema.js';
import type { TableCatalog } from './table-catalog.js';
import { readRedisStreams } from '../../sources/redis-stream/read-redis-streams.js';
import { checkFileReaderOptions } from '../../sources/file/file-reader-options.js';
import type { CsvReadOptions, JsonReadOptions, OptionKeyOf, OptionsOf, OptionValue, ReadFormat, ReadOptionsByFormat } from '../../dataframe/typed-options.js';

const FORMATS: readonly FileFormat[] = ['parquet', 'csv', 'json'];
const CONNECTOR_FORMATS: readonly string[] = ['kafka', 'redis-stream'];

/**
 * Reads files into a DataFrame (Spark's DataFrameReader). Listing the files and reading or
 * inferring the schema happen when the DataFrame is created, so column errors surface
 * while the query is built; the data is read only when an action runs.
 *
 * `sluice.read.parquet(dir)`, `sluice.read.option('header', true).csv(path)`,
 * `sluice.read.schema('id BIGINT, name STRING').json(path)`, `sluice.read.format('csv').load(path)`.
 * A path is a file, a folder (read recursively; Hive `key=value` folders become columns)
 * or a glob.
 *
 * `F` is the format chosen with `format()`: option keys are typed by it (any format's keys
 * before a format is chosen), and `load()` refuses a key the format does not know.
 */
export class DataFrameReader<F extends ReadFormat = ReadFormat> {
  private readonly executor: QueryExecutor;
  private fmt: FileFormat | 'kafka' | 'redis-stream' = 'parquet';
  private readonly opts: Record<string, string | number | boolean> = {};
  private userSchema: Schema | null = null;

  constructor(
    executor: QueryExecutor,
    private readonly tables: TableCatalog | null = null,
  ) {
    this.executor = executor;
  }

  /**
   * Reads table `name` of the session's catalog (Spark's `read.table`): a table written by
   * `writeStream.toTable(name)` in this session, or a Parquet table folder under the
   * warehouse written earlier; its committed files as of now.
   */
  async table(name: string): Promise<DataFrame> {
    if (this.tables === null) throw invalidArgument('This reader has no table catalog; use sluice.read.table(name).');
    return new DataFrame(await this.tables.scan(name), this.executor);
  }

  /** Sets the format for `load()`: 'parquet', 'csv', 'json', 'kafka' (a batch read of offset ranges) or 'redis-stream'; see docs/STREAMING.md. */
  format<G extends ReadFormat>(format: G): DataFrameReader<G> {
    const f = String(format).toLowerCase() as FileFormat;
    if (!FORMATS.includes(f) && !CONNECTOR_FORMATS.includes(f))
      throw invalidArgument(`Unknown format '${format}'. Use parquet, csv, json, kafka or redis-stream.`);
    this.fmt = f;
    return this as unknown as DataFrameReader<G>;
  }

  /** Sets a reader option (CSV: header, sep, quote, escape, nullValue, inferSchema, mode...). */
  option(key: OptionKeyOf<ReadOptionsByFormat, F>, value: OptionValue): this {
    this.opts[key] = value;
    return this;
  }

  /** Sets several reader options. */
  options(options: OptionsOf<ReadOptionsByFormat, F>): this {
    Object.assign(this.opts, options as ScanOptions);
    return this;
  }

  /** Gives the schema instead of inferring it: a Schema or a DDL string like `'id BIGINT, name STRING'`. */
  schema(schema: Schema | string): this {
    this.userSchema = typeof schema === 'string' ? parseDdlSchema(schema) : checkSchemaValue(schema, 'read.schema()');
    return this;
  }

  /** Reads with the format set by `format()`. */
  async load(...paths: string[]): Promise<DataFrame> {
    if (this.fmt === 'kafka') {
      if (paths.length > 0) throw invalidArgument("read.format('kafka') reads no path; call load() without one and name topics with option 'subscribe'.");
      if (this.userSchema !== null)
        throw invalidArgument('The kafka reader has a fixed schema (key, value, topic, partition, offset, timestamp, timestampType); remove schema(...).');
      const { kafkaBatchPlan } = await import('../../sources/kafka/kafka-batch.js');
      return new DataFrame(await kafkaBatchPlan({ ...this.opts }), this.executor);
    }
    if (this.fmt === 'redis-stream') {
      if (paths.length > 0) throw invalidArgument("The redis-stream format reads no path; name the streams with .option('streams', 'orders').");
      return new DataFrame(await readRedisStreams(this.opts, this.userSchema), this.executor);
    }
    if (paths.length === 0) throw invalidArgument('load() needs a path.');
    const fmt = this.fmt;
    checkFileReaderOptions(this.opts, fmt, `${fmt} reader`);
    const files = await listFiles(paths);
    const schema = this.userSchema ? this.withPartitionColumns(this.userSchema, files) : await inferFileSchema(fmt, files, this.opts);
    return new DataFrame(buildFileScan(fmt, files, schema, { ...this.opts }), this.executor);
  }

  private withPartitionColumns(schema: Schema, files: Parameters<typeof inferPartitionFields>[0]): Schema {
    const names = new Set(schema.fields.map((f) => f.name));
    const extra = inferPartitionFields(files, this.opts).filter((f) => !names.has(f.name));
    return extra.length === 0 ? schema : schemaOf([...schema.fields, ...extra]);
  }

  /** Reads Parquet files. */
  async parquet(...paths: string[]): Promise<DataFrame> {
    return this.format('parquet').load(...paths);
  }

  /** Reads CSV files. */
  async csv(path: string | string[], options: CsvReadOptions = {}): Promise<DataFrame> {
    Object.assign(this.opts, options);
    return this.format('csv').load(...(Array.isArray(path) ? path : [path]));
  }

  /** Reads newline-delimited JSON files. */
  async json(path: string | string[], options: JsonReadOptions = {}): Promise<DataFrame> {
    Object.assign(this.opts, options);
    return this.format('json').load(...(Array.isArray(path) ? path : [path]));
  }
}
