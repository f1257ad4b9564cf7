import type { ColumnarBatch } from '../../common/column-vector.js';
import { addBatchCounter } from '../../common/batch-counters.js';
import type { Schema } from '../../common/schema.js';
import { buildLocalRelation } from '../../dataframe/plan/builders/build-misc.js';
import type { LocalRelation, LogicalPlan } from '../../dataframe/plan/logical-plan.js';
import type { ExecContext, OperatorMetrics, PhysicalOperator } from '../physical/physical-operator.js';
import { newMetrics } from '../physical/physical-operator.js';
import type { Broadcast } from '../physical/worker-stage-exec.js';
import { bindBroadcasts, replaceLeaf } from '../physical/worker-stage-exec.js';
import type { StageCap, StageResult, StageTask, StageThen } from '../workers/stage-task.js';
import type { TaskRunner } from '../workers/task-runner.js';
import type { Partitioning } from './partitioning.js';
import type { ShuffleExchangeExec } from './shuffle-exchange-exec.js';

/** One shuffled input of a stage: the exchange, and the placeholder leaf its partition's rows replace. */
export interface ShuffleInput {
  readonly placeholder: LocalRelation;
  readonly exchange: ShuffleExchangeExec;
}

type TaskResult = Extract<StageResult, { ok: true }>;

/**
 * A stage after one or more exchanges (the reduce side of a shuffle): one task per
 * partition, each running the fragment over that partition's rows (every input's
 * placeholder leaf replaced by the partition's blocks, which sit on shared memory, so no
 * copy crosses threads), with its cap on top. All inputs have the same partition count and
 * partitioning, so matching keys of a join meet in the same task. Results come back in
 * partition order; a partition with no input rows in every input runs no task.
 */
export class ShuffledStageExec implements PhysicalOperator {
  readonly name = 'ShuffledStageExec';
  readonly metrics: OperatorMetrics = newMetrics();
  readonly schema: Schema;
  readonly children: readonly PhysicalOperator[];
  private readonly fragment: LogicalPlan;
  private readonly inputs: readonly ShuffleInput[];
  private readonly broadcasts: readonly Broadcast[];
  private readonly cap: StageCap;
  private readonly pool: TaskRunner;

  private readonly then: StageThen | null;

  /** `then`: stateless operators each task runs over its capped result (the stage's schema is then theirs). */
  constructor(
    fragment: LogicalPlan,
    inputs: readonly ShuffleInput[],
    broadcasts: readonly Broadcast[],
    cap: StageCap,
    schema: Schema,
    pool: TaskRunner,
    then: StageThen | null = null,
  ) {
    this.then = then;
    this.fragment = fragment;
    this.inputs = inputs;
    this.broadcasts = broadcasts;
    this.cap = cap;
    this.schema = schema;
    this.pool = pool;
    this.children = [...inputs.map((i) => i.exchange), ...broadcasts.map((b) => b.source)];
  }

  describe(): string {
    const n = this.inputs[0]?.exchange.partitioning.n ?? 0;
    const then = this.then ? `, then ${this.then.plan.kind}` : '';
    return `${n} partition(s), cap ${this.cap.kind}${then}, ${this.pool.size} worker(s)${this.broadcasts.length ? `, ${this.broadcasts.length} broadcast(s)` : ''}`;
  }

  private async tasks(ctx: ExecContext, partitioning: Partitioning | null): Promise<StageTask[]> {
    // The map sides of several inputs (a join's two sides) run at once, so one's tail overlaps the other's tasks.
    const parts: ColumnarBatch[][][] = await Promise.all(this.inputs.map((input) => input.exchange.partitions(ctx)));
    const { fragment } = await bindBroadcasts(this.fragment, this.broadcasts, ctx);
    const n = parts[0]?.length ?? 0;
    const tasks: StageTask[] = [];
    for (let k = 0; k < n; k++) {
      if (parts.every((p) => (p[k]?.length ?? 0) === 0)) continue;
      let f = fragment;
      this.inputs.forEach((input, i) => {
        f = replaceLeaf(f, input.placeholder, buildLocalRelation(input.placeholder.schema, parts[i]?.[k] ?? []));
      });
      tasks.push({ fragment: f, fileSplits: null, cap: this.cap, batchSize: ctx.batchSize, partitioning, then: this.then });
    }
    return tasks;
  }

  private async *results(ctx: ExecContext, partitioning: Partitioning | null): AsyncGenerator<TaskResult> {
    const tasks = await this.tasks(ctx, partitioning);
    this.metrics.extra.tasks = (this.metrics.extra.tasks ?? 0) + tasks.length;
    ctx.progress?.tasksPlanned(tasks.length);
    const inFlight = Math.max(1, this.pool.size * 2);
    const pending: Promise<TaskResult>[] = [];
    let next = 0;
    const launch = (): void => {
      while (next < tasks.length && pending.length < inFlight) {
        const p = this.pool.run(tasks[next++] as StageTask, ctx.signal);
        p.catch(() => undefined);
        pending.push(p);
      }
    };
    launch();
    while (pending.length > 0) {
      const r = await (pending.shift() as Promise<TaskResult>);
      launch();
      ctx.progress?.taskFinished(r.rowsRead);
      for (const [k, v] of Object.entries(r.extra)) this.metrics.extra[k] = (this.metrics.extra[k] ?? 0) + v;
      for (const [k, v] of Object.entries(r.counters ?? {})) addBatchCounter(k, v);
      yield r;
    }
  }

  async *execute(ctx: ExecContext): AsyncGenerator<ColumnarBatch> {
    const only = this.inputs[0];
    if (this.inputs.length === 1 && only !== undefined && this.fragment === only.placeholder && this.cap.kind === 'none' && this.then === null) {
      // Nothing to run per partition (a bare repartition): the partitions' rows, in partition order.
      for (const part of await only.exchange.partitions(ctx)) {
        for (const b of part) {
          this.metrics.outputRows += b.numRows;
          this.metrics.outputBatches++;
          yield b;
        }
      }
      return;
    }
    for await (const r of this.results(ctx, null)) {
      for (const b of r.batches) {
        this.metrics.outputRows += b.numRows;
        this.metrics.outputBatches++;
        yield { schema: this.schema, columns: b.columns, numRows: b.numRows };
      }
    }
  }

  /** This stage as the map side of a further exchange: every task cuts its output by `partitioning`. */
  async runPartitioned(ctx: ExecContext, partitioning: Partitioning): Promise<ColumnarBatch[][]> {
    const parts: ColumnarBatch[][] = Array.from({ length: partitioning.n }, () => []);
    for await (const r of this.results(ctx, partitioning)) {
      r.batches.forEach((b, k) => {
        this.metrics.outputRows += b.numRows;
        if (b.numRows > 0) parts[k]?.push({ schema: this.schema, columns: b.columns, numRows: b.numRows });
      });
    }
    return parts;
  }
}
