import { types } from '../../../common/data-type.js';
import type { DataType } from '../../../common/data-type.js';
import { isNumeric, typeName } from '../../../common/data-type.js';
import { SluiceError } from '../../../common/errors.js';
import type { Field } from '../../../common/schema.js';
import { field, schemaOf } from '../../../common/schema.js';
import { analyzeExpr, containsAggregate, exprOutputName } from '../../expr/analyze-expr.js';
import type { AggCall, Expr, SortOrder, WindowExpr, WindowFrame, WindowSpecDef } from '../../expr/expr.js';
import { exprChildren, exprKey } from '../../expr/expr-children.js';
import { checkWindowFunctionOrder, effectiveWindowSpec, WINDOW_FUNCTION_NAMES } from '../../expr/window-functions.js';
import type { LogicalPlan, WindowNode } from '../logical-plan.js';
import { rewriteExpr } from '../optimizer/expr-rewrite.js';
import { expandStar } from './expand-star.js';

/** Aggregates that can run over a window frame. */
const WINDOW_AGGREGATES: ReadonlySet<string> = new Set(['count', 'countDistinct', 'sum', 'avg', 'min', 'max', 'percentileApprox', 'percentile', 'median']);

/** Prefix of the internal columns that carry window results between the window node and the projection above it. */
export const WINDOW_COLUMN_PREFIX = '__sluice_w';

function invalid(message: string): SluiceError {
  return new SluiceError('INVALID_PLAN', message);
}

/** True when the expression contains a window function (`.over(w)`) anywhere. */
export function containsWindowExpr(e: Expr): boolean {
  return e.kind === 'windowExpr' || exprChildren(e).some(containsWindowExpr);
}

/** True when an order key type allows RANGE offsets (numeric, date, timestamp). */
function rangeOrderable(t: DataType): boolean {
  return isNumeric(t) || t.kind === 'date' || t.kind === 'timestamp';
}

/** Spark's default frame: RANGE UNBOUNDED PRECEDING .. CURRENT ROW with an order, else the whole partition. */
export function defaultWindowFrame(ordered: boolean): WindowFrame {
  return Object.freeze(ordered ? { type: 'range', start: null, end: 0 } : { type: 'rows', start: null, end: null });
}

/**
 * Builds a `window` node: analyzes the partition keys, the order and the functions against
 * the child's schema and resolves the frame (null = Spark's default). Throws INVALID_PLAN
 * with the fix for: a RANGE frame with offsets without exactly one numeric, date or
 * timestamp order key; non-integer ROWS offsets; an aggregate that cannot run over a
 * window; countDistinct over several columns; min/max over a string; window functions or
 * aggregates nested in the arguments.
 *
 * `functions` are aggregate calls each under an alias naming its output column.
 */
export function buildWindow(
  child: LogicalPlan,
  partitionBy: readonly Expr[],
  orderBy: readonly SortOrder[],
  frame: WindowFrame | null,
  functions: readonly Expr[],
): WindowNode {
  const schema = child.schema;
  const keys = partitionBy.map((e) => {
    if (containsAggregate(e) || containsWindowExpr(e))
      throw invalid(`Window partitionBy(${exprOutputName(e)}) cannot contain an aggregate or a window function.`);
    const a = analyzeExpr(e, schema);
    if (a.type.kind === 'list' || a.type.kind === 'map' || a.type.kind === 'struct')
      throw invalid(`Window partitionBy(${exprOutputName(e)}) is ${typeName(a.type)}; partition by scalar columns (e.g. a field of the struct).`);
    return a.expr;
  });
  const orders: SortOrder[] = [];
  const orderTypes: DataType[] = [];
  for (const o of orderBy) {
    if (containsAggregate(o.child) || containsWindowExpr(o.child))
      throw invalid(`Window orderBy(${exprOutputName(o.child)}) cannot contain an aggregate or a window function.`);
    const a = analyzeExpr(o, schema);
    const inner = analyzeExpr(o.child, schema);
    if (inner.type.kind === 'list' || inner.type.kind === 'map' || inner.type.kind === 'struct')
      throw invalid(`Window orderBy(${exprOutputName(o.child)}) is ${typeName(inner.type)}; order by a scalar column.`);
    orders.push(a.expr as SortOrder);
    orderTypes.push(inner.type);
  }
  const resolved = frame ?? defaultWindowFrame(orders.length > 0);
  checkFrame(resolved, orders, orderTypes);
  const fields: Field[] = [...schema.fields];
  const fns = functions.map((f) => {
    if (f.kind !== 'alias' || f.child.kind !== 'agg') throw invalid(`Window functions must be aggregate calls under an alias, got ${exprOutputName(f)}.`);
    const call = f.child;
    checkFunction(call, orders.length > 0);
    const a = analyzeExpr(call, schema, { allowAggregates: true });
    const argType = call.args.length > 0 ? analyzeExpr(call.args[0] as Expr, schema).type : null;
    if (argType !== null && argType.kind === 'decimal' && call.fn !== 'count')
      throw new SluiceError(
        'UNSUPPORTED',
        `${exprOutputName(call)} over a window does not take decimal columns yet, and ${exprOutputName(call.args[0] as Expr)} is ${typeName(argType)}. Cast it with .cast('double'), or use a groupBy aggregation and join the result back.`,
      );
    if ((call.fn === 'min' || call.fn === 'max') && argType !== null && !(rangeOrderable(argType) || argType.kind === 'boolean'))
      throw new SluiceError(
        'UNSUPPORTED',
        `${exprOutputName(call)} over a window needs a numeric, date, timestamp or boolean column, but ${exprOutputName(call.args[0] as Expr)} is ${typeName(argType)}. Use a groupBy aggregation or join the result back.`,
      );
    fields.push(field(f.name, a.type, WINDOW_FUNCTION_NAMES.has(call.fn) ? a.nullable : call.fn !== 'count' && call.fn !== 'countDistinct'));
    return Object.freeze({ kind: 'alias', child: a.expr, name: f.name }) as Expr;
  });
  return Object.freeze({
    kind: 'window',
    child,
    partitionBy: Object.freeze(keys),
    orderBy: Object.freeze(orders),
    frame: resolved,
    functions: Object.freeze(fns),
    schema: schemaOf(fields),
  });
}

function checkFunction(call: AggCall, ordered: boolean): void {
  checkWindowFunctionOrder(call, ordered);
  if (!WINDOW_AGGREGATES.has(call.fn) && !WINDOW_FUNCTION_NAMES.has(call.fn))
    throw new SluiceError(
      'UNSUPPORTED',
      `${exprOutputName(call)} cannot run over a window yet; window functions support count, countDistinct, sum, avg, min, max, percentileApprox, percentile, median and the ranking/offset functions (rowNumber, rank, lag, ...). Compute it with groupBy(...).agg(...) and join the result back.`,
    );
  if (call.fn === 'countDistinct' && call.args.length !== 1)
    throw new SluiceError('UNSUPPORTED', `${exprOutputName(call)} over a window takes one column; combine columns with concat() first.`);
  for (const a of call.args)
    if (containsAggregate(a) || containsWindowExpr(a))
      throw invalid(`${exprOutputName(call)}: the argument of a window function cannot contain an aggregate or another window function.`);
}

function checkFrame(frame: WindowFrame, orders: readonly SortOrder[], orderTypes: readonly DataType[]): void {
  const bounds = [frame.start, frame.end];
  for (const b of bounds)
    if (b !== null && !Number.isFinite(b))
      throw invalid(`Window frame bound ${b} is not a finite number; use Window.unboundedPreceding / Window.unboundedFollowing for unbounded frames.`);
  if (frame.type === 'rows') {
    for (const b of bounds)
      if (b !== null && !Number.isInteger(b)) throw invalid(`rowsBetween(${frame.start}, ${frame.end}): ROWS offsets count rows and must be integers.`);
    return;
  }
  const hasOffset = bounds.some((b) => b !== null && b !== 0);
  if (!hasOffset) return;
  if (orders.length !== 1)
    throw invalid(
      `rangeBetween(${frame.start}, ${frame.end}) with offsets needs exactly one orderBy column (got ${orders.length}). Order by one numeric, date or timestamp column, or use rowsBetween.`,
    );
  const t = orderTypes[0] as DataType;
  if (!rangeOrderable(t))
    throw invalid(
      `rangeBetween(${frame.start}, ${frame.end}) needs a numeric, date or timestamp orderBy column, but ${exprOutputName((orders[0] as SortOrder).child)} is ${typeName(t)}. Use rowsBetween, or order by a number (e.g. unixMillis(ts)).`,
    );
}

/** Result of {@link extractWindowExpressions}. */
export interface ExtractedWindows {
  /** The input with one window node per distinct window specification stacked on it (the input itself when there is none). */
  readonly child: LogicalPlan;
  /** The projection's expressions with every window function replaced by a reference to its result column. */
  readonly exprs: readonly Expr[];
}

/**
 * `size(collect_set(x) OVER w)`, Spark's idiom for a DISTINCT count over a window (Spark has
 * no DISTINCT window aggregates), is the number of distinct non-null `x` in the frame: it is
 * computed as `countDistinct(x) OVER w` (cast to int, the type of `size`) without building
 * the sets. Other expressions are returned as they are.
 */
function distinctCountOfSetSize(e: Expr): Expr {
  if (e.kind !== 'call' || (e.fn as string) !== 'size' || e.args.length !== 1) return e;
  const w = e.args[0];
  if (w === undefined || w.kind !== 'windowExpr' || w.fn.fn !== 'collectSet') return e;
  const count = Object.freeze({ kind: 'windowExpr', fn: Object.freeze({ ...w.fn, fn: 'countDistinct' }), spec: w.spec }) as Expr;
  return Object.freeze({ kind: 'cast', child: count, to: types.int32 }) as Expr;
}

/**
 * Spark's ExtractWindowExpressions: takes the `.over(w)` expressions out of a projection's
 * expressions. Each distinct window function becomes a column of a window node (one node
 * per distinct window specification, stacked on `input`) and is replaced in the
 * expressions by a reference to that column; an expression that is or contains a window
 * function and has no alias keeps its auto name (`count(1) OVER (...)`). `*` is expanded
 * against `input` first, so the internal columns never show up.
 */
export function extractWindowExpressions(input: LogicalPlan, exprs: readonly Expr[]): ExtractedWindows {
  if (!exprs.some(containsWindowExpr)) return { child: input, exprs };
  const expanded = expandStar(exprs, input.schema);
  const specs = new Map<string, { spec: WindowSpecDef; functions: Expr[] }>();
  const names = new Map<string, string>();
  const taken = new Set(input.schema.fields.map((f) => f.name));
  let next = 0;
  const nameOf = (w: WindowExpr): string => {
    const key = exprKey(w);
    let name = names.get(key);
    if (name === undefined) {
      do name = `${WINDOW_COLUMN_PREFIX}${next++}`;
      while (taken.has(name));
      names.set(key, name);
      const spec = effectiveWindowSpec(w.fn, w.spec);
      const specKey = exprKey(Object.freeze({ kind: 'windowExpr', fn: { kind: 'agg', fn: 'count', args: [] }, spec }) as Expr);
      let group = specs.get(specKey);
      if (group === undefined) {
        group = { spec, functions: [] };
        specs.set(specKey, group);
      }
      group.functions.push(Object.freeze({ kind: 'alias', child: w.fn, name }));
    }
    return name;
  };
  const out = expanded.map((raw) => {
    if (!containsWindowExpr(raw)) return raw;
    const replaced = rewriteExpr(rewriteExpr(raw, distinctCountOfSetSize), (e) =>
      e.kind === 'windowExpr' ? (Object.freeze({ kind: 'col', name: nameOf(e), qualifier: null }) as Expr) : e,
    );
    if (raw.kind === 'alias') return replaced;
    return Object.freeze({ kind: 'alias', child: replaced, name: exprOutputName(raw) }) as Expr;
  });
  let child = input;
  for (const { spec, functions } of specs.values()) child = buildWindow(child, spec.partitionBy, spec.orderBy, spec.frame, functions);
  return { child, exprs: out };
}
