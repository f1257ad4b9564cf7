import type { DataType } from '../../../common/data-type.js';
import { typeName } from '../../../common/data-type.js';
import { SluiceError } from '../../../common/errors.js';
import { analyzeExpr, containsAggregate, exprOutputName } from '../../expr/analyze-expr.js';
import type { Expr, SortOrder } from '../../expr/expr.js';
import type { LogicalPlan, Sort } from '../logical-plan.js';

/**
 * TYPE_MISMATCH for an order column Sluice cannot sort by (a struct or an array), naming the
 * column and, for a struct, the field to sort by instead (e.g. `col('window.start')`).
 */
export function unsortable(name: string, type: DataType, what: string): SluiceError {
  const first = type.kind === 'struct' ? type.fields[0] : undefined;
  const fix =
    first !== undefined
      ? `Sort by one of its fields instead, e.g. ${what.replace('()', '')}(col('${name}.${first.name}')).`
      : `Sort by a scalar column derived from it instead.`;
  return new SluiceError('TYPE_MISMATCH', `${what} cannot sort by column '${name}' of type ${typeName(type)}. ${fix}`);
}

/** Builds a sort. Plain expressions sort ascending with nulls first, as in Spark. */
export function buildSort(child: LogicalPlan, orders: readonly Expr[]): Sort {
  if (orders.length === 0) throw new SluiceError('INVALID_ARGUMENT', 'orderBy() needs at least one column.');
  const analyzed = orders.map((o): SortOrder => {
    const s: SortOrder = o.kind === 'sort' ? o : { kind: 'sort', child: o, ascending: true, nullsFirst: true };
    if (containsAggregate(s.child)) throw new SluiceError('INVALID_PLAN', `orderBy() cannot use aggregate ${exprOutputName(s.child)}; aggregate first.`);
    const a = analyzeExpr(s.child, child.schema);
    if (a.type.kind === 'list' || a.type.kind === 'map' || a.type.kind === 'struct') throw unsortable(exprOutputName(s.child), a.type, 'orderBy()');
    return Object.freeze({ kind: 'sort', child: a.expr, ascending: s.ascending, nullsFirst: s.nullsFirst });
  });
  return Object.freeze({ kind: 'sort', child, orders: Object.freeze(analyzed), schema: child.schema });
}
