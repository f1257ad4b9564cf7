import type { ColumnarBatch, ColumnVector } from '../../../common/column-vector.js';
import { emptyBatch, gatherBatch, makeBatch } from '../../../common/columnar-batch.js';
import { SluiceError } from '../../../common/errors.js';
import { types } from '../../../common/data-type.js';
import type { Schema } from '../../../common/schema.js';
import { field, schemaOf } from '../../../common/schema.js';
import { maskToIndices } from '../../../common/vector-gather.js';
import type { Expr } from '../../../dataframe/expr/expr.js';
import type { Aggregate, LogicalPlan } from '../../../dataframe/plan/logical-plan.js';
import { compileExpr, compileTypedExpr } from '../../eval/compile-expr.js';
import { HashAggregateExec } from '../../physical/hash-aggregate-exec.js';
import { LocalScanExec } from '../../physical/local-scan-exec.js';
import { ProjectExec } from '../../physical/project-exec.js';
import type { AggregateParts } from '../../planner/aggregate-parts.js';
import { aggregateParts } from '../../planner/aggregate-parts.js';
import { SESSION_COLUMN, sessionKeyOf, withSessionColumnKey } from '../../window/plan-session-aggregate.js';
import type { SessionWindowSpec } from '../../window/session-window-exec.js';
import { gapIn, withSessionColumn } from '../../window/session-window-exec.js';
import { unitsPerMs } from './event-time-key.js';
import { PartitionedState } from './partitioned-state.js';
import { StatefulOperatorBase } from './stateful-operator-base.js';
import type { StatefulBatchContext, StatefulOperatorEnv, StreamingStatefulOperator } from './stateful-operator.js';
import { ExecutorStateClient, stateExecutorsFor } from './executor-state-client.js';
import type { SessionStateSpec } from './session-state-core.js';
import { SessionStateCore } from './session-state-core.js';
import type { StateExecutors } from './state-executors.js';
import { partitionRows } from '../partition-rows.js';
import { withRowCounter } from './row-counter.js';
import { collectAll as collect } from './state-executor-ops.js';

/**
 * A streaming aggregation grouped by a session window (Spark's session-window state
 * store restore/save with merging of sessions), append and complete modes.
 *
 * State: per session, keyed by (other group keys, session start, session end), the partial
 * aggregation states of its rows; an in-memory index lists each key's sessions (rebuilt from
 * the stores after a restart). Per batch: rows whose own session `[t, t + gap)` ends at or
 * before the late-events watermark are dropped and counted; the rest are sessionized within
 * the batch and partially aggregated; each batch session is merged with the stored sessions
 * of its key it overlaps (start <= other's end, chaining), the merged sessions replace the
 * stored ones. Append mode emits (and evicts) the sessions whose end is at or before this
 * batch's watermark; complete mode emits all sessions and evicts none.
 *
 * Where the sessions live (`sluice.streaming.stateStore.location`): by default in the state
 * executor thread that owns each partition (partitioned by the other grouping keys), which
 * keeps the stores and the session index across batches; with 'driver', on this thread. The
 * batch's sessionizing and partial aggregation run here; the merge with stored sessions and
 * eviction run where the state is (session-state-core.ts, the same code on either side).
 */
export class StreamingSessionAggregate extends StatefulOperatorBase implements StreamingStatefulOperator {
  readonly name = 'sessionWindowStateStoreSave';
  private readonly parts: AggregateParts;
  private readonly groupRefs: readonly Expr[];
  private readonly resultExprs: readonly Expr[];
  private readonly spec: SessionWindowSpec;
  private readonly otherKeyExprs: readonly Expr[];
  /** The state executors holding the sessions, or null when they live on this thread. */
  private readonly executors: StateExecutors | null;
  private stateSpec: SessionStateSpec | null = null;
  /** Driver mode: the stores and the session index over them. */
  private state: PartitionedState | null = null;
  private core: SessionStateCore | null = null;
  /** Workers mode: the executors' handle. */
  private remote: ExecutorStateClient | null = null;

  constructor(
    readonly node: Aggregate,
    env: StatefulOperatorEnv,
  ) {
    super(env);
    const key = sessionKeyOf(node);
    if (key === undefined) throw new SluiceError('INTERNAL', 'StreamingSessionAggregate needs a session_window grouping key');
    this.spec = key.spec;
    this.otherKeyExprs = node.groupBy.filter((_, i) => i !== key.index);
    this.parts = aggregateParts(withRowCounter(withSessionColumnKey(node, key.index)));
    this.groupRefs = this.parts.groupNames.map((name) => Object.freeze({ kind: 'col', name, qualifier: null }));
    this.resultExprs = this.parts.resultExprs.slice(0, this.parts.resultExprs.length - 1);
    if (node.groupBy.length < 2) {
      throw new SluiceError(
        'UNSUPPORTED',
        "A streaming session window needs at least one other grouping key (as in Spark): groupBy(sessionWindow(col('t'), '5 minutes'), col('user')).",
      );
    }
    this.executors = stateExecutorsFor(env);
  }

  private get keyCount(): number {
    return this.parts.groupNames.length;
  }

  /** Physical plan of the partial states of the batch's sessions, over rows already carrying their session column. */
  private partialOf(rows: ColumnarBatch): HashAggregateExec {
    return new HashAggregateExec(
      new LocalScanExec(rows.schema, [rows]),
      this.parts.groupBy,
      this.parts.groupNames,
      this.parts.aggCalls,
      this.parts.aggNames,
      'partial',
    );
  }

  /** The merge spec and the stores (driver) or their executors (workers), made once the partial schema is known. */
  private ensureState(partialSchema: Schema): SessionStateSpec {
    if (this.stateSpec !== null) return this.stateSpec;
    const k = this.keyCount;
    const name = this.node.schema.fields[sessionKeyOf(this.node)?.index ?? 0]?.name as string;
    const keys = partialSchema.fields.slice(0, k);
    const startCol = keys.findIndex((f) => f.name === `${name}.start`);
    const endCol = keys.findIndex((f) => f.name === `${name}.end`);
    const spec: SessionStateSpec = {
      op: 'session',
      groupRefs: this.groupRefs,
      groupNames: this.parts.groupNames,
      aggCalls: this.parts.aggCalls,
      aggNames: this.parts.aggNames,
      schema: partialSchema,
      startCol,
      endCol,
      otherCols: keys.map((_, i) => i).filter((i) => i !== startCol && i !== endCol),
    };
    this.stateSpec = spec;
    const keySchema = schemaOf(keys);
    const valueSchema = schemaOf(partialSchema.fields.slice(k));
    if (this.executors !== null) this.remote = new ExecutorStateClient(this.executors, this.env, keySchema, valueSchema, spec);
    else {
      this.state = new PartitionedState(this.env, keySchema, valueSchema);
      this.core = new SessionStateCore(spec);
    }
    return spec;
  }

  private partialSchemaFor(input: LogicalPlan): Schema {
    const base = this.env.planner.plan(input).schema;
    const timeType = compileTypedExpr(this.spec.time, base).type;
    const withSession = schemaOf([
      ...base.fields,
      field(
        SESSION_COLUMN,
        types.struct([
          { name: 'start', type: timeType, nullable: true },
          { name: 'end', type: timeType, nullable: true },
        ]),
        true,
      ),
    ]);
    return this.partialOf(emptyBatch(withSession)).schema;
  }

  async verify(inputs: readonly LogicalPlan[], version: number): Promise<void> {
    this.ensureState(this.partialSchemaFor(inputs[0] as LogicalPlan));
    if (this.remote !== null) {
      this.deadline = await this.remote.verify(version);
      return;
    }
    const state = this.state as PartitionedState;
    await state.verify(version);
    this.deadline = (this.core as SessionStateCore).rebuild(await state.openAll(version));
    state.abort();
  }

  /** Spark's SessionWindowStateStoreSaveExec: a no-data batch when the input watermark moved, except in complete mode (which evicts nothing). */
  override shouldRunAnotherBatch(nextInputWatermarkMs: number, lastInputWatermarkMs: number): boolean {
    return this.env.outputMode !== 'complete' && nextInputWatermarkMs > lastInputWatermarkMs;
  }

  /** Complete mode never evicts a session, so no watermark is a deadline. */
  override nextEventTimeDeadlineMs(): number | null {
    return this.env.outputMode === 'complete' ? null : this.deadline;
  }

  async process(inputs: readonly LogicalPlan[], ctx: StatefulBatchContext): Promise<ColumnarBatch> {
    const batchSize = this.env.planner.conf.getPositiveInt('sluice.sql.batchSize');
    const input = await collect(this.env.planner.plan(inputs[0] as LogicalPlan), batchSize);
    const time = compileExpr(this.spec.time, input.schema);
    const gap = compileExpr(this.spec.gapMicros, input.schema);
    // Late rows: their own session [t, t + gap) ends at or before the late-events watermark.
    let rows = input;
    this.dropped = 0;
    if (rows.numRows > 0) {
      const t = time(rows);
      const g = gapIn(t.type.kind === 'timestamp' && t.type.unit === 'us', gap(rows));
      const tv = t.values as BigInt64Array;
      const keep = new Uint8Array(rows.numRows);
      const wm = BigInt(ctx.lateWatermarkMs) * unitsPerMs(t);
      let kept = 0;
      for (let i = 0; i < rows.numRows; i++) {
        const gi = typeof g === 'bigint' ? g : ((g.values as BigInt64Array)[i] as bigint);
        if (t.validity !== null && t.validity[i] === 0) {
          keep[i] = 1; // no session: dropped by the sessionizer, not counted as late
        } else if ((tv[i] as bigint) + gi > wm) keep[i] = 1;
        if (keep[i] === 1) kept++;
      }
      this.dropped = rows.numRows - kept;
      if (this.dropped > 0) {
        if (this.keep) {
          const late = new Uint8Array(rows.numRows);
          for (let i = 0; i < late.length; i++) late[i] = 1 - (keep[i] as number);
          this.droppedRows = [gatherBatch(rows, maskToIndices(late, null, rows.numRows))];
        }
        rows = gatherBatch(rows, maskToIndices(keep, null, rows.numRows));
      }
    }
    const sessionSchema = schemaOf([
      ...rows.schema.fields,
      field(
        SESSION_COLUMN,
        types.struct([
          { name: 'start', type: time(rows).type, nullable: true },
          { name: 'end', type: time(rows).type, nullable: true },
        ]),
        true,
      ),
    ]);
    const withSessions = withSessionColumn(
      rows,
      sessionSchema,
      this.otherKeyExprs.map((e) => compileExpr(e, rows.schema)),
      time,
      gap,
    );
    const partial = await collect(this.partialOf(withSessions), batchSize);
    const spec = this.ensureState(partial.schema);
    const schema = spec.schema;
    const fresh = makeBatch(schema, partial.columns, partial.numRows);
    const byPartition = partitionRows(
      spec.otherCols.map((c) => fresh.columns[c] as ColumnVector),
      fresh.numRows,
      this.env.numPartitions,
    );
    const perPartition = byPartition.map((idx) => (idx.length === 0 ? undefined : gatherBatch(fresh, idx)));
    const emit = ctx.outputMode === 'complete' ? 'all' : 'evicted';
    let toEmit: ColumnarBatch[];
    let deadline: number | null;
    if (this.remote !== null) {
      ({ outputs: toEmit, deadline } = await this.remote.batch(ctx.batchId, perPartition, emit, ctx.evictionWatermarkMs, batchSize));
    } else {
      const stores = await (this.state as PartitionedState).openAll(ctx.batchId);
      const r = await (this.core as SessionStateCore).batch(stores, perPartition, emit, ctx.evictionWatermarkMs, this.deadline, batchSize);
      toEmit = r.outputs.flat();
      deadline = r.deadline;
    }
    this.pendingDeadline = deadline;
    const final = new HashAggregateExec(
      new LocalScanExec(schema, toEmit),
      this.groupRefs,
      this.parts.groupNames,
      this.parts.aggCalls,
      this.parts.aggNames,
      'final',
    );
    const out = await collect(new ProjectExec(final, this.resultExprs, this.node.schema), batchSize);
    return makeBatch(this.node.schema, out.columns, out.numRows);
  }

  override abort(): void {
    super.abort();
    // The index saw the aborted batch's changes: rebuild it from the stores next time.
    this.core?.markStale();
  }

  protected override executorState(): ExecutorStateClient | null {
    return this.remote;
  }

  protected stores(): readonly PartitionedState[] {
    return this.state === null ? [] : [this.state];
  }
}
