import type { Expr } from '../../dataframe/expr/expr.js';
import { buildLocalRelation } from '../../dataframe/plan/builders/build-misc.js';
import type { Aggregate, Join, LocalRelation, LogicalPlan } from '../../dataframe/plan/logical-plan.js';
import { withNewChildren } from '../../dataframe/plan/optimizer/with-new-children.js';
import { DeduplicateExec } from '../physical/deduplicate-exec.js';
import { HashAggregateExec } from '../physical/hash-aggregate-exec.js';
import { LimitExec } from '../physical/limit-exec.js';
import { LocalScanExec } from '../physical/local-scan-exec.js';
import type { PhysicalOperator } from '../physical/physical-operator.js';
import { ProjectExec } from '../physical/project-exec.js';
import { TopKExec } from '../physical/top-k-exec.js';
import type { Broadcast } from '../physical/worker-stage-exec.js';
import { replaceLeaf, WorkerStageExec } from '../physical/worker-stage-exec.js';
import { applyCap } from '../workers/run-stage-task.js';
import type { StageCap, StageThen } from '../workers/stage-task.js';
import type { WorkerPool } from '../workers/worker-pool.js';
import { sessionKeyOf } from '../window/plan-session-aggregate.js';
import { aggregateParts } from './aggregate-parts.js';
import { collectUdfRefs } from '../udf/collect-udf-refs.js';
import type { ExchangeOptions } from './plan-exchange.js';
import { finalAggregateShuffle, finalDeduplicateShuffle, repartitionShuffle, shuffledFragment, worthShuffling } from './plan-exchange.js';
import type { ShuffleInput } from '../exchange/shuffled-stage-exec.js';
import { ShuffledStageExec } from '../exchange/shuffled-stage-exec.js';
import { estimateSizeBytes } from './estimate-size.js';
import { planPaneFinal } from './plan-aggregate.js';
import { buildSideOf, planLocal } from './plan-local.js';

/** Settings of the distributed planner. */
export interface DistributedPlanOptions extends ExchangeOptions {
  readonly pool: WorkerPool;
  /** Largest estimated size (bytes) of a join side that is broadcast to every task. */
  readonly broadcastThresholdBytes: number;
  /** How many splits to aim for per stage (more than workers, for balance). */
  readonly targetSplits: number;
}

/**
 * A fragment that can run inside one task: stateless operators over one scan, maybe
 * broadcast joins; or over the partitions of one or more exchanges (`shuffles`: a session
 * aggregation, window function or shuffled join at its bottom).
 */
interface Fragment {
  readonly plan: LogicalPlan;
  readonly broadcasts: Broadcast[];
  readonly shuffles: readonly ShuffleInput[];
}

/** The producer of an exchange's input: a worker stage when `plan` is a fragment, else `plan` planned on the driver. */
function mapSide(plan: LogicalPlan, opts: DistributedPlanOptions): PhysicalOperator {
  const f = asFragment(plan, opts);
  return f ? stage(f, { kind: 'none' }, opts) : planDistributed(plan, opts);
}

function broadcastable(join: Join, opts: DistributedPlanOptions): 'left' | 'right' | null {
  if (join.leftKeys.length === 0 || join.joinType === 'full' || join.joinType === 'cross') return null;
  const side = buildSideOf(join);
  const build = side === 'right' ? join.right : join.left;
  return estimateSizeBytes(build) <= opts.broadcastThresholdBytes ? side : null;
}

/** The plan as a task fragment, or null when it needs an exchange (aggregate, sort, shuffle join...). */
function asFragment(plan: LogicalPlan, opts: DistributedPlanOptions): Fragment | null {
  switch (plan.kind) {
    case 'fileScan':
    case 'connectorScan':
    case 'local':
      return { plan, broadcasts: [], shuffles: [] };
    case 'project':
    case 'filter':
    case 'generate':
    case 'subqueryAlias': {
      const inner = asFragment(plan.child, opts);
      // Inline UDF closures only run on the driver: over a shuffled stage they stay there, as before exchanges.
      if (inner && inner.shuffles.length > 0 && plan.kind !== 'subqueryAlias' && hasInlineUdf(plan)) return null;
      return inner ? { ...inner, plan: inner.plan === plan.child ? plan : withNewChildren(plan, [inner.plan]) } : null;
    }
    case 'repartition': {
      if (!plan.shuffle) {
        // coalesce: no exchange; one thread's partition is its whole input.
        const inner = asFragment(plan.child, opts);
        return inner ? { ...inner, plan: withNewChildren(plan, [inner.plan]) } : null;
      }
      const input = repartitionShuffle(plan, mapSide(plan.child, opts), opts);
      return { plan: input.placeholder, broadcasts: [], shuffles: [input] };
    }
    case 'join': {
      const side = broadcastable(plan, opts);
      if (!side) return shuffled(plan, opts);
      const probe = asFragment(side === 'right' ? plan.left : plan.right, opts);
      if (!probe) return null;
      const buildPlan = side === 'right' ? plan.right : plan.left;
      const placeholder: LocalRelation = buildLocalRelation(buildPlan.schema, []);
      const source = planDistributed(buildPlan, opts);
      const children = side === 'right' ? [probe.plan, placeholder] : [placeholder, probe.plan];
      return { plan: withNewChildren(plan, children), broadcasts: [...probe.broadcasts, { placeholder, source }], shuffles: probe.shuffles };
    }
    default:
      return shuffled(plan, opts);
  }
}

function shuffled(plan: LogicalPlan, opts: DistributedPlanOptions): Fragment | null {
  const f = shuffledFragment(plan, (p) => mapSide(p, opts), opts);
  return f ? { plan: f.plan, broadcasts: [], shuffles: f.shuffles } : null;
}

function stage(f: Fragment, cap: StageCap, opts: DistributedPlanOptions): WorkerStageExec | ShuffledStageExec {
  const schema = applyCap(new LocalScanExec(f.plan.schema, []), cap).schema;
  if (f.shuffles.length > 0) return new ShuffledStageExec(f.plan, f.shuffles, f.broadcasts, cap, schema, opts.pool);
  return new WorkerStageExec(f.plan, cap, schema, opts.pool, f.broadcasts, opts.targetSplits);
}

/** True when the filters and projections from `plan` down to the first other node call an inline UDF closure (driver only). */
function hasInlineUdf(plan: LogicalPlan): boolean {
  let p = plan;
  const nodes: LogicalPlan[] = [];
  while (p.kind === 'filter' || p.kind === 'project') {
    nodes.push({ ...p, child: buildLocalRelation(p.child.schema, []) });
    p = p.child;
  }
  return nodes.some((n) => collectUdfRefs(n).some((r) => r.inlineId !== null));
}

/** The aggregate under a chain of filters and projections, if the chain ends at one. */
function statelessOverAggregate(plan: LogicalPlan): { readonly agg: Aggregate } | null {
  let p = plan;
  while (p.kind === 'filter' || p.kind === 'project') p = p.child;
  return p.kind === 'aggregate' && sessionKeyOf(p) === undefined ? { agg: p } : null;
}

/**
 * A grouped aggregation: partial states in the tasks of the stage below, then the final
 * merge in a shuffled stage (large input) or on the driver. `then` (operators above the
 * aggregate) rides along into the shuffled stage's tasks; with `onlyShuffled` the caller
 * plans it itself otherwise (undefined is returned).
 */
function aggregateStage(plan: Aggregate, opts: DistributedPlanOptions, then: StageThen | null, onlyShuffled = false): PhysicalOperator | undefined {
  // Session windows need all rows of a key together: a shuffled fragment or the local planner.
  if (sessionKeyOf(plan) !== undefined) return undefined;
  if (onlyShuffled && !worthShuffling([plan.child], opts)) return undefined;
  const f = asFragment(plan.child, opts);
  if (!f) return undefined;
  const parts = aggregateParts(plan);
  const schema = then ? then.plan.schema : plan.schema;
  const panes = parts.panes;
  // Window aggregates: pane-level partial states in the tasks, expansion and merge after.
  const partial = stage(
    f,
    panes
      ? { kind: 'partialAggregate', groupBy: panes.paneGroupBy, groupNames: panes.paneGroupNames, aggCalls: parts.aggCalls, aggNames: parts.aggNames }
      : { kind: 'partialAggregate', groupBy: parts.groupBy, groupNames: parts.groupNames, aggCalls: parts.aggCalls, aggNames: parts.aggNames },
    opts,
  );
  const sh = worthShuffling([plan.child], opts) ? finalAggregateShuffle(partial, parts, plan, opts.shufflePartitions) : null;
  if (sh) return new ShuffledStageExec(sh.input.placeholder, [sh.input], [], sh.cap, schema, opts.pool, then);
  if (onlyShuffled) return undefined;
  if (panes) return planPaneFinal(parts, partial, plan);
  const groupRefs: Expr[] = parts.groupNames.map((name) => Object.freeze({ kind: 'col', name, qualifier: null }));
  const final = new HashAggregateExec(partial, groupRefs, parts.groupNames, parts.aggCalls, parts.aggNames, 'final');
  return new ProjectExec(final, parts.resultExprs, plan.schema);
}

function override(plan: LogicalPlan, opts: DistributedPlanOptions): PhysicalOperator | undefined {
  const whole = asFragment(plan, opts);
  if (whole) return stage(whole, { kind: 'none' }, opts);
  switch (plan.kind) {
    case 'aggregate':
      return aggregateStage(plan, opts, null);
    case 'filter':
    case 'project': {
      // A HAVING filter or a projection over a shuffled final aggregation runs in its tasks.
      const top = statelessOverAggregate(plan);
      if (!top || hasInlineUdf(plan)) return undefined;
      const input = buildLocalRelation(top.agg.schema, []);
      const then = { input, plan: replaceLeaf(plan, top.agg, input) };
      return aggregateStage(top.agg, opts, then, true);
    }
    case 'deduplicate': {
      const f = asFragment(plan.child, opts);
      if (!f) return undefined;
      const partial = stage(f, { kind: 'partialDeduplicate', keys: plan.keys }, opts);
      if (plan.keys.length > 0 && worthShuffling([plan.child], opts)) {
        const fin = finalDeduplicateShuffle(partial, plan, opts.shufflePartitions);
        return stage({ plan: fin.plan, broadcasts: [], shuffles: fin.shuffles }, { kind: 'none' }, opts);
      }
      return new DeduplicateExec(partial, plan.keys);
    }
    case 'limit': {
      if (plan.child.kind === 'sort') {
        const f = asFragment(plan.child.child, opts);
        return f ? new TopKExec(stage(f, { kind: 'topK', orders: plan.child.orders, n: plan.n }, opts), plan.child.orders, plan.n) : undefined;
      }
      const f = asFragment(plan.child, opts);
      return f ? new LimitExec(stage(f, { kind: 'limit', n: plan.n }, opts), plan.n) : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Plans a query for the worker pool. Maximal stateless pipelines over a scan (including
 * broadcast hash joins against small inputs) become worker stages, one task per split;
 * aggregates and deduplication run partially in the tasks. When their input is large
 * (`shuffleMinInputBytes`), they finish in a shuffled stage (exchange by the keys, one task
 * per partition on the workers), and so do session-window aggregations, window functions
 * with partition keys and equi-joins of two inputs too large to broadcast; otherwise they
 * finish on the driver. A limit (or a sort under a limit) is applied in each task and again
 * on the driver. Everything else (sorts, unions of stages) runs on the driver over the
 * stages' outputs.
 */
export function planDistributed(plan: LogicalPlan, opts: DistributedPlanOptions): PhysicalOperator {
  return planLocal(plan, { override: (p) => override(p, opts) });
}
