import { types } from '../../common/data-type.js';
import { SluiceError } from '../../common/errors.js';
import type { Expr } from '../../dataframe/expr/expr.js';
import type { Aggregate, Join, LogicalPlan } from '../../dataframe/plan/logical-plan.js';
import type { FileSplit } from '../../sources/file/file-split.js';
import { AliasExec } from '../physical/alias-exec.js';
import { DeduplicateExec } from '../physical/deduplicate-exec.js';
import { FileScanExec } from '../physical/file-scan-exec.js';
import { FilterExec } from '../physical/filter-exec.js';
import { HashAggregateExec } from '../physical/hash-aggregate-exec.js';
import { HashJoinExec } from '../physical/hash-join-exec.js';
import { LimitExec } from '../physical/limit-exec.js';
import { LocalScanExec } from '../physical/local-scan-exec.js';
import { NestedLoopJoinExec } from '../physical/nested-loop-join-exec.js';
import type { PhysicalOperator } from '../physical/physical-operator.js';
import { ProjectExec } from '../physical/project-exec.js';
import { SortExec } from '../physical/sort-exec.js';
import { TopKExec } from '../physical/top-k-exec.js';
import { UnionExec } from '../physical/union-exec.js';
import { PaneSlideExec } from '../physical/pane-slide-exec.js';
import { TransformWithStateExec } from '../execution/stateful/transform-with-state-batch.js';
import { WindowAggExec } from '../window/window-agg-exec.js';
import type { AggregateParts, PanePlan } from './aggregate-parts.js';
import { planSessionAggregate, sessionKeyOf } from '../window/plan-session-aggregate.js';
import { aggregateParts, PANE_COLUMN } from './aggregate-parts.js';
import { rewriteExpr } from '../../dataframe/plan/optimizer/expr-rewrite.js';

/** What the local planner needs beyond the plan. */
export interface LocalPlanOptions {
  /** When set, the (single) file scan of the plan reads only this split. */
  readonly fileSplit?: FileSplit;
  /** Plans a child the caller handles itself (the distributed planner hooks in here); return undefined to plan it locally. */
  readonly override?: (plan: LogicalPlan) => PhysicalOperator | undefined;
}

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

/** Which side of a hash join to build into the hash table. */
export function buildSideOf(join: Join): 'left' | 'right' {
  return join.joinType === 'right' ? 'left' : 'right';
}

/** Physical join for a logical Join over planned children. */
export function planJoin(join: Join, left: PhysicalOperator, right: PhysicalOperator): PhysicalOperator {
  if (join.leftKeys.length === 0) return new NestedLoopJoinExec(left, right, join.joinType, join.condition, join.schema);
  return new HashJoinExec(left, right, join.joinType, join.leftKeys, join.rightKeys, join.condition, buildSideOf(join), join.schema, join.using);
}

/**
 * Plans a logical plan for execution in one thread: one physical operator per logical
 * node (an aggregate becomes a hash aggregate plus a projection; a sort under a limit
 * becomes a top-k). Used inside workers for plan fragments and on the driver for the parts
 * that run there.
 */
export function planLocal(plan: LogicalPlan, options: LocalPlanOptions = {}): PhysicalOperator {
  const over = options.override?.(plan);
  if (over) return over;
  const rec = (p: LogicalPlan): PhysicalOperator => planLocal(p, options);
  switch (plan.kind) {
    case 'fileScan':
      return new FileScanExec(plan, options.fileSplit ? [options.fileSplit] : null);
    case 'local':
      return new LocalScanExec(plan.schema, plan.batches);
    case 'streamingRelation':
      throw new SluiceError(
        'INVALID_PLAN',
        `Queries with streaming sources must be executed with writeStream.start(); ${plan.description} is a stream. Use read instead of readStream for a batch query.`,
      );
    case 'project':
      return new ProjectExec(rec(plan.child), plan.exprs, plan.schema);
    case 'filter':
      return planFilter(plan.condition, rec(plan.child));
    case 'aggregate':
      return sessionKeyOf(plan) === undefined ? planAggregate(plan, rec(plan.child)) : planSessionAggregate(plan, rec(plan.child));
    case 'join':
      return planJoin(plan, rec(plan.left), rec(plan.right));
    case 'sort':
      return new SortExec(rec(plan.child), plan.orders);
    case 'limit':
      if (plan.child.kind === 'sort') return new TopKExec(rec(plan.child.child), plan.child.orders, plan.n);
      return new LimitExec(rec(plan.child), plan.n);
    case 'deduplicate':
      return new DeduplicateExec(rec(plan.child), plan.keys);
    case 'eventTimeWatermark':
      // Only streams track watermarks; a batch query reads the rows unchanged.
      return rec(plan.child);
    case 'union':
      return new UnionExec(plan.children.map(rec), plan.schema);
    case 'subqueryAlias':
      return new AliasExec(rec(plan.child), plan.schema, plan.alias);
    case 'transformWithState':
      return new TransformWithStateExec(rec(plan.child), plan);
    case 'window':
      return new WindowAggExec(rec(plan.child), plan);
  }
}

/** Column references for every field of a plan's output, by name (for projections over stage outputs). */
export function outputRefs(plan: LogicalPlan): Expr[] {
  return plan.schema.fields.map((f) => Object.freeze({ kind: 'col', name: f.name, qualifier: f.qualifier ?? null }));
}
