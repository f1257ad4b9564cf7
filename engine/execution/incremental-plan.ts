import type { LogicalPlan } from '../../dataframe/plan/logical-plan.js';
import { planChildren } from '../../dataframe/plan/logical-plan.js';
import { withNewChildren } from '../../dataframe/plan/optimizer/with-new-children.js';

/**
 * Rebuilds `plan` with every node for which `replace` returns a plan swapped for it
 * (parents are rebuilt through the validating builders; untouched subtrees are shared).
 */
export function transformPlan(plan: LogicalPlan, replace: (p: LogicalPlan) => LogicalPlan | undefined): LogicalPlan {
  const direct = replace(plan);
  if (direct !== undefined) return direct;
  const kids = planChildren(plan);
  if (kids.length === 0) return plan;
  const next = kids.map((k) => transformPlan(k, replace));
  return next.every((k, i) => k === kids[i]) ? plan : withNewChildren(plan, next);
}

/**
 * The batch plan of one micro-batch: each `StreamingRelation` leaf replaced by its
 * source's plan for the batch's offset range (by source id), so the batch runs through
 * the same planner and executor as a batch query.
 */
export function bindStreamingLeaves(plan: LogicalPlan, batchPlans: ReadonlyMap<string, LogicalPlan>): LogicalPlan {
  return transformPlan(plan, (p) => (p.kind === 'streamingRelation' ? batchPlans.get(p.sourceId) : undefined));
}

/** `plan` with the node `target` (by identity) replaced by `by`. */
export function replaceNode(plan: LogicalPlan, target: LogicalPlan, by: LogicalPlan): LogicalPlan {
  return transformPlan(plan, (p) => (p === target ? by : undefined));
}
