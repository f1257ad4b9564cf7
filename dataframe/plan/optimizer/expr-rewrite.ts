import type { Expr } from '../../expr/expr.js';

/** Rebuilds an expression bottom-up, replacing each node by `fn(node with rewritten children)`. */
export function rewriteExpr(e: Expr, fn: (e: Expr) => Expr): Expr {
  let out: Expr;
  switch (e.kind) {
    case 'alias':
      out = Object.freeze({ ...e, child: rewriteExpr(e.child, fn) });
      break;
    case 'unary':
      out = Object.freeze({ ...e, child: rewriteExpr(e.child, fn) });
      break;
    case 'cast':
      out = Object.freeze({ ...e, child: rewriteExpr(e.child, fn) });
      break;
    case 'sort':
      out = Object.freeze({ ...e, child: rewriteExpr(e.child, fn) });
      break;
    case 'binary':
      out = Object.freeze({ ...e, left: rewriteExpr(e.left, fn), right: rewriteExpr(e.right, fn) });
      break;
    case 'in':
      out = Object.freeze({ ...e, child: rewriteExpr(e.child, fn), list: Object.freeze(e.list.map((x) => rewriteExpr(x, fn))) });
      break;
    case 'case':
      out = Object.freeze({
        ...e,
        branches: Object.freeze(e.branches.map((b) => Object.freeze({ when: rewriteExpr(b.when, fn), then: rewriteExpr(b.then, fn) }))),
        otherwise: e.otherwise ? rewriteExpr(e.otherwise, fn) : null,
      });
      break;
    case 'call':
      out = Object.freeze({ ...e, args: Object.freeze(e.args.map((x) => rewriteExpr(x, fn))) });
      break;
    case 'agg':
    case 'udf':
      out = Object.freeze({ ...e, args: Object.freeze(e.args.map((x) => rewriteExpr(x, fn))) });
      break;
    default:
      out = e;
  }
  return fn(out);
}

/** Splits a condition into its AND-ed parts. */
export function splitConjuncts(e: Expr): Expr[] {
  return e.kind === 'binary' && e.op === 'and' ? [...splitConjuncts(e.left), ...splitConjuncts(e.right)] : [e];
}

/** ANDs parts together (null for none). */
export function andAll(parts: readonly Expr[]): Expr | null {
  if (parts.length === 0) return null;
  return parts.reduce((a, b) => Object.freeze({ kind: 'binary', op: 'and', left: a, right: b }) as Expr);
}
