import type { Expr } from '../../../dataframe/expr/expr.js';
import type { LogicalPlan } from '../../../dataframe/plan/logical-plan.js';
import { planChildren } from '../../../dataframe/plan/logical-plan.js';

/** Time-window functions whose result carries the event time of their first argument. */
const WINDOW_FUNCTIONS: ReadonlySet<string> = new Set(['window', 'session_window', 'sessionWindow', 'window_time', 'windowTime']);

/** True when `e` is (an alias of) an event-time column of `inputs`, or a window over one. */
export function isEventTimeExpr(e: Expr, inputs: ReadonlySet<string>): boolean {
  switch (e.kind) {
    case 'alias':
      return isEventTimeExpr(e.child, inputs);
    case 'col':
      return inputs.has(e.name);
    case 'call':
      return WINDOW_FUNCTIONS.has(e.fn) && e.args[0] !== undefined && isEventTimeExpr(e.args[0], inputs);
    default:
      return false;
  }
}

/**
 * The output columns of `plan` that carry event time in a stream: the columns named in a
 * `withWatermark` below, passed through projections (also renamed), and the time windows
 * and grouping keys computed from them (Spark tracks the same through column metadata).
 */
export function eventTimeColumns(plan: LogicalPlan): Set<string> {
  switch (plan.kind) {
    case 'eventTimeWatermark': {
      const s = eventTimeColumns(plan.child);
      s.add(plan.eventTime);
      return s;
    }
    case 'project': {
      const below = eventTimeColumns(plan.child);
      const out = new Set<string>();
      plan.exprs.forEach((e, i) => {
        if (isEventTimeExpr(e, below)) out.add(plan.schema.fields[i]?.name as string);
      });
      return out;
    }
    case 'aggregate': {
      const below = eventTimeColumns(plan.child);
      const out = new Set<string>();
      plan.groupBy.forEach((e, i) => {
        if (isEventTimeExpr(e, below)) out.add(plan.schema.fields[i]?.name as string);
      });
      return out;
    }
    case 'transformWithState':
      // In processingTime mode the processor's rows say nothing about event time: no watermark passes (Spark's rule).
      if (plan.timeMode === 'processingTime') return new Set();
      return passThrough(plan);
    default:
      return passThrough(plan);
  }
}

/** The event-time columns of `plan`'s children that it outputs under the same name. */
function passThrough(plan: LogicalPlan): Set<string> {
  const out = new Set<string>();
  const names = new Set(plan.schema.fields.map((f) => f.name));
  for (const c of planChildren(plan)) for (const n of eventTimeColumns(c)) if (names.has(n)) out.add(n);
  return out;
}

/** True when a `withWatermark` node sits in `plan` below no transformWithState in processingTime mode (which passes no watermark on). */
export function hasWatermark(plan: LogicalPlan): boolean {
  if (plan.kind === 'transformWithState' && plan.timeMode === 'processingTime') return false;
  return plan.kind === 'eventTimeWatermark' || planChildren(plan).some(hasWatermark);
}
