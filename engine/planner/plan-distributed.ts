import type { Expr } from '../../dataframe/expr/expr.js';
import { buildLocalRelation } from '../../dataframe/plan/builders/build-misc.js';
import type { Join, LocalRelation, LogicalPlan } from '../../dataframe/plan/logical-plan.js';
import { withNewChildren } from '../../dataframe/plan/optimizer/with-new-children.js';
import { DeduplicateExec } from '../physical/deduplicate-exec.js';
import { HashAggregateExec } from '../physical/hash-aggregate-exec.js';
import { LimitExec } from '../physical/limit-exec.js';
import { LocalScanExec } from '../physical/local-scan-exec.js';
import type { PhysicalOperator } from '../physical/physical-operator.js';
import { ProjectExec } from '../physical/project-exec.js';
import { TopKExec } from '../physical/top-k-exec.js';
import type { Broadcast } from '../physical/worker-stage-exec.js';
import { WorkerStageExec } from '../physical/worker-stage-exec.js';
import { applyCap } from '../workers/run-stage-task.js';
import type { StageCap } from '../workers/stage-task.js';
import type { TaskRunner } from '../workers/task-runner.js';
import { sessionKeyOf } from '../window/plan-session-aggregate.js';
import { aggregateParts } from './aggregate-parts.js';
import { estimateSizeBytes } from './estimate-size.js';
import { planPaneFinal } from './plan-aggregate.js';
import { buildSideOf, planLocal } from './plan-local.js';

/** Settings of the distributed planner. */
export interface DistributedPlanOptions {
  readonly pool: TaskRunner;
  /** Largest estimated size (bytes) of a join side that is broadcast to every task. */
  readonly broadcastThresholdBytes: number;
  /** How many splits to aim for per stage (more than workers, for balance). */
  readonly targetSplits: number;
}

/** A fragment that can run inside one task: stateless operators over one scan, maybe broadcast joins. */
interface Fragment {
  readonly plan: LogicalPlan;
  readonly broadcasts: Broadcast[];
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
      return { plan, broadcasts: [] };
    case 'project':
    case 'filter':
    case 'generate':
    case 'subqueryAlias': {
      const inner = asFragment(plan.child, opts);
      return inner ? { plan: inner.plan === plan.child ? plan : withNewChildren(plan, [inner.plan]), broadcasts: inner.broadcasts } : null;
    }
    case 'join': {
      const side = broadcastable(plan, opts);
      if (!side) return null;
      const probe = asFragment(side === 'right' ? plan.left : plan.right, opts);
      if (!probe) return null;
      const buildPlan = side === 'right' ? plan.right : plan.left;
      const placeholder: LocalRelation = buildLocalRelation(buildPlan.schema, []);
      const source = planDistributed(buildPlan, opts);
      const children = side === 'right' ? [probe.plan, placeholder] : [placeholder, probe.plan];
      return { plan: withNewChildren(plan, children), broadcasts: [...probe.broadcasts, { placeholder, source }] };
    }
    default:
      return null;
  }
}

function stage(f: Fragment, cap: StageCap, opts: DistributedPlanOptions): WorkerStageExec {
  const schema = applyCap(new LocalScanExec(f.plan.schema, []), cap).schema;
  return new WorkerStageExec(f.plan, cap, schema, opts.pool, f.broadcasts, opts.targetSplits);
}

function override(plan: LogicalPlan, opts: DistributedPlanOptions): PhysicalOperator | undefined {
  const whole = asFragment(plan, opts);
  if (whole) return stage(whole, { kind: 'none' }, opts);
  switch (plan.kind) {
    case 'aggregate': {
      // Session windows need all rows of a key together: the local planner gathers them.
      if (sessionKeyOf(plan) !== undefined) return undefined;
      const f = asFragment(plan.child, opts);
      if (!f) return undefined;
      const parts = aggregateParts(plan);
      if (parts.panes !== null) {
        // Window aggregate: pane-level partial states in the tasks, expansion and merge on the driver.
        const panes = parts.panes;
        const paneStage = stage(
          f,
          { kind: 'partialAggregate', groupBy: panes.paneGroupBy, groupNames: panes.paneGroupNames, aggCalls: parts.aggCalls, aggNames: parts.aggNames },
          opts,
        );
        return planPaneFinal(parts, paneStage, plan);
      }
      const partial = stage(
        f,
        { kind: 'partialAggregate', groupBy: parts.groupBy, groupNames: parts.groupNames, aggCalls: parts.aggCalls, aggNames: parts.aggNames },
        opts,
      );
      const groupRefs: Expr[] = parts.groupNames.map((name) => Object.freeze({ kind: 'col', name, qualifier: null }));
      const final = new HashAggregateExec(partial, groupRefs, parts.groupNames, parts.aggCalls, parts.aggNames, 'final');
      return new ProjectExec(final, parts.resultExprs, plan.schema);
    }
    case 'deduplicate': {
      const f = asFragment(plan.child, opts);
      return f ? new DeduplicateExec(stage(f, { kind: 'partialDeduplicate', keys: plan.keys }, opts), plan.keys) : undefined;
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
 * aggregates and deduplication run partially in the tasks and finish on the driver; a limit
 * (or a sort under a limit) is applied in each task and again on the driver. Everything
 * else (sorts, joins of two large inputs, unions of stages) runs on the driver over the
 * stages' outputs.
 */
export function planDistributed(plan: LogicalPlan, opts: DistributedPlanOptions): PhysicalOperator {
  return planLocal(plan, { override: (p) => override(p, opts) });
}
