import type { AggCall, ColRef, Expr } from './expr.js';

/** The direct sub-expressions of a node, in evaluation order. */
export function exprChildren(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case 'alias':
    case 'unary':
    case 'cast':
    case 'sort':
      return [e.child];
    case 'binary':
      return [e.left, e.right];
    case 'in':
      return [e.child, ...e.list];
    case 'case': {
      const out: Expr[] = [];
      for (const b of e.branches) out.push(b.when, b.then);
      if (e.otherwise) out.push(e.otherwise);
      return out;
    }
    case 'call':
    case 'agg':
    case 'udf':
      return e.args;
    default:
      return [];
  }
}

/** A structural key of an expression (bigints included), equal for equal trees. */
export function exprKey(e: Expr): string {
  return JSON.stringify(e, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
}

/** True when the expression contains an aggregate call anywhere. */
export function containsAggregate(e: Expr): boolean {
  return e.kind === 'agg' || exprChildren(e).some(containsAggregate);
}

/** The aggregate calls of an expression (not looking inside them), distinct by structure, in first-seen order. */
export function collectAggCalls(e: Expr): AggCall[] {
  const out: AggCall[] = [];
  const seen = new Set<string>();
  const walk = (x: Expr): void => {
    if (x.kind === 'agg') {
      const k = exprKey(x);
      if (!seen.has(k)) {
        seen.add(k);
        out.push(x);
      }
      return;
    }
    for (const c of exprChildren(x)) walk(c);
  };
  walk(e);
  return out;
}

/** The column references of an expression, distinct by qualifier and name, in first-seen order. */
export function referencedColumns(e: Expr): ColRef[] {
  const out: ColRef[] = [];
  const seen = new Set<string>();
  const walk = (x: Expr): void => {
    if (x.kind === 'col') {
      const k = `${x.qualifier ?? ''}\u0000${x.name}`;
      if (!seen.has(k)) {
        seen.add(k);
        out.push(x);
      }
      return;
    }
    for (const c of exprChildren(x)) walk(c);
  };
  walk(e);
  return out;
}
