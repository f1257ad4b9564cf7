import type { DataType } from './data-type.js';
import { MAX_DECIMAL_PRECISION, types } from './data-type.js';

/**
 * Spark's decimal result-type rules, with Sluice's 18-digit limit in place of Spark's 38:
 * a result precision above 18 keeps the integer digits and gives up scale (down to
 * min(scale, 6)), as Spark's `adjustPrecisionScale`; values that still do not fit are null.
 */

type Decimal = Extract<DataType, { kind: 'decimal' }>;

/** Spark's precision-loss adjustment, capped at 18 digits. */
export function adjustedDecimal(precision: number, scale: number): DataType {
  if (precision <= MAX_DECIMAL_PRECISION) return types.decimal(precision, scale);
  const intDigits = precision - scale;
  const minScale = Math.min(scale, 6);
  return types.decimal(MAX_DECIMAL_PRECISION, Math.max(MAX_DECIMAL_PRECISION - intDigits, minScale));
}

/** The decimal type an integral operand takes beside a decimal: int -> decimal(10,0), bigint -> decimal(18,0) (Spark: 20). */
export function decimalForIntegral(t: DataType): DataType {
  return t.kind === 'int32' ? types.decimal(10, 0) : types.decimal(MAX_DECIMAL_PRECISION, 0);
}

/** The smallest decimal holding an integer literal exactly (Spark types literals by their digits). */
export function decimalForLiteral(v: bigint | number): DataType {
  const digits = (typeof v === 'bigint' ? (v < 0n ? -v : v) : Math.abs(v)).toString().length;
  return types.decimal(Math.min(digits, MAX_DECIMAL_PRECISION), 0);
}

/** Result type of `a op b` over decimals: + and - max(s)+max(p-s)+1 digits, * p1+p2+1 digits with scale s1+s2. */
export function decimalArithmeticType(op: '+' | '-' | '*', a: DataType, b: DataType): DataType {
  const x = a as Decimal;
  const y = b as Decimal;
  if (op === '*') return adjustedDecimal(x.precision + y.precision + 1, x.scale + y.scale);
  const scale = Math.max(x.scale, y.scale);
  return adjustedDecimal(scale + Math.max(x.precision - x.scale, y.precision - y.scale) + 1, scale);
}

/** The common type of two decimals for comparisons and CASE: max(s) + max(p-s) digits (bounded at 18). */
export function widerDecimal(a: DataType, b: DataType): DataType {
  const x = a as Decimal;
  const y = b as Decimal;
  const scale = Math.max(x.scale, y.scale);
  const p = scale + Math.max(x.precision - x.scale, y.precision - y.scale);
  return p <= MAX_DECIMAL_PRECISION ? types.decimal(p, scale) : types.decimal(MAX_DECIMAL_PRECISION, Math.max(0, MAX_DECIMAL_PRECISION - (p - scale)));
}

/** sum(decimal(p,s)) -> decimal(min(18, p+10), s) (Spark: min(38, p+10)). */
export function decimalSumType(t: DataType): DataType {
  const x = t as Decimal;
  return types.decimal(Math.min(MAX_DECIMAL_PRECISION, x.precision + 10), x.scale);
}

/** avg(decimal(p,s)) -> decimal(min(18, p+4), min(18, s+4)) (Spark: bounded at 38). */
export function decimalAvgType(t: DataType): DataType {
  const x = t as Decimal;
  return types.decimal(Math.min(MAX_DECIMAL_PRECISION, x.precision + 4), Math.min(MAX_DECIMAL_PRECISION, x.scale + 4));
}
