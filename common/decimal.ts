/**
 * Exact decimal arithmetic on unscaled values. A `decimal(p,s)` value `x` is stored as the
 * integer `x * 10^s` (a bigint here, an int64 in vectors); `p <= 18` keeps every value
 * inside int64. Rounding is half-up (away from zero on a tie), as Spark's.
 */

/** 10^k as a bigint, for k in 0..38. */
export function pow10(k: number): bigint {
  return 10n ** BigInt(k);
}

/** True when the unscaled value has at most `precision` digits. */
export function fitsPrecision(unscaled: bigint, precision: number): boolean {
  const limit = pow10(precision);
  return unscaled < limit && unscaled > -limit;
}

/** `a / b` rounded half-up (b != 0). */
export function divideHalfUp(a: bigint, b: bigint): bigint {
  const negative = a < 0n !== b < 0n;
  const x = a < 0n ? -a : a;
  const y = b < 0n ? -b : b;
  let q = x / y;
  if ((x % y) * 2n >= y) q += 1n;
  return negative ? -q : q;
}

/** Changes the scale of an unscaled value (rounding half-up when the scale shrinks). */
export function rescale(unscaled: bigint, from: number, to: number): bigint {
  if (to >= from) return unscaled * pow10(to - from);
  return divideHalfUp(unscaled, pow10(from - to));
}

/** The exact text of a decimal: `12.30`, `-0.05`, `7` (scale 0). */
export function formatDecimal(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const sign = negative ? '-' : '';
  if (scale === 0) return sign + digits;
  return `${sign}${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
}

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Parses decimal text (`12.3`, `-1e2`, ` 5 `) to an unscaled value of `scale`, rounding
 * half-up; null when the text is not a number or the value needs more than `precision` digits.
 */
export function parseDecimal(text: string, precision: number, scale: number): bigint | null {
  const m = DECIMAL_TEXT.exec(text.trim());
  if (m === null) return null;
  const int = m[2] ?? '';
  const frac = m[3] ?? '';
  if (int === '' && frac === '') return null;
  const exp = m[4] === undefined ? 0 : Number(m[4]);
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 400) return null;
  // value = digits * 10^(exp - frac.length), so unscaled = digits * 10^(exp + scale - frac.length).
  const digits = BigInt(int + frac || '0');
  const k = exp + scale - frac.length;
  const value = k >= 0 ? digits * pow10(k) : divideHalfUp(digits, pow10(-k));
  const signed = m[1] === '-' ? -value : value;
  return fitsPrecision(signed, precision) ? signed : null;
}

/** A double as an unscaled value of `scale` (half-up on its shortest decimal text); null for NaN, infinities or overflow. */
export function decimalFromDouble(d: number, precision: number, scale: number): bigint | null {
  if (!Number.isFinite(d)) return null;
  return parseDecimal(String(d), precision, scale);
}

/** The nearest double to a decimal value. */
export function decimalToDouble(unscaled: bigint, scale: number): number {
  return scale === 0 ? Number(unscaled) : Number.parseFloat(formatDecimal(unscaled, scale));
}

/** The integer part of a decimal value (truncated toward zero, as Spark's cast). */
export function decimalToInteger(unscaled: bigint, scale: number): bigint {
  return unscaled / pow10(scale);
}
