import { foldConstants } from '../../expr/fold-constants.js';
import type { Expr } from '../../expr/expr.js';
import { buildLocalRelation } from '../builders/build-misc.js';
import type { LogicalPlan } from '../logical-plan.js';
import { planChildren } from '../logical-plan.js';
import { withNewChildren } from './with-new-children.js';

/**
 * Folds constant sub-expressions of filters and projections; a filter that folds to true
 * disappears, one that folds to false or null becomes an empty relation.
 */
export function foldPlanConstants(plan: LogicalPlan): LogicalPlan {
  const kids = planChildren(plan);
  const next = kids.map(foldPlanConstants);
  let p = next.every((k, i) => k === kids[i]) ? plan : withNewChildren(plan, next);
  if (p.kind === 'filter') {
    const cond = foldConstants(p.condition);
    if (cond.kind === 'lit') {
      if (cond.value === true) return p.child;
      return buildLocalRelation(p.schema, []);
    }
    if (cond !== p.condition) p = Object.freeze({ ...p, condition: cond });
  } else if (p.kind === 'project') {
    const exprs = p.exprs.map((e) => foldConstants(e) as Expr);
    if (exprs.some((e, i) => e !== (p as { exprs: readonly Expr[] }).exprs[i])) p = Object.freeze({ ...p, exprs: Object.freeze(exprs) });
  }
  return p;
}
