import type { ColumnarBatch } from '../../../common/column-vector.js';
import { SluiceError } from '../../../common/errors.js';
import { buildLocalRelation } from '../../../dataframe/plan/builders/build-misc.js';
import type { LogicalPlan } from '../../../dataframe/plan/logical-plan.js';
import { isStreamingPlan, planChildren } from '../../../dataframe/plan/logical-plan.js';
import { withNewChildren } from '../../../dataframe/plan/optimizer/with-new-children.js';
import type { StateOperatorProgress } from '../../../dataframe/query-progress.js';
import { transformPlan } from '../incremental-plan.js';
import type { StreamingPlanShape } from '../streaming-plan-shape.js';
import { eventTimeColumns, hasWatermark } from './event-time-columns.js';
import { eventTimeStatsOf } from './event-time-stats.js';
import { minOf } from './event-time-key.js';
import { sessionKeyOf } from '../../window/plan-session-aggregate.js';
import { PaneStatefulAggregate } from './pane-stateful-aggregate.js';
import { StatefulAggregate } from './stateful-aggregate.js';
import { StreamingSessionAggregate } from './streaming-session-aggregate.js';
import type { StatefulBatchContext, StatefulOperatorEnv, StreamingStatefulOperator } from './stateful-operator.js';
import { StreamingDeduplicate } from './streaming-deduplicate.js';
import { StreamingSymmetricHashJoin } from './stream-join.js';
import { TransformWithStateOperator } from './transform-with-state.js';
import type { EventTimeStats } from './watermark-tracker.js';
import { NO_EVENT_TIME } from './watermark-tracker.js';
import { WatermarkPropagation } from './watermark-propagation.js';

/** Everything but the operator id and input event-time columns of {@link StatefulOperatorEnv}. */
export type StatefulEnvBase = Omit<StatefulOperatorEnv, 'operatorId' | 'eventTimeColumns'>;

/**
 * Makes the physical stateful operator for a stateful logical node. New stateful operators
 * (stream-stream joins, transformWithState) register here.
 */
export function createStatefulOperator(node: LogicalPlan, env: StatefulOperatorEnv): StreamingStatefulOperator {
  switch (node.kind) {
    case 'aggregate':
      if (sessionKeyOf(node) !== undefined) return new StreamingSessionAggregate(node, env);
      return PaneStatefulAggregate.applies(node, env.outputMode) ? new PaneStatefulAggregate(node, env) : new StatefulAggregate(node, env);
    case 'deduplicate':
      return new StreamingDeduplicate(node, env);
    case 'join':
      return new StreamingSymmetricHashJoin(node, env);
    case 'transformWithState':
      return new TransformWithStateOperator(node, env);
    default:
      throw new SluiceError('UNSUPPORTED', `A streaming '${node.kind}' cannot run incrementally yet.`);
  }
}

/** What one micro-batch produced. */
export interface IncrementalBatchResult {
  /** The batch plan to hand to the sink (stateful operators replaced by their output rows). */
  readonly plan: LogicalPlan;
  /** Event-time statistics of each watermark node, in plan order. */
  readonly eventTime: readonly EventTimeStats[];
  /** Late rows each operator dropped, when the query keeps them. */
  readonly droppedRows: readonly { readonly operatorId: number; readonly rows: readonly ColumnarBatch[] }[];
}

/**
 * Runs the stateful part of a streaming query, batch by batch (Spark's IncrementalExecution
 * plus the stateful physical operators).
 *
 * Per batch, the plan is walked children first: each streaming leaf becomes its source's
 * plan for the batch; each `withWatermark` node records the event-time statistics of its
 * input and disappears; each stateful node runs its operator over its (already bound)
 * children and is replaced by the rows the operator outputs. What remains is a batch plan
 * over those rows, which the sink runs like any batch query. Operators are numbered in
 * this children-first order; the number names their state directory, so it must not change
 * between runs of the same checkpoint (the query may not change).
 */
export class IncrementalExecution {
  readonly operators: readonly StreamingStatefulOperator[];
  private readonly byNode: Map<LogicalPlan, StreamingStatefulOperator>;
  private readonly propagation: WatermarkPropagation;
  /** Each operator's late-events watermark in the last batch run. */
  private lastLateWatermarks = new Map<number, number>();
  /** Operators already warned about rows at or before the epoch in this run. */
  private readonly warnedEpoch = new Set<number>();
  /** Per operator: whether a `withWatermark` sits below it (Spark gives it an input watermark). */
  private readonly watermarked: readonly boolean[];

  constructor(
    private readonly plan: LogicalPlan,
    private readonly shape: StreamingPlanShape,
    env: StatefulEnvBase,
    keepDroppedRows: boolean,
  ) {
    this.operators = shape.stateful.map((node, operatorId) =>
      createStatefulOperator(node, { ...env, operatorId, eventTimeColumns: planChildren(node).map(eventTimeColumns) }),
    );
    if (keepDroppedRows) for (const op of this.operators) op.keepDroppedRows();
    this.byNode = new Map(this.operators.map((op) => [op.node, op]));
    this.propagation = new WatermarkPropagation(plan, this.byNode);
    this.watermarked = this.operators.map((op) => planChildren(op.node).some(hasWatermark));
  }

  /** True when the query keeps state. */
  get isStateful(): boolean {
    return this.operators.length > 0;
  }

  /** Loads state `version` of every operator (inputs bound to empty relations), so damaged state fails at start. */
  async verify(emptyInputs: ReadonlyMap<string, LogicalPlan>, version: number): Promise<void> {
    for (const op of this.operators) {
      const inputs = planChildren(op.node).map((c) => this.bindEmpty(c, emptyInputs));
      await op.verify(inputs, version);
    }
  }

  private bindEmpty(plan: LogicalPlan, empty: ReadonlyMap<string, LogicalPlan>): LogicalPlan {
    return transformPlan(plan, (p) => {
      if (p.kind === 'streamingRelation') return empty.get(p.sourceId) ?? p;
      if (!isStreamingPlan(p)) return p;
      if (p.kind === 'eventTimeWatermark') return this.bindEmpty(p.child, empty);
      return this.byNode.has(p) ? buildLocalRelation(p.schema, []) : undefined;
    });
  }

  /** Runs the stateful operators of one batch and returns the plan left for the sink. */
  async runBatch(
    batchPlans: ReadonlyMap<string, LogicalPlan>,
    ctx: StatefulBatchContext,
    executor: import('../../../dataframe/query-executor.js').QueryExecutor,
    onOperator: (op: StreamingStatefulOperator) => void,
  ): Promise<IncrementalBatchResult> {
    const stats: EventTimeStats[] = this.shape.watermarks.map(() => NO_EVENT_TIME);
    const contexts = this.propagation.contexts(ctx);
    this.lastLateWatermarks = new Map([...contexts].map(([id, c]) => [id, c.lateWatermarkMs]));
    const bind = async (p: LogicalPlan): Promise<LogicalPlan> => {
      if (p.kind === 'streamingRelation') return batchPlans.get(p.sourceId) ?? p;
      if (!isStreamingPlan(p)) return p;
      if (p.kind === 'eventTimeWatermark') {
        const child = await bind(p.child);
        const measured = await eventTimeStatsOf(child, p.eventTime, executor);
        const i = this.shape.watermarks.indexOf(p);
        if (i >= 0) stats[i] = measured.stats;
        return measured.plan;
      }
      const kids = planChildren(p);
      const next: LogicalPlan[] = [];
      for (const k of kids) next.push(await bind(k));
      const op = this.byNode.get(p);
      if (op !== undefined) {
        onOperator(op);
        const out = await op.process(next, contexts.get(op.operatorId) ?? ctx);
        return buildLocalRelation(p.schema, [out]);
      }
      return next.every((k, i) => k === kids[i]) ? p : withNewChildren(p, next);
    };
    try {
      const plan = await bind(this.plan);
      const droppedRows = this.operators.map((op) => ({ operatorId: op.operatorId, rows: op.takeDroppedRows() })).filter((d) => d.rows.length > 0);
      return { plan, eventTime: stats, droppedRows };
    } catch (e) {
      this.abort();
      throw e;
    }
  }

  /**
   * Spark's IncrementalExecution.shouldRunAnotherBatch: whether some operator wants a batch
   * without new rows, now that the query watermark the next batch would run with is
   * `nextWatermarkMs` and the last batch ran with `lastWatermarkMs`. Each operator is asked
   * with its own input watermarks derived from both (see {@link WatermarkPropagation}). An
   * operator with no `withWatermark` below it has no input watermark (Spark's is then 0 in
   * both batches) and never asks.
   */
  shouldRunAnotherBatch(nextWatermarkMs: number, lastWatermarkMs: number): boolean {
    const next = this.propagation.inputWatermarks(nextWatermarkMs);
    const last = this.propagation.inputWatermarks(lastWatermarkMs);
    return this.operators.some((op, i) => this.watermarked[i] === true && op.shouldRunAnotherBatch(next.get(op.operatorId) ?? 0, last.get(op.operatorId) ?? 0));
  }

  /** True when some operator has rows to emit or state to evict at some later watermark. */
  hasEventTimeDeadline(): boolean {
    return this.operators.some((op) => op.nextEventTimeDeadlineMs() !== null);
  }

  /**
   * Whether a batch with query watermark `nextMs` (after one with `lastMs`) would let some
   * operator emit or evict: its input watermark derived from `nextMs` moved past the one
   * derived from `lastMs` and reached the operator's deadline (Spark's shouldRunAnotherBatch
   * over the propagated watermarks).
   */
  eventTimeDeadlineReached(lastMs: number, nextMs: number): boolean {
    const last = this.propagation.inputWatermarks(lastMs);
    const next = this.propagation.inputWatermarks(nextMs);
    return this.operators.some((op) => {
      const d = op.nextEventTimeDeadlineMs();
      const wm = next.get(op.operatorId);
      return d !== null && wm !== undefined && wm > (last.get(op.operatorId) ?? 0) && wm >= d;
    });
  }

  /** The earliest processing time at which some operator has a timer to fire. */
  nextProcessingTimeDeadlineMs(): number | null {
    let d: number | null = null;
    for (const op of this.operators) d = minOf(d, op.nextProcessingTimeDeadlineMs());
    return d;
  }

  /** Commits every operator's state as the next version. */
  async commit(): Promise<void> {
    for (const op of this.operators) await op.commit();
  }

  /** Drops the running batch's state changes. */
  abort(): void {
    for (const op of this.operators) op.abort();
  }

  /**
   * Warnings for operators that dropped late rows in the last committed batch while their
   * late-events watermark was still 0: those rows' event time (a window's or session's end)
   * is at or before the epoch, which a stream always treats as late (once per operator per run).
   */
  epochWarnings(): string[] {
    const out: string[] = [];
    for (const op of this.operators) {
      const n = op.progress().numRowsDroppedByWatermark;
      if (n === 0 || this.lastLateWatermarks.get(op.operatorId) !== 0 || this.warnedEpoch.has(op.operatorId)) continue;
      this.warnedEpoch.add(op.operatorId);
      out.push(
        `${op.name} (operator ${op.operatorId}) dropped ${n} rows as late whose event time (for a window or session: its end) is at or before 1970-01-01T00:00:00Z. ` +
          'A stream starts with the watermark at the epoch (as Spark does), so such rows are always late for stateful operators, also with flushAtEnd. ' +
          'Shift the event times past the epoch, or process that data with a batch query.',
      );
    }
    return out;
  }

  /** Per-operator state counters of the last committed batch. */
  progress(): StateOperatorProgress[] {
    return this.operators.map((op) => op.progress());
  }

  /** Waits for background snapshots and releases memory. */
  async close(): Promise<void> {
    for (const op of this.operators) await op.close();
  }
}
