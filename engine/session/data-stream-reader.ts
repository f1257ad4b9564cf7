import { randomUUID } from 'node:crypto';
import { checkSchemaValue } from '../../common/schema-check.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invalidArgument } from '../../common/errors.js';
import type { Schema } from '../../common/schema.js';
import { DataFrame } from '../../dataframe/data-frame.js';
import type { QueryExecutor } from '../../dataframe/query-executor.js';
import { SystemClock } from '../../scheduler/system-clock.js';
import type { ReadLimit, Source } from '../../sources/source.js';
import { createSource } from '../../sources/source-registry.js';
import type { StreamingRuntime } from '../execution/streaming-runtime.js';
import { parseDdlSchema } from '../../common/parse-ddl-schema.js';
import type { OptionKeyOf, OptionsOf, OptionValue, StreamReadFormat, StreamReadOptionsByFormat } from '../../dataframe/typed-options.js';

/** Options of {@link DataStreamReader.fromSource}. */
export interface FromSourceOptions {
  /** Rows admitted per batch at most (the source's `maxRows` read limit). */
  readonly maxRowsPerTrigger?: number;
}

/**
 * Reads streams into a streaming DataFrame (Spark's DataStreamReader):
 * `sluice.readStream.format('csv').schema('id BIGINT, v DOUBLE').option('maxFilesPerTrigger', 1).load('in/')`,
 * `sluice.readStream.format('rate-micro-batch').option('rowsPerBatch', 10).load()`,
 * or `sluice.readStream.fromSource(memoryStream)` for a source object made directly.
 * `load` creates the source once to settle its schema and validate its options; each
 * query start creates it again with its checkpoint folder.
 *
 * `F` is the format chosen with `format()`: option keys are typed by it (any format's keys
 * before a format is chosen); the source refuses keys it does not know when `load()` creates it.
 */
export class DataStreamReader<F extends StreamReadFormat = StreamReadFormat> {
  private fmt = '';
  private readonly opts: Record<string, string | number | boolean> = {};
  private userSchema: Schema | null = null;

  constructor(
    private readonly executor: QueryExecutor,
    private readonly runtime: StreamingRuntime,
  ) {}

  /** The source format: parquet, csv, json, kafka, rate, rate-micro-batch. */
  format<G extends StreamReadFormat>(format: G): DataStreamReader<G> {
    this.fmt = format;
    return this as unknown as DataStreamReader<G>;
  }

  /** A source option (maxFilesPerTrigger, header, rowsPerBatch, ...). */
  option(key: OptionKeyOf<StreamReadOptionsByFormat, F>, value: OptionValue): this {
    this.opts[key] = value;
    return this;
  }

  /** Several options. */
  options(options: OptionsOf<StreamReadOptionsByFormat, F>): this {
    Object.assign(this.opts, options);
    return this;
  }

  /** The schema: a Schema or a DDL string like `'id BIGINT, name STRING'`. */
  schema(schema: Schema | string): this {
    this.userSchema = typeof schema === 'string' ? parseDdlSchema(schema) : checkSchemaValue(schema, 'readStream.schema()');
    return this;
  }

  /** Creates the streaming DataFrame of the format set by `format()`, reading `path` if the format needs one. */
  async load(path?: string): Promise<DataFrame> {
    if (this.fmt === '') throw invalidArgument("readStream needs a format: readStream.format('csv').load('in/'), or use fromSource(stream).");
    const format = this.fmt;
    const options = { ...this.opts };
    const schema = this.userSchema;
    const args = { options, schema, path: path ?? null };
    const probe = await createSource(format, {
      ...args,
      metadataPath: join(tmpdir(), `sluice-probe-${randomUUID()}`),
      fileManager: this.runtime.fileManager,
      clock: new SystemClock(),
    });
    await probe.stop();
    const relation = this.runtime.catalog.register({
      schema: probe.schema,
      description: probe.description,
      readLimit: {},
      ownedByUser: false,
      // The schema is settled here, once: a query's start does not list or read the input again to learn it.
      createSource: (ctx) =>
        createSource(format, { ...args, settledSchema: probe.schema, metadataPath: ctx.metadataDir, fileManager: ctx.fileManager, clock: ctx.clock }),
    });
    return new DataFrame(relation, this.executor);
  }

  /** Reads a folder of Parquet files as they arrive. */
  parquet(path: string): Promise<DataFrame> {
    return this.format('parquet').load(path);
  }

  /** Reads a folder of CSV files as they arrive. */
  csv(path: string): Promise<DataFrame> {
    return this.format('csv').load(path);
  }

  /** Reads a folder of JSON-lines files as they arrive. */
  json(path: string): Promise<DataFrame> {
    return this.format('json').load(path);
  }

  /**
   * A streaming DataFrame over a source object the caller owns (a `MemoryStream`): every
   * query over it uses this instance and never stops it, so a test can add data, stop and
   * restart queries.
   */
  fromSource(source: Source, options: FromSourceOptions = {}): DataFrame {
    const max = options.maxRowsPerTrigger;
    if (max !== undefined && (!Number.isInteger(max) || max < 1)) throw invalidArgument(`maxRowsPerTrigger must be a positive integer, got ${max}.`);
    const readLimit: ReadLimit = max === undefined ? {} : { maxRows: max };
    const relation = this.runtime.catalog.register({
      schema: source.schema,
      description: source.description,
      readLimit,
      ownedByUser: true,
      createSource: async () => source,
    });
    return new DataFrame(relation, this.executor);
  }
}
