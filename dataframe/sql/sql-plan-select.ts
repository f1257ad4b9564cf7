import { Column } from '../expr/column.js';
import type { Expr } from '../expr/expr.js';
import { exprKey } from '../expr/expr-children.js';
import { exprOutputName } from '../expr/expr-to-string.js';
import type { DataFrame } from '../data-frame.js';
import type { SqlExpr, SqlSelect, SqlSortItem } from './sql-ast.js';
import { hasGroupedAggregate, stripAlias, substituteExpr } from './sql-expr-rewrite.js';
import { locateErrors } from './sql-locate-error.js';
import type { SqlExprConverter } from './sql-to-expr.js';
import { planAggregateSelect } from './sql-plan-aggregate.js';

const col = (name: string): Expr => Object.freeze({ kind: 'col', name, qualifier: null });
const alias = (child: Expr, name: string): Expr => Object.freeze({ kind: 'alias', child, name });
const columns = (es: readonly Expr[]): Column[] => es.map((e) => new Column(e));

/** What planning one SELECT block needs: the SQL, the expression converter and the planned FROM. */
export interface SelectContext {
  readonly sql: string;
  readonly conv: SqlExprConverter;
}

/** The output name of a select item (undefined for `*`). */
export function itemName(e: Expr): string | undefined {
  if (e.kind === 'star') return undefined;
  return exprOutputName(e);
}

/**
 * An ORDER BY item that names a select item (by position, by output name, or by repeating
 * its expression): the output column to sort by; undefined when the item needs input
 * columns the projection drops.
 */
export function sortByOutput(ctx: SelectContext, item: SqlSortItem, items: readonly Expr[], names: readonly (string | undefined)[]): Expr | undefined {
  const e = item.expr;
  if (e.k === 'lit' && typeof e.value.value === 'number' && e.value.type.kind === 'int32') {
    const name = names[e.value.value - 1];
    if (name === undefined) throw ctx.conv.error(e.span, `ORDER BY position ${e.value.value} is not in the select list (1 to ${items.length}, no *)`);
    return ctx.conv.sortOrder(item, col(name));
  }
  const x = ctx.conv.convert(e);
  const k = exprKey(x);
  const i = items.findIndex((it) => exprKey(stripAlias(it)) === k || exprKey(it) === k);
  const it = items[i];
  if (it !== undefined && it.kind === 'col') return ctx.conv.sortOrder(item, it);
  if (i >= 0 && names[i] !== undefined) return ctx.conv.sortOrder(item, col(names[i] as string));
  if (x.kind === 'col' && x.qualifier === null && names.includes(x.name)) return ctx.conv.sortOrder(item, x);
  return undefined;
}

/**
 * Plans one SELECT block over its FROM DataFrame (already filtered by WHERE) and applies the
 * ORDER BY of the query when the block is the whole query body: projection (with window
 * functions), or aggregation (GROUP BY / aggregates / HAVING) through the same builders as
 * `select`, `groupBy().agg()`, `filter`, `orderBy` and `distinct`.
 */
export function planSelectBlock(ctx: SelectContext, sel: SqlSelect, from: DataFrame, orderBy: readonly SqlSortItem[]): DataFrame {
  const items = sel.items.map((i) => ctx.conv.convert(i));
  const aggregated = sel.groupBy.length > 0 || sel.having !== null || items.some(hasGroupedAggregate);
  if (aggregated) return planAggregateSelect(ctx, sel, from, items, orderBy);
  const names = items.map(itemName);
  const cols = () => from.columns;
  const sorts = orderBy.map((o) => sortByOutput(ctx, o, items, names));
  if (sorts.every((s) => s !== undefined)) {
    let out = locateErrors(ctx.sql, 'SELECT', sel.items, cols, () => from.select(columns(items)));
    if (sel.distinct) out = out.distinct();
    if (sorts.length === 0) return out;
    const done = out;
    return locateErrors(
      ctx.sql,
      'ORDER BY',
      orderBy.map((o) => o.expr),
      () => done.columns,
      () => done.orderBy(columns(sorts as Expr[])),
    );
  }
  if (sel.distinct) {
    const bad = orderBy[sorts.indexOf(undefined)] as SqlSortItem;
    throw ctx.conv.error(bad.expr.span, 'With SELECT DISTINCT, ORDER BY can only use selected columns; add it to the select list');
  }
  // Spark's rule: sort keys not in the select list are computed alongside it, then dropped.
  const hidden: Expr[] = [];
  const keys = orderBy.map((o, i) => {
    const s = sorts[i];
    if (s !== undefined) return s;
    const name = `__sort_${hidden.length}`;
    hidden.push(alias(ctx.conv.convert(o.expr), name));
    return ctx.conv.sortOrder(o, col(name));
  });
  const wide = locateErrors(ctx.sql, 'SELECT / ORDER BY', [...sel.items, ...orderBy.map((o) => o.expr)], cols, () =>
    from.select(columns([...items, ...hidden])),
  );
  const sorted = wide.orderBy(columns(keys));
  return sorted.drop(...hidden.map((h) => exprOutputName(h)));
}

/** Checks a positional GROUP BY / ORDER BY reference. */
export function ordinalItem(ctx: SelectContext, e: SqlExpr, items: readonly Expr[], what: string): Expr | undefined {
  if (e.k !== 'lit' || e.value.type.kind !== 'int32' || typeof e.value.value !== 'number') return undefined;
  const it = items[e.value.value - 1];
  if (it === undefined || it.kind === 'star')
    throw ctx.conv.error(e.span, `${what} position ${e.value.value} is not in the select list (1 to ${items.length})`);
  return it;
}

/** Replaces sub-expressions equal to `targets[i]` by a reference to column `names[i]`. */
export function replaceWith(e: Expr, targets: readonly Expr[], names: readonly string[]): Expr {
  const keys = targets.map(exprKey);
  return substituteExpr(e, (x) => {
    const i = keys.indexOf(exprKey(x));
    return i >= 0 ? col(names[i] as string) : undefined;
  });
}

/** Rejects `*` where a grouped query needs named columns. */
export function rejectStar(ctx: SelectContext, sel: SqlSelect, items: readonly Expr[]): void {
  const i = items.findIndex((e) => e.kind === 'star');
  if (i >= 0) throw ctx.conv.error((sel.items[i] as SqlExpr).span, '* cannot be used with GROUP BY or aggregates; list the grouped columns');
}
