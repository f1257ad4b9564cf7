import type { ColumnarBatch } from '../../common/column-vector.js';
import type { Schema } from '../../common/schema.js';
import type { PlainError } from '../../common/errors.js';
import type { AggCall, Expr, SortOrder } from '../../dataframe/expr/expr.js';
import type { Aggregate, LocalRelation, LogicalPlan } from '../../dataframe/plan/logical-plan.js';
import type { FileSplit } from '../../sources/file/file-split.js';
import type { Partitioning } from '../exchange/partitioning.js';

/**
 * What a worker does on top of a plan fragment before sending rows back, so that only a
 * small result crosses threads: a partial aggregate, a partial deduplication, a limit or a
 * top-k; or nothing (the fragment's rows come back as they are).
 */
export type StageCap =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'partialAggregate';
      readonly groupBy: readonly Expr[];
      readonly groupNames: readonly string[];
      readonly aggCalls: readonly AggCall[];
      readonly aggNames: readonly string[];
    }
  | {
      /** The final merge of partial aggregate states (one shuffle partition's groups), then the result projection. */
      readonly kind: 'finalAggregate';
      readonly groupNames: readonly string[];
      readonly aggCalls: readonly AggCall[];
      readonly aggNames: readonly string[];
      readonly resultExprs: readonly Expr[];
      readonly schema: Schema;
    }
  | {
      /** The window-level merge of pane partial states (one shuffle partition's keys) for a window aggregate; its input is an empty stand-in. */
      readonly kind: 'paneFinal';
      readonly aggregate: Aggregate;
    }
  | { readonly kind: 'partialDeduplicate'; readonly keys: readonly string[] }
  | { readonly kind: 'limit'; readonly n: number }
  | { readonly kind: 'topK'; readonly orders: readonly SortOrder[]; readonly n: number };

/**
 * One task of a worker stage: a plan fragment (stateless operators over one scan, maybe a
 * broadcast join against in-memory rows) to run over one split of its input. Plain data: it
 * is structured-cloned to the worker; in-memory rows sit on SharedArrayBuffers, so they are
 * shared rather than copied.
 */
export interface StageTask {
  readonly fragment: LogicalPlan;
  /**
   * The splits of the fragment's file scan to read, in order (several small files packed
   * into one task); null when the fragment reads in-memory rows. The fragment's scan carries
   * no file list: the splits are all the task reads.
   */
  readonly fileSplits: readonly FileSplit[] | null;
  readonly cap: StageCap;
  readonly batchSize: number;
  /**
   * Set on the map side of an exchange: the task's output is cut into `n` partitions and
   * comes back as exactly `n` batches on shared memory, batch `k` holding partition `k`.
   */
  readonly partitioning?: Partitioning | null;
  /**
   * Stateless operators to run over the capped result (a HAVING filter or projection above
   * a final aggregation), `input` being the leaf of `plan` that stands for the capped result.
   */
  readonly then?: StageThen | null;
}

/** Operators over a task's capped result: `plan`, whose leaf `input` (the same object, also after a structured clone) is that result. */
export interface StageThen {
  readonly input: LocalRelation;
  readonly plan: LogicalPlan;
}

/** What a worker sends back for a task. */
export type StageResult =
  | {
      readonly ok: true;
      readonly batches: readonly ColumnarBatch[];
      readonly rowsRead: number;
      readonly elapsedMs: number;
      readonly extra: Readonly<Record<string, number>>;
      /** Batch counters the task's kernels and readers reported (see common/batch-counters.ts). */
      readonly counters?: Readonly<Record<string, number>>;
    }
  | { readonly ok: false; readonly error: PlainError };

/** Type guard for a {@link StageTask} arriving at a worker. */
export function isStageTask(value: unknown): value is StageTask {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<StageTask>;
  return typeof v.fragment === 'object' && v.fragment !== null && typeof v.cap === 'object' && typeof v.batchSize === 'number';
}
