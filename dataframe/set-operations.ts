import type { DataType } from '../common/data-type.js';
import { typeName, types } from '../common/data-type.js';
import { invalidArgument } from '../common/errors.js';
import type { Expr, LiteralValue } from './expr/expr.js';
import { count } from './expr/functions.js';
import type { LogicalPlan } from './plan/logical-plan.js';
import { buildConditionJoin } from './plan/builders/build-join.js';
import { buildDeduplicate, buildSubqueryAlias, buildUnion } from './plan/builders/build-misc.js';
import { buildProject } from './plan/builders/build-project.js';
import { Window } from './window-spec.js';
import type { Column } from './expr/column.js';

const L = '__set_left';
const R = '__set_right';
const ROW = '__set_row';

const ref = (name: string, qualifier: string | null = null): Expr => Object.freeze({ kind: 'col', name, qualifier });
const lit = (value: LiteralValue, type: DataType): Expr => Object.freeze({ kind: 'lit', value, type });
const eq = (left: Expr, right: Expr): Expr => Object.freeze({ kind: 'binary', op: '=', left, right });
const and = (left: Expr, right: Expr): Expr => Object.freeze({ kind: 'binary', op: 'and', left, right });

/** A non-null stand-in of each type, so `coalesce(x, d)` plus `x IS NULL` compare like `<=>` and still hash. */
function standIn(t: DataType, what: string): Expr {
  switch (t.kind) {
    case 'int32':
    case 'date':
    case 'float64':
      return lit(0, t);
    case 'int64':
    case 'timestamp':
      return lit(0n, t);
    case 'utf8':
      return lit('', t);
    case 'boolean':
      return lit(false, t);
    default:
      throw invalidArgument(`${what} compares whole rows, and columns of type ${typeName(t)} cannot be compared yet. Drop or convert them first.`);
  }
}

/** `left.c <=> right.c` for every column (by position), as hashable equalities. */
function sameRows(left: LogicalPlan, right: LogicalPlan, extra: readonly string[], what: string): Expr {
  const lf = left.schema.fields;
  const rf = right.schema.fields;
  let cond: Expr | null = null;
  lf.forEach((f, i) => {
    const g = rf[i];
    if (g === undefined) return;
    const l = ref(f.name, L);
    const r = ref(g.name, R);
    const parts = extra.includes(f.name)
      ? [eq(l, r)]
      : [
          eq(Object.freeze({ kind: 'unary', op: 'isNull', child: l }), Object.freeze({ kind: 'unary', op: 'isNull', child: r })),
          eq(
            Object.freeze({ kind: 'call', fn: 'coalesce', args: [l, standIn(f.type, what)] }),
            Object.freeze({ kind: 'call', fn: 'coalesce', args: [r, standIn(g.type, what)] }),
          ),
        ];
    for (const p of parts) cond = cond === null ? p : and(cond, p);
  });
  return cond ?? lit(true, types.boolean);
}

/** The left rows that have (semi) or have no (anti) equal row on the right, with the left's plain column names. */
function matchRows(left: LogicalPlan, right: LogicalPlan, how: 'semi' | 'anti', extra: readonly string[], what: string): LogicalPlan {
  const l = buildSubqueryAlias(left, L);
  const r = buildSubqueryAlias(right, R);
  const joined = buildConditionJoin(l, r, sameRows(l, r, extra, what), how);
  const keep = left.schema.fields.filter((f) => !extra.includes(f.name));
  return buildProject(
    joined,
    keep.map((f) => Object.freeze({ kind: 'alias', name: f.name, child: ref(f.name, L) })),
  );
}

/**
 * Both inputs with their columns coerced to common types (as a union does, and Spark's set
 * operations), the right side renamed to the left's column names.
 */
function aligned(left: LogicalPlan, right: LogicalPlan, what: string): [LogicalPlan, LogicalPlan] {
  if (left.schema.fields.length !== right.schema.fields.length)
    throw invalidArgument(`${what} needs inputs with the same number of columns: ${left.schema.fields.length} vs ${right.schema.fields.length}.`);
  const [l, r] = buildUnion([left, right]).children as [LogicalPlan, LogicalPlan];
  const renamed = buildProject(
    r,
    r.schema.fields.map((f, i) => Object.freeze({ kind: 'alias', name: l.schema.fields[i]?.name ?? f.name, child: ref(f.name, f.qualifier) })),
  );
  return [l, renamed];
}

/** Each row numbered 1..k among the k rows equal to it, in a column `__set_row`. */
function numbered(plan: LogicalPlan): LogicalPlan {
  const names = plan.schema.fields.map((f) => f.name);
  const w = Window.partitionBy(...names)
    .orderBy(names[0] as string)
    .rowsBetween(Window.unboundedPreceding, Window.currentRow);
  const n = count().over(w).alias(ROW) as unknown as Column;
  return buildProject(plan, [...names.map((x) => ref(x)), n.expr]);
}

/** Spark's INTERSECT (distinct) / EXCEPT (distinct): rows compared null-safely by position. */
export function buildSetDistinct(left: LogicalPlan, right: LogicalPlan, how: 'intersect' | 'except'): LogicalPlan {
  const what = `${how}()`;
  const [l, r] = aligned(left, right, what);
  return matchRows(buildDeduplicate(l, []), r, how === 'intersect' ? 'semi' : 'anti', [], what);
}

/**
 * Spark's INTERSECT ALL / EXCEPT ALL: a row present a times on the left and b on the right
 * appears min(a, b) (intersect) or max(a - b, 0) (except) times. Rows are numbered within
 * their duplicates on both sides and matched on (row, number).
 */
export function buildSetAll(
  left: LogicalPlan,
  right: LogicalPlan,
  how: 'intersect' | 'except',
  numberRows: (p: LogicalPlan) => LogicalPlan = numbered,
): LogicalPlan {
  const what = `${how}All()`;
  const [l, r] = aligned(left, right, what);
  return matchRows(numberRows(l), numberRows(r), how === 'intersect' ? 'semi' : 'anti', [ROW], what);
}
