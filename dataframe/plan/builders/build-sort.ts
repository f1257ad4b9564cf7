import { SluiceError } from '../../../common/errors.js';
import { analyzeExpr, containsAggregate, exprOutputName } from '../../expr/analyze-expr.js';
import type { Expr, SortOrder } from '../../expr/expr.js';
import type { LogicalPlan, Sort } from '../logical-plan.js';

/** Builds a sort. Plain expressions sort ascending with nulls first, as in Spark. */
export function buildSort(child: LogicalPlan, orders: readonly Expr[]): Sort {
  if (orders.length === 0) throw new SluiceError('INVALID_ARGUMENT', 'orderBy() needs at least one column.');
  const analyzed = orders.map((o): SortOrder => {
    const s: SortOrder = o.kind === 'sort' ? o : { kind: 'sort', child: o, ascending: true, nullsFirst: true };
    if (containsAggregate(s.child)) throw new SluiceError('INVALID_PLAN', `orderBy() cannot use aggregate ${exprOutputName(s.child)}; aggregate first.`);
    const a = analyzeExpr(s.child, child.schema);
    if (a.type.kind === 'list') throw new SluiceError('TYPE_MISMATCH', `Cannot sort by array column ${exprOutputName(s.child)}.`);
    return Object.freeze({ kind: 'sort', child: a.expr, ascending: s.ascending, nullsFirst: s.nullsFirst });
  });
  return Object.freeze({ kind: 'sort', child, orders: Object.freeze(analyzed), schema: child.schema });
}
