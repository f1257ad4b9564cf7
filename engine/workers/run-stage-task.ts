import type { ColumnarBatch } from '../../common/column-vector.js';
import { runWithBatchCounters } from '../../common/batch-counters.js';
import { SluiceError } from '../../common/errors.js';
import { DeduplicateExec } from '../physical/deduplicate-exec.js';
import { HashAggregateExec } from '../physical/hash-aggregate-exec.js';
import { LimitExec } from '../physical/limit-exec.js';
import type { PhysicalOperator } from '../physical/physical-operator.js';
import { TopKExec } from '../physical/top-k-exec.js';
import { planLocal } from '../planner/plan-local.js';
import { loadUdfFunctions } from '../udf/udf-functions.js';
import type { StageCap, StageResult, StageTask } from './stage-task.js';

function sumLeafRows(op: PhysicalOperator): number {
  if (op.children.length === 0) return op.metrics.outputRows;
  return op.children.reduce((s, c) => s + sumLeafRows(c), 0);
}

function collectExtra(op: PhysicalOperator, out: Record<string, number>): void {
  for (const [k, v] of Object.entries(op.metrics.extra)) out[k] = (out[k] ?? 0) + v;
  for (const c of op.children) collectExtra(c, out);
}

/** Adds the task's cap on top of the fragment's physical plan. */
export function applyCap(op: PhysicalOperator, cap: StageCap): PhysicalOperator {
  switch (cap.kind) {
    case 'none':
      return op;
    case 'partialAggregate':
      return new HashAggregateExec(op, cap.groupBy, cap.groupNames, cap.aggCalls, cap.aggNames, 'partial');
    case 'partialDeduplicate':
      return new DeduplicateExec(op, cap.keys);
    case 'limit':
      return new LimitExec(op, cap.n);
    case 'topK':
      return new TopKExec(op, cap.orders, cap.n);
  }
}

/**
 * Runs one stage task to completion in the current thread and returns its result batches.
 * The modules of the task's UDFs are imported first (once per thread): every runner of
 * plan fragments must do so before planning, since evaluation looks functions up synchronously.
 */
export async function runStageTask(task: StageTask): Promise<StageResult> {
  const t0 = performance.now();
  try {
    await loadUdfFunctions(task);
    const root = applyCap(planLocal(task.fragment, task.fileSplits ? { fileSplits: task.fileSplits } : {}), task.cap);
    const batches: ColumnarBatch[] = [];
    const counters: Record<string, number> = {};
    await runWithBatchCounters(counters, async () => {
      for await (const b of root.execute({ batchSize: task.batchSize })) if (b.numRows > 0 || batches.length === 0) batches.push(b);
    });
    const extra: Record<string, number> = {};
    collectExtra(root, extra);
    return { ok: true, batches, rowsRead: sumLeafRows(root), elapsedMs: performance.now() - t0, extra, counters };
  } catch (e) {
    return { ok: false, error: SluiceError.toPlainAny(e) };
  }
}
