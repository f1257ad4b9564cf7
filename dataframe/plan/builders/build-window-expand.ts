import { types } from '../../../common/data-type.js';
import { SluiceError } from '../../../common/errors.js';
import type { Expr } from '../../expr/expr.js';
import { exprChildren } from '../../expr/expr-children.js';
import { exprOutputName } from '../../expr/expr-to-string.js';
import { rewriteExpr } from '../optimizer/expr-rewrite.js';
import type { LogicalPlan } from '../logical-plan.js';
import { buildFilter } from './build-filter.js';
import { buildUnion } from './build-misc.js';
import { buildProject } from './build-project.js';

/** Name of the hidden column holding an expanded sliding window below a projection. */
export const EXPANDED_WINDOW_COLUMN = '__window';

type WindowCall = Extract<Expr, { kind: 'call' }>;

/** The user-level `window(t, d, s, start)` calls (4 arguments, not yet expanded) in expressions. */
function findWindowCalls(exprs: readonly Expr[]): WindowCall[] {
  const out: WindowCall[] = [];
  const walk = (e: Expr): void => {
    if (e.kind === 'call' && e.fn === 'window' && e.args.length === 4) out.push(e);
    for (const c of exprChildren(e)) walk(c);
  };
  for (const e of exprs) walk(e);
  return out;
}

function lit(value: bigint | number, type = types.int32): Expr {
  return Object.freeze({ kind: 'lit', value, type });
}

function windowAt(w: WindowCall, index: number): Expr {
  return Object.freeze({ kind: 'call', fn: 'window', args: Object.freeze([...w.args, lit(index)]) });
}

/**
 * Spark's TimeWindowing for projections: a `window()` call in select/withColumn drops the
 * rows whose time is null; a sliding one also expands each row into one row per window
 * containing it. Tumbling: a null filter below the projection and the call marked expanded
 * (index argument 0). Sliding: a union of ceil(duration / slide) branches, branch i adding
 * the i-th candidate window as hidden column `__window` and keeping the rows it contains; the
 * projection then reads `__window`. Returns the (maybe new) child and expressions.
 */
export function expandWindows(child: LogicalPlan, exprs: readonly Expr[]): { child: LogicalPlan; exprs: readonly Expr[] } {
  const calls = findWindowCalls(exprs);
  if (calls.length === 0) return { child, exprs };
  const first = calls[0] as WindowCall;
  const key = JSON.stringify(first, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
  const same = (e: Expr): boolean => JSON.stringify(e, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)) === key;
  if (!calls.every(same))
    throw new SluiceError(
      'INVALID_PLAN',
      'A projection can hold only one distinct window() expression (as in Spark). Compute the second window in a separate select().',
    );
  const d = first.args[1] as Extract<Expr, { kind: 'lit' }>;
  const s = first.args[2] as Extract<Expr, { kind: 'lit' }>;
  const dur = d.value as bigint;
  const slide = s.value as bigint;
  const time = first.args[0] as Expr;
  if (dur === slide) {
    const filtered = buildFilter(child, Object.freeze({ kind: 'unary', op: 'isNotNull', child: time }));
    return { child: filtered, exprs: exprs.map((e) => rewriteExpr(e, (x) => (x.kind === 'call' && same(x) ? windowAt(first, 0) : x))) };
  }
  const k = Number((dur + slide - 1n) / slide);
  const branches: LogicalPlan[] = [];
  for (let i = 0; i < k; i++) {
    const refs: Expr[] = child.schema.fields.map((f) => Object.freeze({ kind: 'col', name: f.name, qualifier: f.qualifier ?? null }));
    const withWindow = buildProject(child, [...refs, Object.freeze({ kind: 'alias', child: windowAt(first, i), name: EXPANDED_WINDOW_COLUMN })]);
    branches.push(buildFilter(withWindow, Object.freeze({ kind: 'unary', op: 'isNotNull', child: col(EXPANDED_WINDOW_COLUMN) })));
  }
  const union = buildUnion(branches);
  const rewritten = exprs.map((e) => {
    const r = rewriteExpr(e, (x) => (x.kind === 'call' && same(x) ? col(EXPANDED_WINDOW_COLUMN) : x));
    // Keep the output name the expression had before the rewrite (`window` for a bare call).
    return r === e || e.kind === 'alias' ? r : (Object.freeze({ kind: 'alias', child: r, name: exprOutputName(e) }) as Expr);
  });
  return { child: union, exprs: rewritten };
}

function col(name: string): Expr {
  return Object.freeze({ kind: 'col', name, qualifier: null });
}
