import type { LogicalPlan } from '../../dataframe/plan/logical-plan.js';
import { optimize } from '../../dataframe/plan/optimizer/optimize.js';
import { HashAggregateExec } from '../physical/hash-aggregate-exec.js';
import { LocalScanExec } from '../physical/local-scan-exec.js';
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
 * The physical plan computing the partial aggregation states of one micro-batch's input
 * rows (`input` is the aggregate's child with the streaming leaves bound). A plain
 * pipeline over the batch runs on the worker pool with the partial aggregate inside each
 * task; anything else (a join with static data) is planned by the session's planner and
 * aggregated partially on the driver. Output: group columns, then `_aggI#state` columns.
 */
export function planPartialAggregate(parts: AggregateParts, input: LogicalPlan, planner: BatchPlanner): PhysicalOperator {
  const optimized = optimize(input);
  const cap: StageCap = { kind: 'partialAggregate', groupBy: parts.groupBy, groupNames: parts.groupNames, aggCalls: parts.aggCalls, aggNames: parts.aggNames };
  if (isStageFragment(optimized)) {
    const schema = applyCap(new LocalScanExec(optimized.schema, []), cap).schema;
    const splits = planner.pool.size * planner.conf.getPositiveInt('sluice.sql.splitsPerWorker');
    return new WorkerStageExec(optimized, cap, schema, planner.pool, [], splits);
  }
  return new HashAggregateExec(planner.plan(input), parts.groupBy, parts.groupNames, parts.aggCalls, parts.aggNames, 'partial');
}
