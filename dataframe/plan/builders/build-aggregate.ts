import { field, schemaOf } from '../../../common/schema.js';
import { SluiceError } from '../../../common/errors.js';
import { analyzeExpr, collectAggCalls, containsAggregate, exprOutputName } from '../../expr/analyze-expr.js';
import { rejectWindowOnlyFunctions } from '../../expr/window-functions.js';
import type { Expr } from '../../expr/expr.js';
import type { Aggregate, LogicalPlan } from '../logical-plan.js';

function stripAlias(e: Expr): Expr {
  return e.kind === 'alias' ? e.child : e;
}

function sameExpr(a: Expr, b: Expr): boolean {
  return JSON.stringify(a, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)) === JSON.stringify(b, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
}

/** Column references outside aggregate calls, which must be grouping expressions. */
function checkOutsideAggs(e: Expr, groupExprs: readonly Expr[], groupNames: readonly string[], shown: string): void {
  if (e.kind === 'agg' || e.kind === 'lit') return;
  if (groupExprs.some((g) => sameExpr(g, e))) return;
  if (e.kind === 'col') {
    if (groupNames.includes(e.name)) return;
    throw new SluiceError(
      'INVALID_PLAN',
      `Column '${e.name}' in ${shown} is neither grouped nor aggregated. Add it to groupBy(...) or wrap it in an aggregate such as first('${e.name}').`,
    );
  }
  const children: Expr[] = [];
  switch (e.kind) {
    case 'alias':
    case 'unary':
    case 'cast':
      children.push(e.child);
      break;
    case 'binary':
      children.push(e.left, e.right);
      break;
    case 'in':
      children.push(e.child, ...e.list);
      break;
    case 'case':
      for (const b of e.branches) children.push(b.when, b.then);
      if (e.otherwise) children.push(e.otherwise);
      break;
    case 'call':
    case 'udf':
      children.push(...e.args);
      break;
    default:
      break;
  }
  for (const c of children) checkOutsideAggs(c, groupExprs, groupNames, shown);
}

/**
 * Builds a grouped aggregation. Output: the grouping columns (named after their
 * expressions) followed by one column per aggregate expression. Each aggregate expression
 * must contain at least one aggregate call; column references outside aggregate calls must
 * be grouping expressions.
 */
export function buildAggregate(child: LogicalPlan, groupBy: readonly Expr[], aggregates: readonly Expr[]): Aggregate {
  const groupAnalyzed = groupBy.map((g) => {
    if (containsAggregate(g)) throw new SluiceError('INVALID_PLAN', `groupBy() cannot contain aggregate ${exprOutputName(g)}.`);
    return analyzeExpr(g, child.schema);
  });
  const groupNames = groupBy.map((g) => (g.kind === 'alias' ? g.name : exprOutputName(g)));
  const groupExprs = groupAnalyzed.map((a, i) => {
    const e = a.expr;
    if (e.kind === 'col' || e.kind === 'alias') return e.kind === 'alias' ? e : e;
    return Object.freeze({ kind: 'alias', child: e, name: groupNames[i] as string }) as Expr;
  });
  const aggExprs: Expr[] = [];
  const aggFields = aggregates.map((raw) => {
    if (!containsAggregate(raw))
      throw new SluiceError(
        'INVALID_PLAN',
        `agg() got ${exprOutputName(raw)}, which is not an aggregate. Use an aggregate function such as sum(), count() or first().`,
      );
    const a = analyzeExpr(raw, child.schema, { allowAggregates: true });
    const name = raw.kind === 'alias' ? raw.name : exprOutputName(raw);
    checkOutsideAggs(
      stripAlias(a.expr),
      groupAnalyzed.map((g) => stripAlias(g.expr)),
      groupNames,
      name,
    );
    rejectWindowOnlyFunctions(collectAggCalls(a.expr));
    if (collectAggCalls(a.expr).length === 0) throw new SluiceError('INVALID_PLAN', `agg() expression ${name} has no aggregate call.`);
    aggExprs.push(a.expr.kind === 'alias' ? a.expr : Object.freeze({ kind: 'alias', child: a.expr, name }));
    return field(name, a.type, a.nullable);
  });
  const fields = [...groupAnalyzed.map((a, i) => field(groupNames[i] as string, a.type, a.nullable)), ...aggFields];
  return Object.freeze({ kind: 'aggregate', child, groupBy: Object.freeze(groupExprs), aggregates: Object.freeze(aggExprs), schema: schemaOf(fields) });
}
