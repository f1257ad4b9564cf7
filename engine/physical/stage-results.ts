import { addBatchCounter } from '../../common/batch-counters.js';
import type { ColumnarBatch } from '../../common/column-vector.js';
import type { Schema } from '../../common/schema.js';
import type { StageTask } from '../workers/stage-task.js';
import type { StageSuccess, TaskRunner } from '../workers/task-runner.js';
import type { ExecContext, OperatorMetrics } from './physical-operator.js';

/**
 * Runs a stage's tasks on `pool`, at most two per slot in flight, and yields their results
 * in task order; each result's counters go to `metrics.extra`, the batch counters and the
 * progress listener. Shared by the worker stage and the shuffled (reduce-side) stage.
 */
export async function* runStageTasks(pool: TaskRunner, tasks: readonly StageTask[], ctx: ExecContext, metrics: OperatorMetrics): AsyncGenerator<StageSuccess> {
  metrics.extra.tasks = (metrics.extra.tasks ?? 0) + tasks.length;
  ctx.progress?.tasksPlanned(tasks.length);
  const inFlight = Math.max(1, pool.size * 2);
  const pending: Promise<StageSuccess>[] = [];
  let next = 0;
  const launch = (): void => {
    while (next < tasks.length && pending.length < inFlight) {
      const p = pool.run(tasks[next++] as StageTask, ctx.signal);
      p.catch(() => undefined);
      pending.push(p);
    }
  };
  launch();
  while (pending.length > 0) {
    const r = await (pending.shift() as Promise<StageSuccess>);
    launch();
    ctx.progress?.taskFinished(r.rowsRead);
    for (const [k, v] of Object.entries(r.extra)) metrics.extra[k] = (metrics.extra[k] ?? 0) + v;
    for (const [k, v] of Object.entries(r.counters ?? {})) addBatchCounter(k, v);
    yield r;
  }
}

/** The result batches of a stage's tasks, in order, counted in `metrics` and labelled with the stage's schema. */
export async function* stageBatches(results: AsyncIterable<StageSuccess>, schema: Schema, metrics: OperatorMetrics): AsyncGenerator<ColumnarBatch> {
  for await (const r of results) {
    for (const b of r.batches) {
      metrics.outputRows += b.numRows;
      metrics.outputBatches++;
      yield { schema, columns: b.columns, numRows: b.numRows };
    }
  }
}

/**
 * The map side of an exchange: per partition, the non-empty blocks of every task (each task
 * cut its output by the partitioning), in task order. `countTaskBatches` also counts one
 * output batch per task.
 */
export async function partitionedStageBlocks(
  results: AsyncIterable<StageSuccess>,
  n: number,
  schema: Schema,
  metrics: OperatorMetrics,
  countTaskBatches: boolean,
): Promise<ColumnarBatch[][]> {
  const parts: ColumnarBatch[][] = Array.from({ length: n }, () => []);
  for await (const r of results) {
    r.batches.forEach((b, k) => {
      metrics.outputRows += b.numRows;
      if (b.numRows > 0) parts[k]?.push({ schema, columns: b.columns, numRows: b.numRows });
    });
    if (countTaskBatches) metrics.outputBatches++;
  }
  return parts;
}
