import type { ColumnarBatch, ColumnVector } from '../../../common/column-vector.js';
import { concatBatches, emptyBatch, gatherBatch, makeBatch } from '../../../common/columnar-batch.js';
import { types } from '../../../common/data-type.js';
import { resolveFieldIndex, schemaOf } from '../../../common/schema.js';
import { maskToIndices } from '../../../common/vector-gather.js';
import type { Deduplicate, EventTimeWatermark, LogicalPlan } from '../../../dataframe/plan/logical-plan.js';
import { planChildren } from '../../../dataframe/plan/logical-plan.js';
import { partitionRows } from '../partition-rows.js';
import type { DedupStateSpec } from './dedup-state-core.js';
import { dedupBatch, dedupDeadline, dedupValueSchema } from './dedup-state-core.js';
import { ExecutorStateClient, stateExecutorsFor } from './executor-state-client.js';
import { eventTimeColumns } from './event-time-columns.js';
import { atOrBeforeWatermark } from './event-time-key.js';
import { PartitionedState } from './partitioned-state.js';
import { StatefulOperatorBase } from './stateful-operator-base.js';
import type { StatefulBatchContext, StatefulOperatorEnv, StreamingStatefulOperator } from './stateful-operator.js';

function findWatermark(plan: LogicalPlan, column: string): EventTimeWatermark | undefined {
  if (plan.kind === 'eventTimeWatermark' && plan.eventTime === column) return plan;
  for (const c of planChildren(plan)) {
    const w = findWatermark(c, column);
    if (w !== undefined) return w;
  }
  return undefined;
}

/**
 * Streaming deduplication, Spark's StreamingDeduplicateExec and
 * StreamingDeduplicateWithinWatermarkExec.
 *
 * State: one entry per distinct key seen (the key columns; the value is the key's expiry
 * time for the within-watermark variant, a placeholder otherwise). Per batch: rows whose
 * event time is at or before the late-events watermark are dropped (when the input has a
 * watermarked event-time column that is part of the key, or always for the within-watermark
 * variant); of the rest, the first row of each key not yet in state is emitted and its key
 * stored. Eviction with this batch's watermark: for `dropDuplicates` keys whose event-time
 * column is at or before it (keys without an event-time column are kept forever), for
 * `dropDuplicatesWithinWatermark` keys whose first event time + delay is at or before it.
 *
 * Where the state lives: as for aggregation (`sluice.streaming.stateStore.location`), in the
 * state executor thread that owns each partition (default), or on this thread. Late rows
 * are dropped here; each partition's on-time rows go to its owner, which keeps first rows of
 * new keys and evicts (dedup-state-core.ts, the same code on either side).
 */
export class StreamingDeduplicate extends StatefulOperatorBase implements StreamingStatefulOperator {
  readonly name: string;
  private readonly spec: DedupStateSpec;
  /** Driver mode: the stores on this thread (null when the state executors hold them). */
  private readonly state: PartitionedState | null;
  /** Workers mode: the executors' handle. */
  private readonly remote: ExecutorStateClient | null;

  constructor(
    readonly node: Deduplicate,
    env: StatefulOperatorEnv,
  ) {
    super(env);
    this.name = node.withinWatermark ? 'dedupeWithinWatermark' : 'dedupe';
    const schema = node.child.schema;
    const keyIdx = node.keys.map((k) => resolveFieldIndex(schema, k, null));
    const timeCols = eventTimeColumns(node.child);
    const timeName = node.withinWatermark
      ? [...timeCols].find((c) => findWatermark(node.child, c) !== undefined && schema.fields.some((f) => f.name === c && f.type.kind === 'timestamp'))
      : node.keys.find((k) => timeCols.has(k) && schema.fields.some((f) => f.name === k && f.type.kind === 'timestamp'));
    const timeIdx = timeName === undefined ? -1 : resolveFieldIndex(schema, timeName, null);
    const keySchema = schemaOf(keyIdx.map((i) => schema.fields[i] as (typeof schema.fields)[number]));
    const timeType = timeIdx >= 0 ? (schema.fields[timeIdx]?.type ?? types.timestamp()) : types.timestamp();
    this.spec = {
      op: 'dedup',
      schema: node.schema,
      keys: node.keys,
      keyIdx,
      keySchema,
      valueSchema: dedupValueSchema(node.withinWatermark, timeType),
      timeIdx,
      timeKey: !node.withinWatermark && timeName !== undefined ? node.keys.indexOf(timeName) : -1,
      withinWatermark: node.withinWatermark,
      delayMs: timeName === undefined ? 0 : (findWatermark(node.child, timeName)?.delayMs ?? 0),
    };
    const executors = stateExecutorsFor(env);
    this.remote = executors === null ? null : new ExecutorStateClient(executors, env, keySchema, this.spec.valueSchema, this.spec);
    this.state = executors === null ? new PartitionedState(env, keySchema, this.spec.valueSchema) : null;
  }

  async verify(_inputs: readonly LogicalPlan[], version: number): Promise<void> {
    if (this.remote !== null) {
      this.deadline = await this.remote.verify(version);
      return;
    }
    const state = this.state as PartitionedState;
    await state.verify(version);
    if (this.spec.timeIdx >= 0) {
      this.deadline = dedupDeadline(this.spec, await state.openAll(version));
      state.abort();
    }
  }

  async process(inputs: readonly LogicalPlan[], ctx: StatefulBatchContext): Promise<ColumnarBatch> {
    const plan = inputs[0] as LogicalPlan;
    const local = plan.kind === 'local' ? plan : await this.env.planner.executor.materialize(plan);
    if (local.kind !== 'local') throw new Error(`internal: materialize returned a ${local.kind} plan`);
    const schema = this.node.schema;
    const timeIdx = this.spec.timeIdx;
    let rows = local.batches.length === 0 ? emptyBatch(schema) : concatBatches(local.schema, local.batches);
    rows = makeBatch(schema, rows.columns, rows.numRows);
    this.dropped = 0;
    if (timeIdx >= 0 && rows.numRows > 0) {
      const late = atOrBeforeWatermark(rows.columns[timeIdx] as ColumnVector, ctx.lateWatermarkMs);
      const keepMask = new Uint8Array(rows.numRows);
      let kept = 0;
      for (let i = 0; i < rows.numRows; i++) {
        if (late[i] === 0) {
          keepMask[i] = 1;
          kept++;
        }
      }
      this.dropped = rows.numRows - kept;
      if (this.dropped > 0) {
        if (this.keep) this.droppedRows.push(gatherBatch(rows, maskToIndices(late, null, rows.numRows)));
        rows = gatherBatch(rows, maskToIndices(keepMask, null, rows.numRows));
      }
    }
    // Each partition's rows in input order; the first row of a new key is kept per partition.
    const byPartition = partitionRows(
      this.spec.keyIdx.map((i) => rows.columns[i] as ColumnVector),
      rows.numRows,
      this.env.numPartitions,
    );
    const perPartition = byPartition.map((idx) => (idx.length === 0 ? undefined : gatherBatch(rows, idx)));
    const evictWm = timeIdx >= 0 ? ctx.evictionWatermarkMs : null;
    let out: ColumnarBatch[];
    let deadline: number | null;
    if (this.remote !== null) {
      const batchSize = this.env.planner.conf.getPositiveInt('sluice.sql.batchSize');
      ({ outputs: out, deadline } = await this.remote.batch(ctx.batchId, perPartition, 'changed', evictWm, batchSize));
    } else {
      const stores = await (this.state as PartitionedState).openAll(ctx.batchId);
      const r = await dedupBatch(this.spec, stores, perPartition, evictWm, this.deadline);
      out = r.outputs.filter((b) => b !== undefined);
      deadline = r.deadline;
    }
    this.pendingDeadline = deadline;
    return concatBatches(schema, out);
  }

  override nextEventTimeDeadlineMs(): number | null {
    return this.spec.timeIdx >= 0 ? this.deadline : null;
  }

  protected stores(): readonly PartitionedState[] {
    return this.state === null ? [] : [this.state];
  }

  protected override executorState(): ExecutorStateClient | null {
    return this.remote;
  }
}
