import type { ColumnarBatch } from '../../common/column-vector.js';
import type { Schema } from '../../common/schema.js';
import type { Expr, SortOrder, WindowFrame } from '../expr/expr.js';
import type { StatefulProcessor, TimeMode } from '../transform-with-state.js';
import type { FileEntry } from '../../common/file-entry.js';
import type { ScanOptions } from '../../common/connector-options.js';
import type { ConnectorSplit } from '../../common/connector-split.js';
import type { Generate } from './generate-node.js';

export type { Generate } from './generate-node.js';

/**
 * Logical plan nodes: frozen plain data tagged by `kind`, each carrying its output
 * `schema`. Nodes are built only through the validating builders in `plan-builders.ts`,
 * so every plan that exists is well-typed; expressions inside are analyzed (see
 * `dataframe/expr/expr.ts`). Plans are pure descriptions: no I/O, no engine types, so
 * they can be shipped to worker threads and logged in checkpoints.
 */
export type LogicalPlan =
  | StreamingRelation
  | FileScan
  | ConnectorScan
  | LocalRelation
  | Project
  | Filter
  | Aggregate
  | Join
  | Sort
  | Limit
  | Deduplicate
  | EventTimeWatermark
  | Union
  | SubqueryAlias
  | TransformWithState
  | WindowNode
  | Generate;

/** File formats the file scan reads. */
export type FileFormat = 'parquet' | 'csv' | 'json';

export type { FileEntry, ScanOptions };

/**
 * Reads files. `dataSchema` is the schema of the files; `schema` is the output after
 * column pruning (`columns`, null = all). `pushedFilters` are conjuncts of filters above the
 * scan that the reader may use to skip data (Parquet row groups by min/max statistics);
 * the Filter node above still applies them exactly.
 */
export interface FileScan {
  readonly kind: 'fileScan';
  readonly format: FileFormat;
  readonly files: readonly FileEntry[];
  readonly dataSchema: Schema;
  readonly options: ScanOptions;
  readonly columns: readonly string[] | null;
  readonly pushedFilters: readonly Expr[];
  readonly schema: Schema;
}

/**
 * Reads splits of an external system through a connector (e.g. one Kafka topic-partition
 * offset range per split). `connector` names the split reader that workers resolve in
 * `sources/connector-split-readers.ts`; `splits` are plain JSON data the reader
 * understands. Each split becomes one worker task, whose reader returns columns with
 * `schema`. The node is a leaf: it is never pruned or given pushed filters.
 */
export interface ConnectorScan {
  readonly kind: 'connectorScan';
  readonly connector: string;
  readonly splits: readonly ConnectorSplit[];
  /** Short description for plans and progress, e.g. `kafka [orders] 3 partition(s)`. */
  readonly description: string;
  readonly schema: Schema;
}

/**
 * A streaming source in a plan (`sluice.readStream...load()`). The Source object itself
 * lives in the session's registry under `sourceId`; plans stay plain data. Each
 * micro-batch replaces this leaf with the source's plan for the batch's offset range.
 */
export interface StreamingRelation {
  readonly kind: 'streamingRelation';
  readonly sourceId: string;
  readonly description: string;
  readonly schema: Schema;
}

/** In-memory rows, as made by `createDataFrame`. */
export interface LocalRelation {
  readonly kind: 'local';
  readonly batches: readonly ColumnarBatch[];
  readonly schema: Schema;
}

/** Computes one output column per expression (each is a column reference or an alias). */
export interface Project {
  readonly kind: 'project';
  readonly child: LogicalPlan;
  readonly exprs: readonly Expr[];
  readonly schema: Schema;
}

/** Keeps the rows where `condition` is true (null and false drop the row). */
export interface Filter {
  readonly kind: 'filter';
  readonly child: LogicalPlan;
  readonly condition: Expr;
  readonly schema: Schema;
}

/**
 * Groups by `groupBy` and computes `aggregates`. Output columns are the grouping columns
 * followed by the aggregates. Each aggregate expression is an alias whose child contains
 * one or more aggregate calls combined by scalar expressions (`sum(a) / count(b)`).
 * With no grouping keys the output is exactly one row, even over empty input.
 */
export interface Aggregate {
  readonly kind: 'aggregate';
  readonly child: LogicalPlan;
  readonly groupBy: readonly Expr[];
  readonly aggregates: readonly Expr[];
  readonly schema: Schema;
}

/** Join types, Spark's names. `semi` and `anti` output only the left columns. */
export type JoinType = 'inner' | 'left' | 'right' | 'full' | 'semi' | 'anti' | 'cross';

/**
 * Joins two plans on equal keys (`leftKeys[i] = rightKeys[i]`, nulls never equal) plus an
 * optional extra `condition` over both sides. `using` lists key names that appear once in
 * the output (a join on column names, like Spark's `join(df, ['id'])`), else null.
 */
export interface Join {
  readonly kind: 'join';
  readonly left: LogicalPlan;
  readonly right: LogicalPlan;
  readonly joinType: JoinType;
  readonly leftKeys: readonly Expr[];
  readonly rightKeys: readonly Expr[];
  readonly condition: Expr | null;
  readonly using: readonly string[] | null;
  readonly schema: Schema;
}

/** Sorts by the given orders (a stable sort). */
export interface Sort {
  readonly kind: 'sort';
  readonly child: LogicalPlan;
  readonly orders: readonly SortOrder[];
  readonly schema: Schema;
}

/** The first `n` rows of the child (in the child's order). */
export interface Limit {
  readonly kind: 'limit';
  readonly child: LogicalPlan;
  readonly n: number;
  readonly schema: Schema;
}

/**
 * Keeps the first row seen for each distinct value of `keys` (all columns for `distinct()`).
 * `withinWatermark` marks `dropDuplicatesWithinWatermark`: in a batch query it is the same
 * as a plain deduplication; in a stream a key is remembered only until the watermark passes
 * its first row's event time plus the watermark delay.
 */
export interface Deduplicate {
  readonly kind: 'deduplicate';
  readonly child: LogicalPlan;
  readonly keys: readonly string[];
  readonly withinWatermark: boolean;
  readonly schema: Schema;
}

/**
 * `withWatermark(eventTime, delay)`: marks `eventTime` (a timestamp column of the child) as
 * the event time of the rows below, with a lateness bound of `delayMs`. The node changes no
 * row: in a batch query it is dropped by the optimizer; in a stream it records the maximum
 * event time of every micro-batch, from which the engine derives the watermark that stateful
 * operators above use to drop late rows and evict state.
 */
export interface EventTimeWatermark {
  readonly kind: 'eventTimeWatermark';
  readonly child: LogicalPlan;
  readonly eventTime: string;
  readonly delayMs: number;
  readonly schema: Schema;
}

/** Concatenates children by column position (UNION ALL); children have compatible schemas. */
export interface Union {
  readonly kind: 'union';
  readonly children: readonly LogicalPlan[];
  readonly schema: Schema;
}

/** Renames the qualifier of every output column, so `alias.col` resolves. */
export interface SubqueryAlias {
  readonly kind: 'subqueryAlias';
  readonly child: LogicalPlan;
  readonly alias: string;
  readonly schema: Schema;
}

/**
 * `groupBy(keys).transformWithState(processor, ...)`: runs a user's stateful processor per
 * distinct value of `keys` (columns of the child). Unlike other nodes it holds a JS object
 * (the processor), so it never travels to workers: it runs on the driver. `schema` is the
 * processor's output schema. See `dataframe/transform-with-state.ts`.
 */
export interface TransformWithState {
  readonly kind: 'transformWithState';
  readonly child: LogicalPlan;
  readonly keys: readonly string[];
  readonly processor: StatefulProcessor;
  readonly timeMode: TimeMode;
  readonly outputMode: 'append' | 'update';
  readonly schema: Schema;
}

/**
 * Window functions over one window specification (Spark's `Window` node): every child row,
 * plus one column per function in `functions`, each an alias of an aggregate call
 * (count, countDistinct, sum, avg, min, max, percentiles) evaluated over the row's frame within its
 * partition (`partitionBy`), ordered by `orderBy`. `frame` is resolved (never Spark's
 * implicit default). Made by the select/withColumn builders, which extract `.over(w)`
 * expressions into this node (see `builders/build-window.ts`). Output columns: the child's,
 * then the functions'.
 */
export interface WindowNode {
  readonly kind: 'window';
  readonly child: LogicalPlan;
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly SortOrder[];
  readonly frame: WindowFrame;
  readonly functions: readonly Expr[];
  readonly schema: Schema;
}

/** The direct children of a plan node. */
export function planChildren(plan: LogicalPlan): readonly LogicalPlan[] {
  switch (plan.kind) {
    case 'fileScan':
    case 'connectorScan':
    case 'local':
    case 'streamingRelation':
      return [];
    case 'join':
      return [plan.left, plan.right];
    case 'union':
      return plan.children;
    default:
      return [plan.child];
  }
}

/** True when the plan reads a streaming source anywhere. */
export function isStreamingPlan(plan: LogicalPlan): boolean {
  return plan.kind === 'streamingRelation' || planChildren(plan).some(isStreamingPlan);
}
