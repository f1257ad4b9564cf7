import type { ColumnarBatch } from '../common/column-vector.js';
import type { StreamingQuery } from './streaming-query.js';
import type { StreamStartRequest } from './data-stream-writer.js';
import type { LogicalPlan } from './plan/logical-plan.js';
import type { SqlCatalog } from './sql/sql-catalog.js';
import type { UserDefinedFunction } from './udf/user-defined-function.js';

/** How `explain()` renders a plan: the physical plan only, or every stage. */
export type ExplainMode = 'simple' | 'extended';

/** Options of a batch write, as collected by `DataFrameWriter`. */
export interface WriteRequest {
  /** The output folder (parquet, csv, json); empty for kafka and redis. */
  readonly path: string;
  readonly format: 'parquet' | 'csv' | 'json' | 'kafka' | 'redis';
  readonly mode: 'error' | 'errorifexists' | 'overwrite' | 'append' | 'ignore';
  readonly partitionBy: readonly string[];
  readonly options: Readonly<Record<string, string | number | boolean>>;
}

/**
 * What a DataFrame needs from the engine to run actions. The session implements it; the
 * dataframe layer only sees this interface, so it never imports the engine.
 *
 * Contract: `execute` runs the plan and yields its result batches in order (for a sorted
 * plan, the sort order); it is safe to call many times and each call re-reads the inputs.
 * `explain` never runs the plan. `materialize` runs the plan once and returns an
 * equivalent in-memory plan (for `cache()`).
 */
export interface QueryExecutor {
  execute(plan: LogicalPlan): AsyncIterable<ColumnarBatch>;
  explain(plan: LogicalPlan, mode: ExplainMode): string;
  write(plan: LogicalPlan, request: WriteRequest): Promise<void>;
  materialize(plan: LogicalPlan): Promise<LogicalPlan>;
  /** Starts a streaming query over a plan with streaming sources (`writeStream.start()`); absent on executors that cannot stream. */
  startStream?(plan: LogicalPlan, request: StreamStartRequest): Promise<StreamingQuery>;
  /** The session's temporary views and file reads for SQL; absent on executors without a session. */
  readonly catalog?: SqlCatalog;
  /**
   * The UDF registered under `name` in the session (`sluice.udf.register`), any case, or
   * undefined. The SQL front end resolves function names that are not built-ins here and
   * calls the result on the argument Columns: `df.executor.lookupUdf?.(name)?.(...cols)`.
   */
  lookupUdf?(name: string): UserDefinedFunction | undefined;
}
