import type { Expr, SortOrder } from '../expr/expr.js';

/**
 * Rewrites an expression top-down: where `fn` returns a node, that node replaces the whole
 * subtree; elsewhere the children are rewritten. Inside a window expression the aggregate
 * itself is kept and its arguments and the window's partition and order keys are
 * rewritten (so `rank() OVER (ORDER BY sum(x))` can refer to grouped values).
 */
export function substituteExpr(e: Expr, fn: (e: Expr) => Expr | undefined): Expr {
  const hit = fn(e);
  if (hit !== undefined) return hit;
  const s = (x: Expr): Expr => substituteExpr(x, fn);
  const f = (x: Expr): Expr => Object.freeze(x);
  switch (e.kind) {
    case 'alias':
    case 'unary':
    case 'cast':
    case 'sort':
      return f({ ...e, child: s(e.child) });
    case 'binary':
      return f({ ...e, left: s(e.left), right: s(e.right) });
    case 'in':
      return f({ ...e, child: s(e.child), list: Object.freeze(e.list.map(s)) });
    case 'case':
      return f({
        ...e,
        branches: Object.freeze(e.branches.map((b) => Object.freeze({ when: s(b.when), then: s(b.then) }))),
        otherwise: e.otherwise === null ? null : s(e.otherwise),
      });
    case 'call':
    case 'agg':
      return f({ ...e, args: Object.freeze(e.args.map(s)) });
    case 'windowExpr':
      return f({
        ...e,
        fn: Object.freeze({ ...e.fn, args: Object.freeze(e.fn.args.map(s)) }),
        spec: Object.freeze({
          ...e.spec,
          partitionBy: Object.freeze(e.spec.partitionBy.map(s)),
          orderBy: Object.freeze(e.spec.orderBy.map((o) => s(o) as SortOrder)),
        }),
      });
    default:
      return e;
  }
}

/** Calls `visit` on every node, descending into window expressions' arguments and keys too. */
export function visitExpr(e: Expr, visit: (e: Expr) => boolean | undefined): void {
  substituteExpr(e, (x) => {
    if (visit(x) === false) return x;
    return undefined;
  });
}

/** True when `e` has an aggregate call outside any window expression's own function (a grouped aggregate). */
export function hasGroupedAggregate(e: Expr): boolean {
  let found = false;
  visitExpr(e, (x) => {
    if (x.kind === 'agg') found = true;
    return !found;
  });
  return found;
}

/** True when `e` contains a window expression. */
export function hasWindowExpr(e: Expr): boolean {
  let found = false;
  visitExpr(e, (x) => {
    if (x.kind === 'windowExpr') found = true;
    return !found;
  });
  return found;
}

/** The expression without a top-level alias. */
export function stripAlias(e: Expr): Expr {
  return e.kind === 'alias' ? e.child : e;
}
