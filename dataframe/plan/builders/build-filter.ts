import { typeMismatchError } from '../../../common/errors.js';
import { typeName } from '../../../common/data-type.js';
import { SluiceError } from '../../../common/errors.js';
import { analyzeExpr, containsAggregate, exprOutputName } from '../../expr/analyze-expr.js';
import type { Expr } from '../../expr/expr.js';
import type { Filter, LogicalPlan } from '../logical-plan.js';

/** Builds a filter; the condition must be boolean and free of aggregates. */
export function buildFilter(child: LogicalPlan, condition: Expr): Filter {
  if (containsAggregate(condition))
    throw new SluiceError(
      'INVALID_PLAN',
      `filter() cannot use aggregate ${exprOutputName(condition)}. Aggregate first with groupBy().agg(), then filter the result.`,
    );
  const a = analyzeExpr(condition, child.schema);
  if (a.type.kind !== 'boolean' && a.type.kind !== 'null')
    throw typeMismatchError(`filter() needs a boolean condition, but ${exprOutputName(condition)} is ${typeName(a.type)}. Compare it, e.g. col('x').gt(0).`);
  return Object.freeze({ kind: 'filter', child, condition: a.expr, schema: child.schema });
}
