import type { ColumnarBatch } from '../../common/column-vector.js';
import type { Schema } from '../../common/schema.js';

/**
 * Counters every operator keeps while it runs. `elapsedMs` is the time spent inside the
 * operator's own code (excluding time spent waiting on its children).
 */
export interface OperatorMetrics {
  outputRows: number;
  outputBatches: number;
  elapsedMs: number;
  /** Operator-specific counters (rows skipped by statistics, hash table size, spilled bytes...). */
  extra: Record<string, number>;
}

/** What an operator may use while it runs. */
export interface ExecContext {
  /** Target rows per output batch for operators that rebatch (scans, joins). */
  readonly batchSize: number;
  /** Set when the query is cancelled; long loops check it between batches. */
  readonly signal?: AbortSignal;
  /** Told about worker tasks as stages plan and finish them (batch actions with a progress listener). */
  readonly progress?: TaskProgress;
}

/**
 * Receives the task counts of an action's worker stages. Called on the driver once per
 * stage (tasks planned) and once per finished task, never per row or batch.
 */
export interface TaskProgress {
  /** A stage planned `n` more tasks. */
  tasksPlanned(n: number): void;
  /** A task finished after reading `rowsRead` input rows. */
  taskFinished(rowsRead: number): void;
}

/**
 * A physical operator: one node of an executable plan.
 *
 * Contract:
 * - `schema` is fixed at construction and every batch `execute` yields has exactly it.
 * - `execute` may be called once per operator instance; it pulls from its children and
 *   yields batches lazily, so a pipeline of stateless operators holds only one batch per
 *   operator in memory. Blocking operators (aggregate, sort, join build side) consume
 *   their input first and say so in their doc comment.
 * - Yielded batches are immutable; an operator never mutates a batch it received.
 * - Errors are thrown as `SluiceError` naming the operator and the cause; the operator
 *   releases what it holds when its iterator is closed early (`return()`), e.g. by a limit.
 * - `metrics` are updated while running and final when the iterator finishes.
 */
export interface PhysicalOperator {
  /** Short operator name as shown by `explain()`, e.g. `HashAggregateExec`. */
  readonly name: string;
  readonly schema: Schema;
  readonly children: readonly PhysicalOperator[];
  readonly metrics: OperatorMetrics;
  /** One-line description of the operator's arguments for `explain()`. */
  describe(): string;
  execute(ctx: ExecContext): AsyncIterable<ColumnarBatch>;
}

/** Fresh zeroed metrics. */
export function newMetrics(): OperatorMetrics {
  return { outputRows: 0, outputBatches: 0, elapsedMs: 0, extra: {} };
}
