import type { Expr } from '../../dataframe/expr/expr.js';
import type { Aggregate } from '../../dataframe/plan/logical-plan.js';
import { compileTypedExpr } from '../eval/compile-expr.js';
import type { PhysicalOperator } from '../physical/physical-operator.js';
import { planAggregate } from '../planner/plan-local.js';
import type { SessionWindowSpec } from './session-window-exec.js';
import { SessionWindowExec, sessionWindowSpec } from './session-window-exec.js';

/** Internal name of the per-row session column added below a session-window aggregation. */
export const SESSION_COLUMN = '__sluice_session_window';

/** Where the session_window key of an aggregation is, if it has one. */
export function sessionKeyOf(agg: Aggregate): { readonly index: number; readonly spec: SessionWindowSpec } | undefined {
  for (const [index, e] of agg.groupBy.entries()) {
    const spec = sessionWindowSpec(e);
    if (spec !== undefined) return { index, spec };
  }
  return undefined;
}

/** `agg` grouping by the per-row session column instead of the session_window call. */
export function withSessionColumnKey(agg: Aggregate, index: number): Aggregate {
  const ref: Expr = Object.freeze({ kind: 'col', name: SESSION_COLUMN, qualifier: null });
  return Object.freeze({ ...agg, groupBy: Object.freeze(agg.groupBy.map((e, i) => (i === index ? ref : e))) });
}

/**
 * Plans `groupBy(sessionWindow(t, gap), keys...).agg(...)` in a batch query: the rows are
 * gathered (sessions need every row of a key), each row gets its session by
 * {@link SessionWindowExec}, and a hash aggregation groups by (session, keys).
 */
export function planSessionAggregate(agg: Aggregate, child: PhysicalOperator): PhysicalOperator {
  const key = sessionKeyOf(agg);
  if (key === undefined) return planAggregate(agg, child);
  const others = agg.groupBy.filter((_, i) => i !== key.index);
  const timeType = compileTypedExpr(key.spec.time, child.schema).type;
  const sessions = new SessionWindowExec(child, others, key.spec, SESSION_COLUMN, timeType);
  return planAggregate(withSessionColumnKey(agg, key.index), sessions);
}
