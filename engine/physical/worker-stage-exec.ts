import type { ColumnarBatch } from '../../common/column-vector.js';
import { addBatchCounter } from '../../common/batch-counters.js';
import { reportMalformedRecords } from './malformed-warning.js';
import { concatBatches, sliceBatch } from '../../common/columnar-batch.js';
import type { Schema } from '../../common/schema.js';
import { buildConnectorScan, buildLocalRelation } from '../../dataframe/plan/builders/build-misc.js';
import type { ConnectorScan, FileScan, LocalRelation, LogicalPlan } from '../../dataframe/plan/logical-plan.js';
import { planChildren } from '../../dataframe/plan/logical-plan.js';
import { withNewChildren } from '../../dataframe/plan/optimizer/with-new-children.js';
import { packSplits, planFileSplits } from '../../sources/file/file-split.js';
import { dictionaryEncodeBatch } from '../encode/dictionary-encode.js';
import { assertShippable } from '../udf/check-shippable.js';
import { shareBatch } from '../workers/shared-memory.js';
import type { StageCap, StageTask } from '../workers/stage-task.js';
import type { Partitioning } from '../exchange/partitioning.js';
import type { TaskRunner } from '../workers/task-runner.js';
import type { ExecContext, OperatorMetrics, PhysicalOperator } from './physical-operator.js';
import { newMetrics } from './physical-operator.js';

/** A small input computed on the driver and shipped whole to every task (the build side of a broadcast join). */
export interface Broadcast {
  /** The placeholder leaf in the fragment that the broadcast rows replace. */
  readonly placeholder: LocalRelation;
  readonly source: PhysicalOperator;
}

/** `plan` with the leaf `target` replaced by `by`. */
export function replaceLeaf(plan: LogicalPlan, target: LogicalPlan, by: LogicalPlan): LogicalPlan {
  if (plan === target) return by;
  const kids = planChildren(plan);
  if (kids.length === 0) return plan;
  const next = kids.map((k) => replaceLeaf(k, target, by));
  return next.every((k, i) => k === kids[i]) ? plan : withNewChildren(plan, next);
}

/** The leaf that tasks split: the fragment's file scan, connector scan or in-memory relation that is not a broadcast. */
function splitLeaf(plan: LogicalPlan, placeholders: ReadonlySet<LogicalPlan>): FileScan | ConnectorScan | LocalRelation | null {
  if (plan.kind === 'fileScan' || plan.kind === 'connectorScan' || plan.kind === 'local') return placeholders.has(plan) ? null : plan;
  for (const c of planChildren(plan)) {
    const found = splitLeaf(c, placeholders);
    if (found) return found;
  }
  return null;
}

/** Computes broadcast inputs, moves them to shared memory and splices them into `fragment`; also returns the spliced leaves. */
export async function bindBroadcasts(
  fragment: LogicalPlan,
  broadcasts: readonly Broadcast[],
  ctx: ExecContext,
): Promise<{ fragment: LogicalPlan; bound: Set<LogicalPlan> }> {
  const bound = new Set<LogicalPlan>();
  for (const b of broadcasts) {
    const parts: ColumnarBatch[] = [];
    for await (const batch of b.source.execute(ctx)) parts.push(batch);
    // Encoded low-cardinality strings make the join's output gather and later group-bys cheap.
    const rows = shareBatch(dictionaryEncodeBatch(concatBatches(b.placeholder.schema, parts)));
    const leaf = buildLocalRelation(b.placeholder.schema, [rows]);
    bound.add(leaf);
    fragment = replaceLeaf(fragment, b.placeholder, leaf);
  }
  return { fragment, bound };
}

/**
 * Runs a plan fragment on the worker pool, one task per input split (a Parquet row-group
 * range, a CSV/JSON file, a connector split such as a Kafka partition's offset range, or a
 * slice of in-memory rows), each capped by a partial
 * aggregate, deduplication, limit or top-k so little crosses back. Broadcast inputs are
 * computed first, moved to shared memory once, and spliced into the fragment. Results are
 * yielded in split order, with several tasks in flight.
 */
export class WorkerStageExec implements PhysicalOperator {
  readonly name = 'WorkerStageExec';
  readonly metrics: OperatorMetrics = newMetrics();
  readonly schema: Schema;
  readonly children: readonly PhysicalOperator[];
  private readonly fragment: LogicalPlan;
  private readonly cap: StageCap;
  private readonly pool: TaskRunner;
  private readonly broadcasts: readonly Broadcast[];
  private readonly targetSplits: number;

  constructor(fragment: LogicalPlan, cap: StageCap, schema: Schema, pool: TaskRunner, broadcasts: readonly Broadcast[], targetSplits: number) {
    assertShippable(fragment, cap);
    this.fragment = fragment;
    this.cap = cap;
    this.schema = schema;
    this.pool = pool;
    this.broadcasts = broadcasts;
    this.targetSplits = targetSplits;
    this.children = broadcasts.map((b) => b.source);
  }

  describe(): string {
    const leaf = splitLeaf(this.fragment, new Set(this.broadcasts.map((b) => b.placeholder)));
    const what =
      leaf?.kind === 'fileScan'
        ? `${leaf.format} scan of ${leaf.files.length} file(s)`
        : leaf?.kind === 'connectorScan'
          ? `${leaf.description}, ${leaf.splits.length} split(s)`
          : 'in-memory rows';
    return `${what}, cap ${this.cap.kind}, ${this.pool.describe()}${this.broadcasts.length ? `, ${this.broadcasts.length} broadcast(s)` : ''}`;
  }

  /** Computes the broadcast inputs and splices them in; returns the fragment and the spliced leaves (never split). */
  private bindBroadcasts(ctx: ExecContext): Promise<{ fragment: LogicalPlan; bound: Set<LogicalPlan> }> {
    return bindBroadcasts(this.fragment, this.broadcasts, ctx);
  }

  private async tasks(fragment: LogicalPlan, bound: ReadonlySet<LogicalPlan>, ctx: ExecContext): Promise<StageTask[]> {
    const leaf = splitLeaf(fragment, bound);
    const base = { cap: this.cap, batchSize: ctx.batchSize };
    if (leaf === null) return [{ ...base, fragment, fileSplits: null }];
    if (leaf.kind === 'fileScan') {
      const { splits, rowGroupsSkipped } = await planFileSplits(leaf, this.targetSplits);
      this.metrics.extra.rowGroupsSkipped = (this.metrics.extra.rowGroupsSkipped ?? 0) + rowGroupsSkipped;
      // Tasks carry their splits, not the scan's file list (cloned into every task, it made
      // 10,000 small files cost 10,000 x 10,000 file entries); small splits share a task.
      const slim = replaceLeaf(fragment, leaf, { ...leaf, files: [] });
      return packSplits(splits, this.targetSplits).map((fileSplits) => ({ ...base, fragment: slim, fileSplits }));
    }
    if (leaf.kind === 'connectorScan') {
      if (leaf.splits.length === 0) return [{ ...base, fragment, fileSplits: null }];
      return leaf.splits.map((split) => ({
        ...base,
        fragment: replaceLeaf(fragment, leaf, buildConnectorScan(leaf.connector, [split], leaf.schema, leaf.description)),
        fileSplits: null,
      }));
    }
    const all = shareBatch(concatBatches(leaf.schema, leaf.batches));
    const n = all.numRows;
    const chunks = Math.max(1, Math.min(this.targetSplits, Math.ceil(n / 4096)));
    const per = Math.ceil(n / chunks) || 1;
    const out: StageTask[] = [];
    for (let start = 0; start < n || out.length === 0; start += per) {
      const slice = sliceBatch(all, start, Math.min(n, start + per));
      out.push({ ...base, fragment: replaceLeaf(fragment, leaf, buildLocalRelation(leaf.schema, [slice])), fileSplits: null });
      if (n === 0) break;
    }
    return out;
  }

  /** Runs every task (several in flight) and yields their results in split order. */
  private async *results(ctx: ExecContext, partitioning: Partitioning | null): AsyncGenerator<Awaited<ReturnType<TaskRunner['run']>>> {
    const { fragment, bound } = await this.bindBroadcasts(ctx);
    const tasks = (await this.tasks(fragment, bound, ctx)).map((t) => (partitioning ? { ...t, partitioning } : t));
    this.metrics.extra.tasks = (this.metrics.extra.tasks ?? 0) + tasks.length;
    ctx.progress?.tasksPlanned(tasks.length);
    const inFlight = Math.max(1, this.pool.size * 2);
    const pending: Promise<Awaited<ReturnType<TaskRunner['run']>>>[] = [];
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
      const r = await (pending.shift() as (typeof pending)[number]);
      launch();
      this.metrics.extra.rowsRead = (this.metrics.extra.rowsRead ?? 0) + r.rowsRead;
      ctx.progress?.taskFinished(r.rowsRead);
      for (const [k, v] of Object.entries(r.extra)) this.metrics.extra[k] = (this.metrics.extra[k] ?? 0) + v;
      for (const [k, v] of Object.entries(r.counters ?? {})) addBatchCounter(k, v);
      yield r;
    }
    const leaf = splitLeaf(fragment, bound);
    if (leaf?.kind === 'fileScan') reportMalformedRecords(leaf, this.metrics);
  }

  async *execute(ctx: ExecContext): AsyncGenerator<ColumnarBatch> {
    for await (const r of this.results(ctx, null)) {
      for (const b of r.batches) {
        this.metrics.outputRows += b.numRows;
        this.metrics.outputBatches++;
        yield { schema: this.schema, columns: b.columns, numRows: b.numRows };
      }
    }
  }

  /**
   * The map side of an exchange: every task cuts its output by `partitioning` on shared
   * memory; returns, per partition, the blocks of every task in split order.
   */
  async runPartitioned(ctx: ExecContext, partitioning: Partitioning): Promise<ColumnarBatch[][]> {
    const parts: ColumnarBatch[][] = Array.from({ length: partitioning.n }, () => []);
    for await (const r of this.results(ctx, partitioning)) {
      r.batches.forEach((b, k) => {
        this.metrics.outputRows += b.numRows;
        if (b.numRows > 0) parts[k]?.push({ schema: this.schema, columns: b.columns, numRows: b.numRows });
      });
      this.metrics.outputBatches++;
    }
    return parts;
  }
}
