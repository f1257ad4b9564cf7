import { availableParallelism } from 'node:os';
import { checkSchemaValue } from '../../common/schema-check.js';
import { describeValue } from '../../common/describe-value.js';
import { Table } from 'apache-arrow';
import { invalidArgument } from '../../common/errors.js';
import type { Schema } from '../../common/schema.js';
import { DataFrame } from '../../dataframe/data-frame.js';
import { buildLocalRelation } from '../../dataframe/plan/builders/build-misc.js';
import type { StreamingQueryManager } from '../execution/streaming-query-manager.js';
import type { DashboardOptions } from '../ui/dashboard-server.js';
import { checkDashboardOptions, DashboardServer } from '../ui/dashboard-server.js';
import { dictionaryEncodeBatch } from '../encode/dictionary-encode.js';
import { shareBatch } from '../workers/shared-memory.js';
import { WorkerPool } from '../workers/worker-pool.js';
import type { TaskRunner } from '../workers/task-runner.js';
import { connectMaster } from '../distributed/connect-master.js';
import type { InputRows } from './create-local-batch.js';
import { createLocalBatch } from './create-local-batch.js';
import type { TableCatalog } from './table-catalog.js';
import { DataFrameReader } from './data-frame-reader.js';
import { DataStreamReader } from './data-stream-reader.js';
import { parseDdlSchema } from '../../common/parse-ddl-schema.js';
import type { BatchProgressListener } from './batch-progress.js';
import { ConsoleProgressBar } from './console-progress-bar.js';
import { RuntimeConf } from './session-conf.js';
import { SessionExecutor } from './session-executor.js';
import { sqlToDataFrame } from '../../dataframe/sql/sql-plan-query.js';
import type { UdfRegistry } from '../../dataframe/udf/udf-registry.js';

/** Builder of a {@link Sluice} session: `await Sluice.builder().workers(2).config(k, v).getOrCreate()`. */
export class SluiceBuilder {
  private nWorkers = availableParallelism();
  private name = 'sluice';
  private readonly settings: Record<string, string> = {};
  private readonly listeners: BatchProgressListener[] = [];
  private dashboard: { port: number; options: DashboardOptions } | null = null;
  private masterUrl: string | null = null;

  /** Number of worker threads (default: the number of cores). */
  workers(n: number): this {
    if (!Number.isInteger(n) || n < 1) throw invalidArgument(`workers() needs a positive integer, got ${n}.`);
    this.nWorkers = n;
    return this;
  }

  /**
   * Runs the session's stage tasks on `sluice worker` processes through a BullMQ queue on
   * the Redis at `url` (`redis://host:port`) instead of local worker threads. The driver
   * (this process) keeps triggers, offset and commit logs and sink commits. Settings:
   * `sluice.distributed.queue` (default `sluice`), `sluice.distributed.sharedStorage` (a
   * folder all processes reach, for large results), `sluice.distributed.inlineResultMaxBytes`
   * (default 1 MiB), `sluice.distributed.speculation` (default true). See docs/ARCHITECTURE.md
   * "Running across machines".
   */
  master(url: string): this {
    this.masterUrl = url;
    return this;
  }

  /** Sets a configuration value (see `CONF_DEFAULTS` for the keys). */
  config(key: string, value: string | number | boolean): this {
    this.settings[key] = String(value);
    return this;
  }

  /** Adds a listener told about the tasks of every batch action of the session (see {@link BatchProgressListener}). */
  progressListener(listener: BatchProgressListener): this {
    this.listeners.push(listener);
    return this;
  }

  /** Names the application (shown in progress and logs). */
  appName(name: string): this {
    this.name = name;
    return this;
  }

  /**
   * Serves the live dashboard of the session's streaming queries on `port` (0: a free port;
   * the address is `sluice.ui.url`), on 127.0.0.1 unless `options.host` says otherwise.
   * The server starts with the session and stops with `stop()`.
   */
  ui(port: number, options: DashboardOptions = {}): this {
    checkDashboardOptions(port, options);
    this.dashboard = { port, options };
    return this;
  }

  /** Starts the session: creates the worker pool (and the dashboard server when {@link ui} was called). */
  async getOrCreate(): Promise<Sluice> {
    const conf = new RuntimeConf(this.settings);
    const runner = this.masterUrl === null ? new WorkerPool(this.nWorkers) : await connectMaster(this.masterUrl, conf);
    const sluice = new Sluice(this.name, runner, conf);
    for (const l of this.listeners) sluice.addProgressListener(l);
    if (this.dashboard !== null) {
      try {
        sluice.dashboard = await DashboardServer.start(sluice.streams, this.dashboard.port, this.dashboard.options, this.name);
      } catch (e) {
        await sluice.stop();
        throw e;
      }
    }
    return sluice;
  }
}

/**
 * A Sluice session (Spark's SparkSession): the entry point for reading data and creating
 * DataFrames, owning the worker pool that runs them. Call `stop()` when done, or the
 * worker threads keep the process alive.
 */
export class Sluice {
  /** The application name. */
  readonly appName: string;
  /** Runtime configuration. */
  readonly conf: RuntimeConf;
  /** @internal */
  readonly executor: SessionExecutor;
  private readonly pool: TaskRunner;
  /** @internal Set by the builder. */
  dashboard: DashboardServer | null = null;

  /** @internal Use {@link Sluice.builder}. */
  constructor(appName: string, runner: TaskRunner, conf: RuntimeConf) {
    this.appName = appName;
    this.conf = conf;
    this.pool = runner;
    this.executor = new SessionExecutor(this.pool, conf);
    if (conf.get('sluice.ui.showConsoleProgress') !== 'false' && process.stderr.isTTY === true)
      this.addProgressListener(new ConsoleProgressBar(process.stderr));
  }

  /**
   * Adds a listener told about the progress of every batch action (tasks done of planned,
   * rows read, rows/s), at most every 100 ms per action and once when it ends. On a
   * terminal the session already draws a progress line on stderr for actions over 2 s
   * (config `sluice.ui.showConsoleProgress`).
   */
  addProgressListener(listener: BatchProgressListener): void {
    this.executor.progressListeners.push(listener);
  }

  /** Removes a listener added with {@link addProgressListener}; no effect when it is not registered. */
  removeProgressListener(listener: BatchProgressListener): void {
    const i = this.executor.progressListeners.indexOf(listener);
    if (i >= 0) this.executor.progressListeners.splice(i, 1);
  }

  /** A session builder. */
  static builder(): SluiceBuilder {
    return new SluiceBuilder();
  }

  /** The live dashboard (`ui.url` is its address), or null when the builder's `ui()` was not called. */
  get ui(): DashboardServer | null {
    return this.dashboard;
  }

  /** Number of worker threads (with a master: task slots of the live `sluice worker` processes). */
  get workers(): number {
    return this.pool.size;
  }

  /** A reader for files: `sluice.read.parquet(path)`. */
  get read(): DataFrameReader {
    return new DataFrameReader(this.executor, this.executor.tables);
  }

  /** A reader for streams: `sluice.readStream.format('csv').schema(...).load(dir)`. */
  get readStream(): DataStreamReader {
    return new DataStreamReader(this.executor, this.executor.streaming);
  }

  /**
   * The session's named UDFs (Spark's `spark.udf`): `sluice.udf.register('normalise', fn)`
   * makes `normalise(...)` callable from SQL; `sluice.udf.lookup(name)` is how the SQL front
   * end finds it.
   */
  get udf(): UdfRegistry {
    return this.executor.udfs;
  }

  /** The session's streaming queries: `active`, `get(id)`, `awaitAnyTermination()`, `addListener()`. */
  get streams(): StreamingQueryManager {
    return this.executor.streaming.manager;
  }

  /**
   * The table or view `name` as a DataFrame, resolved as Spark's `spark.table` does: a temp
   * view (`createOrReplaceTempView`), else the table a memory sink wrote under query name
   * `name`, else a table of the session's catalog (`writeStream.toTable(name)`), its files committed
   * so far. A table folder an earlier session wrote is found by {@link DataFrameReader.table}.
   */
  table(name: string): DataFrame {
    // Spark's order: a temp view, then a memory-sink table, then a catalog table (SessionCatalog.tempView).
    const plan = this.executor.catalog.tempView(name);
    if (plan !== undefined) return new DataFrame(plan, this.executor);
    const tables = this.executor.tables.listTables();
    const memoryTables = this.executor.streaming.memoryRegistry.names();
    const views = this.executor.catalog.tempViewNames();
    throw invalidArgument(
      `No table named '${name}': no temp view has the name, no memory sink wrote it and this session's catalog does not have it ` +
        `(temp views: ${views.length === 0 ? 'none' : views.join(', ')}; memory tables: ${memoryTables.length === 0 ? 'none' : memoryTables.join(', ')}; catalog tables: ${tables.length === 0 ? 'none' : tables.join(', ')}). ` +
        `Register a view with df.createOrReplaceTempView('${name}'), start a query with writeStream.format('memory').queryName('${name}') or writeStream.toTable('${name}'); a table folder another session wrote is read with await sluice.read.table('${name}').`,
    );
  }

  /** The session's table catalog: `listTables()`, `get(name)`, `warehouseDir()`. */
  get catalog(): TableCatalog {
    return this.executor.tables;
  }

  /**
   * Runs a Spark SQL query (see docs/API.md, "SQL") over the session's temporary views
   * (`df.createOrReplaceTempView(name)`) and files (`parquet.\`path\``, `csv.\`path\``,
   * `json.\`path\``) and returns its DataFrame; nothing runs until an action. A query over a
   * streaming view is a streaming DataFrame (start it with `writeStream`). Async because
   * file relations are listed and their schemas read here. Syntax and name errors give line,
   * column and a caret under the token.
   */
  sql(text: string): Promise<DataFrame> {
    return sqlToDataFrame(text, this.executor, this.executor.catalog);
  }

  /** Drops the temporary view `name`; true when it existed. */
  dropTempView(name: string): boolean {
    return this.executor.catalog.dropTempView(name);
  }

  /**
   * A DataFrame from JS rows (objects, or arrays with a schema) or an Apache Arrow Table.
   * Without a schema, types are inferred: integers become bigint, other numbers double,
   * strings string, booleans boolean, Dates timestamp. The rows are copied once into
   * shared memory, so worker threads read them without further copies; string columns
   * with few distinct values are dictionary-encoded on the way.
   */
  createDataFrame(data: InputRows | Table, schema?: Schema | string): DataFrame {
    if (!Array.isArray(data) && !(data instanceof Table))
      throw invalidArgument(
        `createDataFrame() needs an array of rows (objects, or arrays with a schema) or an Arrow Table, got ${describeValue(data)}. Wrap a single row in an array: createDataFrame([row]).`,
      );
    const s = typeof schema === 'string' ? parseDdlSchema(schema) : schema === undefined ? undefined : checkSchemaValue(schema, 'createDataFrame()');
    const local = createLocalBatch(data, s);
    return new DataFrame(buildLocalRelation(local.schema, [shareBatch(dictionaryEncodeBatch(local.batch))]), this.executor);
  }

  /** Stops the active streaming queries, then the dashboard server and the worker pool. The session cannot run queries afterwards. */
  async stop(): Promise<void> {
    try {
      await this.executor.streaming.manager.stopAll();
    } finally {
      // Let the queries' final events (queued as microtasks) reach the dashboard's streams first.
      await new Promise<void>((resolve) => setImmediate(resolve));
      await this.dashboard?.close();
      await this.pool.destroy();
    }
  }
}
