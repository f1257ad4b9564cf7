import type { LogicalPlan } from '../logical-plan.js';
import { foldPlanConstants } from './fold-plan-constants.js';
import { pruneColumns } from './prune-columns.js';
import { pushDownFilters } from './push-down-filters.js';

/**
 * The logical optimizer: constant folding, then filter pushdown (into join sides and file
 * scans, where Parquet uses the filters to skip row groups), then column pruning (file scans
 * read only the columns the query needs). Each rule is a pure function of the plan.
 */
export function optimize(plan: LogicalPlan): LogicalPlan {
  return pruneColumns(pushDownFilters(foldPlanConstants(plan)));
}
