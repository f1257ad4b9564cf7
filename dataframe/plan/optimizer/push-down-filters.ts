import type { Field } from '../../../common/schema.js';
import { resolveFieldIndex } from '../../../common/schema.js';
import { referencedColumns } from '../../expr/analyze-expr.js';
import type { Expr } from '../../expr/expr.js';
import { buildFilter } from '../builders/build-filter.js';
import type { FileScan, Join, LogicalPlan, Project, SubqueryAlias } from '../logical-plan.js';
import { planChildren } from '../logical-plan.js';
import { andAll, rewriteExpr, splitConjuncts } from './expr-rewrite.js';
import { withNewChildren } from './with-new-children.js';

function tryResolve(schema: LogicalPlan['schema'], e: { name: string; qualifier: string | null }): number {
  try {
    return resolveFieldIndex(schema, e.name, e.qualifier);
  } catch {
    return -1;
  }
}

/** Substitutes a Project's expressions for the column references of a condition above it. */
function throughProject(cond: Expr, p: Project): Expr | null {
  let ok = true;
  const out = rewriteExpr(cond, (e) => {
    if (e.kind !== 'col') return e;
    const i = tryResolve(p.schema, e);
    const src = i < 0 ? undefined : p.exprs[i];
    if (!src) {
      ok = false;
      return e;
    }
    return src.kind === 'alias' ? src.child : src;
  });
  return ok ? out : null;
}

/** Requalifies column references of a condition above an alias to the child's fields. */
function throughAlias(cond: Expr, a: SubqueryAlias): Expr | null {
  let ok = true;
  const out = rewriteExpr(cond, (e) => {
    if (e.kind !== 'col') return e;
    const i = tryResolve(a.schema, e);
    const f = i < 0 ? undefined : (a.child.schema.fields[i] as Field);
    if (!f || a.child.schema.fields.filter((g) => g.name === f.name).length > 1) {
      ok = false;
      return e;
    }
    return Object.freeze({ kind: 'col', name: f.name, qualifier: f.qualifier ?? null });
  });
  return ok ? out : null;
}

/** Which join input each output field comes from: 'left', 'right' or 'none' (a coalesced full-join key). */
function joinFieldSides(j: Join): ('left' | 'right' | 'none')[] {
  const nl = j.left.schema.fields.length;
  if (!j.using) return j.schema.fields.map((_, i) => (i < nl ? 'left' : 'right'));
  const k = j.using.length;
  const keySide = j.joinType === 'full' ? 'none' : j.joinType === 'right' ? 'right' : 'left';
  const restLeft = nl - k;
  return j.schema.fields.map((_, i) => (i < k ? keySide : i < k + restLeft || j.joinType === 'semi' || j.joinType === 'anti' ? 'left' : 'right'));
}

function pushIntoJoin(conds: Expr[], j: Join): { plan: LogicalPlan; kept: Expr[] } {
  const sides = joinFieldSides(j);
  const toLeft: Expr[] = [];
  const toRight: Expr[] = [];
  const kept: Expr[] = [];
  const semiLike = j.joinType === 'semi' || j.joinType === 'anti';
  const canLeft = j.joinType === 'inner' || j.joinType === 'left' || semiLike || j.joinType === 'cross';
  const canRight = j.joinType === 'inner' || j.joinType === 'right' || j.joinType === 'cross';
  for (const c of conds) {
    const s = new Set(referencedColumns(c).map((r) => sides[tryResolve(j.schema, r)] ?? 'none'));
    if (s.size === 1 && s.has('left') && canLeft && resolvesIn(c, j.left)) toLeft.push(c);
    else if (s.size === 1 && s.has('right') && canRight && resolvesIn(c, j.right)) toRight.push(c);
    else kept.push(c);
  }
  if (toLeft.length === 0 && toRight.length === 0) return { plan: j, kept: conds };
  const left = toLeft.length ? pushDownFilters(buildFilter(j.left, andAll(toLeft) as Expr)) : j.left;
  const right = toRight.length ? pushDownFilters(buildFilter(j.right, andAll(toRight) as Expr)) : j.right;
  return { plan: withNewChildren(j, [left, right]), kept };
}

function resolvesIn(c: Expr, plan: LogicalPlan): boolean {
  return referencedColumns(c).every((r) => tryResolve(plan.schema, r) >= 0);
}

function withFilter(plan: LogicalPlan, conds: readonly Expr[]): LogicalPlan {
  const cond = andAll(conds);
  return cond ? buildFilter(plan, cond) : plan;
}

/** True when `plan` is a `withWatermark` node, possibly under projections, aliases, filters and sorts. */
function reachesWatermark(plan: LogicalPlan): boolean {
  switch (plan.kind) {
    case 'eventTimeWatermark':
      return true;
    case 'project':
    case 'subqueryAlias':
    case 'filter':
    case 'sort':
      return reachesWatermark(plan.child);
    default:
      return false;
  }
}

/**
 * The streaming plan with each filter above a `withWatermark` (directly or through
 * projections, aliases and sorts) pushed down as far as {@link pushDownFilters} takes it:
 * its conjuncts that do not read the event-time column end up below the watermark node, as
 * Spark's optimizer puts them, so the rows they drop never move the watermark. Other parts
 * of the plan are left as they are (each micro-batch's plan is optimized as a batch job).
 */
export function pushFiltersBelowWatermarks(plan: LogicalPlan): LogicalPlan {
  if (plan.kind === 'filter' && reachesWatermark(plan.child)) return pushDownFilters(plan);
  const kids = planChildren(plan);
  if (kids.length === 0) return plan;
  const next = kids.map(pushFiltersBelowWatermarks);
  return next.every((k, i) => k === kids[i]) ? plan : withNewChildren(plan, next);
}

/**
 * Moves filters as close to the data as they can go: merges adjacent filters, pushes them
 * through projections, aliases and sorts, below `withWatermark` unless they read its
 * event-time column, into the sides of joins where SQL semantics allow,
 * and records them on file scans as `pushedFilters` for row-group skipping (the filter also
 * stays above the scan, which applies it exactly).
 */
export function pushDownFilters(plan: LogicalPlan): LogicalPlan {
  if (plan.kind !== 'filter') {
    const kids = planChildren(plan);
    if (kids.length === 0) return plan;
    const next = kids.map(pushDownFilters);
    return next.every((k, i) => k === kids[i]) ? plan : withNewChildren(plan, next);
  }
  const conds = splitConjuncts(plan.condition);
  const child = plan.child;
  switch (child.kind) {
    case 'filter':
      return pushDownFilters(buildFilter(child.child, andAll([...splitConjuncts(child.condition), ...conds]) as Expr));
    case 'project': {
      const pushed: Expr[] = [];
      const kept: Expr[] = [];
      for (const c of conds) {
        const r = throughProject(c, child);
        if (r) pushed.push(r);
        else kept.push(c);
      }
      if (pushed.length === 0) return withFilter(withNewChildren(child, [pushDownFilters(child.child)]), kept);
      const inner = pushDownFilters(buildFilter(child.child, andAll(pushed) as Expr));
      return withFilter(withNewChildren(child, [inner]), kept);
    }
    case 'subqueryAlias': {
      const pushed: Expr[] = [];
      const kept: Expr[] = [];
      for (const c of conds) {
        const r = throughAlias(c, child);
        if (r) pushed.push(r);
        else kept.push(c);
      }
      const inner = pushed.length ? pushDownFilters(buildFilter(child.child, andAll(pushed) as Expr)) : pushDownFilters(child.child);
      return withFilter(withNewChildren(child, [inner]), kept);
    }
    case 'sort':
      return withNewChildren(child, [pushDownFilters(buildFilter(child.child, plan.condition))]);
    case 'join': {
      const { plan: j, kept } = pushIntoJoin(conds, child);
      const jj = j === child ? withNewChildren(child, [pushDownFilters(child.left), pushDownFilters(child.right)]) : j;
      return withFilter(jj, kept);
    }
    case 'window': {
      // A filter moves below a window only when it reads nothing but partition keys: it
      // then drops whole partitions, which changes no other row's frame.
      const keyNames = new Set(child.partitionBy.flatMap((k) => (k.kind === 'col' ? [k.name] : [])));
      const pushed: Expr[] = [];
      const kept: Expr[] = [];
      for (const c of conds) {
        const r = referencedColumns(c);
        if (r.length > 0 && r.every((x) => keyNames.has(x.name) && resolvesIn(c, child.child))) pushed.push(c);
        else kept.push(c);
      }
      const inner = pushed.length ? pushDownFilters(buildFilter(child.child, andAll(pushed) as Expr)) : pushDownFilters(child.child);
      return withFilter(withNewChildren(child, [inner]), kept);
    }
    case 'eventTimeWatermark': {
      // Spark's rule (PushPredicateThroughNonJoin): conjuncts that do not read the event-time
      // column move below withWatermark, so rows they drop never move the watermark.
      const timeIdx = child.schema.fields.findIndex((f) => f.name === child.eventTime);
      const pushed: Expr[] = [];
      const kept: Expr[] = [];
      for (const c of conds) {
        const refs = referencedColumns(c).map((r) => tryResolve(child.schema, r));
        if (refs.every((i) => i >= 0 && i !== timeIdx) && resolvesIn(c, child.child)) pushed.push(c);
        else kept.push(c);
      }
      const inner = pushed.length ? pushDownFilters(buildFilter(child.child, andAll(pushed) as Expr)) : pushDownFilters(child.child);
      return withFilter(withNewChildren(child, [inner]), kept);
    }
    case 'generate': {
      // Spark's rule: conjuncts that read only the child's columns (not the exploded ones) go below the explode.
      const pushed = conds.filter((c) => resolvesIn(c, child.child));
      const kept = conds.filter((c) => !pushed.includes(c));
      const inner = pushed.length ? pushDownFilters(buildFilter(child.child, andAll(pushed) as Expr)) : pushDownFilters(child.child);
      return withFilter(withNewChildren(child, [inner]), kept);
    }
    case 'fileScan': {
      const scan: FileScan = Object.freeze({ ...child, pushedFilters: Object.freeze([...child.pushedFilters, ...conds.filter((c) => resolvesIn(c, child))]) });
      return buildFilter(scan, plan.condition);
    }
    default:
      return withNewChildren(plan, [pushDownFilters(child)]);
  }
}
