import { Column } from '../expr/column.js';
import type { Expr } from '../expr/expr.js';
import { exprKey } from '../expr/expr-children.js';
import { exprOutputName } from '../expr/expr-to-string.js';
import type { DataFrame } from '../data-frame.js';
import type { SqlExpr, SqlSelect, SqlSortItem } from './sql-ast.js';
import type { GroupedData } from '../grouped-data.js';
import { hasGroupedAggregate, hasWindowExpr, stripAlias, substituteExpr } from './sql-expr-rewrite.js';
import { locateErrors } from './sql-locate-error.js';
import type { SelectContext } from './sql-plan-select.js';
import { itemName, ordinalItem, rejectStar, sortByOutput } from './sql-plan-select.js';

const col = (name: string): Expr => Object.freeze({ kind: 'col', name, qualifier: null });
const alias = (child: Expr, name: string): Expr => Object.freeze({ kind: 'alias', child, name });
const columns = (es: readonly Expr[]): Column[] => es.map((e) => new Column(e));

/** The distinct expressions of GROUPING SETS, in first-appearance order. */
function dedupeByText(ctx: SelectContext, es: readonly SqlExpr[]): SqlExpr[] {
  const seen = new Set<string>();
  return es.filter((e) => {
    const k = exprKey(ctx.conv.convert(e));
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * The grouping of the SELECT: `groupBy`, or (ROLLUP, CUBE, GROUPING SETS) the DataFrame's
 * `rollup` / `cube` / `groupingSets` when this build has them. `keys` are the key
 * expressions (the same as `groupCols` without their aliases).
 */
function grouped(ctx: SelectContext, sel: SqlSelect, from: DataFrame, groupCols: readonly Expr[], keys: readonly Expr[]): GroupedData {
  if (sel.grouping === 'plain') return from.groupBy(columns(groupCols));
  const method = sel.grouping === 'sets' ? 'groupingSets' : sel.grouping;
  const fn = (from as unknown as Record<string, unknown>)[method];
  const where = sel.groupBy[0]?.span ?? sel.span;
  if (typeof fn !== 'function')
    throw ctx.conv.error(
      where,
      `GROUP BY ${sel.grouping === 'sets' ? 'GROUPING SETS' : sel.grouping.toUpperCase()} needs DataFrame.${method}(), which this build does not have`,
      'UNSUPPORTED',
    );
  if (sel.grouping !== 'sets') return (fn as (...c: Column[]) => GroupedData).call(from, ...columns(groupCols));
  const keyOf = keys.map(exprKey);
  const sets = (sel.groupingSets ?? []).map((set) =>
    set.map((e) => {
      const i = keyOf.indexOf(exprKey(ctx.conv.convert(e)));
      return new Column(groupCols[i] as Expr);
    }),
  );
  return (fn as (s: Column[][], ...c: Column[]) => GroupedData).call(from, sets, ...columns(groupCols));
}

/**
 * Plans a grouped SELECT (GROUP BY, aggregates, HAVING) the way Spark's analyzer does:
 * one aggregation computing the grouping keys, the select list's aggregate expressions and
 * any further aggregates HAVING or ORDER BY need (hidden `__agg_n` columns), then HAVING as a
 * filter, then a projection into the select list's order. When the select list is exactly
 * the GROUP BY keys followed by aggregates and nothing hidden is needed, the plan is just
 * `groupBy(keys).agg(aggregates)`, the same as the DataFrame code.
 */
export function planAggregateSelect(ctx: SelectContext, sel: SqlSelect, from: DataFrame, items: readonly Expr[], orderBy: readonly SqlSortItem[]): DataFrame {
  rejectStar(ctx, sel, items);
  const input = from.columns;
  const groupExprs = sel.grouping === 'sets' ? dedupeByText(ctx, sel.groupBy) : sel.groupBy;
  const keys = groupExprs.map((g) => {
    const ord = ordinalItem(ctx, g, items, 'GROUP BY');
    if (ord !== undefined) {
      if (hasGroupedAggregate(ord)) throw ctx.conv.error(g.span, 'GROUP BY cannot refer to an aggregate in the select list');
      return stripAlias(ord);
    }
    if (g.k === 'col' && g.parts.length === 1 && !input.includes(g.parts[0] as string)) {
      const it = items.find((x) => x.kind === 'alias' && x.name === g.parts[0]);
      if (it !== undefined) return stripAlias(it);
    }
    return ctx.conv.convert(g);
  });
  const keyKeys = keys.map(exprKey);
  const keyNames = keys.map((k, j) => {
    const it = items.find((x) => x.kind === 'alias' && exprKey(x.child) === keyKeys[j]);
    return it !== undefined && it.kind === 'alias' ? it.name : exprOutputName(k);
  });
  const aggItems = items.filter((it) => hasGroupedAggregate(it) && !hasWindowExpr(it));
  const aggNames = aggItems.map((a) => exprOutputName(a));
  const aggKeys = aggItems.map((a) => exprKey(stripAlias(a)));
  const hidden: Expr[] = [];
  const hiddenKeys: string[] = [];
  // An expression over the aggregation's output: keys and aggregates become column references.
  const post = (e: Expr): Expr =>
    substituteExpr(e, (x) => {
      const k = exprKey(x);
      const j = keyKeys.indexOf(k);
      if (j >= 0) return col(keyNames[j] as string);
      if (x.kind !== 'agg') return undefined;
      const i = aggKeys.indexOf(k);
      if (i >= 0) return col(aggNames[i] as string);
      let h = hiddenKeys.indexOf(k);
      if (h < 0) {
        h = hidden.length;
        hidden.push(alias(x, `__agg_${h}`));
        hiddenKeys.push(k);
      }
      return col(`__agg_${h}`);
    });
  const projected = items.map((it) => {
    const i = aggItems.indexOf(it);
    if (i >= 0) return col(aggNames[i] as string);
    const name = exprOutputName(it);
    const body = post(stripAlias(it));
    return body.kind === 'col' && body.name === name ? body : alias(body, name);
  });
  const having = sel.having === null ? null : post(ctx.conv.convert(sel.having));
  const names = items.map(itemName);
  let sortsPost = orderBy.map((o) => sortByOutput(ctx, o, items, names));
  let sortsPre: Expr[] = [];
  if (!sortsPost.every((s) => s !== undefined)) {
    // Some key is not in the select list: sort the aggregation's output before projecting.
    sortsPre = orderBy.map((o, n) => {
      const s = sortsPost[n];
      const outName = s !== undefined && s.kind === 'sort' && s.child.kind === 'col' ? s.child.name : undefined;
      const i = outName === undefined ? -1 : names.indexOf(outName);
      return ctx.conv.sortOrder(o, i >= 0 ? stripAlias(projected[i] as Expr) : post(ctx.conv.convert(o.expr)));
    });
    sortsPost = [];
  }
  const canonical =
    hidden.length === 0 &&
    sortsPre.length === 0 &&
    items.length === keys.length + aggItems.length &&
    keys.every((_, j) => !aggItems.includes(items[j] as Expr) && exprKey(stripAlias(items[j] as Expr)) === keyKeys[j]) &&
    items.slice(keys.length).every((it) => aggItems.includes(it));
  const groupCols = canonical ? items.slice(0, keys.length) : keys.map((k, j) => (exprOutputName(k) === keyNames[j] ? k : alias(k, keyNames[j] as string)));
  const clause = [...sel.groupBy, ...sel.items];
  let df = locateErrors(
    ctx.sql,
    'GROUP BY / SELECT',
    clause,
    () => input,
    () => grouped(ctx, sel, from, groupCols, keys).agg(columns([...aggItems, ...hidden])),
  );
  if (having !== null) {
    const h = having;
    const cur = df;
    df = locateErrors(
      ctx.sql,
      'HAVING',
      sel.having ? [sel.having] : [],
      () => cur.columns,
      () => cur.filter(new Column(h)),
      input,
    );
  }
  if (sortsPre.length > 0) {
    const cur = df;
    df = locateErrors(
      ctx.sql,
      'ORDER BY',
      orderBy.map((o) => o.expr),
      () => cur.columns,
      () => cur.orderBy(columns(sortsPre)),
      input,
    );
  }
  if (!canonical) {
    const cur = df;
    df = locateErrors(
      ctx.sql,
      'SELECT',
      sel.items,
      () => cur.columns,
      () => cur.select(columns(projected)),
      input,
    );
  }
  if (sel.distinct) df = df.distinct();
  if (sortsPost.length > 0) {
    const cur = df;
    df = locateErrors(
      ctx.sql,
      'ORDER BY',
      orderBy.map((o) => o.expr),
      () => cur.columns,
      () => cur.orderBy(columns(sortsPost as Expr[])),
    );
  }
  return df;
}
