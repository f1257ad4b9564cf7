import type { ColumnarBatch } from '../../common/column-vector.js';
import { concatBatches } from '../../common/columnar-batch.js';
import type { StreamStartRequest } from '../../dataframe/data-stream-writer.js';
import type { ExplainMode, QueryExecutor, WriteRequest } from '../../dataframe/query-executor.js';
import { buildLocalRelation } from '../../dataframe/plan/builders/build-misc.js';
import { explainLogicalPlan } from '../../dataframe/plan/explain-plan.js';
import type { LogicalPlan } from '../../dataframe/plan/logical-plan.js';
import { optimize } from '../../dataframe/plan/optimizer/optimize.js';
import type { StreamingQuery } from '../../dataframe/streaming-query.js';
import { StreamingRuntime } from '../execution/streaming-runtime.js';
import type { PhysicalOperator } from '../physical/physical-operator.js';
import { explainPhysicalPlan } from '../planner/explain-physical.js';
import { planDistributed } from '../planner/plan-distributed.js';
import { dictionaryEncodeBatch } from '../encode/dictionary-encode.js';
import { UdfRegistry } from '../../dataframe/udf/udf-registry.js';
import type { UserDefinedFunction } from '../../dataframe/udf/user-defined-function.js';
import { checkStreamInlineUdfs } from '../udf/check-stream-udfs.js';
import { loadUdfFunctions } from '../udf/udf-functions.js';
import { shareBatch } from '../workers/shared-memory.js';
import type { WorkerPool } from '../workers/worker-pool.js';
import type { BatchProgressListener } from './batch-progress.js';
import { BatchProgressTracker } from './batch-progress.js';
import type { RuntimeConf } from './session-conf.js';
import { writeDataFrame } from './write-data-frame.js';
import { writeKafka } from './write-kafka.js';
import { TableCatalog } from './table-catalog.js';
import type { FileFormat } from '../../dataframe/plan/logical-plan.js';
import { SessionCatalog } from './session-catalog.js';

/**
 * Runs DataFrame plans for a session: optimize, plan for the worker pool, execute. The
 * only bridge from the dataframe layer (which never imports the engine) to the engine.
 */
export class SessionExecutor implements QueryExecutor {
  private readonly pool: WorkerPool;
  private readonly conf: RuntimeConf;
  /** The physical plan of the most recent execution, for inspection of metrics. */
  lastPhysicalPlan: PhysicalOperator | null = null;
  /** The session's streaming sources, queries and memory tables. */
  readonly streaming: StreamingRuntime;
  /** The session's tables (`writeStream.toTable`, `sluice.table`). */
  readonly tables: TableCatalog;
  /** Told about the tasks of every batch action; none means no tracking at all. */
  readonly progressListeners: BatchProgressListener[] = [];
  /** The session's named UDFs (`sluice.udf`). */
  readonly udfs = new UdfRegistry();
  private actions = 0;
  /** The session's temporary views (for SQL). */
  readonly catalog: SessionCatalog = new SessionCatalog(this, (name) => this.tablePlan(name));

  constructor(pool: WorkerPool, conf: RuntimeConf) {
    this.pool = pool;
    this.conf = conf;
    this.streaming = new StreamingRuntime(conf);
    this.tables = new TableCatalog(conf);
  }

  /** The plan of a memory-sink table or a `toTable` catalog table named `name`, or undefined (SQL's fallback after temp views). */
  private tablePlan(name: string): LogicalPlan | undefined {
    const memory = this.streaming.memoryRegistry;
    if (memory.has(name)) {
      const batch = memory.table(name);
      return buildLocalRelation(batch.schema, [shareBatch(batch)]);
    }
    return this.tables.scanRegistered(name);
  }

  /** Optimizes and plans a logical plan into a physical plan. */
  plan(plan: LogicalPlan): PhysicalOperator {
    return planDistributed(optimize(plan), {
      pool: this.pool,
      broadcastThresholdBytes: Number(this.conf.get('sluice.sql.autoBroadcastJoinThreshold')),
      targetSplits: this.pool.size * this.conf.getPositiveInt('sluice.sql.splitsPerWorker'),
    });
  }

  async *execute(plan: LogicalPlan): AsyncGenerator<ColumnarBatch> {
    await loadUdfFunctions(plan);
    const physical = this.plan(plan);
    this.lastPhysicalPlan = physical;
    const batchSize = this.conf.getPositiveInt('sluice.sql.batchSize');
    if (this.progressListeners.length === 0) {
      yield* physical.execute({ batchSize });
      return;
    }
    const progress = new BatchProgressTracker(++this.actions, [...this.progressListeners]);
    try {
      yield* physical.execute({ batchSize, progress });
    } finally {
      progress.finish();
    }
  }

  explain(plan: LogicalPlan, mode: ExplainMode): string {
    const physical = `== Physical Plan ==\n${explainPhysicalPlan(this.plan(plan))}`;
    if (mode === 'simple') return physical;
    return `== Analyzed Logical Plan ==\n${explainLogicalPlan(plan)}\n\n== Optimized Logical Plan ==\n${explainLogicalPlan(optimize(plan))}\n\n${physical}`;
  }

  async write(plan: LogicalPlan, request: WriteRequest): Promise<void> {
    if (request.format === 'kafka') await writeKafka(this.execute(plan), plan.schema, request);
    else await writeDataFrame(this.execute(plan), plan.schema, request, this.conf);
  }

  /** The UDF registered under `name` (any case) in this session, or undefined; see {@link QueryExecutor.lookupUdf}. */
  lookupUdf(name: string): UserDefinedFunction | undefined {
    return this.udfs.lookup(name);
  }

  /**
   * Starts a streaming query; with `request.table` (`toTable(name)`) it writes the table's
   * folder under the warehouse and registers the table once the query started.
   */
  async startStream(plan: LogicalPlan, request: StreamStartRequest): Promise<StreamingQuery> {
    await loadUdfFunctions(plan);
    checkStreamInlineUdfs(plan, (p) => this.plan(p));
    const parts = { executor: this, pool: this.pool, conf: this.conf, plan: (p: LogicalPlan) => this.plan(p) };
    const name = request.table ?? null;
    if (name === null) return this.streaming.start(plan, request, parts);
    const table = this.tables.tableForWrite(name, request.format as FileFormat, plan.schema, request.options);
    const query = await this.streaming.start(plan, { ...request, path: table.location }, parts);
    this.tables.register(table);
    return query;
  }

  /** Runs the plan once and keeps the result in shared memory, low-cardinality strings dictionary-encoded. */
  async materialize(plan: LogicalPlan): Promise<LogicalPlan> {
    const parts: ColumnarBatch[] = [];
    for await (const b of this.execute(plan)) parts.push(b);
    return buildLocalRelation(plan.schema, [shareBatch(dictionaryEncodeBatch(concatBatches(plan.schema, parts)))]);
  }
}
