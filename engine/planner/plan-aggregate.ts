import { types } from '../../common/data-type.js';
import type { Expr } from '../../dataframe/expr/expr.js';
import type { Aggregate } from '../../dataframe/plan/logical-plan.js';
import { rewriteExpr } from '../../dataframe/plan/optimizer/expr-rewrite.js';
import { FilterExec } from '../physical/filter-exec.js';
import { HashAggregateExec } from '../physical/hash-aggregate-exec.js';
import { PaneSlideExec } from '../physical/pane-slide-exec.js';
import type { PhysicalOperator } from '../physical/physical-operator.js';
import { ProjectExec } from '../physical/project-exec.js';
import type { AggregateParts, PanePlan } from './aggregate-parts.js';
import { aggregateParts, PANE_COLUMN } from './aggregate-parts.js';

/**
 * The window-level part of a pane aggregation over pane-level partial states (`partial`,
 * grouped by `panes.paneGroupNames`) plus the result projection. Tumbling windows (pane =
 * window) merge the partials by (keys, pane) in a hash aggregate; sliding windows slide
 * over each key's sorted panes ({@link PaneSlideExec}), with no per-window expansion.
 */
export function planPaneFinal(parts: AggregateParts, partial: PhysicalOperator, agg: Aggregate): PhysicalOperator {
  const panes = parts.panes as PanePlan;
  const startName = parts.groupNames[panes.position] as string;
  let final: PhysicalOperator;
  let startCol = startName;
  if (panes.slideUs === panes.durationUs) {
    // Tumbling: the pane is the window; merge the pane partials by (keys, pane) and derive the window from the pane start.
    // Rows with a null pane (null event time) have no window and are dropped, as Spark drops rows with a null window.
    const pane: Expr = Object.freeze({ kind: 'col', name: PANE_COLUMN, qualifier: null });
    const withPane = new FilterExec(partial, Object.freeze({ kind: 'unary', op: 'isNotNull', child: pane }));
    const groupRefs: Expr[] = panes.paneGroupNames.map((name) => Object.freeze({ kind: 'col', name, qualifier: null }));
    final = new HashAggregateExec(withPane, groupRefs, panes.paneGroupNames, parts.aggCalls, parts.aggNames, 'final');
    startCol = PANE_COLUMN;
  } else {
    // Sliding: slide over each key's sorted panes (no per-window hash merge); the end is rebuilt from the start after.
    final = new PaneSlideExec(partial, panes, parts.aggCalls, parts.aggNames, 'final', startName, null);
  }
  const lit = (v: bigint): Expr => Object.freeze({ kind: 'lit', value: v, type: types.int64 });
  const windowOfStart: Expr = Object.freeze({
    kind: 'call',
    fn: 'window',
    args: Object.freeze([
      Object.freeze({ kind: 'col', name: startCol, qualifier: null }) as Expr,
      lit(panes.durationUs),
      lit(panes.slideUs),
      lit(panes.startUs),
      Object.freeze({ kind: 'lit', value: 0, type: types.int32 }) as Expr,
    ]),
  });
  const result = parts.resultExprs.map((e) =>
    e.kind === 'alias' && isWindowStruct(e, startName) ? (Object.freeze({ kind: 'alias', child: windowOfStart, name: e.name }) as Expr) : e,
  );
  const project = new ProjectExec(final, result, agg.schema);
  resultProjections.set(project, { input: final, exprs: result });
  return project;
}

/** The result projections of window aggregates, with their inputs (for {@link planFilter}). */
const resultProjections = new WeakMap<PhysicalOperator, { readonly input: PhysicalOperator; readonly exprs: readonly Expr[] }>();

/**
 * A filter over a planned child. Over a window aggregate's result projection, when the
 * condition reads only columns the projection passes through (a HAVING on aggregate values
 * such as `n >= 5`), the filter runs below the projection, so the window structs of the
 * rows it drops are never built.
 */
export function planFilter(condition: Expr, child: PhysicalOperator): PhysicalOperator {
  const res = resultProjections.get(child);
  if (res !== undefined) {
    let ok = true;
    const pushed = rewriteExpr(condition, (x) => {
      if (x.kind !== 'col') return x;
      const i = child.schema.fields.findIndex((f) => f.name === x.name && (x.qualifier === null || f.qualifier === x.qualifier));
      const e = i < 0 ? undefined : res.exprs[i];
      const inner = e?.kind === 'alias' ? e.child : e;
      if (inner?.kind !== 'col' || child.schema.fields.filter((f) => f.name === x.name).length !== 1) {
        ok = false;
        return x;
      }
      return inner;
    });
    if (ok) {
      // A sliding-window aggregate applies it to each batch of windows before gathering their keys.
      const fused = res.input instanceof PaneSlideExec ? res.input.withHaving(pushed) : null;
      const filtered = fused ?? new FilterExec(res.input, pushed);
      const project = new ProjectExec(filtered, res.exprs, child.schema);
      resultProjections.set(project, { input: filtered, exprs: res.exprs });
      return project;
    }
  }
  return new FilterExec(child, condition);
}

/** True when `e` is the rebuilt `struct(<start> AS start, ...)` of the window key. */
function isWindowStruct(e: Expr, startName: string): boolean {
  if (e.kind !== 'alias' || e.child.kind !== 'call' || e.child.fn !== 'struct') return false;
  const first = e.child.args[0];
  return first?.kind === 'alias' && first.child.kind === 'col' && first.child.name === startName;
}

/** Physical hash aggregate (complete mode, or pane partial + expansion + final for windows) plus the projection that forms the Aggregate's output. */
export function planAggregate(agg: Aggregate, child: PhysicalOperator): PhysicalOperator {
  const parts = aggregateParts(agg);
  if (parts.panes !== null) {
    const partial = new HashAggregateExec(child, parts.panes.paneGroupBy, parts.panes.paneGroupNames, parts.aggCalls, parts.aggNames, 'partial');
    return planPaneFinal(parts, partial, agg);
  }
  const hash = new HashAggregateExec(child, parts.groupBy, parts.groupNames, parts.aggCalls, parts.aggNames, 'complete');
  return new ProjectExec(hash, parts.resultExprs, agg.schema);
}
