import { types } from '../../common/data-type.js';
import type { AnalyzedExpr } from './analyze-expr.js';
import { castTo } from './type-coercion.js';
import type { BinaryExpr, Expr } from './expr.js';
import { isIntervalType } from './interval.js';

/**
 * Spark's datetime arithmetic, applied by the analyzer before the numeric rules of `+`
 * and `-`: `timestamp +/- interval` and `interval + timestamp` become `addInterval` (a date
 * stays a date when the interval has no time part, else it becomes timestamp[us]);
 * `date +/- n` and `n + date` (n an integer) become `dateAdd` / `dateSub`. Anything else
 * returns null (the numeric rules apply).
 */

const lit = (value: number | bigint, type = types.int32): Expr => Object.freeze({ kind: 'lit', value, type });

function isInt(a: AnalyzedExpr): boolean {
  return a.type.kind === 'int32' || a.type.kind === 'int64';
}

/** The (months, days, microseconds) expressions of an analyzed interval, negated for subtraction. */
function parts(iv: AnalyzedExpr, negate: boolean): [Expr, Expr, Expr, boolean] {
  const e = iv.expr;
  const neg = (x: Expr): Expr =>
    negate
      ? x.kind === 'lit' && x.value !== null
        ? lit(typeof x.value === 'bigint' ? -x.value : -(x.value as number), x.type)
        : Object.freeze({ kind: 'unary', op: 'negate', child: x })
      : x;
  if (e.kind === 'call' && e.fn === 'struct' && e.args.length === 3) {
    const raw = e.args.map((a) => (a.kind === 'alias' ? a.child : a)) as [Expr, Expr, Expr];
    const noTime = raw[2].kind === 'lit' && (raw[2].value === 0n || raw[2].value === 0);
    return [neg(raw[0]), neg(raw[1]), neg(raw[2]), noTime];
  }
  const field = (name: string): Expr => Object.freeze({ kind: 'call', fn: 'getField', args: Object.freeze([e, lit(name as never, types.utf8)]) }) as Expr;
  return [neg(field('months')), neg(field('days')), neg(field('microseconds')), false];
}

function call(
  fn: 'addInterval' | 'dateAdd' | 'dateSub',
  args: readonly Expr[],
  type: import('../../common/data-type.js').DataType,
  nullable: boolean,
): AnalyzedExpr {
  return { expr: Object.freeze({ kind: 'call', fn, args: Object.freeze([...args]) }), type, nullable };
}

/** Rewrites datetime `+`/`-` (see the file comment), or returns null. */
export function temporalArithmetic(e: BinaryExpr, l: AnalyzedExpr, r: AnalyzedExpr): AnalyzedExpr | null {
  if (e.op !== '+' && e.op !== '-') return null;
  const nullable = l.nullable || r.nullable;
  const timeLike = (a: AnalyzedExpr): boolean => a.type.kind === 'timestamp' || a.type.kind === 'date';
  let t: AnalyzedExpr | null = null;
  let iv: AnalyzedExpr | null = null;
  if (timeLike(l) && isIntervalType(r.type)) [t, iv] = [l, r];
  else if (e.op === '+' && isIntervalType(l.type) && timeLike(r)) [t, iv] = [r, l];
  if (t !== null && iv !== null) {
    const [mo, d, us, noTime] = parts(iv, e.op === '-');
    const target = t.type.kind === 'date' && !noTime ? castTo(t, types.timestamp('us')) : t;
    return call('addInterval', [target.expr, mo, d, us], target.type, nullable);
  }
  const days = (a: AnalyzedExpr): Expr => castTo(a, types.int32).expr;
  if (l.type.kind === 'date' && isInt(r)) return call(e.op === '+' ? 'dateAdd' : 'dateSub', [l.expr, days(r)], types.date, nullable);
  if (e.op === '+' && isInt(l) && r.type.kind === 'date') return call('dateAdd', [r.expr, days(l)], types.date, nullable);
  return null;
}
