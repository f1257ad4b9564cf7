import { field, resolveFieldIndex, schemaOf } from '../../../common/schema.js';
import { SluiceError } from '../../../common/errors.js';
import { analyzeExpr, containsAggregate, exprOutputName } from '../../expr/analyze-expr.js';
import type { Expr } from '../../expr/expr.js';
import type { LogicalPlan, Project } from '../logical-plan.js';
import { extractGenerator } from './build-generate.js';
import { extractWindowExpressions } from './build-window.js';
import { expandWindows } from './build-window-expand.js';
import { expandStar } from './expand-star.js';

/**
 * Builds a projection. Each expression is analyzed against the child's schema; an
 * expression that is not a plain column reference is wrapped in an alias carrying its
 * output name, so every Project expression is a `col` or an `alias`. Plain column
 * references keep their qualifier.
 */
export function buildProject(input: LogicalPlan, exprs: readonly Expr[]): Project {
  // Window functions (.over(w)) become window nodes below the projection (build-window.ts).
  // explode-family calls become a generate node below the projection (build-generate.ts).
  const generated = extractGenerator(input, exprs);
  const extracted = extractWindowExpressions(generated.child, generated.exprs);
  // window() in a projection filters null times and expands sliding windows (build-window-expand.ts).
  const windowed = expandWindows(extracted.child, expandStar(extracted.exprs, extracted.child.schema));
  const child = windowed.child;
  const expanded = windowed.exprs;
  const out: Expr[] = [];
  const fields = expanded.map((raw) => {
    if (containsAggregate(raw))
      throw new SluiceError('INVALID_PLAN', `Aggregate ${exprOutputName(raw)} is not allowed here. Use groupBy(...).agg(...) or agg(...).`);
    const a = analyzeExpr(raw, child.schema);
    if (a.expr.kind === 'col') {
      const f = child.schema.fields[resolveFieldIndex(child.schema, a.expr.name, a.expr.qualifier)];
      out.push(a.expr);
      return field(a.expr.name, a.type, a.nullable, f?.qualifier ?? null);
    }
    const name = a.expr.kind === 'alias' ? a.expr.name : exprOutputName(raw);
    out.push(a.expr.kind === 'alias' ? a.expr : Object.freeze({ kind: 'alias', child: a.expr, name }));
    return field(name, a.type, a.nullable);
  });
  return Object.freeze({ kind: 'project', child, exprs: Object.freeze(out), schema: schemaOf(fields) });
}
