import type { LogicalPlan } from '../logical-plan.js';
import { planChildren } from '../logical-plan.js';
import { withNewChildren } from './with-new-children.js';
import { foldPlanConstants } from './fold-plan-constants.js';
import { pruneColumns } from './prune-columns.js';
import { pushDownFilters } from './push-down-filters.js';

/**
 * The logical optimizer: watermark nodes removed, constant folding, then filter pushdown (into join sides and file
 * scans, where Parquet uses the filters to skip row groups), then column pruning (file scans
 * read only the columns the query needs). Each rule is a pure function of the plan.
 */
export function optimize(plan: LogicalPlan): LogicalPlan {
  return pruneColumns(pushDownFilters(foldPlanConstants(removeWatermarks(plan))));
}

/**
 * Drops `withWatermark` nodes: they change no row, and a batch query (or the batch plan of
 * one micro-batch, after the stream execution read their statistics) has no use for them.
 */
export function removeWatermarks(plan: LogicalPlan): LogicalPlan {
  if (plan.kind === 'eventTimeWatermark') return removeWatermarks(plan.child);
  const kids = planChildren(plan);
  if (kids.length === 0) return plan;
  const next = kids.map(removeWatermarks);
  return next.every((k, i) => k === kids[i]) ? plan : withNewChildren(plan, next);
}
