import type { DataType } from '../../common/data-type.js';
import { decimalForIntegral, widerDecimal } from '../../common/decimal-types.js';
import { isNumeric, typeEquals, types, typeName, widerNumeric } from '../../common/data-type.js';
import { typeMismatchError } from '../../common/errors.js';
import type { AnalyzedExpr } from './analyze-expr.js';
import { canCast, castValue } from './cast-value.js';
import type { Expr } from './expr.js';
import { exprOutputName } from './expr-to-string.js';

/**
 * Implicit casts inserted by the analyzer. A cast of a literal is folded into a literal of
 * the target type (so `amount > 100` over a double column becomes `amount > 100.0`).
 */

/** True when two types are stored alike and compare without a cast (timestamps of one unit, any zone). */
export function sameStorage(a: DataType, b: DataType): boolean {
  if (a.kind === 'timestamp' && b.kind === 'timestamp') return a.unit === b.unit;
  return typeEquals(a, b);
}

/** True when a cast from `from` to `to` can produce null from a non-null value. */
export function castCanFail(from: DataType, to: DataType): boolean {
  if (from.kind === 'utf8') return to.kind !== 'utf8';
  if (from.kind === 'float64') return to.kind === 'int32' || to.kind === 'int64' || to.kind === 'timestamp';
  return false;
}

/** Casts an analyzed expression to `to`: unchanged when already that type, a literal when it is one, else a cast node. */
export function castTo(a: AnalyzedExpr, to: DataType): AnalyzedExpr {
  if (typeEquals(a.type, to)) return a;
  const e = a.expr;
  if (e.kind === 'lit') {
    const value = castValue(e.value, e.type, to);
    return { expr: Object.freeze({ kind: 'lit', value, type: to }), type: to, nullable: value === null };
  }
  const expr: Expr = Object.freeze({ kind: 'cast', child: e, to });
  return { expr, type: to, nullable: a.nullable || castCanFail(a.type, to) };
}

/** Explicit `cast()`: checks the cast is allowed, then casts. */
export function explicitCast(a: AnalyzedExpr, to: DataType, raw: Expr): AnalyzedExpr {
  if (!canCast(a.type, to))
    throw typeMismatchError(
      `Cannot cast ${exprOutputName(raw)} from ${typeName(a.type)} to ${typeName(to)}. Supported casts: between boolean, int, bigint, double and string; string, date and timestamp to each other; numbers (seconds) to timestamp and back.`,
    );
  if (a.expr.kind === 'lit' || typeEquals(a.type, to)) return castTo(a, to);
  return { expr: Object.freeze({ kind: 'cast', child: a.expr, to }), type: to, nullable: a.nullable || castCanFail(a.type, to) };
}

function isTime(t: DataType): boolean {
  return t.kind === 'date' || t.kind === 'timestamp';
}

/**
 * The one type a set of types converts to (for CASE, coalesce, IN and comparisons), or null
 * when they do not mix: numbers widen (int < bigint < double; integers beside a decimal
 * become decimals, a double beside one makes double), null fits anything, date and
 * timestamp meet at timestamp, timestamps at the finer unit; strings meet date/timestamp
 * at the time type when `stringsToTime`.
 */
export function commonType(ts: readonly DataType[], stringsToTime = false): DataType | null {
  const known = ts.filter((t) => t.kind !== 'null');
  if (known.length === 0) return types.null;
  const first = known[0] as DataType;
  if (known.every((t) => isNumeric(t))) return known.reduce<DataType>((a, b) => widerNumeric(a, b), first);
  if (known.every((t) => isNumeric(t) || t.kind === 'decimal')) {
    // Decimals beside integers stay decimal (int as decimal(10,0), bigint as decimal(18,0)); a double makes everything double.
    if (known.some((t) => t.kind === 'float64')) return types.float64;
    return known.map((t) => (t.kind === 'decimal' ? t : decimalForIntegral(t))).reduce((a, b) => widerDecimal(a, b));
  }
  if (known.every((t) => isTime(t) || (stringsToTime && t.kind === 'utf8')) && known.some(isTime)) {
    const stamps = known.filter((t) => t.kind === 'timestamp');
    if (stamps.length === 0) return types.date;
    const base = stamps[0] as Extract<DataType, { kind: 'timestamp' }>;
    const unit = stamps.some((t) => t.kind === 'timestamp' && t.unit === 'us') ? 'us' : base.unit;
    return unit === base.unit ? base : types.timestamp(unit, base.timezone);
  }
  if (known.every((t) => typeEquals(t, first))) return first;
  if (known.every((t) => sameStorage(t, first))) return first;
  return null;
}

/** Casts every expression to their common type; throws TYPE_MISMATCH naming `what` and the types. */
export function unify(items: readonly AnalyzedExpr[], what: string, stringsToTime = false): { items: AnalyzedExpr[]; type: DataType } {
  const t = commonType(
    items.map((i) => i.type),
    stringsToTime,
  );
  if (t === null)
    throw typeMismatchError(
      `${what} mixes types ${[...new Set(items.map((i) => typeName(i.type)))].join(' and ')}. Cast them to one type with .cast('string'), .cast('double') or similar.`,
    );
  return { items: items.map((i) => (sameStorage(i.type, t) ? i : castTo(i, t))), type: t };
}
