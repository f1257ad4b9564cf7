import type { LogicalPlan } from '../../dataframe/plan/logical-plan.js';
import { optimize } from '../../dataframe/plan/optimizer/optimize.js';
import { pruneColumns } from '../../dataframe/plan/optimizer/prune-columns.js';
import { referencedColumns } from '../../dataframe/expr/expr-children.js';
import type { AggCall, Expr } from '../../dataframe/expr/expr.js';
import { HashAggregateExec } from '../physical/hash-aggregate-exec.js';
import { LocalScanExec } from '../physical/local-scan-exec.js';
import { PaneExpandExec } from '../physical/pane-expand-exec.js';
import { PaneSlideExec } from '../physical/pane-slide-exec.js';
import type { PhysicalOperator } from '../physical/physical-operator.js';
import { WorkerStageExec } from '../physical/worker-stage-exec.js';
import type { AggregateParts } from '../planner/aggregate-parts.js';
import { applyCap } from '../workers/run-stage-task.js';
import type { StageCap } from '../workers/stage-task.js';
import type { BatchPlanner } from './batch-planner.js';

/** True when the plan is stateless operators over one scan, so one worker task per split can run it. */
function isStageFragment(plan: LogicalPlan): boolean {
  switch (plan.kind) {
    case 'fileScan':
    case 'connectorScan':
    case 'local':
      return true;
    case 'project':
    case 'filter':
    case 'subqueryAlias':
      return isStageFragment(plan.child);
    default:
      return false;
  }
}

/**
 * The batch input optimized and pruned to the columns the aggregation reads (its keys and
 * the arguments of its calls), as a batch `groupBy(...).agg(...)` is: a streaming `count()`
 * over Parquet files then reads no column at all (row counts come from the footers).
 */
function prunedInput(input: LogicalPlan, groupBy: readonly Expr[], aggCalls: readonly AggCall[]): LogicalPlan {
  const required = new Set<string>();
  for (const e of [...groupBy, ...aggCalls.flatMap((c) => c.args)]) for (const r of referencedColumns(e)) required.add(r.name);
  if ([...required].some((n) => !input.schema.fields.some((f) => f.name === n))) return optimize(input);
  return pruneColumns(optimize(input), required);
}

/**
 * The physical plan computing the partial aggregation states of one micro-batch's input
 * rows (`input` is the aggregate's child with the streaming leaves bound). A plain
 * pipeline over the batch runs on the worker pool with the partial aggregate inside each
 * task; anything else (a join with static data) is planned by the session's planner and
 * aggregated partially on the driver. Output: group columns, then `_aggI#state` columns.
 * For a window aggregate (`parts.panes`), rows are aggregated per pane, then each tumbling
 * pane row becomes its window's row, and sliding windows are formed from each key's sorted
 * panes (PaneSlideExec), so the group columns are the flattened final keys (`window.start`,
 * `window.end`, ...); several rows may share a (keys, window) and must be merged
 * (partialMerge/final) by the caller.
 */
export function planPartialAggregate(parts: AggregateParts, input: LogicalPlan, planner: BatchPlanner): PhysicalOperator {
  const panes = parts.panes;
  // A window aggregate computes pane-level partial states, then expands them to windows.
  const groupBy = panes === null ? parts.groupBy : panes.paneGroupBy;
  const optimized = prunedInput(input, groupBy, parts.aggCalls);
  const groupNames = panes === null ? parts.groupNames : panes.paneGroupNames;
  const cap: StageCap = { kind: 'partialAggregate', groupBy, groupNames, aggCalls: parts.aggCalls, aggNames: parts.aggNames };
  let partial: PhysicalOperator;
  if (isStageFragment(optimized)) {
    const schema = applyCap(new LocalScanExec(optimized.schema, []), cap).schema;
    const splits = planner.pool.size * planner.conf.getPositiveInt('sluice.sql.splitsPerWorker');
    partial = new WorkerStageExec(optimized, cap, schema, planner.pool, [], splits);
  } else partial = new HashAggregateExec(planner.plan(input), groupBy, groupNames, parts.aggCalls, parts.aggNames, 'partial');
  if (panes === null) return partial;
  const start = parts.groupNames[panes.position] as string;
  const end = parts.groupNames[panes.position + 1] as string;
  // Sliding windows: one row per (keys, window) from the sorted panes instead of one per (pane row, window).
  if (panes.slideUs !== panes.durationUs) return new PaneSlideExec(partial, panes, parts.aggCalls, parts.aggNames, 'partial', start, end);
  return new PaneExpandExec(partial, panes, start, end);
}

/**
 * The pane-level partial aggregation of a window aggregate's batch (`parts.panes` set):
 * group columns are `parts.panes.paneGroupNames` (the window replaced by the pane start
 * column `__pane`), not yet combined into windows. The streaming aggregate of sliding windows
 * keeps these pane states and forms windows only when it emits them.
 */
export function planPanePartialAggregate(parts: AggregateParts, input: LogicalPlan, planner: BatchPlanner): PhysicalOperator {
  const panes = parts.panes;
  if (panes === null) throw new Error('internal: planPanePartialAggregate needs a window aggregate');
  const optimized = prunedInput(input, panes.paneGroupBy, parts.aggCalls);
  const cap: StageCap = {
    kind: 'partialAggregate',
    groupBy: panes.paneGroupBy,
    groupNames: panes.paneGroupNames,
    aggCalls: parts.aggCalls,
    aggNames: parts.aggNames,
  };
  if (isStageFragment(optimized)) {
    const schema = applyCap(new LocalScanExec(optimized.schema, []), cap).schema;
    const splits = planner.pool.size * planner.conf.getPositiveInt('sluice.sql.splitsPerWorker');
    return new WorkerStageExec(optimized, cap, schema, planner.pool, [], splits);
  }
  return new HashAggregateExec(planner.plan(input), panes.paneGroupBy, panes.paneGroupNames, parts.aggCalls, parts.aggNames, 'partial');
}
