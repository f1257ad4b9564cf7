import { types } from '../../common/data-type.js';
import type { DataType } from '../../common/data-type.js';
import type { AggCall, Expr, Literal } from './expr.js';

/**
 * The percentile aggregates, Spark's percentile_approx, percentile and median.
 *
 * Canonical argument layout of the calls stored in plans (what the builders make and the
 * analyzer normalizes SQL-style calls into):
 * - `percentileApprox(value, accuracy: int literal, asArray: boolean literal, p1, p2, ...)`
 * - `percentile(value, asArray: boolean literal, p1, p2, ...)`
 * - `median(value)`
 * where each p is a double literal in [0, 1]. The SQL-style forms `percentileApprox(value,
 * p | array(p...), accuracy?)` and `percentile(value, p | array(p...))` are accepted too.
 */
export type PercentileFunctionName = 'percentileApprox' | 'percentile' | 'median';

/** Spark's default accuracy of percentile_approx. */
export const DEFAULT_PERCENTILE_ACCURACY = 10000;

/** The options read from a canonical percentile call. */
export interface PercentileOptions {
  readonly percentages: readonly number[];
  readonly asArray: boolean;
  /** percentileApprox's accuracy; null for the exact (interpolating) percentile and median. */
  readonly accuracy: number | null;
}

/** True for the percentile family. */
export function isPercentileCall(call: AggCall): boolean {
  return call.fn === 'percentileApprox' || call.fn === 'percentile' || call.fn === 'median';
}

function lit(value: number | boolean, type: DataType): Literal {
  return Object.freeze({ kind: 'lit', value, type });
}

/** The canonical arguments of a percentile call: value, options as literals. */
export function percentileArgs(fn: PercentileFunctionName, value: Expr, percentages: readonly number[], asArray: boolean, accuracy: number): Expr[] {
  const ps = percentages.map((p) => lit(p, types.float64));
  if (fn === 'median') return [value];
  if (fn === 'percentile') return [value, lit(asArray, types.boolean), ...ps];
  return [value, lit(accuracy, types.int32), lit(asArray, types.boolean), ...ps];
}

/** The number of a literal (through casts, aliases and negation), else null. */
export function literalNumber(e: Expr): number | null {
  if (e.kind === 'lit') return typeof e.value === 'number' ? e.value : typeof e.value === 'bigint' ? Number(e.value) : null;
  if (e.kind === 'cast' || e.kind === 'alias') return literalNumber(e.child);
  if (e.kind === 'unary' && e.op === 'negate') {
    const v = literalNumber(e.child);
    return v === null ? null : -v;
  }
  return null;
}

/** The options of a call in canonical form (see the module comment). */
export function percentileOptions(call: AggCall): PercentileOptions {
  const a = call.args;
  const num = (i: number): number => literalNumber(a[i] as Expr) as number;
  const flag = (i: number): boolean => (a[i] as Literal).value === true;
  if (call.fn === 'median') return { percentages: [0.5], asArray: false, accuracy: null };
  if (call.fn === 'percentile') return { percentages: a.slice(2).map((_, i) => num(i + 2)), asArray: flag(1), accuracy: null };
  return { percentages: a.slice(3).map((_, i) => num(i + 3)), asArray: flag(2), accuracy: num(1) };
}

/** Spark's SQL text of a canonical percentile call, e.g. `percentile_approx(x, array(0.25, 0.5), 10000)`. */
export function percentileCallText(call: AggCall, s: (e: Expr) => string): string {
  const flag = call.args[call.fn === 'percentileApprox' ? 2 : 1];
  const canonical = call.fn === 'median' || (flag?.kind === 'lit' && typeof flag.value === 'boolean');
  if (!canonical) return `${call.fn === 'percentileApprox' ? 'percentile_approx' : call.fn}(${call.args.map(s).join(', ')})`;
  const o = percentileOptions(call);
  const value = s(call.args[0] as Expr);
  if (call.fn === 'median') return `median(${value})`;
  const p = o.asArray ? `array(${o.percentages.join(', ')})` : String(o.percentages[0]);
  return call.fn === 'percentile' ? `percentile(${value}, ${p}, 1)` : `percentile_approx(${value}, ${p}, ${o.accuracy})`;
}
